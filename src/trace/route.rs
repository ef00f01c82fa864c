//! VirtualService selection and first-match routing, as a sidecar's route table does it: the
//! VirtualServices for the host visible in the client's namespace and bound to `mesh`, the
//! first rule whose match fits the request.

use super::Labels;
use super::RuleId;
use super::config::{self, ClusterView, exported_to, host_matches, qualified};
use super::question::Question;
use super::resilience;
use super::{RouteJson, reference};
use crate::model::selector::labels_match;
use crate::model::types::PathNormalization;
use crate::translate::istio::{
    HttpMatch, HttpRoute, L4Match, ObjectMeta, RouteDestination, StringMatch, TcpRoute,
    VirtualService,
};
use std::collections::BTreeMap;

/// The request a trace sends: path, query, headers, and method (`GET`).
pub struct Request {
    /// As Envoy matches it: normalized as the client's mesh config says
    /// ([`super::path::normalize`]), without the query.
    pub path: String,
    /// The path asked, when normalizing changed it.
    pub asked: Option<String>,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    pub method: &'static str,
}

impl Request {
    pub fn new(question: &Question, normalization: PathNormalization) -> Request {
        let (path, query) = match question.path.split_once('?') {
            Some((path, query)) => (path, query),
            None => (question.path.as_str(), ""),
        };
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (p.to_owned(), String::new()),
            })
            .collect();
        let path = if path.is_empty() { "/" } else { path };
        let normalized = super::path::normalize(path, normalization);
        Request {
            asked: (normalized != path).then(|| path.to_owned()),
            path: normalized,
            query,
            headers: question.headers.clone(),
            method: "GET",
        }
    }
}

/// A destination a route sends to, host qualified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteDest {
    pub host: String,
    pub port: Option<u32>,
    pub subset: Option<String>,
    pub weight: u32,
}

/// What the route table does with the request.
pub enum Routed<'a> {
    /// A rule matched: the route as the answer reports it (the VirtualService, the rule, what
    /// it does besides forwarding), and its destinations.
    Rule {
        route: RouteJson,
        destinations: Vec<RouteDest>,
    },
    /// The VirtualService has no rule for this request (404 NR).
    NoRule(&'a ObjectMeta),
    /// istiod leaves the VirtualService out of this sidecar's routes: not one of its rules is
    /// for this client (or, on a TCP port, for this port), so the host's own default route
    /// takes the request.
    LeftOut(&'a ObjectMeta),
}

/// The VirtualServices for `host` the client's sidecar may use: visible in its namespace, bound
/// to `mesh`; those in the client's namespace first, then by namespace and name (vdc's objects
/// have no creation time, which istiod orders them by). istiod uses the first that keeps a rule
/// for the client.
pub fn virtual_services<'a>(
    view: &ClusterView<'a>,
    client_ns: &str,
    host: &str,
) -> Vec<(&'a ObjectMeta, &'a VirtualService)> {
    let domain = view.cluster_domain();
    let mut found: Vec<(&'a ObjectMeta, &'a VirtualService)> = view
        .each(config::virtual_service)
        .filter(|(meta, vs)| {
            exported_to(&vs.export_to, &meta.namespace, client_ns)
                && (vs.gateways.is_empty() || vs.gateways.iter().any(|g| g == "mesh"))
                && vs
                    .hosts
                    .iter()
                    .any(|h| host_matches(&qualified(h, &meta.namespace, domain), host))
        })
        .collect();
    found.sort_by_key(|(meta, _)| (meta.namespace != client_ns, &meta.namespace, &meta.name));
    found
}

