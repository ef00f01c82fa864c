//! **VDC112 not-an-input** (error): INPUT has no clusters/<cluster>/ folder: it is not an INPUT folder.
//!
//! ## What it does
//!
//! A folder given as INPUT (to `render`, `check` or `explain`) that has no `clusters/` folder with
//! at least one cluster folder in it: a cluster's own folder (`INPUT/clusters/cluster1`), the
//! `clusters/` folder itself (`INPUT/clusters`), a repository root that holds the INPUT folder further down, or an empty folder. vdc then reads
//! nothing else and reports only this.
//!
//! ## Why is this bad?
//!
//! Read as INPUT, a cluster's folder turns every object of its dump into "cluster state outside
//! `clusters/`" (VDC104), and a repository root does the same for every dump below it: hundreds of
//! errors that all say one thing. An empty folder would render nothing and exit 0, which a CI job
//! takes for success. One diagnostic says what vdc expected, where it looked, and which folder was
//! probably meant: the folder above `clusters/` for a cluster's folder or for `clusters/` itself,
//! or the nearest folders below that have `clusters/`.
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
use std::path::{Path, PathBuf};

pub const CODE: Code = Code::NotAnInput;

/// What INPUT turned out to be.
pub struct Shape<'a> {
    pub input: &'a Path,
    /// It has a `clusters/` folder, with no cluster folder in it.
    pub empty_clusters_folder: bool,
    pub meant: Meant,
}

/// The INPUT the user probably meant.
pub enum Meant {
    /// INPUT is the folder of cluster `cluster`; `input` holds its `clusters/`.
    ParentOfCluster { cluster: String, input: PathBuf },
    /// INPUT is the `clusters/` folder itself; `input` holds it.
    ParentOfClusters { input: PathBuf },
    /// Folders below INPUT that are inputs (none: no guess).
    Below(Vec<PathBuf>),
}

pub fn diagnostic(site: Site, shape: Shape) -> Diagnostic {
    // `in/clusters/` is shown as `in/clusters`, so that `{shown}/clusters/` has one slash.
    let written = shape.input.to_string_lossy();
    let trimmed = written.trim_end_matches('/');
    let shown = if trimmed.is_empty() { "/" } else { trimmed };
    let message = if shape.empty_clusters_folder {
        format!("`{shown}/clusters/` holds no cluster folder, so there is nothing to compile")
    } else {
        format!(
            "`{shown}` is not an INPUT folder: vdc looked for `{shown}/clusters/<cluster>/` (one folder per cluster, holding its state dump) and found none"
        )
    };
    let help = match shape.meant {
        Meant::ParentOfCluster { cluster, input } => format!(
            "this looks like the folder of cluster `{cluster}`; INPUT is the folder that holds `clusters/`: did you mean `{}`?",
            input.display()
        ),
        Meant::ParentOfClusters { input } => format!(
            "this is the `clusters/` folder itself; INPUT is the folder that holds it: did you mean `{}`?",
            input.display()
        ),
        Meant::Below(found) if found.is_empty() => "put each cluster's dump in `clusters/<cluster>/` (`vdc snapshot` writes them) and Gloo config beside it; see docs/input-format.md".to_owned(),
        Meant::Below(found) => {
            let names: Vec<String> = found.iter().map(|p| format!("`{}`", p.display())).collect();
            let has = if names.len() == 1 { "it has" } else { "each has" };
            format!("did you mean {}? ({has} `clusters/`)", names.join(" or "))
        }
    };
    Diagnostic::new_at(CODE, site, message).help(help)
}
