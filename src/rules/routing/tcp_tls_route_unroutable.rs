//! **VDC734 tcp-tls-route-unroutable** (error): A `tcp` or `tls` route that Istio would refuse or never apply and Gloo's documentation gives no meaning: a TLS match without SNI hosts or outside the table's hosts, a gateway with no listener for it, a sidecar port its hosts lack, or a table only used through delegation.
//!
//! ## What it does
//!
//! - a `tls` route without `matchers`, or with a matcher without `sniHosts`;
//! - a `tls` matcher's SNI host that none of the table's `hosts` covers;
//! - `tcp` or `tls` routes in a RouteTable without `hosts`, `virtualGateways` or
//!   `workloadSelectors`: a table only ever used through delegation.
//! - `tcp` (`tls`) routes of a RouteTable attached to a VirtualGateway none of whose listeners for
//!   the table's hosts is a TCP listener, plain or terminating TLS (a `PASSTHROUGH` listener; an
//!   `AUTO_PASSTHROUGH` one carries neither);
//! - a `tcp` (`tls`) route of a table attached only to VirtualGateways whose matchers all name
//!   ports, none of them the port of a listener for the table's hosts that carries it (listeners
//!   named by port name are not judged).
//! - a `tcp` (`tls`) route of a table bound only to workloads (`workloadSelectors`), whose hosts
//!   are all VirtualDestination hosts, whose matchers all name ports, none of them a port of those
//!   VirtualDestinations ([VDC735](#vdc735) judges the ports they have).
//!
//! ## Why is this bad?
//!
//! A TLS route picks a connection by the SNI host of its TLS handshake. TLSRequestMatcher calls
//! `sniHosts` required ("Required: SNI ... The SNI value must be a subset of the corresponding
//! virtual service's hosts") and Gloo's documentation does not say what a matcher without one
//! matches, so vdc does not guess (the table's hosts, or every connection). istiod refuses a TLS
//! route without an SNI host in every match, and one whose SNI host is not one of the
//! VirtualService's hosts ("the SNI host is not a match for a VirtualService host"): the whole
//! VirtualService, with its http routes, would be refused. Delegation is an http action (`delegate`
//! exists on http routes only), so the tcp and tls routes of a delegated table would never be
//! written anywhere. Istio applies a Gateway's `tls` routes only on its `PASSTHROUGH` servers
//! (an `AUTO_PASSTHROUGH` server routes by SNI host to the clusters and reads no VirtualService)
//! and its `tcp` routes only on its TCP and TLS-terminating servers, and only when the route's
//! port is the server's (gateway.go, `isPortMatch`); on a VirtualGateway without such a listener
//! they would be written and never used, and what Gloo does with them there is not public. A
//! sidecar builds its outbound listeners from the ports of the services of its hosts, and applies a
//! route only where the route's port is the listener's (tls.go, `matchTCP`): a route for a port no
//! VirtualDestination of the table's hosts has is never used either.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   workloadSelectors:
//!   - selector:
//!       labels:
//!         app: productpage
//!   tls:
//!   - matchers:
//!     - port: 9080
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!   - matchers:
//!     - sniHosts:
//!       - reviews.global
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ---
//! apiVersion: networking.gloo.solo.io/v2
//! kind: RouteTable
//! metadata:
//!   name: productpage-tcp
//!   namespace: bookinfo-frontends
//! spec:
//!   tcp:
//!   - forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! List the SNI hosts the route serves in `sniHosts`, each one of `spec.hosts` or within a
//! wildcard host; give a table with tcp or tls routes `hosts` and attach it to its gateways or
//! workloads itself rather than through delegation; attach tcp routes to a VirtualGateway with a
//! `tcp` listener and tls routes to one with a `tls: {mode: PASSTHROUGH}` listener for the
//! table's hosts; match a port a sidecar route's VirtualDestinations have (or name no
//! port).
//!
//! Fixture: `testdata/check/tcp-tls-route-unroutable/`. Long form: `docs/diagnostics.md#vdc734`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TcpTlsRouteUnroutable;

use crate::model::routing_types::RouteLayer;

