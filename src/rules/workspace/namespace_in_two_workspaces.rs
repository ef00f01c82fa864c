//! **VDC301 namespace-in-two-workspaces** (error): A namespace is claimed by two workspaces.
//!
//! ## What it does
//!
//! A (cluster, namespace) pair taken in by the `workloadClusters` of two Workspaces.
//!
//! ## Why is this bad?
//!
//! A namespace belongs to exactly one workspace: which one decides who owns its
//! VirtualDestinations, which policies apply to them, and what they may import and export. With two
//! claims the answer would depend on the order the workspaces are read in.
//!
//! ## Example
//!
//! `gloo/workspaces.yaml`:
//!
//! ```yaml
//! kind: Workspace
//! metadata:
//!   name: bookinfo
//! spec:
//!   workloadClusters:
//!   - name: '*'
//!     namespaces:
//!     - name: bookinfo-frontends
//! ---
//! kind: Workspace
//! metadata:
//!   name: frontends
//! spec:
//!   workloadClusters:
//!   - name: cluster1
//!     namespaces:
//!     - name: bookinfo-*          # also matches bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Narrow one workspace's selectors so that only one matches, for example
//! `- name: bookinfo-backends` instead of `bookinfo-*`.
//!
//! Fixture: `testdata/check/namespace-in-two-workspaces/`. Long form: `docs/diagnostics.md#vdc301`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NamespaceInTwoWorkspaces;

/// `namespace` of `clusters_phrase` is claimed by workspace `first` (through `first_field`)
/// and by `second`, through the selector at `field`.
pub fn diagnostic(
    site: Site,
    namespace: &str,
    clusters_phrase: &str,
    first: &str,
    first_field: &str,
    second: &str,
    field: &str,
) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "namespace `{namespace}` of {clusters_phrase} is claimed by workspaces `{first}` and `{second}`; it may belong to one only"
        ),
    )
    .field(field)
    .help(format!(
        "keep `{namespace}` in one workspace: remove or narrow this selector, or `{first_field}` of workspace `{first}`"
    ))
}
