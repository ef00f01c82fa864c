//! **VDC739 shadowed-tls-match** (warning): A tls route matcher of a RouteTable names an SNI host an earlier matcher of the same table takes on a gateway listener, so Istio skips the whole matcher.
//!
//! ## What it does
//!
//! A RouteTable attached to a VirtualGateway listener that routes by SNI host (`tls: {mode:
//! PASSTHROUGH}`), with two tls route matchers for the listener's port (or no port) that name the
//! same SNI host (`matchers[].sniHosts`): in two routes, or twice in one route. The later matcher
//! is reported, naming the host and the route whose matcher takes it first. Istio keeps a match
//! only when none of its SNI hosts was taken before, so a matcher skipped for one host does not
//! take the others it names either; the message lists them. Two tables for one SNI host are
//! [VDC740](#vdc740).
//!
//! ## Why is this bad?
//!
//! A passthrough server routes by one filter chain per SNI host: Istio's gateway takes a
//! VirtualService's tls matches in order and skips a match whose SNI hosts an earlier match
//! named, the whole match, logging only a warning in istiod (pilot/pkg/networking/core/gateway.go,
//! `buildGatewayNetworkFiltersFromTLSRoutes`, `model.CheckDuplicates`). vdc writes the table's tls
//! routes in its order, as Gloo keeps them ("Individual routes are kept in the order that they
//! appear relative to their tables", route_table.proto), so the first wins, as it would under Gloo: the later matcher
//! never takes a connection, its route's destinations never get that host's traffic, and the
//! matcher's other SNI hosts are routed only by a later matcher that names them. It is a warning:
//! the traffic goes where Gloo's would, but the route reads as if it did something.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`, a table on VirtualGateway `tls-gw` (listener
//! `{port: {number: 443}, tls: {mode: PASSTHROUGH}}`):
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - secure.example.com
//!   - other.example.com
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
//!   - matchers:
//!     - sniHosts:
//!       - secure.example.com
//!       - other.example.com
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
//! Name each SNI host in one matcher of the table: merge the routes (weighted destinations for a
//! canary), or remove the host from the later matcher.
//!
//! Fixture: `testdata/check/shadowed-tls-match/`. Long form: `docs/diagnostics.md#vdc739`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::ShadowedTlsMatch;

use super::tcp_routes_share_listener::admitted_on;
use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{RouteLayer, RouteTable};
use crate::resolve::resolved::Resolved;
use crate::resolve::routing::l4_listeners::carries;
use std::collections::{BTreeMap, BTreeSet};

/// A skipped matcher: `spec.tls[route].matchers[matcher]`, its SNI host `host` taken first by
/// `spec.tls[first]`, and its other SNI hosts `others`, which it does not route either.
pub struct Skipped<'a> {
    pub route: usize,
    pub matcher: usize,
    pub host: &'a str,
    pub first: usize,
    pub others: Vec<&'a str>,
}

/// The matcher `skipped` of a table on listener port `port` of VirtualGateway `gateway` in
/// `cluster`.
pub fn diagnostic(
    site: Site,
    skipped: &Skipped,
    (gateway, port, cluster): (&str, u32, &str),
) -> Diagnostic {
    let Skipped {
        route,
        matcher,
        host,
        first,
        others,
    } = skipped;
    let whom = if first == route {
        "an earlier matcher of this route".to_owned()
    } else {
        format!("`spec.tls[{first}]` of this RouteTable")
    };
    let rest = if others.is_empty() {
        String::new()
    } else {
        format!(
            ", nor routes its other SNI hosts ({}) from here",
            others.join(", ")
        )
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "this matcher names SNI host {host}, which {whom} takes first on listener port {port} of VirtualGateway `{gateway}` (cluster `{cluster}`): Istio keeps the first match for an SNI host and skips this whole match, so it never takes a connection{rest}"
        ),
    )
    .field(format!("spec.tls[{route}].matchers[{matcher}]"))
    .help("name each SNI host in one matcher of the table: merge the routes (weighted destinations for a canary), or remove the host from this matcher")
}

/// Reports every tls route matcher of a table on a gateway server that routes by SNI whose
/// SNI host an earlier matcher of the table for the server's port names, once a matcher.
pub fn check(_world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let mut said: BTreeSet<(String, String, usize, usize)> = BTreeSet::new();
    for placement in &resolved.routing.gateways {
        for server in (placement.servers.iter()).filter(|s| carries(s.listener, RouteLayer::Tls)) {
            for table in admitted_on(resolved, placement, server) {
                for skipped in skipped_on(table, server.number) {
                    let m = &table.meta;
                    let key = (
                        format!("{}/{}", m.namespace, m.name),
                        m.cluster.clone(),
                        skipped.route,
                        skipped.matcher,
                    );
                    if !said.insert(key) {
                        continue;
                    }
                    let site = m.site(table.tls[skipped.route].pos);
                    let at = (
                        placement.gateway.meta.name.as_str(),
                        server.number,
                        placement.cluster.as_str(),
                    );
                    diags.push(diagnostic(site, &skipped, at));
                }
            }
        }
    }
}

/// The matchers of `table`'s tls routes for listener port `port` that Istio skips, taking them
/// in order as `model.CheckDuplicates` does: a match whose SNI hosts include one an earlier
/// kept match named is skipped whole, and its hosts are not recorded.
fn skipped_on(table: &RouteTable, port: u32) -> Vec<Skipped<'_>> {
    let mut taken: BTreeMap<&str, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (route, r) in table.tls.iter().enumerate() {
        let matching =
            (r.matchers.iter().enumerate()).filter(|(_, m)| m.port.is_none_or(|p| p == port));
        for (matcher, m) in matching {
            let hosts = m.sni_hosts.iter().map(String::as_str);
            let Some(host) = hosts.clone().find(|h| taken.contains_key(h)) else {
                taken.extend(hosts.map(|h| (h, route)));
                continue;
            };
            let others = hosts.filter(|h| !taken.contains_key(h)).collect();
            out.push(Skipped {
                route,
                matcher,
                host,
                first: taken[host],
                others,
            });
        }
    }
    out
}
