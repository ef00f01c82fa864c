//! **VDC503 mixed-locality** (warning): A cluster's nodes are in several regions.
//!
//! ## What it does
//!
//! A cluster whose Nodes are in more than one region (or partly unlabelled), when vdc needs one
//! locality for its east-west gateway's endpoints and the dump does not show the node the
//! gateway's pods run on. vdc uses the most common locality. Nodes of one region spread over
//! several zones are not this warning but info [VDC508](#vdc508): vdc then uses the region.
//!
//! ## Why is this bad?
//!
//! If the gateway pods actually run in another locality, failover and locality-aware load
//! balancing prefer the wrong endpoints.
//!
//! ## Example
//!
//! `clusters/cluster2/state.json`:
//!
//! ```text
//! cluster2-worker   topology.kubernetes.io/region: us-east-1
//! cluster2-worker2  topology.kubernetes.io/region: us-east-1
//! cluster2-worker3  topology.kubernetes.io/region: us-east-2
//! ```
//!
//! ## Fix
//!
//! Nothing, if the gateway runs in the most common locality. Otherwise include the gateway's
//! Pods (with `spec.nodeName`) in the dump: vdc then uses the locality of the node they run on.
//!
//! Fixture: `testdata/check/mixed-locality/`. Long form: `docs/diagnostics.md#vdc503`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::MixedLocality;

/// The nodes of `cluster` are in `count` localities; vdc uses `chosen`.
pub fn diagnostic(cluster: &str, count: usize, chosen: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        Site::default(),
        format!(
            "the nodes of cluster `{cluster}` are in {count} different localities; vdc uses the most common, {chosen}"
        ),
    )
    .help("nothing to do if the east-west gateway runs there; otherwise include the gateway's Pods (with `spec.nodeName`) in the dump, and vdc uses their node's locality")
}
