//! **VDC303 object-in-no-workspace** (error): An object lives in a namespace that no workspace holds.
//!
//! ## What it does
//!
//! A VirtualDestination, RouteTable, FailoverPolicy, OutlierDetectionPolicy or WorkspaceSettings
//! in a namespace that no Workspace holds in its cluster.
//!
//! ## Why is this bad?
//!
//! Gloo ignores config outside every workspace: the object would apply to nothing, and vdc
//! generates nothing for it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! kind: VirtualDestination
//! metadata:
//!   name: productpage
//!   namespace: bookinfo-backends   # the Workspace only lists bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Add the namespace to a Workspace's `workloadClusters[].namespaces`, or move the object into
//! a namespace a Workspace holds.
//!
//! Fixture: `testdata/check/object-in-no-workspace/`. Long form: `docs/diagnostics.md#vdc303`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::NoWorkspace;

/// Which object no workspace holds.
pub enum Case<'a> {
    /// A VirtualDestination, by its metadata.
    VirtualDestination { meta: &'a Meta },
    /// A policy, which then applies to nothing.
    Policy { meta: &'a Meta },
    /// A WorkspaceSettings, which then applies to no workspace.
    WorkspaceSettings { meta: &'a Meta },
    /// An ExternalService, which then no workload can reach.
    ExternalService { meta: &'a Meta },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::VirtualDestination { meta } => Diagnostic::new_at(CODE, site, format!(
            "VirtualDestination `{}` is in namespace `{}` of cluster `{}`, which no workspace holds",
            meta.name, meta.namespace, meta.cluster
        ))
        .field("metadata.namespace")
        .help("add the namespace to a Workspace's `workloadClusters[].namespaces`"),
        Case::Policy { meta } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "{} `{}` is in namespace `{}` of cluster `{}`, which no workspace holds, so it applies to nothing",
                meta.kind, meta.name, meta.namespace, meta.cluster
            ),
        )
        .field("metadata.namespace")
        .help("add the namespace to a Workspace, or move the object into one"),
        Case::WorkspaceSettings { meta } => Diagnostic::new_at(
            CODE,
            site,
            format!("WorkspaceSettings `{}` is in namespace `{}` of cluster `{}`, which no workspace holds", meta.name, meta.namespace, meta.cluster),
        )
        .help("a WorkspaceSettings applies to the workspace that owns its namespace"),
        Case::ExternalService { meta } => Diagnostic::new_at(CODE, site, format!(
            "ExternalService `{}` is in namespace `{}` of cluster `{}`, which no workspace holds, so no workload can reach it",
            meta.name, meta.namespace, meta.cluster
        ))
        .field("metadata.namespace")
        .help("add the namespace to a Workspace, or move the ExternalService into one"),
    }
}
