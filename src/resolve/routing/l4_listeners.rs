//! Which routes of a VirtualService Istio applies where: on a gateway, by the server
//! (`carries`): `http` routes on its HTTP and HTTPS servers only, `tls` routes on its TLS
//! passthrough servers only (matched by SNI), and `tcp` routes on its TCP and TLS-terminating
//! servers only; at a sidecar, by the protocol of the service port (`port_carries`).

use crate::diagnostic::Diagnostics;
use crate::model::routing_types::*;
use crate::model::types::PortRef;
use crate::rules::routing::tcp_tls_route_unroutable::{self, Problem};
use std::collections::BTreeSet;

/// Whether Istio applies routes of `layer` on the server of `listener`
/// (pilot/pkg/networking/core/gateway.go, `buildGatewayTCPBasedFilterChains`,
/// `createGatewayTCPFilterChainOpts`): a `PASSTHROUGH` server, TLS or HTTPS, routes by its tls
/// routes only (an HTTPS one is not `IsHTTPSServerWithTLSTermination`, so it gets no HTTP
/// connection manager and never reads http routes); an `AUTO_PASSTHROUGH` one by SNI to the
/// clusters (`builtAutoPassthroughFilterChains`), reading no VirtualService.
pub(crate) fn carries(listener: &Listener, layer: RouteLayer) -> bool {
    let mode = listener.tls.as_ref().map(|t| t.mode.as_str());
    let passthrough = matches!(mode, Some("PASSTHROUGH" | "AUTO_PASSTHROUGH"));
    match layer {
        RouteLayer::Tls => {
            matches!(listener.protocol, "TLS" | "HTTPS") && mode == Some("PASSTHROUGH")
        }
        RouteLayer::Tcp => matches!(listener.protocol, "TCP" | "TLS") && !passthrough,
        RouteLayer::Http => {
            listener.protocol == "HTTP" || (listener.protocol == "HTTPS" && !passthrough)
        }
    }
}

/// Whether a sidecar applies a VirtualService's routes of `layer` to the service port of
/// `protocol`, as Istio's outbound listener builder does (pilot/pkg/networking/core/
/// listener.go, `buildSidecarOutboundListener` by `ModelProtocolToListenerProtocol`; tls.go,
/// `buildSidecarOutboundTLSFilterChainOpts` and `buildSidecarOutboundTCPFilterChainOpts`): an
/// HTTP, HTTP2 or GRPC port gets an HTTP listener (http routes only); a TLS or HTTPS port tls
/// routes only; any other TCP port (TCP, MONGO) tcp routes only; a port of no known protocol
/// is sniffed, http routes for HTTP requests and tcp routes for the rest.
pub(crate) fn port_carries(protocol: &str, layer: RouteLayer) -> bool {
    let carried: &[RouteLayer] = match protocol {
        "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB" | "HTTP_PROXY" => &[RouteLayer::Http],
        "HTTPS" | "TLS" => &[RouteLayer::Tls],
        "TCP" | "MONGO" | "REDIS" | "MYSQL" => &[RouteLayer::Tcp],
        _ => &[RouteLayer::Http, RouteLayer::Tcp],
    };
    carried.contains(&layer)
}

/// The listeners of `vg` that admit one of a RouteTable's hosts (`admitted`, per listener).
pub(super) fn serving<'v>(
    vg: &'v VirtualGateway,
    admitted: &[BTreeSet<String>],
) -> Vec<&'v Listener> {
    (vg.listeners.iter().zip(admitted))
        .filter(|(_, hosts)| !hosts.is_empty())
        .map(|(listener, _)| listener)
        .collect()
}

/// VDC734 when `rt` has tcp (or tls) routes and no listener of `vg` that admits one of its
/// hosts carries them: Gloo's behaviour there is not public, and Istio would never use them.
pub(super) fn l4_on_no_listener(
    rt: &RouteTable,
    (index, reference): (usize, &ObjectReference),
    vg: &VirtualGateway,
    admitted: &[BTreeSet<String>],
    diags: &mut Diagnostics,
) {
    let serving = serving(vg, admitted);
    for (layer, routes) in [(RouteLayer::Tcp, &rt.tcp), (RouteLayer::Tls, &rt.tls)] {
        if routes.is_empty() || serving.is_empty() || serving.iter().any(|l| carries(l, layer)) {
            continue;
        }
        let site = rt.meta.site(reference.pos);
        let problem = Problem::NoListener {
            reference: index,
            gateway: &vg.meta.name,
        };
        diags.push(tcp_tls_route_unroutable::diagnostic(
            site,
            (layer, 0),
            problem,
        ));
    }
}

/// VDC734 for each tcp (tls) route of `rt` whose matchers all name ports, none of them the
/// port of a listener that admits the table's hosts and carries the route, on any
/// VirtualGateway the table attaches to (`serving`): Istio matches a gateway route's port
/// against its server's (gateway.go, `l4SingleMatch`, `isPortMatch`), so the route would never
/// be used. A listener named by port name is not judged; a table with no listener that carries
/// the routes at all is `l4_on_no_listener`'s; a table also bound to workloads may name the
/// port for its sidecars.
pub(super) fn l4_ports_on_no_listener(
    rt: &RouteTable,
    serving: &[&Listener],
    diags: &mut Diagnostics,
) {
    if !rt.sidecar_selectors().is_empty() {
        return;
    }
    for (layer, routes) in [(RouteLayer::Tcp, &rt.tcp), (RouteLayer::Tls, &rt.tls)] {
        let carrying: Option<Vec<u32>> = (serving.iter())
            .filter(|l| carries(l, layer))
            .map(|l| match l.port {
                PortRef::Number(n) => Some(n),
                PortRef::Name(_) => None,
            })
            .collect();
        let Some(ports) = carrying.filter(|p| !p.is_empty()) else {
            continue;
        };
        for (index, route) in routes.iter().enumerate() {
            let named: Option<Vec<u32>> = route.matchers.iter().map(|m| m.port).collect();
            let Some(named) = named.filter(|n| !n.is_empty()) else {
                continue;
            };
            if named.iter().any(|n| ports.contains(n)) {
                continue;
            }
            let site = rt.meta.site(route.pos);
            let problem = Problem::NoListenerPort {
                named: &named,
                listeners: &ports,
            };
            let d = tcp_tls_route_unroutable::diagnostic(site, (layer, index), problem);
            diags.push(d);
        }
    }
}