/// Routes the request through `vs` (`http` rules for an HTTP port, else `tcp`). `proxy_labels`
/// are the client's labels with istiod's topology labels added (`setTopologyLabels` sets them
/// on the proxy before any route is built), which `sourceLabels` are compared with.
pub fn route<'a>(
    view: &ClusterView,
    meta: &'a ObjectMeta,
    vs: &'a VirtualService,
    port: Option<u32>,
    http: bool,
    request: &Request,
    proxy_labels: &Labels,
) -> Routed<'a> {
    let domain = view.cluster_domain();
    let dests = |route: &[RouteDestination]| {
        let single = route.len() == 1;
        route
            .iter()
            .map(|d| RouteDest {
                host: qualified(&d.destination.host, &meta.namespace, domain),
                port: d.destination.port.as_ref().map(|p| p.number),
                subset: d.destination.subset.clone(),
                weight: d.weight.unwrap_or(if single { 100 } else { 0 }),
            })
            .collect()
    };
    if !http {
        return match pick_tcp(&vs.tcp, port, proxy_labels) {
            Some(i) => Routed::Rule {
                route: RouteJson {
                    virtual_service: Some(reference(meta)),
                    rule: Some(RuleId::Index(i)),
                    ..RouteJson::default()
                },
                destinations: dests(&vs.tcp[i].route),
            },
            None => Routed::LeftOut(meta),
        };
    }
    match pick_http(&vs.http, port, request, proxy_labels) {
        Pick::Rule(i) => {
            let rule = &vs.http[i];
            let id = if rule.name.is_empty() {
                RuleId::Index(i)
            } else {
                RuleId::Name(rule.name.clone())
            };
            Routed::Rule {
                route: RouteJson {
                    virtual_service: Some(reference(meta)),
                    rule: Some(id),
                    actions: actions(rule),
                    fault: rule.fault.as_ref().and_then(resilience::fault),
                    retries: rule.retries.clone(),
                },
                destinations: dests(&rule.route),
            }
        }
        Pick::NoRule => Routed::NoRule(meta),
        Pick::LeftOut => Routed::LeftOut(meta),
    }
}

/// Which rule of a VirtualService takes the request.
#[derive(Debug, PartialEq, Eq)]
enum Pick {
    Rule(usize),
    /// Rules are left for this client, and none fits the request: 404 NR.
    NoRule,
    /// No rule is left for this client: the VirtualService is not in its sidecar at all.
    LeftOut,
}

/// The `http` rule that takes the request. istiod builds the sidecar's routes for this proxy
/// only: `TranslateRoute` drops each match whose sourceLabels the proxy lacks
/// (`sourceMatchHTTP`), a rule whose matches all went is dropped, and
/// `buildSidecarVirtualHostsForVirtualService` skips a VirtualService that
/// `BuildHTTPRoutesForVirtualService` left with no route, so the host keeps its default route.
/// A match with a `port` is built only into the route configuration of that port
/// (`translateRoute` returns nothing when `match.Port` is not the listener's port), so it is
/// dropped the same way on any other port (or when the port is not known). Envoy then takes
/// the first route left that fits the request.
fn pick_http(
    rules: &[HttpRoute],
    port: Option<u32>,
    request: &Request,
    proxy_labels: &Labels,
) -> Pick {
    let mut any_kept = false;
    for (i, rule) in rules.iter().enumerate() {
        let kept: Vec<&HttpMatch> = rule
            .matches
            .iter()
            .filter(|m| {
                labels_match(&m.source_labels, proxy_labels)
                    && m.port.is_none_or(|p| Some(p) == port)
            })
            .collect();
        if !rule.matches.is_empty() && kept.is_empty() {
            continue;
        }
        any_kept = true;
        if rule.matches.is_empty() || kept.iter().any(|m| request_fits(m, request)) {
            return Pick::Rule(i);
        }
    }
    if any_kept {
        Pick::NoRule
    } else {
        Pick::LeftOut
    }
}

/// The `tcp` route that takes a connection to `port`, as `buildSidecarOutboundTCPFilterChainOpts`
/// picks it: the first with destinations that has no match, or a match `matchTCP` keeps (its
/// sourceLabels on the proxy, its port the one called). None: the filter chain gets the default
/// route, straight to the host's own cluster `outbound|PORT||HOST` (a TCP port has no 404).
fn pick_tcp(rules: &[TcpRoute], port: Option<u32>, proxy_labels: &Labels) -> Option<usize> {
    let fits = |m: &L4Match| {
        labels_match(&m.source_labels, proxy_labels) && m.port.is_none_or(|p| Some(p) == port)
    };
    rules.iter().position(|rule| {
        !rule.route.is_empty() && (rule.matches.is_empty() || rule.matches.iter().any(fits))
    })
}

