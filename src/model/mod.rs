//! `model`: raw documents → checked, typed input ("parse, don't validate").

mod assemble;
pub mod cache;
pub mod conditions;
pub mod decode;
pub mod destination_policy;
pub mod external;
mod gloo;
pub mod istio_accepts;
pub mod kinds;
mod kube;
mod l4_route;
pub mod labels;
mod mesh;
mod name_checks;
pub mod policy;
mod policy_fields;
pub mod re2;
mod route_destination;
pub mod route_policy;
mod route_table;
pub mod routing_types;
pub mod schema;
pub mod selector;
pub(crate) mod suggest;
pub mod types;
mod unread_config;
mod virtual_gateway;

use crate::diagnostic::{Diagnostics, ObjectRef};
use crate::load::node::{Node, Value};
use crate::load::{Document, Loaded, Settings};
use crate::rules::load::cluster_state_outside_clusters;
use crate::rules::schema::{missing_field, untranslated_kind};
use decode::DecodeContext;
pub use kinds::GlooKind;
use labels::Names;
use policy::{FailoverSettings, Policy, PolicySettings};
use routing_types::*;
use std::collections::BTreeMap;
use std::sync::Arc;
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
    /// Policies of every kind, sorted by (cluster, namespace, name, kind).
    pub policies: Vec<Policy>,
    pub route_tables: Vec<RouteTable>,
    pub virtual_gateways: Vec<VirtualGateway>,
    /// ExternalServices, ExternalEndpoints and ExternalWorkloads.
    pub external: external::ExternalObjects,
    /// Documents of kinds vdc does not read.
    pub skipped: usize,
}

impl World {
    /// The DNS domain of cluster `name` ([`Cluster::domain`]); Kubernetes' default for a cluster
    /// the input does not have.
    pub fn domain_of(&self, name: &str) -> &str {
        self.clusters
            .get(name)
            .map_or("cluster.local", |c| c.domain())
    }

    /// The FailoverPolicies, each with its settings.
    pub fn failover_policies(&self) -> impl Iterator<Item = (&Policy, &FailoverSettings)> {
        self.policies.iter().filter_map(|p| match &p.settings {
            PolicySettings::Failover(f) => Some((p, f)),
            _ => None,
        })
    }
}

/// What vdc does with a document of this group and kind.
enum Role {
    State,
    Gloo(GlooKind),
    UntranslatedGloo,
    Ignored,
}

fn role(group: &str, kind: &str) -> Role {
    if let Some(gloo) = GlooKind::find(group, kind) {
        return match gloo.row().translated {
            true => Role::Gloo(gloo),
            false => Role::UntranslatedGloo,
        };
    }
    match (group, kind) {
        ("", "Namespace" | "Service" | "Pod" | "Node" | "ConfigMap")
        | ("apps", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
        | (
            "networking.istio.io",
            "ServiceEntry" | "DestinationRule" | "VirtualService" | "Gateway" | "WorkloadEntry",
        ) => Role::State,
        (g, _) if g.ends_with(".solo.io") => Role::UntranslatedGloo,
        _ => Role::Ignored,
    }
}

/// Within a cluster, what makes an object a duplicate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct ObjectKey {
    group: String,
    kind: String,
    namespace: String,
    name: String,
}

/// One input document decoded into the model's terms, before the world is assembled. Decoding
/// is per document and runs in parallel while files are parsed, so a document's syntax tree is
/// dropped as soon as it has been read.
#[derive(Debug, Clone)]
pub struct DecodedDocument {
    cluster: String,
    key: ObjectKey,
    file: std::sync::Arc<str>,
    pos: crate::load::node::Pos,
    diags: Diagnostics,
    decoded: Decoded,
}

/// What a document decodes to: a piece of a cluster's state, a Gloo object, or nothing.
#[derive(Debug, Clone)]
enum Decoded {
    /// A kind vdc does not read: counted, never an error.
    Skipped,
    /// Read for its diagnostics only.
    Nothing,
    /// Cluster state: what a cluster's dump says about the cluster itself. Boxed, as is the
    /// Gloo object: millions of documents wait in their files' lists until the world is
    /// assembled, and each would otherwise take the size of the largest kind.
    State(Box<StateObject>),
    /// Gloo objects belong to the world, not to the cluster they were found in.
    Gloo(Box<GlooObject>),
}

