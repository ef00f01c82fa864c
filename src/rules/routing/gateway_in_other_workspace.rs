//! **VDC726 gateway-in-other-workspace** (warning): A VirtualGateway's workloads selector matches a gateway Service of another workspace, which Gloo does not program.
//!
//! ## What it does
//!
//! A VirtualGateway whose `workloads` selector matches a gateway Service in a namespace of
//! another workspace than the VirtualGateway's own, or of no workspace. virtual_gateway.proto: `workloads` selects
//! "the gateway workloads that implement this VirtualGateway in the same workspace".
//!
//! ## Why is this bad?
//!
//! Gloo programs only the gateways of the VirtualGateway's workspace: the other workspace's
//! gateway gets no Gateway and no VirtualService from it, and vdc writes none either. Without this
//! warning the VirtualGateway would silently serve nothing there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/gateway.yaml` holds the VirtualGateway `north-south-gw` in namespace
//! `bookinfo-frontends` (workspace `bookinfo`), selecting `istio: ingressgateway`, whose Service
//! is in `istio-gateways` (workspace `gateways`).
//!
//! `vdc check testdata/check/gateway-in-other-workspace` prints:
//!
//! ```text
//! warning[VDC726]: VirtualGateway `north-south-gw` of workspace `bookinfo` selects gateway Service istio-gateways/istio-ingressgateway in cluster `cluster1`, of workspace `gateways`: Gloo programs only the gateways of the VirtualGateway's own workspace, so vdc writes no Gateway or VirtualService there
//!   --> testdata/check/gateway-in-other-workspace/clusters/cluster1/gloo/gateway.yaml:13:7
//!    |
//! 13 |       labels:
//!    |       ^^^^^^
//!    = object: VirtualGateway bookinfo-frontends/north-south-gw in cluster cluster1
//!    = field: spec.workloads
//!    = help: move the VirtualGateway into a namespace of workspace `gateways`, or put the gateway's namespace in workspace `bookinfo`
//!    = see: vdc rule VDC726
//! ```
//!
//! ## Fix
//!
//! Move the VirtualGateway into a namespace of the gateway's workspace (and export the
//! RouteTables to it, or import them there), or put the gateway's namespace in the
//! VirtualGateway's workspace.
//!
//! Fixture: `testdata/check/gateway-in-other-workspace/`. Long form: `docs/diagnostics.md#vdc726`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::GatewayInOtherWorkspace;

/// A gateway Service of another workspace that a VirtualGateway's selectors match.
pub struct Other<'a> {
    /// The VirtualGateway's name.
    pub gateway: &'a str,
    /// The VirtualGateway's workspace.
    pub own: &'a str,
    /// `namespace/name` of the gateway Service.
    pub service: &'a str,
    /// The Service's workspace; `None` when no workspace holds its namespace.
    pub workspace: Option<&'a str>,
    /// The clusters where the Service is.
    pub clusters: &'a [&'a str],
}

pub fn diagnostic(site: Site, o: &Other) -> Diagnostic {
    let (gateway, own, service) = (o.gateway, o.own, o.service);
    let clusters = super::listener_port_not_on_gateway::in_clusters(o.clusters);
    let (of, help) = match o.workspace {
        Some(ws) => (
            format!("of workspace `{ws}`"),
            format!(
                "move the VirtualGateway into a namespace of workspace `{ws}`, or put the gateway's namespace in workspace `{own}`"
            ),
        ),
        None => (
            "in a namespace no workspace holds".to_owned(),
            format!("put the gateway's namespace in workspace `{own}`"),
        ),
    };
    Diagnostic::new_at(CODE, site, format!(
        "VirtualGateway `{gateway}` of workspace `{own}` selects gateway Service {service} {clusters}, {of}: Gloo programs only the gateways of the VirtualGateway's own workspace, so vdc writes no Gateway or VirtualService there"
    ))
    .field("spec.workloads")
    .help(help)
}
