//! **VDC741 egress-gateway** (error): An ExternalService port routes through an egress gateway, or a VirtualGateway listener exposes ExternalServices: egress gateways, whose routes vdc cannot write as Gloo does.
//!
//! ## What it does
//!
//! An ExternalService port with `egressGatewayRoutes`, and a VirtualGateway listener with
//! `exposedExternalServices` (an egress listener), as the workshops' egress gateway lab writes
//! them.
//!
//! ## Why is this bad?
//!
//! Gloo sends the mesh's traffic to such an ExternalService through the egress gateway: it writes
//! a Gateway server for the exposed hosts and VirtualServices that send each sidecar's requests to
//! the gateway and the gateway's out to the external host. Their exact contents (the mesh and
//! gateway routes, the DestinationRule subsets, the hosts of the gateway's server) are not public,
//! so vdc cannot write them. Rendering without them sends the traffic from each client's sidecar
//! straight out, past the egress gateway and the controls it exists for, or into a NetworkPolicy
//! that lets only the egress gateway out; and the listener would become a Gateway server admitting
//! any host that no route uses.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/egress.yaml`:
//!
//! ```yaml
//! kind: ExternalService
//! spec:
//!   hosts:
//!   - httpbin.org
//!   ports:
//!   - egressGatewayRoutes:
//!       portMatch: 80
//!       virtualGatewayRefs:
//!       - name: egress-gw
//! ```
//!
//! ## Fix
//!
//! vdc renders only what it can render as Gloo does. Render a copy of the config without
//! `egressGatewayRoutes` and without the egress listener, and route the traffic through the egress
//! gateway with Istio objects of your own (a Gateway, VirtualServices and a DestinationRule, as in
//! Istio's egress gateway task), applied next to vdc's output. An error cannot be ignored, in
//! `vdc.yaml` or with `--ignore`.
//!
//! Fixture: `testdata/check/egress-gateway/`. Long form: `docs/diagnostics.md#vdc741`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::EgressGateway;

const HELP: &str = "render a copy of the config without `egressGatewayRoutes` and the egress listener, and send this traffic through the egress gateway with Istio objects of your own (a Gateway, VirtualServices and a DestinationRule, as in Istio's egress gateway task); an error cannot be ignored in vdc.yaml";

/// ExternalService port `number` sets `egressGatewayRoutes`, whose path is `field`.
pub fn external_service_port(site: Site, field: String, number: u32) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "port {number} routes through an egress gateway (`egressGatewayRoutes`), which vdc does not translate: without the routes Gloo writes, the mesh's traffic to this ExternalService would leave from each client's sidecar directly, past the egress gateway and its controls"
        ),
    )
    .field(field)
    .help(HELP)
}

/// A VirtualGateway listener sets `exposedExternalServices`, whose path is `field`.
pub fn listener(site: Site, field: String) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "the listener exposes ExternalServices (`exposedExternalServices`): it is an egress gateway listener, which vdc does not translate; it would become a Gateway server admitting any host that no route uses, not the egress server and routes Gloo writes",
    )
    .field(field)
    .help(HELP)
}