/// A piece of a cluster's state. The decode cache stores it as it is, its file aside
/// ([`cache`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum StateObject {
    Namespace(Labels),
    Service(Service),
    Workload(Workload),
    Node(KubeNode),
    MeshConfig(MeshConfig),
    Istio(ExistingIstioObject),
    LiveWorkloadEntry(external::LiveWorkloadEntry),
    /// An Istio object vdc wrote, found in the dump.
    PreviousOutput(Meta),
}

/// A Gloo object of any kind vdc translates.
#[derive(Debug, Clone)]
enum GlooObject {
    KubernetesCluster(KubernetesCluster),
    Workspace(Workspace),
    WorkspaceSettings(WorkspaceSettings),
    VirtualDestination(VirtualDestination),
    Policy(Policy),
    RouteTable(RouteTable),
    VirtualGateway(VirtualGateway),
    External(external::ExternalObject),
}

/// Decodes one document. Pure: safe to run on many documents at once.
pub fn decode(
    settings: &Settings,
    doc: Document,
    source: &std::sync::Arc<crate::load::SourceFile>,
) -> DecodedDocument {
    decode_sharing(&Arc::default(), settings, doc, source)
}

/// [`decode`], with the label strings and sets of `names`: the documents of one run share one
/// copy of each.
pub fn decode_sharing(
    names: &Arc<Names>,
    settings: &Settings,
    doc: Document,
    source: &std::sync::Arc<crate::load::SourceFile>,
) -> DecodedDocument {
    let group = doc.group().to_owned();
    let role = role(&group, &doc.kind);
    let cluster = doc
        .cluster
        .clone()
        .unwrap_or_else(|| settings.management_cluster.clone());
    let object = ObjectRef {
        cluster: cluster.clone(),
        kind: doc.kind.clone(),
        namespace: doc.namespace.clone(),
        name: doc.name.clone(),
    };
    let mut cx = DecodeContext::new(
        doc.file.clone(),
        object,
        Some(source.clone()),
        names.clone(),
    );
    let decoded = decode_by_role(&mut cx, &doc, role, &group, &cluster);
    DecodedDocument {
        cluster,
        key: ObjectKey {
            group,
            kind: doc.kind.clone(),
            namespace: doc.namespace.clone(),
            name: doc.name.clone(),
        },
        file: doc.file.clone(),
        pos: doc.pos(),
        diags: cx.diags,
        decoded,
    }
}

/// Decodes `doc` as its role asks (or only checks it, for a role vdc does not decode), then
/// checks the names of Gloo documents.
fn decode_by_role(
    cx: &mut DecodeContext,
    doc: &Document,
    role: Role,
    group: &str,
    cluster: &str,
) -> Decoded {
    let decoded = match role {
        Role::Ignored => {
            name_checks::skip_invalid_names(cx, doc);
            Decoded::Skipped
        }
        Role::State if doc.cluster.is_some() && !name_checks::check_state_names(cx, doc) => {
            Decoded::Nothing
        }
        Role::State if doc.cluster.is_none() => {
            let site = cx.site(doc.pos());
            cx.push(cluster_state_outside_clusters::diagnostic(
                site, &doc.kind, &doc.name,
            ));
            Decoded::Nothing
        }
        Role::State => decode_state(cx, doc, cluster),
        Role::Gloo(kind) => {
            if let Some(schema) = schema::kind(group, &doc.kind) {
                schema::check_document(cx, &doc.node, schema, true);
            }
            // Without a namespace the object's place, names and workspace are unknown: it is
            // refused and not used, so nothing follows from a namespace it does not have. One
            // written with the wrong type is decoded, and says so (VDC202, VDC107).
            let namespace = doc.node.get("metadata").and_then(|m| m.get("namespace"));
            let absent =
                namespace.is_none_or(|n| matches!(n.value, Value::Null) || n.as_str() == Some(""));
            let decoded = if absent {
                let site = cx.site(doc.pos());
                cx.push(missing_field::diagnostic(
                    site,
                    missing_field::Case::Namespace,
                ));
                Decoded::Nothing
            } else {
                Decoded::Gloo(Box::new(decode_gloo(cx, doc, kind, cluster)))
            };
            cx.checked = false;
            decoded
        }
        Role::UntranslatedGloo => {
            // A kind whose schema vdc knows is still checked, so that a typo is caught before
            // the day vdc translates it (every kind of the schema is translated today).
            if let Some(kind) = schema::kind(group, &doc.kind) {
                schema::check_document(cx, &doc.node, kind, false);
            }
            let site = cx.site(doc.pos());
            cx.push(untranslated_kind::diagnostic(site, &doc.kind, &doc.name));
            Decoded::Nothing
        }
    };
    if let Role::Gloo(_) | Role::UntranslatedGloo = role {
        name_checks::check_gloo_names(cx, doc);
    }
    decoded
}

