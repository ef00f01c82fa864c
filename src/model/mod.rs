//! `model`: raw documents → checked, typed, resolved input ("parse, don't validate").

pub mod applied;
pub mod decode;
mod gloo;
mod kube;
pub mod names;
pub mod policy;
pub mod resolve;
pub mod routing;
pub mod types;
pub mod workspaces;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::load::{Document, Loaded, Settings};
use decode::Cx;
use std::collections::{BTreeMap, HashMap};
use types::*;

/// The whole input, typed.
#[derive(Debug, Default)]
pub struct World {
    pub settings: Settings,
    pub clusters: BTreeMap<String, Cluster>,
    pub kubernetes_clusters: BTreeMap<String, KubernetesCluster>,
    /// Sorted by name. Empty when the input has none (the implicit `global` workspace applies).
    pub workspaces: Vec<Workspace>,
    pub workspace_settings: Vec<WorkspaceSettings>,
    /// Sorted by (namespace, name, cluster): the order VIP collisions are settled in.
    pub virtual_destinations: Vec<VirtualDestination>,
    pub failover_policies: Vec<FailoverPolicy>,
    pub outlier_detection_policies: Vec<OutlierDetectionPolicy>,
    pub route_tables: Vec<RouteTable>,
    pub virtual_gateways: Vec<VirtualGateway>,
    /// Documents of kinds vdc does not read.
    pub skipped: usize,
}

/// What vdc does with a document of this group and kind.
enum Role {
    State,
    Gloo,
    UntranslatedGloo,
    Ignored,
}

