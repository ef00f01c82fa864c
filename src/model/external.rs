//! ExternalService, ExternalEndpoint (`networking.gloo.solo.io/v2`) and ExternalWorkload
//! (`v2alpha1`), decoded like every other Gloo kind after the schema check (the fields read
//! here are listed in `model/schema/read.rs`), with the few rules that need the whole object
//! reported here; and the WorkloadEntries already in a cluster's dump, read leniently as
//! cluster state is.

use super::decode::{DecodeContext, Fields, Located};
use super::gloo::{port_selector, spec};
use super::types::{Labels, LocalitySpec, Meta, PortRef};
use crate::load::node::{Node, Pos, Value};
use crate::rules::external::external_hosts_and_addresses;
use crate::rules::routing::egress_gateway;
use crate::rules::schema::invalid_name;
use std::collections::BTreeMap;

/// `clientsideTls` of an ExternalService port.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EsTls {
    /// SIMPLE (the proto default), DISABLE, MUTUAL or ISTIO_MUTUAL.
    pub mode: String,
    pub sni: Option<String>,
    pub client_certificate: Option<String>,
    pub private_key: Option<String>,
    pub ca_certificates: Option<String>,
    pub credential_name: Option<String>,
    pub insecure_skip_verify: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsPort {
    pub number: u32,
    pub name: String,
    /// Canonical upper case, as VirtualDestination ports are.
    pub protocol: String,
    pub target_port: Option<PortRef>,
    pub tls: Option<EsTls>,
    pub pos: Pos,
}

impl EsPort {
    /// The ServiceEntry port name: the ExternalService's own, else `<protocol>-<number>`.
    pub fn entry_name(&self) -> String {
        if self.name.is_empty() {
            crate::names::port(&self.protocol, self.number)
        } else {
            self.name.to_lowercase()
        }
    }