/// A rule's redirect, direct response and rewrite, in words: the sidecar answers a redirect
/// or a direct response itself, and forwards nothing.
fn actions(rule: &HttpRoute) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(r) = &rule.redirect {
        let to = format!(
            "{}{}",
            r.authority.as_deref().unwrap_or(""),
            r.uri.as_deref().unwrap_or("")
        );
        out.push(format!(
            "redirect: the sidecar answers {} to {to}",
            r.redirect_code
        ));
    }
    if let Some(d) = &rule.direct_response {
        let body = d
            .body
            .as_ref()
            .map(|b| format!(" with body {:?}", b.string))
            .unwrap_or_default();
        out.push(format!(
            "direct response: the sidecar answers {}{body}",
            d.status
        ));
    }
    if let Some(m) = &rule.mirror {
        out.push(mirror_words(m, rule.mirror_percentage.as_ref()));
    }
    if let Some(r) = &rule.rewrite {
        let mut parts = Vec::new();
        if let Some(a) = &r.authority {
            parts.push(format!("authority {a}"));
        }
        if let Some(u) = &r.uri {
            parts.push(format!("path {u}"));
        }
        // Envoy's `regex_rewrite`: every match of the regex in the path is substituted.
        if let Some(re) = &r.uri_regex_rewrite {
            parts.push(format!(
                "path regex {} replaced with {}",
                re.pattern, re.rewrite
            ));
        }
        if !parts.is_empty() {
            out.push(format!("rewrite: {} before forwarding", parts.join(", ")));
        }
    }
    out
}

/// A rule's mirror in words: the sidecar sends a copy of that share of the requests (all of
/// them when `mirrorPercentage` is unset, as in Istio) and drops the copies' responses.
fn mirror_words(
    m: &crate::translate::istio::Destination,
    share: Option<&crate::translate::istio::Percentage>,
) -> String {
    let mut to = match &m.port {
        Some(p) => format!("{}:{}", m.host, p.number),
        None => m.host.clone(),
    };
    if let Some(subset) = &m.subset {
        to.push_str(&format!(" subset {subset}"));
    }
    let share = share.map_or(100.0, |p| p.value);
    format!("mirror: a copy of {share}% of the requests goes to {to}, its responses dropped")
}

/// One `match` entry kept for this proxy: every condition it sets on the request holds.
fn request_fits(m: &HttpMatch, request: &Request) -> bool {
    let uri_fits = m
        .uri
        .as_ref()
        .is_none_or(|uri| uri_fits(uri, m.ignore_uri_case, &request.path));
    let header = |name: &String| request.headers.get(&name.to_ascii_lowercase());
    uri_fits
        && m.method
            .as_ref()
            .is_none_or(|s| string_fits(s, request.method))
        && m.headers
            .iter()
            .all(|(name, s)| header(name).is_some_and(|v| string_fits(s, v)))
        && m.without_headers
            .iter()
            .all(|(name, s)| header(name).is_none_or(|v| !string_fits(s, v)))
        && m.query_params
            .iter()
            .all(|(name, s)| request.query.get(name).is_some_and(|v| string_fits(s, v)))
}

/// A `uri` match on the path. `ignoreUriCase` becomes the route match's `case_sensitive: false`
/// (`TranslateRouteMatch`), which Envoy applies to `path` and `prefix` and ignores for
/// `safe_regex`: a regex is matched as written on the path as it came.
fn uri_fits(uri: &StringMatch, ignore_case: bool, path: &str) -> bool {
    match uri {
        StringMatch::Exact(v) if ignore_case => v.eq_ignore_ascii_case(path),
        StringMatch::Prefix(v) if ignore_case => path
            .get(..v.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(v)),
        _ => string_fits(uri, path),
    }
}