/// A read INPUT: the world, and what was loaded (sources and diagnostics).
pub struct ReadInput {
    pub world: World,
    pub loaded: Loaded<DecodedDocument>,
}

/// Reads INPUT into a [`World`]: files parsed and documents decoded in parallel, then assembled.
pub fn read(input: &std::path::Path) -> anyhow::Result<ReadInput> {
    let names = Arc::default();
    let decode =
        |settings: &Settings, doc, source: &_| decode_sharing(&names, settings, doc, source);
    Ok(assemble_loaded(crate::load::load_with(input, decode)?))
}

/// [`read`], taking each file of cluster state that has not changed since a run that used
/// `cache` from it rather than parsing it again (see [`cache`]).
pub fn read_cached(
    input: &std::path::Path,
    cache: &cache::DecodeCache,
) -> anyhow::Result<ReadInput> {
    let names = Arc::default();
    let decode =
        |settings: &Settings, doc, source: &_| decode_sharing(&names, settings, doc, source);
    let stamps_at = cache.input_stamps(input);
    let known = stamps_at
        .as_deref()
        .map(crate::load::stamps::InputStamps::read)
        .unwrap_or_default();
    let (loaded, stamps) = crate::load::load_files_known(input, &known, |settings, file| {
        cache.read(settings, file, &names, |file| {
            file.parse().decode(settings, decode)
        })
    })?;
    if let Some(at) = stamps_at.filter(|_| stamps != known) {
        // A record that cannot be written only means the next run reads every file.
        let _ = stamps.write(&at);
    }
    if cache.written() > 0 {
        cache.prune(cache::MAX_CACHE_BYTES);
    }
    Ok(assemble_loaded(loaded))
}

/// [`read`] for the two sides of a diff: files the sides share are parsed once, and the sides
/// are assembled side by side.
pub fn read_pair(
    old: &std::path::Path,
    new: &std::path::Path,
) -> anyhow::Result<(ReadInput, ReadInput)> {
    let names = Arc::default();
    let decode =
        |settings: &Settings, doc, source: &_| decode_sharing(&names, settings, doc, source);
    let (a, b) = crate::load::load_pair_with(old, new, decode)?;
    Ok(rayon::join(|| assemble_loaded(a), || assemble_loaded(b)))
}

/// Assembles the world from input already loaded and decoded (by [`read`], or from files held
/// in memory); the assembly's diagnostics join the load's.
pub fn assemble_loaded(mut loaded: Loaded<DecodedDocument>) -> ReadInput {
    let files = std::mem::take(&mut loaded.documents);
    let (world, diags) =
        assemble::assemble(&loaded.settings, &loaded.clusters, loaded.skipped, files);
    loaded.diagnostics.extend(diags);
    ReadInput { world, loaded }
}

