//! VirtualService selection and first-match routing, as a sidecar's route table does it: the
//! VirtualServices for the host visible in the client's namespace and bound to `mesh`, the
//! first rule whose match fits the request.

use super::Labels;
use super::RuleId;
use super::config::{self, ClusterView, exported_to, host_matches, qualified};
use super::question::Question;
use crate::model::selector::labels_match;
use crate::translate::istio::{
    HttpMatch, HttpRoute, ObjectMeta, RouteDestination, StringMatch, VirtualService,
};
use std::collections::BTreeMap;

/// The request a trace sends: path, query, headers, and method (`GET`).
pub struct Request {
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    pub method: &'static str,
}

impl Request {
    pub fn new(question: &Question) -> Request {
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
        Request {
            path: if path.is_empty() {
                "/".into()
            } else {
                path.into()
            },
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
    /// A rule matched: its index and name, and its destinations.
    Rule {
        vs: &'a ObjectMeta,
        rule: RuleId,
        destinations: Vec<RouteDest>,
        /// What the rule does besides forwarding (redirect, direct response, rewrite).
        actions: Vec<String>,
    },
    /// The VirtualService has no rule for this request (404 NR).
    NoRule(&'a ObjectMeta),
}

/// The VirtualService for `host` the client's sidecar uses: visible in its namespace, bound to
/// `mesh`; one in the client's namespace first, then by namespace and name.
pub fn virtual_service<'a>(
    view: &ClusterView<'a>,
    client_ns: &str,
    host: &str,
) -> Option<(&'a ObjectMeta, &'a VirtualService)> {
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
    found.into_iter().next()
}

/// Routes the request through `vs` (`http` rules for an HTTP port, else `tcp`).
pub fn route<'a>(
    view: &ClusterView,
    meta: &'a ObjectMeta,
    vs: &'a VirtualService,
    http: bool,
    request: &Request,
    client_labels: &Labels,
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
        return match vs.tcp.first() {
            Some(tcp) => Routed::Rule {
                vs: meta,
                rule: RuleId::Index(0),
                destinations: dests(&tcp.route),
                actions: Vec::new(),
            },
            None => Routed::NoRule(meta),
        };
    }
    for (i, rule) in vs.http.iter().enumerate() {
        let fits = rule.matches.is_empty()
            || rule
                .matches
                .iter()
                .any(|m| matches(m, request, client_labels));
        if fits {
            let id = if rule.name.is_empty() {
                RuleId::Index(i)
            } else {
                RuleId::Name(rule.name.clone())
            };
            return Routed::Rule {
                vs: meta,
                rule: id,
                destinations: dests(&rule.route),
                actions: actions(rule),
            };
        }
    }
    Routed::NoRule(meta)
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
    if let Some(r) = &rule.rewrite {
        let mut parts = Vec::new();
        if let Some(a) = &r.authority {
            parts.push(format!("authority {a}"));
        }
        if let Some(u) = &r.uri {
            parts.push(format!("path {u}"));
        }
        out.push(format!("rewrite: {} before forwarding", parts.join(", ")));
    }
    out
}

/// One `match` entry: every condition it sets holds.
fn matches(m: &HttpMatch, request: &Request, client_labels: &Labels) -> bool {
    let uri_fits = m.uri.as_ref().is_none_or(|uri| {
        // Envoy's `case_sensitive` applies to exact and prefix paths, never to a regex.
        if m.ignore_uri_case && !matches!(uri, StringMatch::Regex(_)) {
            string_fits(&lower(uri), &request.path.to_ascii_lowercase())
        } else {
            string_fits(uri, &request.path)
        }
    });
    let header = |name: &String| request.headers.get(&name.to_ascii_lowercase());
    uri_fits
        && labels_match(&m.source_labels, client_labels)
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

fn lower(s: &StringMatch) -> StringMatch {
    match s {
        StringMatch::Exact(v) => StringMatch::Exact(v.to_ascii_lowercase()),
        StringMatch::Prefix(v) => StringMatch::Prefix(v.to_ascii_lowercase()),
        StringMatch::Regex(v) => StringMatch::Regex(v.clone()),
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
    use crate::trace::question;

    fn request(path: &str, headers: &[(&str, &str)]) -> Request {
        let mut q = Question::new("c/ns".parse().unwrap(), "h").unwrap();
        q.path = path.into();
        for (k, v) in headers {
            let (k, v) = question::parse_header(&format!("{k}={v}")).unwrap();
            q.headers.insert(k, v);
        }
        Request::new(&q)
    }

    #[test]
    fn a_match_needs_every_condition() {
        let mut m = HttpMatch {
            uri: Some(StringMatch::Prefix("/api".into())),
            ..Default::default()
        };
        m.headers
            .insert("end-user".into(), StringMatch::Exact("jason".into()));
        let labels = Labels::new();
        assert!(matches(
            &m,
            &request("/api/v1", &[("End-User", "jason")]),
            &labels
        ));
        assert!(!matches(&m, &request("/api/v1", &[]), &labels));
        assert!(!matches(
            &m,
            &request("/web", &[("end-user", "jason")]),
            &labels
        ));
        m.query_params
            .insert("q".into(), StringMatch::Regex("a+".into()));
        assert!(matches(
            &m,
            &request("/api?q=aaa", &[("end-user", "jason")]),
            &labels
        ));
        assert!(!matches(
            &m,
            &request("/api?q=ab", &[("end-user", "jason")]),
            &labels
        ));
        m.source_labels.insert("app".into(), "productpage".into());
        assert!(!matches(
            &m,
            &request("/api?q=a", &[("end-user", "jason")]),
            &labels
        ));
    }

    #[test]
    fn ignore_uri_case_folds_exact_and_prefix_paths_but_not_regexes() {
        let labels = Labels::new();
        let mut m = HttpMatch {
            uri: Some(StringMatch::Prefix("/api".into())),
            ignore_uri_case: true,
            ..Default::default()
        };
        assert!(matches(&m, &request("/API/v1", &[]), &labels));
        m.uri = Some(StringMatch::Regex(".*\\.php".into()));
        assert!(
            !matches(&m, &request("/X.PHP", &[]), &labels),
            "Envoy ignores it"
        );
        m.uri = Some(StringMatch::Regex("(?i).*\\.php".into()));
        assert!(matches(&m, &request("/X.PHP", &[]), &labels));
    }
}
