//! **VDC502 no-locality** (warning): A cluster's nodes carry no region label.
//!
//! ## What it does
//!
//! A cluster none of whose Nodes (in the dump) has a `topology.kubernetes.io/region` label, or
//! that has no Nodes at all, when vdc needs the cluster's locality for the endpoints of its
//! east-west gateway.
//!
//! ## Why is this bad?
//!
//! The other clusters' WorkloadEntries for this cluster then carry no locality, so Istio's
//! locality-aware load balancing and every FailoverPolicy mapping ignore it.
//!
//! ## Example
//!
//! `clusters/cluster2/state.json`:
//!
//! ```text
//! cluster2's dump has no Node objects
//! ```
//!
//! ## Fix
//!
//! Include the cluster's Nodes, with their topology labels, in its dump
//! (`kubectl get nodes -o yaml`).
//!
//! Fixture: `testdata/check/no-locality/`. Long form: `docs/diagnostics.md#vdc502`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NoLocality;

/// Cluster `cluster`, whose nodes carry no region label (the caller points it at its dump).
pub fn diagnostic(cluster: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        Site::default(),
        format!("cluster `{cluster}` has no node with a `topology.kubernetes.io/region` label, so its WorkloadEntries carry no locality and locality-aware routing cannot prefer it"),
    )
    .help("include the cluster's Nodes, with their topology labels, in its dump")
}
