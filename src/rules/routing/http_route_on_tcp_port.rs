//! **VDC719 http-route-on-tcp-port** (warning): An http route for a host whose port Istio routes as TCP, which it never applies.
//!
//! ## What it does
//!
//! An `http` route of a RouteTable bound to workloads (`workloadSelectors`, a `mesh`
//! VirtualService) whose host is a VirtualDestination host, when the port the route is for is not
//! an HTTP port: every port the route's matchers name (`matchers[].port`), or, when a matcher names
//! none, every port of the VirtualDestination, is declared TCP, TLS, HTTPS or MONGO. vdc reports it
//! only when it can tell for certain: hosts that are not a VirtualDestination's, and routes that
//! could also take requests to an HTTP port, are not reported. A Kubernetes Service host is not
//! reported either: Istio takes its port's protocol from `appProtocol` before the port's name, and
//! vdc does not read `appProtocol`. On a VirtualGateway the listener, not the VirtualDestination
//! port, decides: a RouteTable attached to one is reported, on `spec.virtualGateways[i]`, when
//! every listener that admits its hosts is TCP, or TLS or HTTPS passthrough (`tls: {mode:
//! PASSTHROUGH}`, with or without `http`: Istio routes its connections by SNI host with `tls`
//! routes and never reads http routes there); a listener with neither `http` nor `tcp` is TCP in
//! Gloo.
//!
//! ## Why is this bad?
//!
//! A sidecar applies a VirtualService's `http` routes only on ports whose protocol is HTTP (HTTP,
//! HTTP2, GRPC); on a TCP port it uses `tcp` routes and otherwise sends the connection straight to
//! the host. vdc writes the route, `istiod` accepts it, and nothing of it happens: no weights, no
//! subsets, no redirect, no fault, no retries, and none of the route policies that select it.
//! `vdc trace` shows "no VirtualService: straight to the host".
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`, for a VirtualDestination whose only port is
//! `{number: 9080, protocol: TCP}`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   workloadSelectors:
//!   - selector:
//!       labels:
//!         app: productpage
//!   http:
//!   - name: productpage
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//! ```
//!
//! ## Fix
//!
//! Declare the port with the protocol its traffic has (`protocol: HTTP` on the VirtualDestination
//! port) when it carries HTTP; otherwise the route cannot do what it says on a TCP port: remove it,
//! or route the port with a TCP route (not translated by vdc yet).
//!
//! Fixture: `testdata/check/http-route-on-tcp-port/`. Long form: `docs/diagnostics.md#vdc719`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{Listener, RouteLayer};
use crate::model::types::{Meta, PortRef, VdPort};
use crate::rules::routing::tcp_tls_route_port_protocol::never_used;

pub const CODE: Code = Code::HttpRouteOnTcpPort;

/// Route `spec.http[index]` (`name`) of a RouteTable, for `host` of VirtualDestination `vd`,
/// is for `ports` only, none of which is an HTTP port.
pub fn diagnostic(
    site: Site,
    (index, name): (usize, &str),
    host: &str,
    vd: &Meta,
    ports: &[&VdPort],
) -> Diagnostic {
    let list: Vec<String> = (ports.iter())
        .map(|p| format!("{} ({})", *p.number, p.protocol))
        .collect();
    let noun = if ports.len() == 1 { "port" } else { "ports" };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "http route `{name}` is for {host} on {noun} {} of VirtualDestination {}/{}, and Istio applies http routes only on HTTP, HTTP2 and GRPC ports: sidecars never use this route, nor the policies on it",
            list.join(", "),
            vd.namespace,
            vd.name
        ),
    )
    .field(format!("spec.http[{index}]"))
    .help("declare the port `protocol: HTTP` on the VirtualDestination if its traffic is HTTP; otherwise remove the route")
}

/// The http routes of a RouteTable attached by `spec.virtualGateways[index]` to VirtualGateway
/// `gateway`, whose listeners that admit the table's hosts (`listeners`) are all TCP, or TLS or
/// HTTPS passthrough.
pub fn on_gateway(site: Site, index: usize, gateway: &str, listeners: &[&Listener]) -> Diagnostic {
    let passthrough =
        |l: &Listener| (l.tls.as_ref()).is_some_and(|t| t.mode.ends_with("PASSTHROUGH"));
    let list: Vec<String> = (listeners.iter())
        .map(|l| {
            let port = match &l.port {
                PortRef::Number(n) => n.to_string(),
                PortRef::Name(name) => name.clone(),
            };
            match l.tls.as_ref().filter(|_| passthrough(l)) {
                Some(tls) => format!("{port} ({} {})", l.protocol, tls.mode),
                None => format!("{port} ({})", l.protocol),
            }
        })
        .collect();
    let help = if listeners.iter().any(|l| passthrough(l)) {
        "a PASSTHROUGH listener forwards the connection still encrypted, routed by `tls` routes on its SNI host: terminate TLS on the listener (`tls: {mode: SIMPLE}` with a secret) if the gateway should route its HTTP requests, or route the host with a `tls` route"
    } else {
        "give the listener `http: {}` if its traffic is HTTP (a listener with neither `http` nor `tcp` is TCP in Gloo)"
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "the http routes of this RouteTable are attached to VirtualGateway `{gateway}`, whose listeners for its hosts are on {}, and Istio applies http routes only on a gateway's HTTP servers and HTTPS servers that terminate TLS: the gateway never uses them",
            list.join(", ")
        ),
    )
    .field(format!("spec.virtualGateways[{index}]"))
    .help(help)
}

/// Reports each http route of a RouteTable bound to workloads (a `mesh` VirtualService) whose
/// host is a VirtualDestination's and whose ports (those its matchers name, else all the
/// VirtualDestination's) are all ports Istio does not route as HTTP. Gateway-bound routes are
/// left alone: the gateway's listener, not the VirtualDestination port, decides there.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in (world.route_tables.iter()).filter(|rt| !rt.sidecar_selectors().is_empty()) {
        for (index, route) in rt.http.iter().enumerate() {
            // Only when no host of the table can take the route on an HTTP port.
            let hosts = rt.hosts.iter().map(|h| h.value.as_str());
            let Some(found) = never_used(world, hosts, route, RouteLayer::Http) else {
                continue;
            };
            let (host, vd, ports) = &found[0];
            let site = rt.meta.site(route.pos);
            let route_id = (index, route.name.as_str());
            diags.push(diagnostic(site, route_id, host, &vd.meta, ports));
        }
    }
}
