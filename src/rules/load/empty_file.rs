//! **VDC108 empty-file** (warning): An input file, or a cluster folder, holds no document.
//!
//! ## What it does
//!
//! An input file with no document in it: empty, only comments, or only `---`. And a cluster
//! folder `clusters/<cluster>/` with no input file in it at all: the cluster takes part (its folder
//! exists) but has no state. That warning points at the folder, without a line.
//!
//! ## Why is this bad?
//!
//! An empty manifest is usually a mistake: a dump command that failed (`kubectl get … > file`
//! writes nothing on error), a bad merge, a file whose content was never written. The objects you
//! expect from it are not there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/reviews.yaml`:
//!
//! ```yaml
//! # TODO: the reviews VirtualDestination
//! ```
//!
//! ## Fix
//!
//! Add the objects the file was meant to hold, or delete it.
//!
//! Fixture: `testdata/check/empty-file/`. Long form: `docs/diagnostics.md#vdc108`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::EmptyFile;

/// What holds nothing.
pub enum Case<'a> {
    /// A file with no document.
    File,
    /// The folder of `cluster` with no input file.
    ClusterFolder { cluster: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::File => Diagnostic::new_at(CODE, site, "this file holds no document")
            .help("delete the file, or add the objects it was meant to hold"),
        Case::ClusterFolder { cluster } => {
            let folder = format!("clusters/{cluster}");
            Diagnostic::new_at(
                CODE,
                site,
                format!("{folder}/ holds no input file, so cluster `{cluster}` has no state"),
            )
            .help("add the cluster's state dump (`kubectl get … -o yaml`), or delete the folder")
        }
    }
}