/// Why a `tcp` or `tls` route is refused.
#[derive(Debug, Clone, Copy)]
pub enum Problem<'a> {
    /// A tls route without matchers (`None`) or whose matcher `Some(i)` has no `sniHosts`.
    NoSniHosts { matcher: Option<usize> },
    /// A tls matcher's SNI host that none of the table's hosts covers.
    SniNotInHosts { matcher: usize, sni: &'a str },
    /// The routes of a table without hosts, gateways or workloads: used only through
    /// delegation, which carries http routes only.
    Delegated,
    /// `virtualGateways[reference]` names `gateway`, none of whose listeners for the table's
    /// hosts carries routes of this kind.
    NoListener { reference: usize, gateway: &'a str },
    /// A gateway route whose matchers name only the ports `named`, none of them the port of
    /// a listener (`listeners`) of the table's VirtualGateways that carries it.
    NoListenerPort {
        named: &'a [u32],
        listeners: &'a [u32],
    },
    /// A sidecar route whose matchers name only the ports `named`, none of them a port of
    /// the VirtualDestination of any of the table's hosts (`hosts`, each with its ports).
    NoHostPort {
        named: &'a [u32],
        hosts: &'a [(&'a str, Vec<u32>)],
    },
}

/// `port 5432` or `ports 5432, 5433`.
fn port_list(ports: &[u32]) -> String {
    let noun = if ports.len() == 1 { "port" } else { "ports" };
    let ports: Vec<String> = ports.iter().map(u32::to_string).collect();
    format!("{noun} {}", ports.join(", "))
}

/// Route `index` of the table's `layer` list is refused for `problem`.
pub fn diagnostic(
    site: crate::diagnostic::Site,
    (layer, index): (RouteLayer, usize),
    problem: Problem,
) -> crate::diagnostic::Diagnostic {
    let section = layer.section();
    let route = format!("spec.{section}[{index}]");
    let (field, message, help) = match problem {
        Problem::NoSniHosts { matcher: None } => (
            route.clone(),
            format!(
                "tls route `{route}` has no `matchers`: a tls route matches connections by SNI host, istiod refuses a tls route without one, and Gloo does not document what it matches without one"
            ),
            "add a matcher with the SNI hosts the route serves: `matchers: [{sniHosts: [<host>]}]`, each one of `spec.hosts`",
        ),
        Problem::NoSniHosts { matcher: Some(i) } => (
            format!("{route}.matchers[{i}].sniHosts"),
            format!(
                "`{route}.matchers[{i}]` has no `sniHosts`: TLSRequestMatcher calls them required, istiod refuses a tls match without one, and Gloo does not document what it matches without one (the table's hosts, or every connection), so vdc does not guess"
            ),
            "list the SNI hosts the route serves in `sniHosts`, each one of `spec.hosts`",
        ),
        Problem::SniNotInHosts { matcher, sni } => (
            format!("{route}.matchers[{matcher}].sniHosts"),
            format!(
                "SNI host `{sni}` of `{route}.matchers[{matcher}]` is not among the RouteTable's hosts: istiod refuses the whole VirtualService (\"the SNI host is not a match for a VirtualService host\"), and TLSRequestMatcher says the SNI value must be a subset of the hosts"
            ),
            "add the host to `spec.hosts`, or match only SNI hosts the table serves",
        ),
        Problem::Delegated => (
            format!("spec.{section}"),
            format!(
                "the `{section}` routes of a RouteTable without `hosts`, `virtualGateways` or `workloadSelectors` are never written: such a table is used only through delegation, and delegation carries http routes only (`delegate` is an http action)"
            ),
            "give the table `hosts` and attach it to its gateways (`virtualGateways`) or workloads (`workloadSelectors`) itself",
        ),
        Problem::NoListener { reference, gateway } => (
            format!("spec.virtualGateways[{reference}]"),
            format!(
                "the `{section}` routes of this RouteTable attach to VirtualGateway `{gateway}`, none of whose listeners for its hosts can carry them: Istio applies a gateway's tls routes only on `PASSTHROUGH` listeners (an `AUTO_PASSTHROUGH` one routes by SNI host without VirtualServices) and its tcp routes only on TCP listeners (plain or terminating TLS), and Gloo does not document what it does with them elsewhere"
            ),
            match section {
                "tls" => {
                    "attach the table to a VirtualGateway with a `tls: {mode: PASSTHROUGH}` listener for its hosts"
                }
                _ => "attach the table to a VirtualGateway with a `tcp` listener for its hosts",
            },
        ),
        Problem::NoListenerPort { named, listeners } => (
            format!("{route}.matchers"),
            format!(
                "`{route}` matches only {}, and the listeners of the table's VirtualGateways that carry {section} routes for its hosts are on {}: Istio matches a gateway route's port against its server's, so this route is never used",
                port_list(named),
                port_list(listeners)
            ),
            "match the port of the listener the connections arrive on (or name no port), or add a listener on this port",
        ),
        Problem::NoHostPort { named, hosts } => {
            let hosts: Vec<String> = (hosts.iter())
                .map(|(host, ports)| format!("{host} on {}", port_list(ports)))
                .collect();
            (
                format!("{route}.matchers"),
                format!(
                    "`{route}` matches only {}, and the VirtualDestinations of the table's hosts listen on no such port ({}): a sidecar applies a route only on the outbound listener of a port of its host and matches the route's port against that port, so this route is never used",
                    port_list(named),
                    hosts.join("; ")
                ),
                "match a port of the VirtualDestination the connections go to (or name no port), or add the port to the VirtualDestination",
            )
        }
    };
    crate::diagnostic::Diagnostic::new_at(CODE, site, message)
        .field(field)
        .help(help)
}

