//! **VDC740 tls-routes-share-sni-host** (error): The tls routes of several RouteTables match one SNI host on one gateway listener that routes by SNI, where Istio keeps only the first table's.
//!
//! ## What it does
//!
//! Two or more RouteTables attached to one VirtualGateway listener that routes by SNI host (`tls:
//! {mode: PASSTHROUGH}`, with or without `http`), each admitted by it for some of its hosts, each
//! with a tls route whose matcher names the same SNI host (`matchers[].sniHosts`) and the
//! listener's port (or no port). Every such table is reported, on its first such route, naming the
//! others and the host.
//!
//! ## Why is this bad?
//!
//! A passthrough server routes by one filter chain per SNI host, and Envoy refuses two with the
//! same match: Istio's gateway keeps the first VirtualService's match for a host and skips every
//! later match that names it again, the whole match with all its SNI hosts, logging only a warning
//! in istiod (pilot/pkg/networking/core/gateway.go, `buildGatewayNetworkFiltersFromTLSRoutes`,
//! `model.CheckDuplicates`). Which table wins depends on the order istiod sees the
//! VirtualServices in; the other table's connections go to the winner's destinations, and its
//! other SNI hosts in that match to no route at all. vdc would write both, and neither `istioctl`
//! nor istiod refuses them.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`, both tables attached to VirtualGateway `tls-gw`, whose
//! only listener is `{port: {number: 443}, tls: {mode: PASSTHROUGH}}` and allows `*.example.com`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - secure.example.com
//!   virtualGateways:
//!   - name: tls-gw
//!     namespace: istio-gateways
//!   workloadSelectors: []
//!   tls:
//!   - matchers:
//!     - sniHosts:
//!       - secure.example.com
//!       port: 443
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: secure-app
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!         port:
//!           number: 443
//! ---
//! apiVersion: networking.gloo.solo.io/v2
//! kind: RouteTable
//! metadata:
//!   name: secure-app-local
//!   namespace: istio-gateways
//! spec:
//!   hosts:
//!   - secure.example.com
//!   virtualGateways:
//!   - name: tls-gw
//!     namespace: istio-gateways
//!   workloadSelectors: []
//!   tls:
//!   - matchers:
//!     - sniHosts:
//!       - secure.example.com
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: secure-app
//!           namespace: bookinfo-frontends
//!         port:
//!           number: 443
//! ```
//!
//! ## Fix
//!
//! Route each SNI host from one RouteTable: merge the tables' tls routes for the host into one
//! route (several weighted destinations for a canary), or give the other table's traffic its own
//! SNI host or listener port.
//!
//! Fixture: `testdata/check/tls-routes-share-sni-host/`. Long form: `docs/diagnostics.md#vdc740`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TlsRoutesShareSniHost;

use super::tcp_routes_share_listener::{admitted_on, others_than, tables_named};
use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{RouteLayer, RouteTable};
use crate::resolve::resolved::{GatewayPlacement, GatewayServer, Resolved};
use crate::resolve::routing::l4_listeners::carries;
use std::collections::BTreeMap;

/// Route `spec.tls[index]` of a RouteTable matches SNI host `host` on listener port `port` of
/// VirtualGateway `gateway` in `cluster`, as do tls routes of the tables `others`
/// (namespace/name).
pub fn diagnostic(
    site: Site,
    index: usize,
    (gateway, port, cluster): (&str, u32, &str),
    host: &str,
    others: &[String],
) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "this tls route matches SNI host {host} on listener port {port} of VirtualGateway `{gateway}` (cluster `{cluster}`), as a tls route of {} does: Istio keeps only the first VirtualService's match for an SNI host and skips the others' whole match, so one table's connections would reach another's destinations",
            tables_named(others)
        ),
    )
    .field(format!("spec.tls[{index}]"))
    .help("route each SNI host from one RouteTable: merge the routes (weighted destinations for a canary), or give the other traffic its own SNI host or listener port")
}

/// Reports every RouteTable whose tls routes match an SNI host on a gateway server that routes
/// by SNI where another table's tls routes match it too.
pub fn check(_world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    for placement in &resolved.routing.gateways {
        for server in (placement.servers.iter()).filter(|s| carries(s.listener, RouteLayer::Tls)) {
            for (host, tables) in claims_on(resolved, placement, server) {
                if tables.len() < 2 {
                    continue;
                }
                for (rt, index) in &tables {
                    let others = others_than(rt, tables.iter().map(|(o, _)| *o));
                    let site = rt.meta.site(rt.tls[*index].pos);
                    let at = (
                        placement.gateway.meta.name.as_str(),
                        server.number,
                        placement.cluster.as_str(),
                    );
                    diags.push(diagnostic(site, *index, at, &host, &others));
                }
            }
        }
    }
}

/// For each SNI host, the tables bound to `placement` whose hosts `server` admits and that
/// have a tls route matching it on the server's port, each once with its first such route, in
/// placement order.
fn claims_on<'w>(
    resolved: &Resolved<'w>,
    placement: &GatewayPlacement,
    server: &GatewayServer,
) -> BTreeMap<String, Vec<(&'w RouteTable, usize)>> {
    let mut out: BTreeMap<String, Vec<(&'w RouteTable, usize)>> = BTreeMap::new();
    for table in admitted_on(resolved, placement, server) {
        for (index, route) in table.tls.iter().enumerate() {
            let matching =
                (route.matchers.iter()).filter(|m| m.port.is_none_or(|p| p == server.number));
            for host in matching.flat_map(|m| m.sni_hosts.iter()) {
                let tables = out.entry(host.clone()).or_default();
                if !tables.iter().any(|(t, _)| std::ptr::eq(*t, table)) {
                    tables.push((table, index));
                }
            }
        }
    }
    out
}
