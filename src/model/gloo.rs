//! Gloo Mesh v2 KubernetesCluster, Workspace, WorkspaceSettings and VirtualDestination, and the
//! `spec` reader and selectors every Gloo decoder shares, decoded after the schema check
//! ([`crate::model::schema`]): the decoders read only the fields vdc translates.

use super::decode::{DecodeContext, Fields, Located};
use super::types::*;
use crate::load::node::{Node, Value};
use crate::rules::policy::service_isolation;
use crate::rules::schema::{missing_field, untranslated_field};
use crate::rules::vd::{invalid_protocol, no_ports};

/// Reads `spec` (an absent spec reads as empty, so required fields are still reported).
pub(super) fn spec<T>(
    cx: &mut DecodeContext,
    doc: &Node,
    decode: impl FnOnce(&mut Fields) -> T,
) -> T {
    // `spec: null` reads as empty; what is missing from it is reported at `spec:`.
    let null = Node::new(Value::Null, doc.get("spec").map_or(doc.pos, |n| n.pos));
    let spec = doc
        .get("spec")
        .filter(|n| n.value != Value::Null)
        .unwrap_or(&null);
    decode(&mut cx.fields(spec, "spec"))
}

pub(super) fn object_selector(f: &mut Fields) -> ObjectSelector {
    ObjectSelector {
        labels: f.string_map("labels"),
        name: f.string("name").map(|s| s.value),
        namespace: f.string("namespace").map(|s| s.value),
        cluster: f.string("cluster").map(|s| s.value),
        workspace: f.string("workspace").map(|s| s.value),
        pos: f.pos,
    }
}

pub(super) const DESTINATION_KIND: &str = "common.gloo.solo.io.DestinationKind";

const WORKLOAD_KIND: &str = "common.gloo.solo.io.WorkloadSelector.WorkloadKind";

/// `Some` for a workload selector of Kubernetes workloads (`kind: KUBE`, the default); a
/// selector of virtual machines is warned about and left out.
pub(super) fn kube_workloads(w: &mut Fields) -> Option<()> {
    let kind = w.enum_value("kind", WORKLOAD_KIND, "KUBE")?;
    if kind != "KUBE" {
        let path = w.path("kind");
        let pos = w.peek("kind").map_or(w.pos, |n| n.pos);
        let case = untranslated_field::Case::VirtualMachines {
            path: &path,
            kind: &kind,
        };
        let site = w.cx.site(pos);
        w.cx.push(untranslated_field::diagnostic(site, case));
        return None;
    }
    Some(())
}

/// Gloo's `PortSelector`: one of `number` or `name` (the schema check reports both; then the
/// number is read, so nothing else fails for it).
pub(super) fn port_selector(f: &mut Fields) -> Option<Located<PortRef>> {
    if let Some(n) = f.port_number("number") {
        return Some(Located {
            value: PortRef::Number(n.value),
            pos: n.pos,
        });
    }
    f.string("name").map(|n| Located {
        value: PortRef::Name(n.value),
        pos: n.pos,
    })
}

pub(super) fn kubernetes_cluster(cx: &mut DecodeContext, doc: &Node) -> String {
    spec(cx, doc, |s| {
        s.string("clusterDomain")
            .map_or_else(|| "cluster.local".to_owned(), |d| d.value)
    })
}

pub(super) fn workspace(cx: &mut DecodeContext, doc: &Node) -> Vec<ClusterSelector> {
    spec(cx, doc, |s| {
        s.objects("workloadClusters", |c| {
            Some(ClusterSelector {
                name: c.string("name").map(|n| n.value),
                labels: c.string_map("selector"),
                namespaces: c.objects("namespaces", |n| {
                    let name = n.string("name");
                    Some(NamespaceSelector {
                        pos: name.as_ref().map_or(n.pos, |name| name.pos),
                        name: name.map_or_else(|| "*".to_owned(), |n| n.value),
                        labels: n.string_map("labels"),
                        config_enabled: n.boolean("configEnabled").unwrap_or(true),
                    })
                }),
                config_enabled: c.boolean("configEnabled").unwrap_or(true),
                pos: c.pos,
            })
        })
    })
}

