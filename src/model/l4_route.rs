//! A RouteTable's `tcp` and `tls` routes (`TCPRoute`, `TLSRoute`): matchers by port (and SNI
//! host), and a `forwardTo` that only forwards. What a TCP or TLS route cannot carry out is
//! refused (VDC733), as is a route Istio or Gloo's documentation leaves without a meaning
//! (VDC734), rather than dropped.

use super::decode::{Fields, Located};
use super::route_destination::destination;
use super::routing_types::*;
use super::types::Labels;
use crate::load::node::Value;
use crate::rules::routing::tcp_tls_route_field::{self, Problem as FieldProblem};
use crate::rules::routing::tcp_tls_route_unroutable::{self, Problem};
use crate::rules::schema::missing_field;

/// The `forwardTo` fields of a tcp route that only an HTTP route can carry out.
const REWRITES: [&str; 4] = [
    "pathRewrite",
    "regexRewrite",
    "hostRewrite",
    "autoHostRewrite",
];

/// Route `index` of `spec.tcp` or `spec.tls` (`layer`), with the table's `defaultDestination`
/// standing for destinations it leaves out.
pub(super) fn l4_route(
    r: &mut Fields,
    (layer, index): (RouteLayer, usize),
    default: Option<&RouteDestination>,
) -> HttpRoute {
    let pos = r.pos;
    let matchers = r.objects("matchers", |m| Some(l4_matcher(m, layer)));
    if layer == RouteLayer::Tls {
        check_sni_hosts(r, index, &matchers);
    }
    let action = match r.object("forwardTo", |f| forward_to(f, layer, default)) {
        Some(action) => action,
        None => {
            missing(r, "forwardTo");
            RouteAction::Unwritable
        }
    };
    HttpRoute {
        // Istio's tcp and tls routes have no name: this one names it in diagnostics.
        name: format!("{}[{index}]", layer.section()),
        labels: Labels::default(),
        matchers,
        action,
        pos,
        layer,
    }
}

/// A `TCPRequestMatcher` (`port`) or `TLSRequestMatcher` (`sniHosts`, `port`).
fn l4_matcher(m: &mut Fields, layer: RouteLayer) -> RequestMatcher {
    // The proto's bounds are 0..=65535; 0 is proto3's unset.
    let port = m
        .uint("port", 0, 65535)
        .map(|p| p.value)
        .filter(|p| *p != 0);
    let sni_hosts = match layer {
        RouteLayer::Tls => m.strings("sniHosts").into_iter().map(|h| h.value).collect(),
        _ => Vec::new(),
    };
    RequestMatcher {
        port,
        sni_hosts,
        ..RequestMatcher::default()
    }
}

/// VDC734 for a tls route without matchers or with a matcher without `sniHosts`: istiod
/// refuses a TLS route that matches no SNI host, and what Gloo matches then is not public.
fn check_sni_hosts(r: &mut Fields, index: usize, matchers: &[RequestMatcher]) {
    let missing: Vec<Option<usize>> = if matchers.is_empty() {
        vec![None]
    } else {
        (matchers.iter().enumerate())
            .filter(|(_, m)| m.sni_hosts.is_empty())
            .map(|(i, _)| Some(i))
            .collect()
    };
    for matcher in missing {
        let site = r.cx.site(r.pos);
        let problem = Problem::NoSniHosts { matcher };
        let d = tcp_tls_route_unroutable::diagnostic(site, (RouteLayer::Tls, index), problem);
        r.cx.push(d);
    }
}

/// `forwardTo`: its destinations, else the table's default; `Unwritable` when a field is
/// refused or nothing is left to forward to (both reported).
fn forward_to(
    f: &mut Fields,
    layer: RouteLayer,
    default: Option<&RouteDestination>,
) -> RouteAction {
    let listed = f
        .peek("destinations")
        .is_some_and(|n| matches!(&n.value, Value::Seq(items) if !items.is_empty()));
    let mut destinations = f.objects("destinations", |d| destination(d, false));
    let mut refused = false;
    for key in REWRITES {
        // An explicit `false` or `""` asks for nothing.
        let unset = |v: &Value| matches!(v, Value::Bool(false)) || *v == Value::Str(String::new());
        if let Some(node) = f.peek(key).filter(|n| !unset(&n.value)) {
            let site = f.cx.site(node.pos);
            let field = f.path(key);
            let problem = FieldProblem::Rewrite { key };
            f.cx.push(tcp_tls_route_field::diagnostic(
                site, &field, layer, problem,
            ));
            refused = true;
        }
    }
    if layer == RouteLayer::Tcp {
        refused |= external_services(f, &destinations);
    }
    if !listed {
        destinations.extend(default.cloned());
        if destinations.is_empty() {
            missing(f, "destinations");
            return RouteAction::Unwritable;
        }
    }
    if refused || destinations.is_empty() {
        return RouteAction::Unwritable;
    }
    RouteAction::Forward {
        destinations,
        rewrite: Rewrite::default(),
    }
}

