//! **VDC306 config-not-read** (info): A Gloo object is not read: its workspace sets `configEnabled: false` where it is applied.
//!
//! ## What it does
//!
//! A Gloo object (VirtualDestination, RouteTable, VirtualGateway, policy, WorkspaceSettings,
//! ExternalService, ExternalEndpoint, ExternalWorkload) applied in a cluster, or a namespace, that
//! its Workspace's `workloadClusters[]` entry (or the `namespaces[]` entry below it) marks
//! `configEnabled: false`. Gloo reads no configuration from there (`common/v2/selectors.proto`), so
//! vdc leaves the object out: it is neither translated nor checked. An absent `configEnabled`
//! reads as `true`.
//!
//! ## Why is this bad?
//!
//! Nothing is wrong, but the object has no effect: a change to it changes no output. Said once per
//! object so nobody edits it believing otherwise.
//!
//! ## Example
//!
//! `gloo/workspaces.yaml`:
//!
//! ```yaml
//! spec:
//!   workloadClusters:
//!   - name: cluster1
//!     configEnabled: true
//!     namespaces:
//!     - name: bookinfo-frontends
//!   - name: cluster2
//!     configEnabled: false      # Gloo reads no config from cluster2
//!     namespaces:
//!     - name: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Nothing, if that is what you meant. To have the object read, apply it where its workspace reads
//! configuration, or set `configEnabled: true` on the entry.
//!
//! Fixture: `testdata/check/config-not-read/`. Long form: `docs/diagnostics.md#vdc306`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::ConfigNotRead;

/// The object `meta` is left out: `workspace`'s `configEnabled: false` at `field` (such as
/// `spec.workloadClusters[1].configEnabled`) turns config reading off where it is applied.
pub fn diagnostic(site: Site, meta: &Meta, workspace: &str, field: &str) -> Diagnostic {
    let (kind, namespace, name, cluster) = (&meta.kind, &meta.namespace, &meta.name, &meta.cluster);
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{kind} {namespace}/{name} in cluster `{cluster}` is not read: workspace `{workspace}` sets `{field}: false`, so Gloo reads no configuration from there"
        ),
    )
    .help(format!(
        "apply it where the workspace reads configuration, or set `{field}: true` in workspace `{workspace}`"
    ))
}
