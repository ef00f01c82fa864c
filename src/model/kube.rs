//! Cluster state: the Kubernetes kinds vdc reads from a dump. Their schema is Kubernetes', so
//! unknown fields pass; only the fields vdc uses are type-checked.

use super::decode::{DecodeContext, Fields, Located};
use super::types::*;
use crate::dns::{is_dns_subdomain, is_ip};
use crate::load::node::Node;
use crate::rules::schema::invalid_value;

pub(super) fn meta(cx: &mut DecodeContext, doc: &Node, kind: &str, cluster: &str) -> Meta {
    let mut fields = cx.fields(doc, "");
    let pos = fields.pos;
    let (namespace, name, labels, created) = fields
        .object("metadata", |m| {
            (
                m.string("namespace").map(|s| s.value).unwrap_or_default(),
                m.string("name").map(|s| s.value).unwrap_or_default(),
                m.string_map("labels"),
                m.get("creationTimestamp")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
            )
        })
        .unwrap_or_default();
    let file = fields.cx.file.clone();
    Meta {
        kind: kind.to_owned(),
        cluster: cluster.to_owned(),
        namespace,
        name,
        labels,
        creation_timestamp: created,
        file,
        pos,
    }
}

fn port_ref(cx: &mut DecodeContext, node: &Node, path: &str) -> Option<PortRef> {
    match &node.value {
        crate::load::node::Value::Int(_) => cx
            .uint(node, path, 1, 65535)
            .map(|n| PortRef::Number(n.value)),
        crate::load::node::Value::Str(s) => Some(match s.parse::<u32>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(s.clone()),
        }),
        _ => {
            let case = crate::rules::schema::wrong_type::Case::Field {
                path,
                expected: "a port number or name",
                found: node.type_name(),
            };
            cx.push(crate::rules::schema::wrong_type::diagnostic(
                cx.site(node.pos),
                case,
            ));
            None
        }
    }
}