fn role(group: &str, kind: &str) -> Role {
    match (group, kind) {
        ("", "Namespace" | "Service" | "Pod" | "Node" | "ConfigMap")
        | ("apps", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | (
            "networking.istio.io",
            "ServiceEntry" | "DestinationRule" | "VirtualService" | "Gateway",
        ) => Role::State,
        ("admin.gloo.solo.io", "KubernetesCluster" | "Workspace" | "WorkspaceSettings")
        | ("networking.gloo.solo.io", "VirtualDestination" | "RouteTable" | "VirtualGateway")
        | ("resilience.policy.gloo.solo.io", "FailoverPolicy" | "OutlierDetectionPolicy") => {
            Role::Gloo
        }
        (g, _) if g.ends_with(".solo.io") => Role::UntranslatedGloo,
        _ => Role::Ignored,
    }
}

pub fn build(loaded: &Loaded) -> (World, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut world = World {
        settings: loaded.settings.clone(),
        skipped: loaded.skipped,
        ..World::default()
    };
    let mgmt = loaded.settings.management_cluster.clone();

    for name in &loaded.clusters {
        if !names::is_dns_label(name) {
            diags.push(
                Diagnostic::new(
                    Code::InvalidClusterName,
                    format!("the cluster folder `clusters/{name}` is not a valid cluster name"),
                )
                .help("a cluster name is a DNS label: at most 63 lower-case letters, digits and `-`, starting and ending with a letter or digit"),
            );
            continue;
        }
        world.clusters.insert(
            name.clone(),
            Cluster {
                name: name.clone(),
                cluster_domain: "cluster.local".into(),
                ..Cluster::default()
            },
        );
    }

    // (cluster, group, kind, namespace, name) → where it was first defined.
    type Identity = (String, String, String, String, String);
    let mut seen: HashMap<Identity, (std::sync::Arc<str>, u32)> = HashMap::new();
    for doc in &loaded.documents {
        let group = doc.group().to_owned();
        let role = role(&group, &doc.kind);
        if matches!(role, Role::Ignored) {
            world.skipped += 1;
            continue;
        }
        let cluster = doc.cluster.clone().unwrap_or_else(|| mgmt.clone());
        let object = ObjectRef {
            cluster: cluster.clone(),
            kind: doc.kind.clone(),
            namespace: doc.namespace.clone(),
            name: doc.name.clone(),
        };
        let mut cx = Cx::new(
            doc.file.clone(),
            object.clone(),
            loaded.source(&doc.file).cloned(),
        );
        let key = (
            cluster.clone(),
            group.clone(),
            doc.kind.clone(),
            doc.namespace.clone(),
            doc.name.clone(),
        );
        if let Some((file, line)) = seen.get(&key) {
            cx.report_with_help(
                Code::DuplicateObject,
                doc.pos(),
                "metadata.name",
                format!("{object} is defined twice; the first is at {file}:{line}"),
                "remove one of the two, or rename it",
            );
            diags.extend(cx.diags);
            continue;
        }
        seen.insert(key, (doc.file.clone(), doc.pos().line));
        match role {
            Role::State => {
                if doc.cluster.is_none() {
                    cx.report_with_help(
                        Code::StateOutsideClusters,
                        doc.pos(),
                        "",
                        format!("{} `{}` is cluster state, but it is not under `clusters/<cluster>/`", doc.kind, doc.name),
                        "move the file into the folder of the cluster it was dumped from",
                    );
                } else if let Some(c) = world.clusters.get_mut(&cluster) {
                    add_state(&mut cx, c, doc);
                }
            }
            Role::Gloo => add_gloo(&mut cx, &mut world, doc, &cluster),
            Role::UntranslatedGloo => cx.report(
                Code::UntranslatedKind,
                doc.pos(),
                "kind",
                format!("{} is a Gloo kind vdc does not translate yet; `{}` has no effect on the output", doc.kind, doc.name),
            ),
            Role::Ignored => unreachable!("ignored documents were skipped above"),
        }
        if let Role::Gloo | Role::UntranslatedGloo = role {
            check_gloo_names(&mut cx, doc);
        }
        if let Some(c) = world.clusters.get_mut(&cluster)
            && !doc.namespace.is_empty()
        {
            c.namespaces.entry(doc.namespace.clone()).or_default();
        }
        diags.extend(cx.diags);
    }

    for kc in world.kubernetes_clusters.values() {
        match world.clusters.get_mut(&kc.meta.name) {
            Some(c) => {
                c.labels = kc.meta.labels.clone();
                c.cluster_domain = kc.cluster_domain.clone();
            }
            None if kc.meta.name == mgmt => {}
            None => diags.push(
                Diagnostic::new(
                    Code::UnknownCluster,
                    format!("KubernetesCluster `{}` names a cluster that has no folder `clusters/{}/`", kc.meta.name, kc.meta.name),
                )
                .at(&kc.meta.file, kc.meta.pos)
                .object(kc.meta.object_ref())
                .help("add the cluster's state dump under that folder, or remove the KubernetesCluster"),
            ),
        }
    }

    world
        .workspaces
        .sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    world.virtual_destinations.sort_by(|a, b| {
        (&a.meta.namespace, &a.meta.name, &a.meta.cluster).cmp(&(
            &b.meta.namespace,
            &b.meta.name,
            &b.meta.cluster,
        ))
    });
    fn by_identity(m: &Meta) -> (&str, &str, &str) {
        (&m.cluster, &m.namespace, &m.name)
    }
    world
        .failover_policies
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .outlier_detection_policies
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .route_tables
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .virtual_gateways
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    for c in world.clusters.values_mut() {
        c.services.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name))
        });
        c.workloads.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.kind, &a.meta.name).cmp(&(
                &b.meta.namespace,
                &b.meta.kind,
                &b.meta.name,
            ))
        });
        c.nodes.sort_by(|a, b| a.name.cmp(&b.name));
    }
    (world, diags)
}

/// Names of Gloo objects end up in generated names and paths: they must be DNS names.
fn check_gloo_names(cx: &mut Cx, doc: &Document) {
    if !names::is_dns_subdomain(&doc.name) {
        cx.report_with_help(
            Code::InvalidName,
            doc.pos(),
            "metadata.name",
            format!("`{}` is not a valid object name", doc.name),
            "object names are lower-case letters, digits, `-` and `.`, at most 253 characters",
        );
    }
    if !doc.namespace.is_empty() && !names::is_dns_label(&doc.namespace) {
        cx.report_with_help(
            Code::InvalidName,
            doc.pos(),
            "metadata.namespace",
            format!("`{}` is not a valid namespace name", doc.namespace),
            "namespaces are lower-case letters, digits and `-`, at most 63 characters",
        );
    }
}

