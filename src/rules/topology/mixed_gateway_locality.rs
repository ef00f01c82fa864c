//! **VDC512 mixed-gateway-locality** (warning): An east-west gateway's pods run in several localities; its endpoints get the most common.
//!
//! ## What it does
//!
//! An east-west gateway Service whose pods in the dump (with `spec.nodeName`) run on Nodes of
//! different localities (region, zone, subzone): typically a gateway Deployment with several
//! replicas spread over the zones of a multi-AZ cluster.
//!
//! ## Why is this bad?
//!
//! vdc writes one locality for the endpoints other clusters reach the gateway's cluster through, and
//! Istio's locality failover and `distribute` weights steer traffic by it. vdc writes the most
//! common locality among the gateway's pods (ties: the lowest), never the one of whichever pod the
//! dump lists first; traffic the gateway's other pods receive is still counted as being there.
//!
//! ## Example
//!
//! `clusters/cluster2/state.json` has three pods of `istio-eastwestgateway`, one on a Node in
//! `us-east-1a` and two on a Node in `us-east-1b`.
//!
//! `vdc check testdata/check/mixed-gateway-locality` prints:
//!
//! ```text
//! warning[VDC512]: the pods of east-west gateway Service istio-gateways/istio-eastwestgateway in cluster `cluster2` run in 2 localities: `us-east-1/us-east-1a` (1 pod), `us-east-1/us-east-1b` (2 pods); vdc gives the gateway's endpoints the most common, `us-east-1/us-east-1b`
//!    --> testdata/check/mixed-gateway-locality/clusters/cluster2/state.json:113:5
//!     |
//! 113 |     {
//!     |     ^
//!     = object: Service istio-gateways/istio-eastwestgateway in cluster cluster2
//!     = help: nothing to do if most of the gateway's traffic enters there; to give other clusters' failover one locality, run the gateway's pods in one zone (a node affinity), or give each zone its own east-west gateway Service
//!     = see: vdc rule VDC512
//! ```
//!
//! ## Fix
//!
//! Nothing, if most of the gateway's traffic enters in the most common locality. To give other
//! clusters one locality to fail over to, run the gateway's pods in one zone (a node affinity), or
//! give each zone its own east-west gateway Service.
//!
//! Fixture: `testdata/check/mixed-gateway-locality/`. Long form: `docs/diagnostics.md#vdc512`.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::types::Service;

pub const CODE: Code = Code::MixedGatewayLocality;

/// The pods of east-west gateway `svc` run in the localities `counts` (locality, pods); vdc
/// uses `chosen`.
pub fn diagnostic(svc: &Service, counts: &[(String, usize)], chosen: &str) -> Diagnostic {
    let shown: Vec<String> = counts
        .iter()
        .map(|(l, n)| format!("`{l}` ({n} pod{})", if *n == 1 { "" } else { "s" }))
        .collect();
    Diagnostic::new(
        CODE,
        format!(
            "the pods of east-west gateway Service {}/{} in cluster `{}` run in {} localities: {}; vdc gives the gateway's endpoints the most common, `{chosen}`",
            svc.meta.namespace,
            svc.meta.name,
            svc.meta.cluster,
            counts.len(),
            shown.join(", "),
        ),
    )
    .at(&svc.meta.file, svc.meta.pos)
    .object(svc.meta.object_ref())
    .help("nothing to do if most of the gateway's traffic enters there; to give other clusters' failover one locality, run the gateway's pods in one zone (a node affinity), or give each zone its own east-west gateway Service")
}