pub(super) fn service(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> Service {
    let mut root = cx.fields(doc, "");
    let (selector, ports, external_ips) = root
        .object("spec", |spec| {
            let selector = spec.string_map("selector");
            let ports = spec.objects("ports", |p| {
                let port = p.port_number("port")?;
                let target_path = p.path("targetPort");
                let target_port = p
                    .get("targetPort")
                    .and_then(|n| port_ref(p.cx, n, &target_path));
                Some(ServicePort {
                    name: p.string("name").map(|s| s.value).unwrap_or_default(),
                    port: port.value,
                    target_port,
                    protocol: p
                        .string("protocol")
                        .map_or_else(|| "TCP".to_owned(), |s| s.value),
                })
            });
            let external_ips = spec
                .strings("externalIPs")
                .into_iter()
                .map(|s| s.value)
                .collect();
            (selector, ports, external_ips)
        })
        .unwrap_or_default();
    let ingress = root
        .object("status", |status| {
            status
                .object("loadBalancer", |lb| {
                    lb.objects("ingress", |i| {
                        let ip = checked(i, "ip", is_ip, "an IP address");
                        ip.or_else(|| checked(i, "hostname", is_dns_subdomain, "a DNS name"))
                            .map(|s| s.value)
                    })
                })
                .unwrap_or_default()
        })
        .unwrap_or_default();
    Service {
        meta,
        selector,
        ports,
        ingress,
        external_ips,
    }
}

/// What vdc reads of a pod spec.
#[derive(Default)]
struct PodSpec {
    /// Empty when the spec names none.
    service_account: String,
    container_ports: Vec<ContainerPort>,
    node_name: Option<String>,
}

fn pod_spec(spec: &mut Fields) -> PodSpec {
    let account = "a service account name (a DNS subdomain)";
    let service_account = checked(spec, "serviceAccountName", is_dns_subdomain, account)
        .or_else(|| checked(spec, "serviceAccount", is_dns_subdomain, account))
        .map_or_else(|| "default".to_owned(), |s| s.value);
    let mut container_ports = Vec::new();
    for list in ["containers", "initContainers"] {
        for ports in spec.objects(list, |c| {
            Some(c.objects("ports", |p| {
                let number = p.port_number("containerPort")?;
                Some(ContainerPort {
                    name: p.string("name").map(|s| s.value).unwrap_or_default(),
                    number: number.value,
                })
            }))
        }) {
            if container_ports.is_empty() {
                // Most pods have one container: its list is kept as it is, sized to it.
                container_ports = ports;
            } else {
                container_ports.extend(ports);
            }
        }
    }
    PodSpec {
        service_account,
        container_ports,
        node_name: spec.string("nodeName").map(|s| s.value),
    }
}

/// A Pod, or a controller's pod template.
pub(super) fn workload(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> Workload {
    let mut root = cx.fields(doc, "");
    let (labels, spec) = if meta.kind == "Pod" {
        let spec = root.object("spec", |s| pod_spec(s)).unwrap_or_default();
        (meta.labels.clone(), spec)
    } else {
        root.object("spec", |spec| {
            spec.object("template", |t| {
                let labels = t
                    .object("metadata", |m| m.string_map("labels"))
                    .unwrap_or_default();
                (
                    labels,
                    t.object("spec", |s| pod_spec(s)).unwrap_or_default(),
                )
            })
            .unwrap_or_default()
        })
        .unwrap_or_default()
    };
    Workload {
        meta,
        pod_labels: labels,
        service_account: if spec.service_account.is_empty() {
            "default".into()
        } else {
            spec.service_account
        },
        container_ports: spec.container_ports,
        node_name: spec.node_name,
    }
}

pub(super) fn node(cx: &mut DecodeContext, meta: &Meta) -> KubeNode {
    let mut label = |keys: &[&str]| {
        let (key, value) = keys
            .iter()
            .find_map(|k| meta.labels.get(k).map(|v| (*k, v)))?;
        if is_locality_part(value) {
            return Some(value.to_owned());
        }
        let path = format!("metadata.labels.{key}");
        let case = invalid_value::Case::DumpValue {
            path: &path,
            value,
            expected: "a label value Istio can use in a locality (letters, digits, `-`, `_` and `.`, at most 63)",
        };
        cx.push(invalid_value::diagnostic(cx.site(meta.pos), case));
        None
    };
    let mut label = |keys: &[&str]| label(keys).unwrap_or_default();
    KubeNode {
        name: meta.name.clone(),
        locality: Locality {
            region: label(&[
                "topology.kubernetes.io/region",
                "failure-domain.beta.kubernetes.io/region",
            ]),
            zone: label(&[
                "topology.kubernetes.io/zone",
                "failure-domain.beta.kubernetes.io/zone",
            ]),
            subzone: label(&["topology.istio.io/subzone"]),
        },
    }
}

/// Hosts of an Istio object already in the cluster.
pub(super) fn istio_hosts(cx: &mut DecodeContext, doc: &Node) -> Vec<String> {
    let mut root = cx.fields(doc, "");
    root.object("spec", |spec| {
        let mut hosts: Vec<String> = spec.strings("hosts").into_iter().map(|h| h.value).collect();
        hosts.extend(spec.string("host").map(|h| h.value));
        hosts
    })
    .unwrap_or_default()
}

/// `spec.selector` and `spec.servers` of a Gateway already in the cluster, read leniently:
/// the object is the user's, so whatever vdc cannot read is left out, never reported.
pub(super) fn gateway_servers(doc: &Node) -> (Labels, Vec<ExistingServer>) {
    use crate::load::node::Value;
    let Some(spec) = doc.get("spec") else {
        return Default::default();
    };
    let selector = match spec.get("selector").map(|s| &s.value) {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter_map(|(k, v)| Some((k.name.clone(), v.scalar_text()?)))
            .collect(),
        _ => Labels::new(),
    };
    let servers = match spec.get("servers").map(|s| &s.value) {
        Some(Value::Seq(servers)) => servers
            .iter()
            .filter_map(|server| {
                let port = match server.get("port")?.get("number")?.value {
                    Value::Int(n) => u32::try_from(n).ok()?,
                    _ => return None,
                };
                let hosts = match &server.get("hosts")?.value {
                    Value::Seq(hosts) => hosts
                        .iter()
                        .filter_map(Node::as_str)
                        .map(|h| h.rsplit_once('/').map_or(h, |(_, h)| h).to_owned())
                        .collect(),
                    _ => Vec::new(),
                };
                Some(ExistingServer {
                    port,
                    hosts,
                    pos: server.pos,
                })
            })
            .collect(),
        _ => Vec::new(),
    };
    (selector, servers)
}

/// The string at `key`, when it is a value Kubernetes accepts there (`valid`); otherwise
/// VDC207 at the value, and `None`: a dump value that reaches the output is never trusted as is.
fn checked(
    f: &mut Fields,
    key: &'static str,
    valid: fn(&str) -> bool,
    expected: &str,
) -> Option<Located<String>> {
    let value = f.string(key)?;
    if valid(&value.value) {
        return Some(value);
    }
    let path = f.path(key);
    let case = invalid_value::Case::DumpValue {
        path: &path,
        value: &value.value,
        expected,
    };
    let site = f.cx.site(value.pos);
    f.cx.push(invalid_value::diagnostic(site, case));
    None
}

/// A Kubernetes label value that Istio can put in a locality (`region/zone/subzone`).
fn is_locality_part(s: &str) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| c.is_ascii_alphanumeric());
    s.len() <= 63
        && edge(s.chars().next())
        && edge(s.chars().last())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
