//! The service istiod builds a client's cluster for (a ServiceEntry or a Kubernetes Service
//! visible in the client's namespace, with Istio's tie-breaks), and the DestinationRule that
//! applies to it (the client's namespace, then the service's, then the root namespace).

use super::Fault;
use super::config::{self, ClusterView, exported_to, host_matches, specificity};
use crate::model::types::{PortRef, Service};
use crate::translate::istio::{DestinationRule, ObjectMeta, PortTrafficPolicy, ServiceEntry};

/// Istio's root namespace, whose DestinationRules apply mesh-wide.
const ROOT_NAMESPACE: &str = "istio-system";

/// Where a service comes from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    Entry(&'a ServiceEntry),
    Kube(&'a Service),
}

/// One port of a service: what clients dial and where it lands.
#[derive(Debug, Clone)]
pub struct SvcPort {
    pub name: String,
    pub number: u32,
    pub protocol: String,
    /// The workload port: a number, or a container port's name (Kubernetes Services).
    pub target: Option<PortRef>,
}

impl SvcPort {
    /// Whether the sidecar routes this port as HTTP (VirtualService `http` routes).
    pub fn is_http(&self) -> bool {
        matches!(
            self.protocol.to_ascii_uppercase().as_str(),
            "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB"
        )
    }
}

#[derive(Clone, Copy)]
pub struct Svc<'a> {
    pub source: Source<'a>,
    pub namespace: &'a str,
    pub name: &'a str,
}

impl<'a> Svc<'a> {
    pub fn kind(&self) -> &'static str {
        match self.source {
            Source::Entry(_) => "ServiceEntry",
            Source::Kube(_) => "Service",
        }
    }

    /// `Kind namespace/name`.
    pub fn describe(&self) -> String {
        format!("{} {}/{}", self.kind(), self.namespace, self.name)
    }

    pub fn fault(&self, cluster: &str, reason: String) -> Fault {
        Fault {
            cluster: cluster.into(),
            kind: self.kind().into(),
            object: Some(format!("{}/{}", self.namespace, self.name)),
            reason,
            response: None,
        }
    }

    pub fn ports(&self) -> Vec<SvcPort> {
        match self.source {
            Source::Entry(se) => se
                .ports
                .iter()
                .map(|p| SvcPort {
                    name: p.name.clone(),
                    number: p.number,
                    protocol: p.protocol.clone(),
                    target: p.target_port.map(PortRef::Number),
                })
                .collect(),
            Source::Kube(svc) => svc
                .ports
                .iter()
                .map(|p| SvcPort {
                    name: p.name.clone(),
                    number: p.port,
                    protocol: kube_protocol(&p.name, &p.protocol),
                    target: p.target_port.clone(),
                })
                .collect(),
        }
    }

    /// Whether the service is outside the mesh (no sidecar answers: no auto mTLS).
    pub fn external(&self) -> bool {
        matches!(self.source, Source::Entry(se) if se.location == "MESH_EXTERNAL")
    }

    fn export_to(&self) -> &'a [String] {
        match self.source {
            Source::Entry(se) => &se.export_to,
            Source::Kube(_) => &[],
        }
    }
}

/// Istio's protocol of a Kubernetes Service port: from its name's prefix (`http-…`), else TCP.
fn kube_protocol(name: &str, protocol: &str) -> String {
    let prefix = name.split('-').next().unwrap_or("").to_ascii_uppercase();
    match prefix.as_str() {
        "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB" | "HTTPS" | "TLS" | "TCP" => prefix,
        _ if protocol.eq_ignore_ascii_case("UDP") => "UDP".into(),
        _ => "TCP".into(),
    }
}