    /// What an ExternalEndpoint port must match: `targetPort`, else the number.
    pub fn target(&self) -> PortRef {
        self.target_port
            .clone()
            .unwrap_or(PortRef::Number(self.number))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalService {
    pub meta: Meta,
    pub hosts: Vec<Located<String>>,
    pub addresses: Vec<Located<String>>,
    pub ports: Vec<EsPort>,
    /// ExternalEndpoint labels; empty selects none.
    pub selector: Labels,
    pub subject_alt_names: Vec<String>,
    pub spec_pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEndpoint {
    pub meta: Meta,
    pub address: String,
    /// (name, number).
    pub ports: Vec<(String, u32)>,
    pub locality: Option<LocalitySpec>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EwPort {
    pub name: String,
    pub protocol: String,
    pub number: u32,
}

impl EwPort {
    /// The port's name, else `<protocol>-<number>` (WorkloadGroup ports are keyed by name).
    pub fn entry_name(&self) -> String {
        if self.name.is_empty() {
            crate::names::port(&self.protocol, self.number)
        } else {
            self.name.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalWorkload {
    pub meta: Meta,
    pub ports: Vec<EwPort>,
    /// cluster → namespace the workload registers in.
    pub connected_clusters: BTreeMap<String, Located<String>>,
    pub spec_pos: Pos,
}

pub use super::types::LiveWorkloadEntry;

/// One decoded document of these kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalObject {
    Service(ExternalService),
    Endpoint(ExternalEndpoint),
    Workload(ExternalWorkload),
}

/// The external objects of the whole input, each list sorted by (cluster, namespace, name).
#[derive(Debug, Clone, Default)]
pub struct ExternalObjects {
    pub services: Vec<ExternalService>,
    pub endpoints: Vec<ExternalEndpoint>,
    pub workloads: Vec<ExternalWorkload>,
    /// Per ExternalWorkload and connected cluster, a Service-like stand-in (kind
    /// `ExternalWorkload`, in the connected namespace, selecting the workload's labels) so a
    /// VM backs a VirtualDestination the way a Service does. Never in `Cluster::services`.
    pub workload_services: Vec<super::types::Service>,
}

impl ExternalObjects {
    pub fn push(&mut self, object: ExternalObject) {
        match object {
            ExternalObject::Service(s) => self.services.push(s),
            ExternalObject::Endpoint(e) => self.endpoints.push(e),
            ExternalObject::Workload(w) => self.workloads.push(w),
        }
    }

    pub fn sort(&mut self) {
        fn key(m: &Meta) -> (&str, &str, &str) {
            (&m.cluster, &m.namespace, &m.name)
        }
        self.services
            .sort_by(|a, b| key(&a.meta).cmp(&key(&b.meta)));
        self.endpoints
            .sort_by(|a, b| key(&a.meta).cmp(&key(&b.meta)));
        self.workloads
            .sort_by(|a, b| key(&a.meta).cmp(&key(&b.meta)));
        self.workload_services = self
            .workloads
            .iter()
            .flat_map(|w| {
                w.connected_clusters
                    .iter()
                    .map(move |(cluster, ns)| super::types::Service {
                        meta: Meta {
                            cluster: cluster.clone(),
                            namespace: ns.value.clone(),
                            ..w.meta.clone()
                        },
                        selector: w.meta.labels.clone(),
                        ports: w
                            .ports
                            .iter()
                            .map(|p| super::types::ServicePort {
                                name: p.entry_name(),
                                port: p.number,
                                target_port: None,
                                protocol: p.protocol.clone(),
                            })
                            .collect(),
                        ingress: Vec::new(),
                        external_ips: Vec::new(),
                    })
            })
            .collect();
    }
}

fn protocol(p: &str) -> String {
    match p.to_ascii_uppercase().as_str() {
        "GRPC" => "GRPC".to_owned(),
        other => other.to_owned(),
    }
}

const TLS_MODE: &str = "networking.gloo.solo.io.ExternalServiceSpec.Port.TlsConfig.TLSMode";

fn tls(t: &mut Fields) -> EsTls {
    let text = |t: &mut Fields, key| t.string(key).map(|s| s.value).filter(|s| !s.is_empty());
    EsTls {
        // A value that is not one of the enum's was reported by the schema check.
        mode: t
            .enum_value("mode", TLS_MODE, "SIMPLE")
            .unwrap_or_else(|| "SIMPLE".to_owned()),
        sni: text(t, "sni"),
        client_certificate: text(t, "clientCertificate"),
        private_key: text(t, "privateKey"),
        ca_certificates: text(t, "caCertificates"),
        credential_name: text(t, "credentialName"),
        insecure_skip_verify: t.boolean("insecureSkipVerify"),
    }
}

pub(super) fn external_service(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> ExternalService {
    let spec_pos = doc.get("spec").map_or(doc.pos, |n| n.pos);
    let es = spec(cx, doc, |s| {
        let hosts = s.strings("hosts");
        let addresses = s.strings("addresses");
        let ports = s.objects("ports", |p| {
            let pos = p.pos;
            let number = p.port_number("number")?.value;
            // Egress gateways are refused (VDC741): Gloo's routes through them are not public.
            if let Some(routes) = p.get("egressGatewayRoutes") {
                let (site, field) = (p.cx.site(routes.pos), p.path("egressGatewayRoutes"));
                p.cx.push(egress_gateway::external_service_port(site, field, number));
            }
            Some(EsPort {
                number,
                name: p.string("name").map(|n| n.value).unwrap_or_default(),
                protocol: p
                    .string("protocol")
                    .map_or_else(|| "TCP".to_owned(), |v| protocol(&v)),
                target_port: p
                    .object("targetPort", port_selector)
                    .flatten()
                    .map(|t| t.value),
                tls: p.object("clientsideTls", tls),
                pos,
            })
        });
        ExternalService {
            meta,
            hosts,
            addresses,
            ports,
            selector: s.string_map("selector"),
            subject_alt_names: s
                .strings("subjectAltNames")
                .into_iter()
                .map(|s| s.value)
                .collect(),
            spec_pos,
        }
    });
    check_hosts_or_addresses(cx, &es);
    es
}

/// **VDC801 external-hosts-and-addresses**: an ExternalService names its destination by
/// `hosts` or by `addresses`, exactly one of them.
fn check_hosts_or_addresses(cx: &mut DecodeContext, es: &ExternalService) {
    match (es.hosts.is_empty(), es.addresses.is_empty()) {
        (false, false) => {
            let case = external_hosts_and_addresses::Case::Both {
                name: &es.meta.name,
            };
            let site = cx.site(es.addresses[0].pos);
            cx.push(external_hosts_and_addresses::diagnostic(site, case));
        }
        (true, true) => {
            let case = external_hosts_and_addresses::Case::Neither {
                name: &es.meta.name,
            };
            let site = cx.site(es.spec_pos);
            cx.push(external_hosts_and_addresses::diagnostic(site, case));
        }
        _ => {}
    }
}

pub(super) fn external_endpoint(
    cx: &mut DecodeContext,
    doc: &Node,
    meta: Meta,
) -> ExternalEndpoint {
    spec(cx, doc, |s| ExternalEndpoint {
        meta,
        address: s.string("address").map(|a| a.value).unwrap_or_default(),
        ports: s.objects("ports", |p| {
            let number = p.port_number("number")?.value;
            Some((
                p.string("name").map(|n| n.value).unwrap_or_default(),
                number,
            ))
        }),
        locality: s
            .object("locality", |l| LocalitySpec {
                region: l.string("region").map(|r| r.value).unwrap_or_default(),
                zone: l.string("zone").map(|z| z.value),
                sub_zone: l.string("subZone").map(|z| z.value),
            })
            .filter(|l| !l.region.is_empty()),
    })
}

pub(super) fn external_workload(
    cx: &mut DecodeContext,
    doc: &Node,
    meta: Meta,
) -> ExternalWorkload {
    let spec_pos = doc.get("spec").map_or(doc.pos, |n| n.pos);
    spec(cx, doc, |s| {
        let ports = s.objects("ports", |p| {
            Some(EwPort {
                name: p.string("name").map(|n| n.value).unwrap_or_default(),
                protocol: p
                    .string("protocol")
                    .map_or_else(|| "TCP".to_owned(), |v| protocol(&v)),
                number: p.port_number("number")?.value,
            })
        });
        let mut connected_clusters = BTreeMap::new();
        if let Some(Value::Map(entries)) = s.get("connectedClusters").map(|n| &n.value) {
            for (key, value) in entries {
                let path = format!("spec.connectedClusters.{}", key.name);
                let Some(ns) = s.cx.string(value, &path) else {
                    continue;
                };
                // The namespace the workload registers in names generated objects' namespace
                // and output path, as `metadata.namespace` does: it must be a DNS label.
                if !crate::dns::is_dns_label(&ns.value) {
                    let problem = invalid_name::Problem::ConnectedNamespace {
                        namespace: &ns.value,
                        workload: &meta.name,
                        cluster: &key.name,
                    };
                    let site = s.cx.site(ns.pos);
                    s.cx.push(invalid_name::diagnostic(site, &path, problem));
                    continue;
                }
                connected_clusters.insert(key.name.clone(), ns);
            }
        }
        ExternalWorkload {
            meta,
            ports,
            connected_clusters,
            spec_pos,
        }
    })
}

/// A `networking.istio.io` WorkloadEntry of a cluster's dump.
pub fn live_workload_entry(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> LiveWorkloadEntry {
    spec(cx, doc, |s| LiveWorkloadEntry {
        meta,
        address: s.string("address").map(|a| a.value).unwrap_or_default(),
        labels: s.string_map("labels"),
        service_account: s
            .string("serviceAccount")
            .map(|a| a.value)
            .unwrap_or_default(),
        locality: s.string("locality").map(|a| a.value).unwrap_or_default(),
        network: s.string("network").map(|a| a.value).unwrap_or_default(),
    })
}
