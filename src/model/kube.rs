//! Cluster state: the Kubernetes kinds vdc reads from a dump. Their schema is Kubernetes', so
//! unknown fields pass; only the fields vdc uses are type-checked.

use super::decode::{Cx, Fields};
use super::types::*;
use crate::load::node::Node;

pub(super) fn meta(cx: &mut Cx, doc: &Node, kind: &str, cluster: &str) -> Meta {
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

fn port_ref(cx: &mut Cx, node: &Node, path: &str) -> Option<PortRef> {
    match &node.value {
        crate::load::node::Value::Int(_) => cx
            .uint(node, path, 1, 65535)
            .map(|n| PortRef::Number(n.value)),
        crate::load::node::Value::Str(s) => Some(match s.parse::<u32>() {
            Ok(n) => PortRef::Number(n),
            Err(_) => PortRef::Name(s.clone()),
        }),
        _ => {
            cx.report(
                crate::diagnostic::Code::WrongType,
                node.pos,
                path,
                format!(
                    "`{path}` must be a port number or name, found {}",
                    node.type_name()
                ),
            );
            None
        }
    }
}

pub(super) fn service(cx: &mut Cx, doc: &Node, meta: Meta) -> Service {
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
                        i.string("ip")
                            .or_else(|| i.string("hostname"))
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

fn pod_spec(spec: &mut Fields) -> (String, Vec<(String, u32)>, Option<String>) {
    let sa = spec
        .string("serviceAccountName")
        .or_else(|| spec.string("serviceAccount"))
        .map_or_else(|| "default".to_owned(), |s| s.value);
    let mut ports = Vec::new();
    for list in ["containers", "initContainers"] {
        let list: &'static str = if list == "containers" {
            "containers"
        } else {
            "initContainers"
        };
        for container_ports in spec.objects(list, |c| {
            Some(c.objects("ports", |p| {
                let number = p.port_number("containerPort")?;
                Some((
                    p.string("name").map(|s| s.value).unwrap_or_default(),
                    number.value,
                ))
            }))
        }) {
            ports.extend(container_ports);
        }
    }
    let node = spec.string("nodeName").map(|s| s.value);
    (sa, ports, node)
}

/// A Pod, or a controller's pod template.
pub(super) fn workload(cx: &mut Cx, doc: &Node, meta: Meta) -> Workload {
    let mut root = cx.fields(doc, "");
    let (labels, (sa, ports, node)) = if meta.kind == "Pod" {
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
        service_account: if sa.is_empty() { "default".into() } else { sa },
        container_ports: ports,
        node_name: node,
    }
}

pub(super) fn node(cx: &mut Cx, meta: &Meta) -> KubeNode {
    let _ = cx;
    let label = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| meta.labels.get(*k))
            .cloned()
            .unwrap_or_default()
    };
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

/// The trust domain from the `istio` mesh ConfigMap's `data.mesh`, when it sets one.
pub(super) fn mesh_trust_domain(cx: &mut Cx, doc: &Node) -> Option<String> {
    let mut root = cx.fields(doc, "");
    let mesh = root.object("data", |d| d.string("mesh")).flatten()?;
    let parsed = crate::load::parse_documents(&mesh).ok()?;
    let trust_domain = parsed.first()?.get("trustDomain")?.as_str()?.to_owned();
    Some(trust_domain).filter(|t| !t.is_empty())
}

/// Hosts of an Istio object already in the cluster.
pub(super) fn istio_hosts(cx: &mut Cx, doc: &Node) -> Vec<String> {
    let mut root = cx.fields(doc, "");
    root.object("spec", |spec| {
        let mut hosts: Vec<String> = spec.strings("hosts").into_iter().map(|h| h.value).collect();
        hosts.extend(spec.string("host").map(|h| h.value));
        hosts
    })
    .unwrap_or_default()
}
