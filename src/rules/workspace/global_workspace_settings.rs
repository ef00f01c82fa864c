//! **VDC307 global-workspace-settings** (error): The global WorkspaceSettings imports or exports, which vdc does not apply.
//!
//! ## What it does
//!
//! A WorkspaceSettings named `global` in Gloo's admin namespace, `gloo-mesh` (the namespace Gloo
//! installs into; vdc does not read another), with `importFrom` or `exportTo`. Gloo applies such a WorkspaceSettings to
//! every workspace, over each workspace's own (`admin/v2/workspace_settings.proto`). vdc applies
//! its `options` that way: its `eastWestGateways` and `virtualDestClientMode` take the place of
//! every workspace's. How Gloo combines a global import or export with each workspace's own lists
//! is not documented, so vdc does not guess.
//!
//! ## Why is this bad?
//!
//! Imports and exports decide which objects each workspace sees. Rendering without them would give
//! some workspaces routes and hosts that Gloo gives them differently.
//!
//! ## Example
//!
//! `gloo/global-settings.yaml`:
//!
//! ```yaml
//! kind: WorkspaceSettings
//! metadata:
//!   name: global
//!   namespace: gloo-mesh
//! spec:
//!   exportTo:
//!   - workspaces:
//!     - name: '*'
//! ```
//!
//! ## Fix
//!
//! Move the imports and exports into the WorkspaceSettings of each workspace they are for; keep
//! `options` in the global one if every workspace should share them.
//!
//! Fixture: `testdata/check/global-workspace-settings/`. Long form: `docs/diagnostics.md#vdc307`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::GlobalWorkspaceSettings;

/// The global WorkspaceSettings `meta` lists `field` (`importFrom` or `exportTo`).
pub fn diagnostic(site: Site, meta: &Meta, field: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "WorkspaceSettings `{}` in `{}` applies to every workspace, and vdc does not apply its `spec.{field}`: how Gloo joins a global {field} with each workspace's own is not documented",
            meta.name, meta.namespace
        ),
    )
    .field(format!("spec.{field}"))
    .help(format!(
        "move `spec.{field}` into the WorkspaceSettings of each workspace it is for; its `options` stay global"
    ))
}
