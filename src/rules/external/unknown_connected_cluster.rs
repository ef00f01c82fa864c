//! **VDC803 unknown-connected-cluster** (error): An ExternalWorkload is connected to a cluster with no folder.
//!
//! ## What it does
//!
//! An ExternalWorkload whose `spec.connectedClusters` names a cluster that has no folder under
//! `clusters/`.
//!
//! ## Why is this bad?
//!
//! vdc writes the workload's WorkloadGroup into each connected cluster and backs the
//! VirtualDestination there; a cluster it knows nothing about can get neither, and the VM would
//! not be able to register where its owner expects.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/vm.yaml`:
//!
//! ```yaml
//! spec:
//!   connectedClusters:
//!     cluster9: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Add the cluster's state dump under `clusters/<cluster>/`, or correct the cluster name.
//!
//! Fixture: `testdata/check/unknown-connected-cluster/`. Long form: `docs/diagnostics.md#vdc803`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnknownConnectedCluster;

/// ExternalWorkload `workload` is connected to `cluster`, which has no folder.
pub fn diagnostic(site: Site, workload: &str, cluster: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "ExternalWorkload `{workload}` is connected to cluster `{cluster}`, which has no folder `clusters/{cluster}/`; vdc cannot register it there"
    ))
    .field(format!("spec.connectedClusters.{cluster}"))
    .help("add the cluster's state dump under that folder, or fix the cluster name")
}
