//! **VDC735 tcp-tls-route-port-protocol** (error): A sidecar `tcp` or `tls` route only for VirtualDestination ports of a protocol whose traffic Istio routes by other routes, so it is never used.
//!
//! ## What it does
//!
//! A `tcp` or `tls` route of a RouteTable bound to workloads (`workloadSelectors`, a `mesh`
//! VirtualService) every one of whose hosts is a VirtualDestination host, when none of the ports
//! the route is for carries routes of its kind: the ports its matchers name (`matchers[].port`),
//! or, when a matcher names none, every port of each VirtualDestination. A `tcp` route is carried
//! only by a `TCP` or `MONGO` port; a `tls` route only by a `TLS` or `HTTPS` port. A table with a
//! host that is not a VirtualDestination's (a Kubernetes Service, an ExternalService) is not
//! reported: Istio takes a Service port's protocol from `appProtocol` before its name, which vdc
//! does not read. Gateway-bound routes are [VDC734](#vdc734)'s: there the listener decides; a
//! table bound to workloads and attached to a VirtualGateway too is not reported, as the gateway's
//! listener may use the route.
//!
//! ## Why is this bad?
//!
//! A sidecar builds one outbound listener per service port, by the port's protocol
//! (pilot/pkg/networking/core/listener.go, `buildSidecarOutboundListener`): an `HTTP`, `HTTP2` or
//! `GRPC` port gets an HTTP listener, which uses a VirtualService's `http` routes only; on a `TLS`
//! or `HTTPS` port only its `tls` routes are read (tls.go, `buildSidecarOutboundTCPFilterChainOpts`
//! returns nothing for a TLS port), and on a `TCP` or `MONGO` port only its `tcp` routes
//! (`buildSidecarOutboundTLSFilterChainOpts` returns nothing for a port that is not TLS). vdc would
//! write the route, istiod would accept it, and no connection would ever take it: its weights and
//! subsets would not apply, and the traffic would keep its default route, straight to the host.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`, for a VirtualDestination `productpage` whose only port is
//! `{number: 9080, protocol: HTTP}` and one `postgres` whose only port is `{number: 5432,
//! protocol: TCP}`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   - postgres.global
//!   workloadSelectors:
//!   - selector:
//!       labels:
//!         app: reviews
//!   tcp:
//!   - matchers:
//!     - port: 9080
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!   tls:
//!   - matchers:
//!     - sniHosts:
//!       - postgres.global
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: postgres
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! Declare the VirtualDestination port with the protocol its traffic has (`protocol: TCP` for a
//! tcp route, `protocol: TLS` for a tls route); otherwise route the port with the routes its
//! protocol takes (`http` routes on an HTTP port), or remove the route.
//!
//! Fixture: `testdata/check/tcp-tls-route-port-protocol/`. Long form: `docs/diagnostics.md#vdc735`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TcpTlsRoutePortProtocol;

use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{HttpRoute, RouteLayer, RouteTable};
use crate::model::types::{VdPort, VirtualDestination};
use crate::resolve::routing::l4_listeners::port_carries;

/// Route `index` of the table's `layer` list is only for the ports `found` (each host with
/// its VirtualDestination and the ports of it the route is for), none of which carries it.
pub fn diagnostic(
    site: Site,
    (layer, index): (RouteLayer, usize),
    found: &[(&str, &VirtualDestination, Vec<&VdPort>)],
) -> Diagnostic {
    let section = layer.section();
    let list: Vec<String> = (found.iter())
        .map(|(host, vd, ports)| {
            let ports: Vec<String> = (ports.iter())
                .map(|p| format!("{} ({})", *p.number, p.protocol))
                .collect();
            let noun = if ports.len() == 1 { "port" } else { "ports" };
            let (ns, name) = (&vd.meta.namespace, &vd.meta.name);
            format!(
                "{host} on {noun} {} of VirtualDestination {ns}/{name}",
                ports.join(", ")
            )
        })
        .collect();
    let (carrying, help) = match layer {
        RouteLayer::Tls => (
            "tls routes only on TLS and HTTPS ports",
            "declare the port `protocol: TLS` on the VirtualDestination if its traffic is TLS; otherwise route it with the routes its protocol takes, or remove the route",
        ),
        _ => (
            "tcp routes only on TCP and MONGO ports (a TLS or HTTPS port takes tls routes, an HTTP, HTTP2 or GRPC port http routes)",
            "declare the port `protocol: TCP` on the VirtualDestination if its traffic is plain TCP; otherwise route it with the routes its protocol takes, or remove the route",
        ),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{section} route `spec.{section}[{index}]` is only for {}, and a sidecar applies {carrying}: Istio never uses this route, and the connections keep their default route",
            match &list[..] {
                [rest @ .., last] if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => list.join(""),
            }
        ),
    )
    .field(format!("spec.{section}[{index}]"))
    .help(help)
}