fn decode_state(cx: &mut DecodeContext, doc: &Document, cluster: &str) -> Decoded {
    let meta = kube::meta(cx, &doc.node, &doc.kind, cluster);
    if is_vdc_output(&doc.kind, &meta) {
        return Decoded::State(Box::new(StateObject::PreviousOutput(meta)));
    }
    let state = match doc.kind.as_str() {
        "Namespace" => StateObject::Namespace(meta.labels),
        "Service" => StateObject::Service(kube::service(cx, &doc.node, meta)),
        "Pod" | "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            StateObject::Workload(kube::workload(cx, &doc.node, meta))
        }
        "Node" => StateObject::Node(kube::node(cx, &meta)),
        "WorkloadEntry" => {
            StateObject::LiveWorkloadEntry(external::live_workload_entry(cx, &doc.node, meta))
        }
        "ConfigMap" => match mesh_config(cx, doc, &meta) {
            Some(mesh) => mesh,
            None => return Decoded::Nothing,
        },
        _ => {
            let hosts = kube::istio_hosts(cx, &doc.node);
            let (selector, servers) = if doc.kind == "Gateway" {
                kube::gateway_servers(&doc.node)
            } else {
                Default::default()
            };
            StateObject::Istio(ExistingIstioObject {
                meta,
                hosts,
                selector,
                servers,
            })
        }
    };
    Decoded::State(Box::new(state))
}

/// Whether `meta` is an Istio object vdc wrote (it carries [`MANAGED_BY`]): a dump taken after
/// vdc's output was applied holds it, and it is neither the cluster's own config (conflict
/// checks, `vdc trace`) nor a VM's live endpoint. (Only `networking.istio.io` kinds are state of
/// these names.)
fn is_vdc_output(kind: &str, meta: &Meta) -> bool {
    let (key, value) = MANAGED_BY;
    matches!(
        kind,
        "ServiceEntry" | "DestinationRule" | "VirtualService" | "Gateway" | "WorkloadEntry"
    ) && meta.labels.get(key) == Some(value)
}

/// An `istio` or `istio-<revision>` ConfigMap of `istio-system`: the mesh config it holds.
fn mesh_config(cx: &mut DecodeContext, doc: &Document, meta: &Meta) -> Option<StateObject> {
    let is_mesh_config = meta.namespace == "istio-system"
        && (meta.name == "istio" || meta.name.starts_with("istio-"));
    let mesh = is_mesh_config
        .then(|| mesh::mesh_config(cx, &doc.node))
        .flatten()?;
    Some(StateObject::MeshConfig(MeshConfig {
        name: meta.name.clone(),
        file: meta.file.clone(),
        pos: mesh.pos,
        trust_domain: mesh.trust_domain,
        dns_capture: mesh.dns_capture,
        path_normalization: mesh.path_normalization,
        locality_lb: mesh.locality_lb,
    }))
}

