//! **VDC734 tcp-tls-route-unroutable** (error): A `tcp` or `tls` route that Istio would refuse or never apply and Gloo's documentation gives no meaning: a TLS match without SNI hosts or outside the table's hosts, a gateway with no listener for it, or a table only used through delegation.
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
//! they would be written and never used, and what Gloo does with them there is not public.
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
//! table's hosts.
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
        Problem::NoListenerPort { named, listeners } => {
            let list = |ports: &[u32]| {
                let noun = if ports.len() == 1 { "port" } else { "ports" };
                let ports: Vec<String> = ports.iter().map(u32::to_string).collect();
                format!("{noun} {}", ports.join(", "))
            };
            (
                format!("{route}.matchers"),
                format!(
                    "`{route}` matches only {}, and the listeners of the table's VirtualGateways that carry {section} routes for its hosts are on {}: Istio matches a gateway route's port against its server's, so this route is never used",
                    list(named),
                    list(listeners)
                ),
                "match the port of the listener the connections arrive on (or name no port), or add a listener on this port",
            )
        }
    };
    crate::diagnostic::Diagnostic::new_at(CODE, site, message)
        .field(field)
        .help(help)
}
