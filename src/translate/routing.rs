//! VirtualGateways → ingress `Gateway`s; RouteTables → `VirtualService`s.

use super::Output;
use super::istio::*;
use crate::model::routing_types::{self, RequestMatcher, RouteLayer};
use crate::resolve::resolved::{
    self, GatewayPlacement, ResolvedAction, Route, ServiceSubsets, VirtualServicePlacement,
};

fn string_match(m: &routing_types::StringMatch) -> StringMatch {
    match m {
        routing_types::StringMatch::Exact(s) => StringMatch::Exact(s.clone()),
        routing_types::StringMatch::Prefix(s) => StringMatch::Prefix(s.clone()),
        routing_types::StringMatch::Regex(s) => StringMatch::Regex(s.clone()),
    }
}

/// Every matcher carries the gateway's (or workloads') `sourceLabels`, as Gloo writes them, so
/// a VirtualService shared through `exportTo` only applies where the RouteTable meant it to.
fn http_match(
    m: Option<&RequestMatcher>,
    source_labels: &crate::model::types::Labels,
) -> HttpMatch {
    let mut out = HttpMatch {
        source_labels: source_labels.to_map(),
        ..HttpMatch::default()
    };
    let Some(m) = m else { return out };
    out.uri = m.uri.as_ref().map(string_match);
    out.ignore_uri_case = m.ignore_case;
    out.method = m.method.clone().map(StringMatch::Exact);
    out.port = m.port;
    for h in &m.headers {
        let value = h
            .value
            .as_ref()
            .map_or(StringMatch::Regex(".*".into()), string_match);
        if h.invert {
            out.without_headers.insert(h.name.clone(), value);
        } else {
            out.headers.insert(h.name.clone(), value);
        }
    }
    for (name, value) in &m.query_parameters {
        out.query_params.insert(name.clone(), string_match(value));
    }
    out
}

pub(super) fn virtual_service(p: &VirtualServicePlacement) -> VirtualService {
    VirtualService {
        export_to: p.export_to.clone(),
        gateways: p.gateways.clone(),
        hosts: p.table.hosts.iter().map(|h| h.value.clone()).collect(),
        http: (routes_of(p, RouteLayer::Http))
            .map(|r| http_route(r, p))
            .collect(),
        tcp: (routes_of(p, RouteLayer::Tcp))
            .map(|r| TcpRoute {
                matches: matches(r, p, l4_match),
                route: forwarded(r, p),
            })
            .collect(),
        tls: (routes_of(p, RouteLayer::Tls))
            .map(|r| TcpRoute {
                matches: matches(r, p, tls_match),
                route: forwarded(r, p),
            })
            .collect(),
    }
}

/// The routes of `p` from the RouteTable's `layer` list, in order.
fn routes_of<'p, 'w>(
    p: &'p VirtualServicePlacement<'w>,
    layer: RouteLayer,
) -> impl Iterator<Item = &'p Route<'w>> {
    p.routes.iter().filter(move |r| r.at.route.layer == layer)
}

/// A tcp route's match: Gloo's `port`, with the source's `sourceLabels`.
fn l4_match(m: Option<&RequestMatcher>, source_labels: &crate::model::types::Labels) -> L4Match {
    L4Match {
        port: m.and_then(|m| m.port),
        sni_hosts: Vec::new(),
        source_labels: source_labels.to_map(),
    }
}

/// A tls route's match: Gloo's `sniHosts` and `port`, with the source's `sourceLabels`.
fn tls_match(m: Option<&RequestMatcher>, source_labels: &crate::model::types::Labels) -> L4Match {
    L4Match {
        port: m.and_then(|m| m.port),
        sni_hosts: m.map(|m| m.sni_hosts.clone()).unwrap_or_default(),
        source_labels: source_labels.to_map(),
    }
}

/// The destinations of a forwarding route (a tcp or tls route forwards, or was refused).
fn forwarded(r: &Route, p: &VirtualServicePlacement) -> Vec<RouteDestination> {
    match &r.action {
        ResolvedAction::Forward { destinations, .. } => (destinations.iter())
            .map(|d| route_destination(d, p))
            .collect(),
        _ => Vec::new(),
    }
}