fn add_state(cx: &mut Cx, cluster: &mut Cluster, doc: &Document) {
    let meta = kube::meta(cx, &doc.node, &doc.kind, &cluster.name);
    match doc.kind.as_str() {
        "Namespace" => {
            cluster
                .namespaces
                .insert(meta.name.clone(), meta.labels.clone());
        }
        "Service" => {
            let svc = kube::service(cx, &doc.node, meta);
            cluster.services.push(svc);
        }
        "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            let w = kube::workload(cx, &doc.node, meta);
            cluster.workloads.push(w);
        }
        "Node" => {
            let node = kube::node(cx, &meta);
            cluster.nodes.push(node);
        }
        "ConfigMap" => {
            let is_mesh_config = meta.namespace == "istio-system"
                && (meta.name == "istio" || meta.name.starts_with("istio-"));
            if is_mesh_config && let Some(td) = kube::mesh_trust_domain(cx, &doc.node) {
                // The default revision's ConfigMap wins over revisioned ones.
                if cluster.trust_domain.is_none() || meta.name == "istio" {
                    cluster.trust_domain = Some(td);
                }
            }
        }
        _ => {
            let hosts = kube::istio_hosts(cx, &doc.node);
            cluster
                .istio_objects
                .push(ExistingIstioObject { meta, hosts });
        }
    }
}

fn add_gloo(cx: &mut Cx, world: &mut World, doc: &Document, cluster: &str) {
    let meta = kube::meta(cx, &doc.node, &doc.kind, cluster);
    match doc.kind.as_str() {
        "KubernetesCluster" => {
            let cluster_domain = gloo::kubernetes_cluster(cx, &doc.node);
            world.kubernetes_clusters.insert(
                meta.name.clone(),
                KubernetesCluster {
                    meta,
                    cluster_domain,
                },
            );
        }
        "Workspace" => {
            let clusters = gloo::workspace(cx, &doc.node);
            world.workspaces.push(Workspace { meta, clusters });
        }
        "WorkspaceSettings" => {
            let s = gloo::workspace_settings(cx, &doc.node);
            world.workspace_settings.push(WorkspaceSettings {
                meta,
                import_from: s.import_from,
                export_to: s.export_to,
                east_west_gateways: s.east_west_gateways,
            });
        }
        "VirtualDestination" => {
            let spec = gloo::virtual_destination(cx, &doc.node);
            let vd = VirtualDestination {
                spec_pos: doc.node.get("spec").map_or(doc.pos(), |n| n.pos),
                meta,
                hosts: spec.hosts,
                services: spec.services,
                ports: spec.ports,
                hosts_pos: spec.hosts_pos,
            };
            crate::validate::virtual_destination(cx, &vd, spec.has_external_backends);
            world.virtual_destinations.push(vd);
        }
        "FailoverPolicy" => {
            let (apply_to, mappings, priority_labels) = policy::failover_policy(cx, &doc.node);
            let p = FailoverPolicy {
                meta,
                apply_to,
                mappings,
                priority_labels,
            };
            crate::validate::failover_policy(cx, &p);
            world.failover_policies.push(p);
        }
        "OutlierDetectionPolicy" => {
            let s = policy::outlier_detection_policy(cx, &doc.node);
            world
                .outlier_detection_policies
                .push(OutlierDetectionPolicy {
                    meta,
                    apply_to: s.apply_to,
                    consecutive_errors: s.consecutive_errors,
                    interval: s.interval,
                    base_ejection_time: s.base_ejection_time,
                    max_ejection_percent: s.max_ejection_percent,
                    consecutive_gateway_errors: s.consecutive_gateway_errors,
                });
        }
        "RouteTable" => {
            let s = policy::route_table(cx, &doc.node);
            let rt = RouteTable {
                meta,
                hosts: s.hosts,
                virtual_gateways: s.virtual_gateways,
                workload_selectors: s.workload_selectors,
                http: s.http,
            };
            crate::validate::route_table(cx, &rt, &s.delegates);
            world.route_tables.push(rt);
        }
        "VirtualGateway" => {
            let (workloads, listeners) = policy::virtual_gateway(cx, &doc.node);
            world.virtual_gateways.push(VirtualGateway {
                meta,
                workloads,
                listeners,
            });
        }
        _ => unreachable!("role() lists the Gloo kinds read here"),
    }
}
