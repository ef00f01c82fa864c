//! **VDC706 unknown-virtual-gateway** (error): A RouteTable attaches to a VirtualGateway that does not exist.
//!
//! ## What it does
//!
//! A RouteTable whose `virtualGateways` names a VirtualGateway the input does not define (the
//! namespace defaults to the RouteTable's). It is reported whether or not the RouteTable's routes
//! resolve: a missing destination (VDC701) in the same RouteTable does not hide it.
//!
//! ## Why is this bad?
//!
//! The RouteTable would attach to nothing and serve no traffic.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! spec:
//!   virtualGateways:
//!   - name: north-south-gw            # no such VirtualGateway in the input
//!     namespace: istio-gateways
//! ```
//!
//! ## Fix
//!
//! Correct the reference's name, namespace and cluster, or add the VirtualGateway.
//!
//! Fixture: `testdata/check/unknown-virtual-gateway/`. Long form: `docs/diagnostics.md#vdc706`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnknownVirtualGateway;

/// RouteTable `rt_name` attaches to VirtualGateway `namespace/vg_name`, which is not defined.
pub fn diagnostic(site: Site, rt_name: &str, namespace: &str, vg_name: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "RouteTable `{rt_name}` attaches to VirtualGateway {namespace}/{vg_name}, which the input does not define"
    ))
    .field("spec.virtualGateways")
    .help("check the reference's name, namespace and cluster")
}