/// Decodes a document of a Gloo kind vdc translates.
fn decode_gloo(
    cx: &mut DecodeContext,
    doc: &Document,
    kind: GlooKind,
    cluster: &str,
) -> GlooObject {
    let meta = kube::meta(cx, &doc.node, &doc.kind, cluster);
    // The spec has been checked against the kind's schema.
    cx.checked = true;
    let node = &doc.node;
    match kind {
        GlooKind::KubernetesCluster => {
            let cluster_domain = gloo::kubernetes_cluster(cx, node);
            GlooObject::KubernetesCluster(KubernetesCluster {
                meta,
                cluster_domain,
            })
        }
        GlooKind::Workspace => {
            let clusters = gloo::workspace(cx, node);
            GlooObject::Workspace(Workspace { meta, clusters })
        }
        GlooKind::WorkspaceSettings => workspace_settings(cx, node, meta),
        GlooKind::VirtualDestination => virtual_destination(cx, doc, meta),
        GlooKind::RouteTable => route_table(cx, node, meta),
        GlooKind::VirtualGateway => virtual_gateway(cx, node, meta),
        GlooKind::ExternalService => {
            let service = external::external_service(cx, node, meta);
            GlooObject::External(external::ExternalObject::Service(service))
        }
        GlooKind::ExternalEndpoint => {
            let endpoint = external::external_endpoint(cx, node, meta);
            GlooObject::External(external::ExternalObject::Endpoint(endpoint))
        }
        GlooKind::ExternalWorkload => {
            let workload = external::external_workload(cx, node, meta);
            GlooObject::External(external::ExternalObject::Workload(workload))
        }
        GlooKind::FailoverPolicy => GlooObject::Policy(policy::failover_policy(cx, node, meta)),
        GlooKind::OutlierDetectionPolicy => {
            GlooObject::Policy(policy::outlier_detection_policy(cx, node, meta))
        }
        GlooKind::ConnectionPolicy => {
            let decoded = destination_policy::connection_policy(cx, node);
            on_destinations(meta, decoded, PolicySettings::Connection)
        }
        GlooKind::LoadBalancerPolicy => {
            let decoded = destination_policy::load_balancer_policy(cx, node);
            on_destinations(meta, decoded, PolicySettings::LoadBalancer)
        }
        GlooKind::RetryTimeoutPolicy => {
            let decoded = route_policy::retry_timeout_policy(cx, node);
            on_routes(meta, decoded, PolicySettings::RetryTimeout)
        }
        GlooKind::FaultInjectionPolicy => {
            let decoded = route_policy::fault_injection_policy(cx, node);
            on_routes(meta, decoded, PolicySettings::FaultInjection)
        }
        GlooKind::CORSPolicy => on_routes(
            meta,
            route_policy::cors_policy(cx, node),
            PolicySettings::Cors,
        ),
        GlooKind::HeaderManipulationPolicy => {
            let decoded = route_policy::header_manipulation_policy(cx, node);
            on_routes(meta, decoded, PolicySettings::HeaderManipulation)
        }
        GlooKind::MirrorPolicy => on_routes(
            meta,
            route_policy::mirror_policy(cx, node),
            PolicySettings::Mirror,
        ),
    }
}

/// A decoded destination policy: its `applyToDestinations` and its settings of one kind.
fn on_destinations<C>(
    meta: Meta,
    (apply_to, settings): (Vec<policy::DestinationSelector>, C),
    kind: fn(C) -> PolicySettings,
) -> GlooObject {
    GlooObject::Policy(Policy::on_destinations(meta, (apply_to, kind(settings))))
}

/// A decoded route policy: its `applyToRoutes` and its settings of one kind.
fn on_routes<C>(
    meta: Meta,
    (apply_to, settings): (Vec<route_policy::RouteSelector>, C),
    kind: fn(C) -> PolicySettings,
) -> GlooObject {
    GlooObject::Policy(Policy::on_routes(meta, (apply_to, kind(settings))))
}

fn virtual_gateway(cx: &mut DecodeContext, node: &Node, meta: Meta) -> GlooObject {
    let s = virtual_gateway::virtual_gateway(cx, node);
    GlooObject::VirtualGateway(VirtualGateway {
        meta,
        workloads: s.workloads,
        listeners: s.listeners,
    })
}

fn workspace_settings(cx: &mut DecodeContext, node: &Node, meta: Meta) -> GlooObject {
    let s = gloo::workspace_settings(cx, node);
    GlooObject::WorkspaceSettings(WorkspaceSettings {
        meta,
        import_from: s.import_from,
        export_to: s.export_to,
        east_west_gateways: s.east_west_gateways,
        client_mode: s.client_mode,
    })
}

fn virtual_destination(cx: &mut DecodeContext, doc: &Document, meta: Meta) -> GlooObject {
    let spec = gloo::virtual_destination(cx, &doc.node);
    GlooObject::VirtualDestination(VirtualDestination {
        spec_pos: doc.node.get("spec").map_or(doc.pos(), |n| n.pos),
        meta,
        hosts: spec.hosts,
        services: spec.services,
        external_services: spec.external_services,
        external_workloads: spec.external_workloads,
        client_mode: spec.client_mode,
        ports: spec.ports,
        hosts_pos: spec.hosts_pos,
    })
}

fn route_table(cx: &mut DecodeContext, node: &Node, meta: Meta) -> GlooObject {
    GlooObject::RouteTable(route_table::route_table(cx, node, meta))
}
