//! **VDC106 invalid-cluster-name** (error): A cluster folder name is not a DNS label.
//!
//! ## What it does
//!
//! A folder `clusters/<name>/` whose name is not a DNS label: at most 63 lower-case letters,
//! digits and `-`, starting and ending with a letter or digit. The cluster state in the folder is
//! not read.
//!
//! ## Why is this bad?
//!
//! The cluster name becomes part of output paths, object names and labels
//! (`gloo.solo.io/parent_cluster`), and Workspace selectors match it; Gloo and Kubernetes accept
//! only DNS labels there. The diagnostic names the folder; it has no line.
//!
//! ## Example
//!
//! `clusters/Cluster_2/state.yaml`:
//!
//! ```text
//! clusters/
//!   cluster1/
//!   Cluster_2/        <- upper-case letter and `_`
//! ```
//!
//! ## Fix
//!
//! Rename the folder, here to `clusters/cluster2/`, and use the same name in any
//! KubernetesCluster and Workspace that refers to it.
//!
//! Fixture: `testdata/check/invalid-cluster-name/`. Long form: `docs/diagnostics.md#vdc106`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidClusterName;

/// The folder `clusters/<name>`.
pub fn diagnostic(name: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        Site::cluster(name),
        format!("the cluster folder `clusters/{name}` is not a valid cluster name"),
    )
    .help("a cluster name is a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit")
}