const OBJECT_KIND: &str = "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind";

fn workspace_object_selectors(s: &mut Fields, key: &'static str) -> Vec<WorkspaceObjectSelector> {
    s.objects(key, |entry| {
        Some(WorkspaceObjectSelector {
            workspaces: entry.objects("workspaces", |w| {
                Some(WorkspaceSelector {
                    name: w.string("name").map(|n| n.value),
                    labels: w.string_map("selector"),
                })
            }),
            resources: entry.objects("resources", |r| {
                let kind = r.enum_value("kind", OBJECT_KIND, "ALL")?;
                Some(ResourceSelector {
                    kind,
                    labels: r.string_map("labels"),
                    name: r.string("name").map(|n| n.value),
                    namespace: r.string("namespace").map(|n| n.value),
                    cluster: r.string("cluster").map(|n| n.value),
                })
            }),
        })
    })
}

pub(super) struct SettingsSpec {
    pub import_from: Vec<WorkspaceObjectSelector>,
    pub export_to: Vec<WorkspaceObjectSelector>,
    pub east_west_gateways: Vec<EastWestGatewaySelector>,
    pub client_mode: Option<ClientMode>,
}

/// Gloo's `ClientMode` oneof: `auto: {}`, `sniRouting: {}` or `tlsTermination: {}`. The
/// schema check reports a document that sets several (VDC207); the first in schema order is
/// read then.
fn client_mode(m: &mut Fields) -> Option<ClientMode> {
    [
        ("auto", ClientMode::Auto),
        ("sniRouting", ClientMode::SniRouting),
        ("tlsTermination", ClientMode::TlsTermination),
    ]
    .into_iter()
    .find_map(|(key, mode)| m.has(key).then_some(mode))
}

/// An `eastWestGateways` entry's `selector`. Gloo: "When this field is blank, gateway services
/// will be matched using the default labels", `istio: eastwestgateway`; an absent selector and
/// one that sets nothing are both blank.
fn east_west_selector(g: &mut Fields) -> ObjectSelector {
    let pos = g.pos;
    let selector = g.object("selector", object_selector);
    match selector {
        Some(s) if !s.is_blank() => s,
        s => ObjectSelector {
            labels: [("istio", "eastwestgateway")].into_iter().collect(),
            pos: s.map_or(pos, |s| s.pos),
            ..ObjectSelector::default()
        },
    }
}

/// `options.serviceIsolation`: Gloo writes PeerAuthentications, AuthorizationPolicies and
/// (with `trimProxyConfig`) Sidecars whose contents are not public, so either one turned on is
/// refused (VDC614) rather than rendered as a mesh that lets in what Gloo blocks.
fn service_isolation(si: &mut Fields) {
    let on = |si: &mut Fields, key| {
        let pos = si.peek(key).map_or(si.pos, |n| n.pos);
        (si.boolean(key) == Some(true)).then_some(pos)
    };
    let (enabled, trim) = (on(si, "enabled"), on(si, "trimProxyConfig"));
    let (pos, case) = match (enabled, trim) {
        (Some(pos), trim) => (
            pos,
            service_isolation::Case::Isolation {
                trim: trim.is_some(),
            },
        ),
        (None, Some(pos)) => (pos, service_isolation::Case::TrimOnly),
        (None, None) => return,
    };
    let site = si.cx.site(pos);
    si.cx.push(service_isolation::diagnostic(site, case));
}