/// Reports each tcp and tls route of a RouteTable bound only to workloads (a `mesh`
/// VirtualService), whose hosts are all VirtualDestination hosts, when its matchers all name
/// ports and none is a port of those VirtualDestinations: a sidecar has no outbound listener
/// for the port on those hosts, so Istio never uses the route (VDC735's counterpart for a port
/// the VirtualDestination lacks; VDC734 above is the gateway's).
pub fn check(world: &crate::model::World, diags: &mut crate::diagnostic::Diagnostics) {
    let sidecars_only = |rt: &&crate::model::routing_types::RouteTable| {
        !rt.sidecar_selectors().is_empty() && rt.virtual_gateways.is_empty()
    };
    for rt in world.route_tables.iter().filter(sidecars_only) {
        let Some(hosts) = host_ports(world, rt) else {
            continue;
        };
        for (layer, routes) in [(RouteLayer::Tcp, &rt.tcp), (RouteLayer::Tls, &rt.tls)] {
            for (index, route) in routes.iter().enumerate() {
                let named: Option<Vec<u32>> = route.matchers.iter().map(|m| m.port).collect();
                let Some(named) = named.filter(|n| !n.is_empty()) else {
                    continue;
                };
                if (hosts.iter()).any(|(_, ports)| named.iter().any(|n| ports.contains(n))) {
                    continue;
                }
                let problem = Problem::NoHostPort {
                    named: &named,
                    hosts: &hosts,
                };
                let site = rt.meta.site(route.pos);
                diags.push(diagnostic(site, (layer, index), problem));
            }
        }
    }
}

/// Each host of `rt` with the ports of the VirtualDestinations that have it, or `None` when a
/// host is no VirtualDestination's (a Service or ExternalService port vdc does not judge).
fn host_ports<'w>(
    world: &'w crate::model::World,
    rt: &'w crate::model::routing_types::RouteTable,
) -> Option<Vec<(&'w str, Vec<u32>)>> {
    let mut out = Vec::new();
    for host in rt.hosts.iter().map(|h| h.value.as_str()) {
        let vds: Vec<_> = (world.virtual_destinations.iter())
            .filter(|vd| vd.hosts.iter().any(|h| h.value == host))
            .collect();
        if vds.is_empty() {
            return None;
        }
        let ports = vds.iter().flat_map(|vd| vd.ports.iter().map(|p| *p.number));
        out.push((host, ports.collect()));
    }
    (!out.is_empty()).then_some(out)
}