/// Every service of the cluster that declares `host`, in the order istiod lists services:
/// the cluster's own Services (by creation time), then the ServiceEntries vdc writes (newer
/// than anything already there).
fn candidates<'a>(view: &ClusterView<'a>, host: &str) -> Vec<Svc<'a>> {
    let domain = view.cluster_domain();
    let mut kube: Vec<&'a Service> = view
        .cluster
        .services
        .iter()
        .filter(|s| format!("{}.{}.svc.{domain}", s.meta.name, s.meta.namespace) == host)
        .collect();
    kube.sort_by(|a, b| {
        let key = |s: &Service| {
            (
                s.meta.creation_timestamp.clone(),
                s.meta.name.clone(),
                s.meta.namespace.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut out: Vec<Svc<'a>> = kube
        .into_iter()
        .map(|s| Svc {
            source: Source::Kube(s),
            namespace: &s.meta.namespace,
            name: &s.meta.name,
        })
        .collect();
    let mut entries: Vec<Svc<'a>> = view
        .each(config::service_entry)
        .filter(|(_, se)| se.hosts.iter().any(|h| host_matches(h, host)))
        .map(|(meta, se)| Svc {
            source: Source::Entry(se),
            namespace: &meta.namespace,
            name: &meta.name,
        })
        .collect();
    entries.sort_by_key(|s| (s.name, s.namespace));
    out.extend(entries);
    out
}

/// The service the client's sidecar has for `host`, as `DefaultSidecarScopeForNamespace`
/// picks one namespace per host: the client's own, else a Kubernetes Service over a
/// ServiceEntry, else the first listed. `Err` blames what keeps the host out of sight.
pub fn visible_service<'a>(
    view: &ClusterView<'a>,
    client_ns: &str,
    host: &str,
) -> Result<Svc<'a>, Fault> {
    let all = candidates(view, host);
    let visible: Vec<Svc<'a>> = all
        .iter()
        .copied()
        .filter(|s| exported_to(s.export_to(), s.namespace, client_ns))
        .collect();
    let mut chosen: Option<(&str, bool)> = None;
    for s in &visible {
        let is_kube = matches!(s.source, Source::Kube(_));
        chosen = match chosen {
            None => Some((s.namespace, is_kube)),
            Some(_) if s.namespace == client_ns => Some((s.namespace, is_kube)),
            Some((ns, false)) if is_kube && (s.namespace == client_ns || ns != client_ns) => {
                Some((s.namespace, true))
            }
            kept => kept,
        };
    }
    if let Some((namespace, _)) = chosen {
        return Ok(*visible
            .iter()
            .find(|s| s.namespace == namespace)
            .unwrap_or(&visible[0]));
    }
    Err(match all.first() {
        Some(hidden) => hidden.fault(
            view.name,
            format!(
                "declares {host} but exports it to {}, not to namespace {client_ns}",
                hidden.export_to().join(", ")
            ),
        ),
        None => Fault {
            cluster: view.name.into(),
            kind: "ServiceEntry".into(),
            object: None,
            reason: format!(
                "no ServiceEntry or Service in {} declares {host}{}",
                view.name,
                near_host(view, host)
            ),
            response: None,
        },
    })
}

/// " (did you mean `productpage.global`?)" when a host the cluster's Services or ServiceEntries
/// declare is close enough to `host` to be what was meant; else nothing.
fn near_host(view: &ClusterView<'_>, host: &str) -> String {
    let domain = view.cluster_domain();
    let mut known: Vec<String> = view
        .cluster
        .services
        .iter()
        .map(|s| format!("{}.{}.svc.{domain}", s.meta.name, s.meta.namespace))
        .collect();
    known.extend(
        view.each(config::service_entry)
            .flat_map(|(_, se)| se.hosts.iter().cloned()),
    );
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    crate::text::closest(host, &known)
        .map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"))
}

/// The DestinationRule for `host` as istiod looks it up for a client in `client_ns`: one in
/// that namespace, else one the service's namespace exports to it, else the root
/// namespace's. Within a namespace the most specific host wins, then the first by name.
pub fn destination_rule<'a>(
    view: &ClusterView<'a>,
    client_ns: &str,
    service_ns: &str,
    host: &str,
) -> Option<(&'a ObjectMeta, &'a DestinationRule)> {
    let mut rules: Vec<(&'a ObjectMeta, &'a DestinationRule)> = view
        .each(config::destination_rule)
        .filter(|(meta, dr)| {
            host_matches(&dr.host, host) && exported_to(&dr.export_to, &meta.namespace, client_ns)
        })
        .collect();
    rules.sort_by(|a, b| {
        specificity(&b.1.host)
            .cmp(&specificity(&a.1.host))
            .then(a.0.name.cmp(&b.0.name))
    });
    [client_ns, service_ns, ROOT_NAMESPACE]
        .iter()
        .find_map(|ns| {
            rules
                .iter()
                .find(|(meta, _)| meta.namespace == *ns)
                .copied()
        })
}

/// The DestinationRule's settings for `port` (vdc writes them per port).
pub fn port_policy(rule: &DestinationRule, port: u32) -> Option<&PortTrafficPolicy> {
    rule.traffic_policy
        .port_level_settings
        .iter()
        .find(|p| p.port.number == port)
}