/// What a sidecar does with a route of a table whose hosts are these VirtualDestinations'.
pub type Found<'w> = Vec<(&'w str, &'w VirtualDestination, Vec<&'w VdPort>)>;

/// Reports each tcp and tls route of a RouteTable bound to workloads (a `mesh` VirtualService)
/// whose hosts are all VirtualDestination hosts and none of whose ports (those its matchers
/// name, else all of each VirtualDestination's) carries routes of its kind. Gateway-bound
/// routes are left to VDC734: the gateway's listener decides there, and a table attached to
/// a VirtualGateway as well may have the route used there.
pub fn check(world: &World, diags: &mut Diagnostics) {
    let sidecars_only =
        |rt: &&RouteTable| !rt.sidecar_selectors().is_empty() && rt.virtual_gateways.is_empty();
    for rt in world.route_tables.iter().filter(sidecars_only) {
        for (layer, routes) in [(RouteLayer::Tcp, &rt.tcp), (RouteLayer::Tls, &rt.tls)] {
            for (index, route) in routes.iter().enumerate() {
                let hosts = rt.hosts.iter().map(|h| h.value.as_str());
                if let Some(found) = never_used(world, hosts, route, layer) {
                    let site = rt.meta.site(route.pos);
                    diags.push(diagnostic(site, (layer, index), &found));
                }
            }
        }
    }
}

/// For a sidecar route of `layer` (http routes too, for VDC719) in a table with `hosts`: each host with its VirtualDestination and
/// the ports of it the route is for, when every host is a VirtualDestination's, no such port
/// carries the route, and there is such a port. `None` when vdc cannot tell (a host of no
/// VirtualDestination) or a port carries it.
pub fn never_used<'w>(
    world: &'w World,
    hosts: impl Iterator<Item = &'w str>,
    route: &HttpRoute,
    layer: RouteLayer,
) -> Option<Found<'w>> {
    let mut found = Vec::new();
    for host in hosts {
        let vd = (world.virtual_destinations.iter())
            .find(|vd| vd.hosts.iter().any(|h| h.value == host))?;
        let ports = uncarried(route, vd, layer)?;
        // A port the route names and the VirtualDestination lacks has no listener to use it.
        if !ports.is_empty() {
            found.push((host, vd, ports));
        }
    }
    (!found.is_empty()).then_some(found)
}

/// The ports of `vd` that `route` is for (those its matchers name, or all of them when a
/// matcher names none), when none carries routes of `layer`.
fn uncarried<'v>(
    route: &HttpRoute,
    vd: &'v VirtualDestination,
    layer: RouteLayer,
) -> Option<Vec<&'v VdPort>> {
    let named: Option<Vec<u32>> = route.matchers.iter().map(|m| m.port).collect();
    let ports: Vec<&VdPort> = match named.filter(|n| !n.is_empty()) {
        None => vd.ports.iter().collect(),
        Some(numbers) => (vd.ports.iter())
            .filter(|p| numbers.contains(&*p.number))
            .collect(),
    };
    let carried = ports.iter().any(|p| port_carries(&p.protocol, layer));
    (!carried).then_some(ports)
}