/// A route's matches: each matcher (or none) for each source the placement routes for. A
/// selector without labels stands for every source, so then no match needs `sourceLabels`;
/// without matchers or source labels the route matches every request: no `match`.
fn matches<M>(
    r: &Route,
    p: &VirtualServicePlacement,
    one: fn(Option<&RequestMatcher>, &crate::model::types::Labels) -> M,
) -> Vec<M> {
    let no_labels = crate::model::types::Labels::default();
    let sources: Vec<&crate::model::types::Labels> = if p.source_labels.iter().any(|l| l.is_empty())
    {
        Vec::new()
    } else {
        p.source_labels.iter().collect()
    };
    if r.matchers.is_empty() && sources.is_empty() {
        return Vec::new();
    }
    let matchers: Vec<Option<&RequestMatcher>> = if r.matchers.is_empty() {
        vec![None]
    } else {
        r.matchers.iter().map(Some).collect()
    };
    let sources = if sources.is_empty() {
        vec![&no_labels]
    } else {
        sources
    };
    matchers
        .iter()
        .flat_map(|m| sources.iter().map(move |labels| one(*m, labels)))
        .collect()
}

fn http_route(r: &Route, p: &VirtualServicePlacement) -> HttpRoute {
    let mut out = HttpRoute {
        matches: matches(r, p, http_match),
        name: r.name.clone(),
        ..HttpRoute::default()
    };
    match &r.action {
        ResolvedAction::Forward {
            destinations,
            rewrite,
        } => {
            out.route = (destinations.iter())
                .map(|d| route_destination(d, p))
                .collect();
            out.rewrite = (!rewrite.is_empty()).then(|| http_rewrite(rewrite));
        }
        ResolvedAction::Redirect(redirect) => {
            out.redirect = Some(HttpRedirect {
                authority: redirect.authority.clone(),
                redirect_code: redirect.code,
                uri: redirect.uri.clone(),
            });
        }
        ResolvedAction::DirectResponse(response) => {
            out.direct_response = Some(HttpDirectResponse {
                body: (response.body.clone()).map(|string| HttpBody { string }),
                status: response.status,
            });
        }
    }
    let mirror_to = (r.policies.mirror_to.as_ref()).map(|d| local(d, p));
    for (policy, _) in r.policies.iter() {
        super::route_policies::change_route(policy, mirror_to.as_ref(), &mut out);
    }
    out
}

/// `d` as VirtualService `p` names it: a Service destination that names no cluster is its
/// cluster's own Service, and a Service port named by name is that Service's port number.
fn local(d: &resolved::Destination, p: &VirtualServicePlacement) -> resolved::Destination {
    resolved::Destination {
        host: local_host(d, &p.cluster_domain),
        port: p.port_of(d),
        ..d.clone()
    }
}

/// The host of `d` in a cluster of domain `domain` ([`local`]).
fn local_host(d: &resolved::Destination, domain: &str) -> String {
    match (d.service.as_ref()).filter(|s| s.cluster.is_none()) {
        Some(service) => service.host(domain),
        None => d.host.clone(),
    }
}

fn route_destination(d: &resolved::Destination, p: &VirtualServicePlacement) -> RouteDestination {
    RouteDestination {
        destination: Destination {
            host: local_host(d, &p.cluster_domain),
            port: p.port_of(d).map(|number| PortSelector { number }),
            subset: d.subset.clone(),
        },
        weight: d.weight,
    }
}

/// Gloo's `pathRewrite`, `regexRewrite` and `hostRewrite` are Istio's `uri`, `uriRegexRewrite`
/// and `authority`.
fn http_rewrite(rewrite: &routing_types::Rewrite) -> HttpRewrite {
    HttpRewrite {
        authority: rewrite.authority.clone(),
        uri: rewrite.uri.clone(),
        uri_regex_rewrite: (rewrite.uri_regex.clone())
            .map(|(pattern, rewrite)| RegexRewrite { pattern, rewrite }),
    }
}