/// VDC733 for each ExternalService a tcp route forwards to: route_table.proto says "TCP
/// routes support only Kubernetes services and Gloo VirtualDestinations".
fn external_services(f: &mut Fields, destinations: &[RouteDestination]) -> bool {
    let mut found = false;
    for (j, d) in destinations.iter().enumerate() {
        if d.kind != "EXTERNAL_SERVICE" {
            continue;
        }
        let site = f.cx.site(d.pos);
        let field = format!("{}[{j}].kind", f.path("destinations"));
        let problem = FieldProblem::ExternalService;
        let d = tcp_tls_route_field::diagnostic(site, &field, RouteLayer::Tcp, problem);
        f.cx.push(d);
        found = true;
    }
    found
}

/// A required field of `f` that is missing.
fn missing(f: &mut Fields, key: &str) {
    let path = f.path(key);
    let site = f.cx.site(f.pos);
    f.cx.push(missing_field::diagnostic(
        site,
        missing_field::Case::Required { path: &path },
    ));
}

/// VDC734 for what a table's `tcp` and `tls` routes need of its `hosts`: a table without
/// hosts is only ever delegated to, and delegation carries http routes only; an SNI host
/// must be one of the table's hosts, or istiod refuses the VirtualService.
pub(super) fn check_hosts(
    s: &mut Fields,
    hosts: &[Located<String>],
    (tcp, tls): (&[HttpRoute], &[HttpRoute]),
    attached: bool,
) {
    if hosts.is_empty() && !attached {
        for (layer, routes) in [(RouteLayer::Tcp, tcp), (RouteLayer::Tls, tls)] {
            if let Some(first) = routes.first() {
                let site = s.cx.site(first.pos);
                let problem = Problem::Delegated;
                let d = tcp_tls_route_unroutable::diagnostic(site, (layer, 0), problem);
                s.cx.push(d);
            }
        }
        return;
    }
    for (index, route) in tls.iter().enumerate() {
        for (i, m) in route.matchers.iter().enumerate() {
            let uncovered = m.sni_hosts.iter().find(|sni| !covered(sni, hosts));
            if let Some(sni) = uncovered {
                let site = s.cx.site(route.pos);
                let problem = Problem::SniNotInHosts { matcher: i, sni };
                let d =
                    tcp_tls_route_unroutable::diagnostic(site, (RouteLayer::Tls, index), problem);
                s.cx.push(d);
            }
        }
    }
}

/// Whether istiod finds the SNI host `sni` among the VirtualService hosts `hosts`: equal, or
/// within a wildcard host (`*`, `*.example.com`), as its `validateSniHost` checks with
/// `host.Name.SubsetOf`.
fn covered(sni: &str, hosts: &[Located<String>]) -> bool {
    hosts.iter().any(|h| subset_of(sni, &h.value))
}

/// Istio's `host.Name(a).SubsetOf(b)`: every name `a` stands for is one `b` stands for.
fn subset_of(a: &str, b: &str) -> bool {
    match (a.strip_prefix('*'), b.strip_prefix('*')) {
        (Some(a_suffix), Some(b_suffix)) => a_suffix.ends_with(b_suffix),
        (None, Some(b_suffix)) => a.ends_with(b_suffix),
        (Some(_), None) => false,
        (None, None) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::subset_of;

    #[test]
    fn sni_hosts_within_virtual_service_hosts() {
        assert!(subset_of("db.example.com", "db.example.com"));
        assert!(subset_of("db.example.com", "*.example.com"));
        assert!(subset_of("*.db.example.com", "*.example.com"));
        assert!(subset_of("anything", "*"));
        assert!(!subset_of("*.example.com", "db.example.com"));
        assert!(!subset_of("db.example.org", "*.example.com"));
        assert!(!subset_of("other.example.com", "db.example.com"));
    }
}