pub(super) fn workspace_settings(cx: &mut DecodeContext, doc: &Node) -> SettingsSpec {
    spec(cx, doc, |s| {
        let mut settings_mode = None;
        let import_from = workspace_object_selectors(s, "importFrom");
        let export_to = workspace_object_selectors(s, "exportTo");
        let east_west_gateways = s
            .object("options", |o| {
                settings_mode = o.object("virtualDestClientMode", client_mode).flatten();
                o.object("serviceIsolation", service_isolation);
                o.objects("eastWestGateways", |g| {
                    Some(EastWestGatewaySelector {
                        selector: east_west_selector(g),
                        port: g.object("port", port_selector).flatten().map(|p| p.value),
                        tls_termination_port: g
                            .object("tlsTerminationPort", port_selector)
                            .flatten()
                            .map(|p| p.value),
                        host_info_overrides: g.objects("hostInfoOverrides", |h| {
                            Some(HostInfoOverride {
                                addr: h.required_string("addr")?.value,
                                port: h.port_number("port").map(|p| p.value),
                            })
                        }),
                    })
                })
            })
            .unwrap_or_default();
        SettingsSpec {
            import_from,
            export_to,
            east_west_gateways,
            client_mode: settings_mode,
        }
    })
}

/// The protocols a VirtualDestination port accepts, as the CRD enum spells them, and the
/// canonical form vdc emits.
fn canonical_protocol(p: &str) -> Option<&'static str> {
    Some(match p {
        "HTTP" | "http" => "HTTP",
        "HTTPS" | "https" => "HTTPS",
        "GRPC" | "grpc" | "gRPC" => "GRPC",
        "HTTP2" | "http2" => "HTTP2",
        "MONGO" | "mongo" => "MONGO",
        "TCP" | "tcp" => "TCP",
        "TLS" | "tls" => "TLS",
        _ => return None,
    })
}

pub(super) struct VdSpec {
    pub hosts: Vec<Located<String>>,
    pub services: Vec<ObjectSelector>,
    pub ports: Vec<VdPort>,
    pub hosts_pos: crate::load::node::Pos,
    pub external_services: Vec<ObjectSelector>,
    pub external_workloads: Vec<ObjectSelector>,
    pub client_mode: Option<ClientMode>,
}

pub(super) fn virtual_destination(cx: &mut DecodeContext, doc: &Node) -> VdSpec {
    spec(cx, doc, |s| {
        let hosts_pos = s.get("hosts").map_or(s.pos, |n| n.pos);
        let hosts = s.strings("hosts");
        let services = s.objects("services", |sel| Some(object_selector(sel)));
        let external_services = s.objects("externalServices", |sel| Some(object_selector(sel)));
        let external_workloads = s.objects("externalWorkloads", |sel| Some(object_selector(sel)));
        let client_mode = s.object("clientMode", client_mode).flatten();
        let no_ports = s
            .get("ports")
            .is_none_or(|n| matches!(&n.value, Value::Seq(items) if items.is_empty()));
        let ports = s.objects("ports", |p| {
            let number = p.port_number("number");
            if number.is_none() && p.get("number").is_none() {
                let path = p.path("number");
                let case = missing_field::Case::Required { path: &path };
                let site = p.cx.site(p.pos);
                p.cx.push(missing_field::diagnostic(site, case));
            }
            let protocol =
                p.required_string("protocol")
                    .and_then(|proto| match canonical_protocol(&proto) {
                        Some(c) => Some(c.to_owned()),
                        None => {
                            let path = p.path("protocol");
                            let site = p.cx.site(proto.pos);
                            let d = invalid_protocol::diagnostic(site, &path, &proto.value);
                            p.cx.push(d);
                            None
                        }
                    });
            let target_port = p.object("targetPort", port_selector).flatten();
            Some(VdPort {
                number: number?,
                protocol: protocol?,
                target_port,
                pos: p.pos,
            })
        });
        if no_ports {
            let site = s.cx.site(s.pos);
            s.cx.push(no_ports::diagnostic(site));
        }
        VdSpec {
            hosts,
            services,
            ports,
            hosts_pos,
            external_services,
            external_workloads,
            client_mode,
        }
    })
}
