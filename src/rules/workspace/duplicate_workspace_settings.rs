//! **VDC304 duplicate-workspace-settings** (error): A workspace has more than one WorkspaceSettings.
//!
//! ## What it does
//!
//! Two WorkspaceSettings in the namespaces of one workspace.
//!
//! ## Why is this bad?
//!
//! A workspace has one set of settings; with two, which imports, exports and east-west gateway
//! selectors apply would be ambiguous.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/settings.yaml`:
//!
//! ```yaml
//! kind: WorkspaceSettings
//! metadata:
//!   name: bookinfo
//!   namespace: bookinfo-frontends
//! ---
//! kind: WorkspaceSettings
//! metadata:
//!   name: bookinfo-settings
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Merge the two into one WorkspaceSettings.
//!
//! Fixture: `testdata/check/duplicate-workspace-settings/`. Long form: `docs/diagnostics.md#vdc304`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::DuplicateWorkspaceSettings;

/// Workspace `workspace` has the WorkspaceSettings `first` and `second`.
pub fn diagnostic(site: Site, workspace: &str, first: &str, second: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("workspace `{workspace}` has two WorkspaceSettings: `{first}` and `{second}`"),
    )
    .help("merge them into one")
}

/// A second global WorkspaceSettings (`gloo-mesh/global`), the first one found in cluster
/// `first_cluster`.
pub fn global(site: Site, first_cluster: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("a second global WorkspaceSettings `gloo-mesh/global`: the first is in cluster `{first_cluster}`, and Gloo reads one"),
    )
    .help("keep one global WorkspaceSettings, in the management cluster")
}
