//! **VDC508 multi-zone-cluster** (info): A cluster's nodes span zones of one region; its endpoints get the region's locality.
//!
//! ## What it does
//!
//! A cluster whose Nodes all carry one region but several zones (or one zone and several
//! subzones), when the dump does not show the node the east-west gateway's pods run on. This is
//! every multi-AZ cluster.
//!
//! ## Why is this bad?
//!
//! vdc needs one locality for the endpoints other clusters reach this cluster through. It writes
//! what all the nodes agree on, the region (`us-east-1`), rather than guessing a zone: Istio's
//! region failover needs no more, and a wrong zone would steer zone-weighted `distribute`
//! traffic to the wrong place.
//!
//! ## Example
//!
//! `clusters/cluster2/state.json`:
//!
//! ```text
//! cluster2-worker   topology.kubernetes.io/region: us-east-1  topology.kubernetes.io/zone: us-east-1a
//! cluster2-worker2  topology.kubernetes.io/region: us-east-1  topology.kubernetes.io/zone: us-east-1b
//! cluster2-worker3  topology.kubernetes.io/region: us-east-1  topology.kubernetes.io/zone: us-east-1c
//! ```
//!
//! ## Fix
//!
//! Nothing to do. To give the endpoints the gateway's zone, include the gateway's Pods (with
//! `spec.nodeName`) in the dump: vdc then uses the locality of the node they run on.
//! Rename one of the two sources so that their generated names differ: here, one of the hosts.
//!
//! Fixture: `testdata/check/multi-zone-cluster/`. Long form: `docs/diagnostics.md#vdc508`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::MultiZoneCluster;

/// The nodes of `cluster` are in `spread` (such as "3 zones") of `region`; its endpoints get
/// `locality`.
pub fn diagnostic(cluster: &str, spread: &str, region: &str, locality: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        Site::default(),
        format!(
            "the nodes of cluster `{cluster}` are in {spread} of region `{region}`; without the east-west gateway's Pods in the dump, vdc gives its endpoints the locality {locality}"
        ),
    )
    .help("nothing to do: region-level locality is all Istio's failover needs; to route by zone, include the gateway's Pods (with `spec.nodeName`) in the dump")
}
