//! **VDC740 tls-routes-share-sni-host** (error): The tls routes of several RouteTables match one SNI host on the listeners that route by SNI on one port of a gateway workload, where Istio keeps only the first table's.
//!
//! ## What it does
//!
//! Two or more RouteTables attached to VirtualGateway listeners that route by SNI host (`tls:
//! {mode: PASSTHROUGH}`, with or without `http`) on one port of the same gateway pods (one
//! listener, or listeners of several VirtualGateways that select those pods), each admitted by its
//! listener for some of its hosts, each with a tls route whose matcher names the same SNI host
//! (`matchers[].sniHosts`) and the listener's port (or no port). Every such table is reported, on
//! its first such route, naming the others and the host, and the other VirtualGateway when it is
//! another's. Listeners of two VirtualGateways whose servers share a host are
//! [VDC715](#vdc715) instead; these have different hosts (say `secure.example.com` and
//! `*.example.com`), which istiod merges, and then builds one set of SNI filter chains for the
//! port from both.
//!
//! ## Why is this bad?
//!
//! A passthrough server routes by one filter chain per SNI host, and Envoy refuses two with the
//! same match: Istio's gateway keeps the first VirtualService's match for a host and skips every
//! later match that names it again, the whole match with all its SNI hosts, logging only a warning
//! in istiod (pilot/pkg/networking/core/gateway.go, `buildGatewayNetworkFiltersFromTLSRoutes`,
//! `model.CheckDuplicates`). The hosts taken are counted per port of the gateway workload
//! (`tlsHostsByPort` in `buildGatewayListeners`), across every Gateway merged onto it. Which table wins depends on the order istiod sees the
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

use super::tcp_routes_share_listener::{admitted_on, tables_named};
use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{RouteLayer, RouteTable};
use crate::resolve::resolved::{GatewayPlacement, GatewayServer, Resolved};
use crate::resolve::routing::l4_listeners::carries;
use crate::resolve::routing::server_conflicts::gateways_by_pods;
use std::collections::{BTreeMap, BTreeSet};

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
/// by SNI where another table's tls routes match it too: on that server, or on another such
/// server on the same port of the same gateway pods (another listener, or another
/// VirtualGateway's), since istiod keeps one filter chain per SNI host on a port of a workload
/// (`tlsHostsByPort` in `buildGatewayListeners`).
pub fn check(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let placements = &resolved.routing.gateways;
    let mut said = BTreeSet::new();
    for group in gateways_by_pods(world, placements) {
        let mut ports: BTreeMap<u32, Vec<(&GatewayPlacement, &GatewayServer)>> = BTreeMap::new();
        for placement in group.iter().map(|&i| &placements[i]) {
            for server in
                (placement.servers.iter()).filter(|s| carries(s.listener, RouteLayer::Tls))
            {
                ports
                    .entry(server.number)
                    .or_default()
                    .push((placement, server));
            }
        }
        for servers in ports.values() {
            report_port(resolved, servers, &mut said, diags);
        }
    }
}

/// A table's first tls route matching an SNI host, on the server (of the placement) that
/// admits it.
type Claim<'a, 'w> = (&'w RouteTable, usize, &'a GatewayPlacement<'w>);

/// VDC740 for each SNI host the tables of `servers` (one port of one set of gateway pods)
/// claim more than one of; `said` holds the (table, cluster, port, host) reported already, as a
/// gateway that selects several sets of pods is looked at with each.
fn report_port<'a, 'w>(
    resolved: &Resolved<'w>,
    servers: &[(&'a GatewayPlacement<'w>, &'a GatewayServer<'w>)],
    said: &mut BTreeSet<(String, String, u32, String)>,
    diags: &mut Diagnostics,
) {
    let mut claims: BTreeMap<String, Vec<Claim<'a, 'w>>> = BTreeMap::new();
    for (placement, server) in servers {
        for (host, tables) in claims_on(resolved, placement, server) {
            let all = claims.entry(host).or_default();
            for (table, index) in tables {
                if !all.iter().any(|(t, _, _)| std::ptr::eq(*t, table)) {
                    all.push((table, index, placement));
                }
            }
        }
    }
    for (host, tables) in claims.iter().filter(|(_, t)| t.len() > 1) {
        for (rt, index, placement) in tables {
            let others = others_on(rt, placement, tables);
            let key = (
                format!("{}/{}", rt.meta.namespace, rt.meta.name),
                placement.cluster.clone(),
                servers[0].1.number,
                host.clone(),
            );
            if !said.insert(key) {
                continue;
            }
            let site = rt.meta.site(rt.tls[*index].pos);
            let at = (
                placement.gateway.meta.name.as_str(),
                servers[0].1.number,
                placement.cluster.as_str(),
            );
            diags.push(diagnostic(site, *index, at, host, &others));
        }
    }
}

/// The tables of `tables` other than `rt` (namespace/name), each on another VirtualGateway
/// than `placement`'s named with it.
fn others_on(rt: &RouteTable, placement: &GatewayPlacement, tables: &[Claim]) -> Vec<String> {
    let others = (tables.iter()).filter(|(o, _, _)| !std::ptr::eq(*o, rt));
    others
        .map(|(o, _, there)| {
            let table = format!("{}/{}", o.meta.namespace, o.meta.name);
            if std::ptr::eq(there.gateway, placement.gateway) {
                return table;
            }
            let g = &there.gateway.meta;
            format!(
                "{table} (through VirtualGateway {}/{}, on the same gateway pods and port)",
                g.namespace, g.name
            )
        })
        .collect()
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
