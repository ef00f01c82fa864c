//! Cluster state: the Kubernetes kinds vdc reads from a dump. Their schema is Kubernetes', so
//! unknown fields pass; only the fields vdc uses are type-checked.

use super::decode::{DecodeContext, Fields, Located};
use super::types::*;
use crate::dns::{is_dns_subdomain, is_ip};
use crate::load::node::{Node, Pos};
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

/// What vdc reads from an `istio` mesh ConfigMap's `data.mesh`.
pub(super) struct MeshData {
    /// The trust domain, when it sets one.
    pub trust_domain: Option<String>,
    /// Whether sidecars capture DNS (`defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE`,
    /// read by Istio as a Go boolean).
    pub dns_capture: bool,
    /// `pathNormalization.normalization`.
    pub path_normalization: PathNormalization,
    /// Where `data.mesh` is.
    pub pos: Pos,
}

/// The [`MeshData`] of an `istio` mesh ConfigMap; `None` without a readable `mesh`.
pub(super) fn mesh_config(cx: &mut DecodeContext, doc: &Node) -> Option<MeshData> {
    let mut root = cx.fields(doc, "");
    let mesh = root.object("data", |d| d.string("mesh")).flatten()?;
    let pos = mesh.pos;
    let parsed = crate::load::parse_documents(&mesh.value).ok()?;
    let mesh = parsed.first()?;
    let trust_domain = mesh
        .get("trustDomain")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if let Some(domain) = trust_domain.as_deref().filter(|d| !is_trust_domain(d)) {
        let case = invalid_value::Case::DumpValue {
            path: "data.mesh.trustDomain",
            value: domain,
            expected: "a SPIFFE trust domain (lower-case letters, digits, `.`, `-` and `_`)",
        };
        cx.push(invalid_value::diagnostic(cx.site(pos), case));
        return None;
    }
    let path_normalization = path_normalization(cx, mesh, pos)?;
    let dns_capture = mesh
        .get("defaultConfig")
        .and_then(|d| d.get("proxyMetadata"))
        .and_then(|m| m.get("ISTIO_META_DNS_CAPTURE"))
        .and_then(|v| v.as_str())
        .is_some_and(|v| matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True"));
    Some(MeshData {
        trust_domain,
        dns_capture,
        path_normalization,
        pos,
    })
}

/// The mesh config's `pathNormalization.normalization` (Istio's default when unset); `None`,
/// with a diagnostic, when it names none: istiod then refuses the whole mesh config.
fn path_normalization(cx: &mut DecodeContext, mesh: &Node, pos: Pos) -> Option<PathNormalization> {
    use crate::load::node::Value;
    let Some(value) = mesh
        .get("pathNormalization")
        .and_then(|p| p.get("normalization"))
    else {
        return Some(PathNormalization::default());
    };
    let name = match &value.value {
        Value::Str(s) => s.clone(),
        Value::Int(n) => n.to_string(),
        Value::Null => return Some(PathNormalization::default()),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) => "a list".to_owned(),
        Value::Map(_) => "a mapping".to_owned(),
    };
    if let Some(found) = PathNormalization::named(&name) {
        return Some(found);
    }
    let case = invalid_value::Case::NotAnEnumValue {
        path: "data.mesh.pathNormalization.normalization",
        value: &name,
        help: format!(
            "istiod refuses a mesh config with such a value and keeps the one it had; use one of {}",
            PathNormalization::NAMES
                .map(|n| format!("`{n}`"))
                .join(", ")
        ),
    };
    cx.push(invalid_value::diagnostic(cx.site(pos), case));
    None
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

/// A SPIFFE trust domain name: lower-case letters, digits, `.`, `-` and `_`.
fn is_trust_domain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}