/// Istio's `StringMatch`: a regex must match the whole value (Envoy's RE2 `safe_regex`); one
/// that does not compile matches nothing, as istiod would reject it.
fn string_fits(s: &StringMatch, value: &str) -> bool {
    match s {
        StringMatch::Exact(v) => v == value,
        StringMatch::Prefix(v) => value.starts_with(v.as_str()),
        StringMatch::Regex(v) => {
            regex::Regex::new(&format!("^(?:{v})$")).is_ok_and(|re| re.is_match(value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{client, question};

    fn request(path: &str, headers: &[(&str, &str)]) -> Request {
        let mut q = Question::new("c/ns".parse().unwrap(), "h").unwrap();
        q.path = path.into();
        for (k, v) in headers {
            let (k, v) = question::parse_header(&format!("{k}={v}")).unwrap();
            q.headers.insert(k, v);
        }
        Request::new(&q, PathNormalization::default())
    }

    #[test]
    fn a_match_needs_every_condition() {
        let mut m = HttpMatch {
            uri: Some(StringMatch::Prefix("/api".into())),
            ..Default::default()
        };
        m.headers
            .insert("end-user".into(), StringMatch::Exact("jason".into()));
        assert!(request_fits(
            &m,
            &request("/api/v1", &[("End-User", "jason")])
        ));
        assert!(!request_fits(&m, &request("/api/v1", &[])));
        assert!(!request_fits(
            &m,
            &request("/web", &[("end-user", "jason")])
        ));
        m.query_params
            .insert("q".into(), StringMatch::Regex("a+".into()));
        assert!(request_fits(
            &m,
            &request("/api?q=aaa", &[("end-user", "jason")])
        ));
        assert!(!request_fits(
            &m,
            &request("/api?q=ab", &[("end-user", "jason")])
        ));
    }

    #[test]
    fn ignore_uri_case_leaves_a_regex_as_written() {
        let m = |uri: StringMatch| HttpMatch {
            uri: Some(uri),
            ignore_uri_case: true,
            ..Default::default()
        };
        let fits = |uri: StringMatch, path: &str| request_fits(&m(uri), &request(path, &[]));
        assert!(fits(StringMatch::Exact("/Reviews".into()), "/rEVIEWS"));
        assert!(fits(StringMatch::Prefix("/API/".into()), "/api/v1"));
        assert!(!fits(StringMatch::Prefix("/API/".into()), "/ap"));
        // Envoy ignores case_sensitive for safe_regex: the path is not lower-cased for it.
        assert!(fits(
            StringMatch::Regex("/Reviews/[0-9]+".into()),
            "/Reviews/1"
        ));
        assert!(!fits(
            StringMatch::Regex("/reviews/[0-9]+".into()),
            "/Reviews/1"
        ));
        assert!(!fits(
            StringMatch::Regex("/Reviews/[0-9]+".into()),
            "/reviews/1"
        ));
    }

    #[test]
    fn a_regex_rewrite_is_said_with_its_regex_and_substitution() {
        let rule = HttpRoute {
            rewrite: Some(crate::translate::istio::HttpRewrite {
                authority: Some("reviews.internal".into()),
                uri: None,
                uri_regex_rewrite: Some(crate::translate::istio::RegexRewrite {
                    pattern: "^/reviews/([0-9]+)$".into(),
                    rewrite: "/api/v1/products/\\1/reviews".into(),
                }),
            }),
            ..Default::default()
        };
        assert_eq!(
            actions(&rule),
            [
                "rewrite: authority reviews.internal, path regex ^/reviews/([0-9]+)$ replaced with /api/v1/products/\\1/reviews before forwarding"
            ]
        );
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn rule(source: &[(&str, &str)], uri: Option<&str>) -> HttpRoute {
        HttpRoute {
            matches: vec![HttpMatch {
                source_labels: labels(source),
                uri: uri.map(|u| StringMatch::Prefix(u.into())),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn rules_for_other_workloads_leave_the_virtual_service_out() {
        let rules = [rule(&[("app", "productpage")], None)];
        let root = request("/", &[]);
        // Every rule is for another workload: istiod writes no route, the host's own serves.
        assert_eq!(
            pick_http(&rules, Some(9080), &root, &Labels::new()),
            Pick::LeftOut
        );
        assert_eq!(
            pick_http(&[], Some(9080), &root, &Labels::new()),
            Pick::LeftOut
        );
        let productpage = labels(&[("app", "productpage")]);
        assert_eq!(
            pick_http(&rules, Some(9080), &root, &productpage),
            Pick::Rule(0)
        );
        // A rule left for this client that the request does not fit is a 404.
        let api = [rule(&[("app", "productpage")], Some("/api"))];
        assert_eq!(
            pick_http(&api, Some(9080), &root, &productpage),
            Pick::NoRule
        );
        // A rule without matches is every client's.
        let both = [api[0].clone(), HttpRoute::default()];
        assert_eq!(
            pick_http(&both, Some(9080), &root, &Labels::new()),
            Pick::Rule(1)
        );
    }

    #[test]
    fn a_match_port_keeps_the_rule_to_that_port() {
        let mut on_9080 = rule(&[], Some("/api"));
        on_9080.matches[0].port = Some(9080);
        let rules = [on_9080, rule(&[], None)];
        let api = request("/api", &[]);
        assert_eq!(
            pick_http(&rules, Some(9080), &api, &Labels::new()),
            Pick::Rule(0)
        );
        // istiod builds the match into port 9080's routes only: elsewhere the next rule serves.
        assert_eq!(
            pick_http(&rules, Some(9443), &api, &Labels::new()),
            Pick::Rule(1)
        );
        assert_eq!(
            pick_http(&rules[..1], Some(9443), &api, &Labels::new()),
            Pick::LeftOut
        );
        assert_eq!(
            pick_http(&rules[..1], None, &api, &Labels::new()),
            Pick::LeftOut
        );
    }

    #[test]
    fn source_labels_see_the_topology_labels_istiod_adds() {
        let rules = [rule(&[(client::CLUSTER, "cluster1")], None)];
        let locality = crate::model::types::Locality {
            region: "us-west-1".into(),
            zone: String::new(),
            subzone: String::new(),
        };
        let proxy = client::augmented(&Labels::new(), "cluster1", &locality, None);
        assert_eq!(
            pick_http(&rules, Some(9080), &request("/", &[]), &proxy),
            Pick::Rule(0)
        );
        let elsewhere = client::augmented(&Labels::new(), "cluster2", &locality, None);
        assert_eq!(
            pick_http(&rules, Some(9080), &request("/", &[]), &elsewhere),
            Pick::LeftOut
        );
    }

    fn tcp(matches: Vec<L4Match>) -> TcpRoute {
        TcpRoute {
            matches,
            route: vec![RouteDestination {
                destination: crate::translate::istio::Destination {
                    host: "h".into(),
                    port: None,
                    subset: None,
                },
                weight: None,
            }],
        }
    }

    #[test]
    fn a_tcp_route_is_chosen_by_its_match() {
        let none = Labels::new();
        let db = labels(&[("app", "db")]);
        let for_db = L4Match {
            source_labels: db.clone(),
            ..Default::default()
        };
        let on_3306 = L4Match {
            port: Some(3306),
            ..Default::default()
        };
        let rules = [tcp(vec![for_db]), tcp(vec![on_3306])];
        assert_eq!(pick_tcp(&rules, Some(5432), &db), Some(0));
        assert_eq!(pick_tcp(&rules, Some(3306), &none), Some(1));
        // Nothing for this client on this port: the host's own cluster, not a refusal.
        assert_eq!(pick_tcp(&rules, Some(5432), &none), None);
        assert_eq!(pick_tcp(&[], Some(5432), &none), None);
        // A route with no destinations is skipped, one with no match takes everything.
        let mut empty = tcp(Vec::new());
        empty.route.clear();
        assert_eq!(pick_tcp(&[empty, tcp(Vec::new())], None, &none), Some(1));
    }
}
