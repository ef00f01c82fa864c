//! **VDC112 not-an-input** (error): INPUT has no clusters/<cluster>/ folder: it is not an INPUT folder.
//!
//! ## What it does
//!
//! A folder given as INPUT (to `render`, `check` or `explain`) that has no `clusters/` folder with
//! at least one cluster folder in it: a cluster's own folder (`INPUT/clusters/cluster1`), a
//! repository root that holds the INPUT folder further down, or an empty folder. vdc then reads
//! nothing else and reports only this.
//!
//! ## Why is this bad?
//!
//! Read as INPUT, a cluster's folder turns every object of its dump into "cluster state outside
//! `clusters/`" (VDC104), and a repository root does the same for every dump below it: hundreds of
//! errors that all say one thing. An empty folder would render nothing and exit 0, which a CI job
//! takes for success. One diagnostic says what vdc expected, where it looked, and which folder was
//! probably meant: the folder above `clusters/` for a cluster's folder, or the nearest folders
//! below that have `clusters/`.
//!
//! ## Example
//!
//! `testdata/check/not-an-input/` holds the INPUT folder `mesh/` rather than being one:
//!
//! ```text
//! mesh/clusters/cluster1/state.yaml
//! mesh/gloo/workspaces.yaml
//! ```
//!
//! ## Fix
//!
//! Give vdc the folder that holds `clusters/` (`vdc check mesh`), or create
//! `clusters/<cluster>/` with each cluster's dump (`vdc snapshot` writes them).
//!
//! Fixture: `testdata/check/not-an-input/`. Long form: `docs/diagnostics.md#vdc112`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NotAnInput;

/// `message` says what INPUT is, `help` where the input probably is.
pub fn diagnostic(site: Site, message: String, help: String) -> Diagnostic {
    Diagnostic::new_at(CODE, site, message).help(help)
}