pub(super) fn gateway(p: &GatewayPlacement) -> Gateway {
    let mut names = std::collections::BTreeSet::new();
    Gateway {
        selector: p.selector.to_map(),
        servers: p
            .servers
            .iter()
            .map(|server| {
                // istiod refuses a Gateway whose servers repeat a port name: a second listener on
                // one port and protocol (each with its own `allowedRouteTables`) takes its index.
                let mut name = crate::names::port(server.listener.protocol, server.number);
                if !names.insert(name.clone()) {
                    name = format!("{name}-{}", server.index);
                }
                Server {
                    hosts: server.hosts.iter().cloned().collect(),
                    port: ServerPort {
                        name,
                        number: server.number,
                        protocol: server.listener.protocol,
                    },
                    tls: server_tls(server.listener),
                }
            })
            .collect(),
    }
}

/// A listener's TLS settings as an Istio server's `tls`: Gloo's `secretName`,
/// `verifySubjectAltName` and `parameters` are Istio's `credentialName`, `subjectAltNames`,
/// `minProtocolVersion`, `maxProtocolVersion` and `cipherSuites`; `httpsRedirect` is Istio's too.
fn server_tls(listener: &crate::model::routing_types::Listener) -> Option<ServerTls> {
    if listener.https_redirect {
        return Some(ServerTls {
            https_redirect: true,
            ..ServerTls::default()
        });
    }
    let tls = listener.tls.as_ref()?;
    Some(ServerTls {
        https_redirect: false,
        credential_name: tls.secret_name.clone(),
        mode: Some(tls.mode.clone()),
        subject_alt_names: tls.subject_alt_names.clone(),
        min_protocol_version: tls.min_protocol_version.clone(),
        max_protocol_version: tls.max_protocol_version.clone(),
        cipher_suites: tls.cipher_suites.clone(),
    })
}

/// The Gateways and VirtualServices of `gateways` and `virtual_services` (one cluster's).
pub(super) fn outputs<'a, 'w: 'a>(
    gateways: impl Iterator<Item = &'a GatewayPlacement<'w>>,
    virtual_services: impl Iterator<Item = &'a VirtualServicePlacement<'w>>,
    workspaces: &crate::resolve::workspaces::Workspaces,
    api_version: &str,
) -> Vec<Output> {
    let mut out = Vec::new();
    for p in gateways {
        let ws = workspaces.of(&p.cluster, &p.namespace).unwrap_or_default();
        out.push(super::output(
            api_version,
            "Gateway",
            &p.gateway.meta,
            &p.cluster,
            &p.namespace,
            &ws,
            p.name.clone(),
            Spec::Gateway(gateway(p)),
        ));
    }
    for p in virtual_services {
        let ws = workspaces.of(&p.cluster, &p.namespace).unwrap_or_default();
        out.push(super::output(
            api_version,
            "VirtualService",
            &p.table.meta,
            &p.cluster,
            &p.namespace,
            &ws,
            p.name.clone(),
            Spec::VirtualService(virtual_service(p)),
        ));
    }
    out
}

/// The DestinationRule that defines the subsets routes ask of a Kubernetes Service in one
/// cluster: no traffic policy (the mesh's auto-mTLS stands), its parent the first RouteTable
/// that asks.
pub(super) fn service_subsets(
    rule: &ServiceSubsets,
    resolved: &crate::resolve::Resolved,
    api_version: &str,
) -> Output {
    let ws = (resolved.workspaces.of(&rule.cluster, &rule.namespace)).unwrap_or_default();
    let spec = DestinationRule {
        export_to: rule.export_to.iter().cloned().collect(),
        host: rule.host.clone(),
        subsets: (rule.subsets.iter())
            .map(|(name, labels)| Subset {
                labels: labels.to_map(),
                name: name.clone(),
            })
            .collect(),
        traffic_policy: TrafficPolicy {
            port_level_settings: Vec::new(),
        },
    };
    super::output(
        api_version,
        "DestinationRule",
        &rule.parent.meta,
        &rule.cluster,
        &rule.namespace,
        &ws,
        rule.name.clone(),
        Spec::DestinationRule(spec),
    )
}
