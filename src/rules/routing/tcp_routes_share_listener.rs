//! **VDC736 tcp-routes-share-listener** (error): The tcp routes of several RouteTables on one gateway listener that carries tcp routes, where Istio uses only one table's for every connection.
//!
//! ## What it does
//!
//! Two or more RouteTables attached to one VirtualGateway listener that carries tcp routes (a
//! `tcp` listener, or a `tls` one that terminates TLS), each admitted by it for some of its hosts,
//! each with a tcp route that matches the listener's port (a matcher without `port`, or with the
//! listener's). Every such table is reported at its first tcp route that matches the listener's
//! port, naming the others.
//!
//! ## Why is this bad?
//!
//! A TCP connection carries no host: Istio's gateway builds one network filter per server from
//! the first VirtualService bound to it whose hosts fit the server and whose tcp route matches the
//! port (pilot/pkg/networking/core/gateway.go, `buildGatewayNetworkFiltersFromTCPRoutes` returns
//! the first it finds). Every connection to the listener then goes to that table's destinations,
//! the other tables' connections included, and which table wins depends on the order istiod sees
//! the VirtualServices in. vdc would write both, and one table's traffic would reach the other's
//! backend.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`, both tables attached to VirtualGateway `tcp-gw`, whose
//! only listener is `{port: {number: 5432}, tcp: {}}` and allows `*.example.com`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - db.example.com
//!   virtualGateways:
//!   - name: tcp-gw
//!     namespace: istio-gateways
//!   workloadSelectors: []
//!   tcp:
//!   - forwardTo:
//!       destinations:
//!       - ref:
//!           name: postgres
//!           namespace: bookinfo-backends
//!         port:
//!           number: 5432
//! ---
//! apiVersion: networking.gloo.solo.io/v2
//! kind: RouteTable
//! metadata:
//!   name: secure-app-tcp-ingress
//!   namespace: istio-gateways
//! spec:
//!   hosts:
//!   - secure.example.com
//!   virtualGateways:
//!   - name: tcp-gw
//!     namespace: istio-gateways
//!   workloadSelectors: []
//!   tcp:
//!   - forwardTo:
//!       destinations:
//!       - ref:
//!           name: secure-app
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!         port:
//!           number: 443
//! ```
//!
//! ## Fix
//!
//! Give each table's TCP traffic its own listener port (one `tcp` listener per backend), or a
//! `tls` listener that terminates TLS for each host (its server then matches by SNI); or merge the
//! tables into one.
//!
//! Fixture: `testdata/check/tcp-routes-share-listener/`. Long form: `docs/diagnostics.md#vdc736`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TcpRoutesShareListener;

use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::RouteTable;
use crate::model::routing_types::{HttpRoute, RouteLayer};
use crate::resolve::resolved::{GatewayPlacement, GatewayServer, Resolved};
use crate::resolve::routing::l4_listeners::carries;

/// The tcp route `spec.tcp[index]` of a table, its first matching listener port `port` of
/// VirtualGateway `gateway` in `cluster`, shares the listener with the tcp routes of the tables
/// `others` (namespace/name).
pub fn diagnostic(
    site: Site,
    index: usize,
    (gateway, port, cluster): (&str, u32, &str),
    others: &[String],
) -> Diagnostic {
    let noun = if others.len() == 1 {
        "RouteTable"
    } else {
        "RouteTables"
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "tcp route `spec.tcp[{index}]` of this RouteTable and the tcp routes of {noun} {} take the connections of listener port {port} of VirtualGateway `{gateway}` (cluster `{cluster}`), and a TCP connection has no host: Istio uses only the first VirtualService's tcp route for every connection to the listener, so one table's traffic would reach another's destinations",
            others.join(", ")
        ),
    )
    .field(format!("spec.tcp[{index}]"))
    .help("give each table's TCP traffic its own listener port, or merge the tables into one")
}

/// Reports every RouteTable whose tcp routes share a gateway server that carries tcp routes
/// with another table's, each matching the server's port, at its first route that matches it.
pub fn check(_world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    for placement in &resolved.routing.gateways {
        for server in (placement.servers.iter()).filter(|s| carries(s.listener, RouteLayer::Tcp)) {
            let tables = tables_on(resolved, placement, server);
            if tables.len() < 2 {
                continue;
            }
            for rt in &tables {
                let others: Vec<String> = (tables.iter())
                    .filter(|o| !std::ptr::eq(**o, *rt))
                    .map(|o| format!("{}/{}", o.meta.namespace, o.meta.name))
                    .collect();
                let first =
                    (rt.tcp.iter().enumerate()).find(|(_, r)| matches_port(r, server.number));
                let Some((index, route)) = first else {
                    continue;
                };
                let site = rt.meta.site(route.pos);
                let at = (
                    placement.gateway.meta.name.as_str(),
                    server.number,
                    placement.cluster.as_str(),
                );
                diags.push(diagnostic(site, index, at, &others));
            }
        }
    }
}

/// The tables bound to `placement` whose hosts `server` admits and that have a tcp route
/// matching its port, each once, in placement order.
fn tables_on<'w>(
    resolved: &Resolved<'w>,
    placement: &GatewayPlacement,
    server: &GatewayServer,
) -> Vec<&'w RouteTable> {
    let qualified = format!("{}/{}", placement.namespace, placement.name);
    let mut out: Vec<&'w RouteTable> = Vec::new();
    for vs in &resolved.routing.virtual_services {
        let bound = vs.cluster == placement.cluster
            && (vs.gateways.iter()).any(|g| *g == placement.name || *g == qualified);
        let admitted = (vs.table.hosts.iter()).any(|h| server.hosts.contains(&h.value));
        let matching = (vs.table.tcp.iter()).any(|r| matches_port(r, server.number));
        if bound && admitted && matching && !out.iter().any(|t| std::ptr::eq(*t, vs.table)) {
            out.push(vs.table);
        }
    }
    out
}

/// Whether tcp route `route` takes connections to listener port `port`: a route without
/// matchers, or with a matcher without `port` or with this one.
fn matches_port(route: &HttpRoute, port: u32) -> bool {
    route.matchers.is_empty() || (route.matchers.iter()).any(|m| m.port.is_none_or(|p| p == port))
}
