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
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "tcp route `spec.tcp[{index}]` of this RouteTable and the tcp routes of {} take the connections of listener port {port} of VirtualGateway `{gateway}` (cluster `{cluster}`), and a TCP connection has no host: Istio uses only the first VirtualService's tcp route for every connection to the listener, so one table's traffic would reach another's destinations",
            tables_named(others)
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
                let others = others_than(rt, tables.iter().copied());
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
    let mut out: Vec<&'w RouteTable> = Vec::new();
    for table in admitted_on(resolved, placement, server) {
        let matching = (table.tcp.iter()).any(|r| matches_port(r, server.number));
        if matching && !out.iter().any(|t| std::ptr::eq(*t, table)) {
            out.push(table);
        }
    }
    out
}

/// The tables of the VirtualServices bound to `placement` whose hosts `server` admits, in
/// placement order, once per VirtualService: the tables whose l4 routes may claim the server
/// (here and in VDC740).
pub(super) fn admitted_on<'a, 'w>(
    resolved: &'a Resolved<'w>,
    placement: &'a GatewayPlacement,
    server: &'a GatewayServer,
) -> impl Iterator<Item = &'w RouteTable> + 'a {
    let qualified = format!("{}/{}", placement.namespace, placement.name);
    (resolved.routing.virtual_services.iter())
        .filter(move |vs| {
            vs.cluster == placement.cluster
                && (vs.gateways.iter()).any(|g| *g == placement.name || *g == qualified)
                && (vs.table.hosts.iter()).any(|h| server.hosts.contains(&h.value))
        })
        .map(|vs| vs.table)
}

/// The tables of `tables` other than `rt`, by namespace/name.
fn others_than<'w>(rt: &RouteTable, tables: impl Iterator<Item = &'w RouteTable>) -> Vec<String> {
    tables
        .filter(|o| !std::ptr::eq(*o, rt))
        .map(|o| format!("{}/{}", o.meta.namespace, o.meta.name))
        .collect()
}

/// `RouteTable a/b` or `RouteTables a/b, c/d`, as the two messages name the other tables.
pub(super) fn tables_named(others: &[String]) -> String {
    let noun = if others.len() == 1 {
        "RouteTable"
    } else {
        "RouteTables"
    };
    format!("{noun} {}", others.join(", "))
}

/// Whether tcp route `route` takes connections to listener port `port`: a route without
/// matchers, or with a matcher without `port` or with this one.
fn matches_port(route: &HttpRoute, port: u32) -> bool {
    route.matchers.is_empty() || (route.matchers.iter()).any(|m| m.port.is_none_or(|p| p == port))
}
