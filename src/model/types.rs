//! The checked, typed form of the input. Everything here was decoded and validated field by
//! field; later stages never see a raw document again.

use super::decode::Located;
use crate::diagnostic::ObjectRef;
use crate::load::node::Pos;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use super::labels::Labels;

/// The label vdc puts on every object it writes. An Istio object of a cluster's dump that
/// carries it is vdc's own earlier output, applied and dumped back: not the cluster's own
/// config, so it is skipped when read.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "vdc");

/// Where an object came from and what it is called.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub kind: String,
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub labels: Labels,
    pub creation_timestamp: String,
    #[serde(skip)]
    pub file: Arc<str>,
    pub pos: Pos,
}

impl Meta {
    /// The place `pos` in this object's file, about this object.
    pub fn site(&self, pos: Pos) -> crate::diagnostic::Site {
        crate::diagnostic::Site::in_object(&self.file, pos, self.object_ref())
    }

    /// The order in which the oldest object wins a tie between several: creation time, then
    /// namespace and name.
    pub fn age_key(&self) -> (&str, &str, &str) {
        (&self.creation_timestamp, &self.namespace, &self.name)
    }

    pub fn object_ref(&self) -> ObjectRef {
        ObjectRef {
            cluster: self.cluster.clone(),
            kind: self.kind.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
        }
    }
}

/// A port by number or by name, as `targetPort`s and Gloo `PortSelector`s are given.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum PortRef {
    Number(u32),
    Name(String),
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            PortRef::Number(n) => write!(f, "{n}"),
            PortRef::Name(name) => write!(f, "`{name}`"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServicePort {
    pub name: String,
    pub port: u32,
    /// `None` when the Service leaves it to default to `port`.
    pub target_port: Option<PortRef>,
    pub protocol: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Service {
    pub meta: Meta,
    pub selector: Labels,
    pub ports: Vec<ServicePort>,
    /// `status.loadBalancer.ingress[].ip|hostname`, in order.
    pub ingress: Vec<String>,
    pub external_ips: Vec<String>,
}

impl Service {
    /// The TCP port `port` names: by number, or by the port's name. Every protocol vdc routes
    /// (VirtualDestination ports, gateway listeners, route destinations) runs over TCP, and a
    /// Service may give one number to a UDP port and a TCP port: the UDP one is never meant.
    pub fn port(&self, port: &PortRef) -> Option<&ServicePort> {
        self.tcp_ports().find(|p| match port {
            PortRef::Number(n) => p.port == *n,
            PortRef::Name(name) => &p.name == name,
        })
    }

    /// The Service's TCP ports: all but Kubernetes' `UDP` and `SCTP` ones (a port that gives no
    /// protocol is TCP; the stand-in of an ExternalWorkload carries Istio's protocols, which all
    /// run over TCP).
    pub fn tcp_ports(&self) -> impl Iterator<Item = &ServicePort> {
        (self.ports.iter()).filter(|p| !["UDP", "SCTP"].contains(&p.protocol.as_str()))
    }
}

/// A container port: its name (empty when unnamed) and number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContainerPort {
    pub name: String,
    pub number: u32,
}

/// A Pod, or the pod template of a Deployment, StatefulSet, DaemonSet or ReplicaSet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Workload {
    pub meta: Meta,
    pub pod_labels: Labels,
    pub service_account: String,
    /// Named container ports, for resolving named `targetPort`s.
    pub container_ports: Vec<ContainerPort>,
    pub node_name: Option<String>,
}

#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Locality {
    pub region: String,
    pub zone: String,
    pub subzone: String,
}

impl Locality {
    /// Istio's `region/zone/subzone`, shortened when the finer parts are unknown.
    pub fn istio(&self) -> String {
        let mut out = self.region.clone();
        for part in [&self.zone, &self.subzone] {
            if part.is_empty() {
                break;
            }
            out.push('/');
            out.push_str(part);
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KubeNode {
    pub name: String,
    pub locality: Locality,
}

/// An Istio object already in a cluster, kept to detect collisions with generated ones.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExistingIstioObject {
    pub meta: Meta,
    pub hosts: Vec<String>,
    /// A Gateway's `spec.selector` (empty for other kinds).
    pub selector: Labels,
    /// A Gateway's servers (empty for other kinds).
    pub servers: Vec<ExistingServer>,
}

/// One server of a Gateway already in a cluster: its port number and hosts (a `ns/` prefix
/// dropped), and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExistingServer {
    pub port: u32,
    pub hosts: Vec<String>,
    pub pos: Pos,
}

/// Facts from a cluster's `istio` mesh ConfigMap, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeshConfig {
    /// The ConfigMap's name (`istio` or `istio-<revision>`, in istio-system).
    pub name: String,
    #[serde(skip)]
    pub file: Arc<str>,
    pub pos: Pos,
    /// `trustDomain`, when it sets one.
    pub trust_domain: Option<String>,
    /// `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE` is on: sidecars answer DNS for
    /// ServiceEntry hosts.
    pub dns_capture: bool,
    /// `pathNormalization.normalization`: what the cluster's sidecars do to a request's path
    /// before any route sees it.
    pub path_normalization: PathNormalization,
    /// `localityLbSetting`: the locality load balancing of every DestinationRule that sets
    /// none; `None` when it sets none (Istio's default: on, with no rules).
    pub locality_lb: Option<MeshLocality>,
}

/// A mesh config's `localityLbSetting`, as Istio's `LocalityLoadBalancerSetting` holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeshLocality {
    pub enabled: Option<bool>,
    /// `distribute`: `from` and its `to` weights.
    pub distribute: Vec<(String, BTreeMap<String, u32>)>,
    /// `failover`: `from` and `to`.
    pub failover: Vec<(String, String)>,
    pub failover_priority: Vec<String>,
}

/// Istio's `ProxyPathNormalization`: how istiod configures each sidecar's HTTP connection
/// manager to rewrite request paths (`normalize_path`, `merge_slashes`,
/// `path_with_escaped_slashes_action`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PathNormalization {
    /// Paths are matched as sent.
    None,
    /// RFC 3986 normalization, as Envoy's `normalize_path` does it: Istio's default (`DEFAULT`
    /// is `BASE`).
    #[default]
    Base,
    /// `BASE`, then runs of slashes merged.
    MergeSlashes,
    /// `%2F` and `%5C` decoded first, then `MERGE_SLASHES`.
    DecodeAndMergeSlashes,
}

impl PathNormalization {
    /// The mesh config's names for them (protobuf JSON also takes the enum's numbers).
    pub const NAMES: [&str; 5] = [
        "DEFAULT",
        "NONE",
        "BASE",
        "MERGE_SLASHES",
        "DECODE_AND_MERGE_SLASHES",
    ];

    /// The normalization a mesh config's `normalization` names, by name or number.
    pub fn named(name: &str) -> Option<PathNormalization> {
        match name {
            "DEFAULT" | "BASE" | "0" | "2" => Some(PathNormalization::Base),
            "NONE" | "1" => Some(PathNormalization::None),
            "MERGE_SLASHES" | "3" => Some(PathNormalization::MergeSlashes),
            "DECODE_AND_MERGE_SLASHES" | "4" => Some(PathNormalization::DecodeAndMergeSlashes),
            _ => None,
        }
    }
}

/// Everything known about one cluster.
#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub name: String,
    /// Labels of its KubernetesCluster, matched by Workspace cluster selectors.
    pub labels: Labels,
    pub cluster_domain: String,
    /// Every namespace that exists or is used, with its labels.
    pub namespaces: BTreeMap<String, Labels>,
    pub services: Vec<Service>,
    pub workloads: Vec<Workload>,
    pub nodes: Vec<KubeNode>,
    /// From the mesh ConfigMap vdc reads; `None` when it sets none or the cluster has none
    /// (Istio's default applies).
    pub trust_domain: Option<String>,
    /// The mesh ConfigMap vdc reads: among several, the one of the revision the cluster's
    /// namespaces name ([`Cluster::mesh_revision`]), else `istio`, else the first by name.
    pub mesh_config: Option<MeshConfig>,
    /// Every mesh ConfigMap of the cluster (`istio`, `istio-<revision>`), by name.
    pub mesh_configs: Vec<MeshConfig>,
    /// The revision most namespaces name in `istio.io/rev` (ties: the first by name), and how
    /// many name it.
    pub mesh_revision: Option<(String, usize)>,
    pub istio_objects: Vec<ExistingIstioObject>,
    /// Istio objects in the dump that vdc wrote (labelled [`MANAGED_BY`]): its own output,
    /// applied and dumped back. Not the cluster's config; kept to tell which the current render
    /// no longer writes (VDC513).
    pub previous_output: Vec<Meta>,
    /// WorkloadEntries in the dump: the live endpoints of registered VMs.
    pub workload_entries: Vec<LiveWorkloadEntry>,
    /// The first (by path) file of the cluster's folder that holds its state: where facts
    /// about the cluster as a whole (locality, trust domain) are reported.
    pub dump: Option<Arc<str>>,
}

impl Cluster {
    /// Its DNS domain: its KubernetesCluster's `clusterDomain`, else Kubernetes' default.
    pub fn domain(&self) -> &str {
        match self.cluster_domain.as_str() {
            "" => "cluster.local",
            domain => domain,
        }
    }
}

/// Gloo's `ObjectSelector`: fields ANDed, absent fields match anything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectSelector {
    pub labels: Labels,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
    pub workspace: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceSelector {
    pub name: String,
    pub labels: Labels,
    /// `configEnabled`: whether Gloo reads configuration from the namespaces it takes in
    /// (absent: true).
    pub config_enabled: bool,
    /// Where the selector is written, for diagnostics.
    pub pos: crate::load::node::Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSelector {
    pub name: Option<String>,
    pub labels: Labels,
    /// Empty means every namespace of the matching clusters.
    pub namespaces: Vec<NamespaceSelector>,
    /// `configEnabled`: whether Gloo reads configuration from the clusters it takes in
    /// (absent: true).
    pub config_enabled: bool,
    /// Where the selector is written, for diagnostics.
    pub pos: crate::load::node::Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub meta: Meta,
    pub clusters: Vec<ClusterSelector>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSelector {
    pub name: Option<String>,
    pub labels: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSelector {
    /// `ALL`, `VIRTUAL_DESTINATION`, `SERVICE`, `ROUTE_TABLE`, …
    pub kind: String,
    pub labels: Labels,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
}

/// One `importFrom` or `exportTo` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceObjectSelector {
    pub workspaces: Vec<WorkspaceSelector>,
    /// Empty means every resource.
    pub resources: Vec<ResourceSelector>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostInfoOverride {
    pub addr: String,
    pub port: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EastWestGatewaySelector {
    pub selector: ObjectSelector,
    pub port: Option<PortRef>,
    /// The port that terminates mTLS in `tlsTermination` mode (default: the one named `https`).
    pub tls_termination_port: Option<PortRef>,
    pub host_info_overrides: Vec<HostInfoOverride>,
}

/// Gloo's `ClientMode`: how remote clients reach a VirtualDestination's backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientMode {
    /// Today the same as `SniRouting`.
    #[default]
    Auto,
    SniRouting,
    TlsTermination,
}

impl ClientMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClientMode::Auto => "auto",
            ClientMode::SniRouting => "sniRouting",
            ClientMode::TlsTermination => "tlsTermination",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSettings {
    pub meta: Meta,
    pub import_from: Vec<WorkspaceObjectSelector>,
    pub export_to: Vec<WorkspaceObjectSelector>,
    pub east_west_gateways: Vec<EastWestGatewaySelector>,
    /// `options.virtualDestClientMode`.
    pub client_mode: Option<ClientMode>,
}

/// A VirtualDestination port: the number it serves on and the backing port it targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VdPort {
    pub number: Located<u32>,
    /// Canonical upper-case: HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS.
    pub protocol: String,
    pub target_port: Option<Located<PortRef>>,
    pub pos: Pos,
}

impl VdPort {
    /// The ServiceEntry port name: `<lower protocol>-<number>`, e.g. `http-9080`.
    pub fn entry_name(&self) -> String {
        crate::names::port(&self.protocol, *self.number)
    }

    /// What a backing Service port must match: `targetPort`, else the number.
    pub fn target(&self) -> PortRef {
        self.target_port
            .as_ref()
            .map_or(PortRef::Number(*self.number), |t| t.value.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualDestination {
    pub meta: Meta,
    pub hosts: Vec<Located<String>>,
    pub services: Vec<ObjectSelector>,
    pub external_services: Vec<ObjectSelector>,
    pub external_workloads: Vec<ObjectSelector>,
    pub client_mode: Option<ClientMode>,
    pub ports: Vec<VdPort>,
    pub hosts_pos: Pos,
    pub spec_pos: Pos,
}

/// `admin.gloo.solo.io/v2 KubernetesCluster`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubernetesCluster {
    pub meta: Meta,
    pub cluster_domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalitySpec {
    pub region: String,
    pub zone: Option<String>,
    pub sub_zone: Option<String>,
}

impl LocalitySpec {
    /// The parts Istio sees: the region, then the zone and the subzone while given (a
    /// `subZone` without a `zone` is not written, see `distribute`).
    pub fn parts(&self) -> Vec<&str> {
        let mut parts = vec![self.region.as_str()];
        if let Some(zone) = &self.zone {
            parts.push(zone);
            parts.extend(self.sub_zone.as_deref());
        }
        parts
    }

    /// Whether every client or endpoint in `other` is also in `self` (a locality takes itself
    /// in): `us-west-1` takes in `us-west-1/us-west-1a`.
    pub fn takes_in(&self, other: &LocalitySpec) -> bool {
        other.parts().starts_with(&self.parts())
    }

    /// `region`, `region/zone` or `region/zone/subZone`, as a message names it.
    pub fn path(&self) -> String {
        self.parts().join("/")
    }
}

/// A WorkloadEntry already in a cluster (a VM's proxy registered through a WorkloadGroup).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LiveWorkloadEntry {
    pub meta: Meta,
    pub address: String,
    pub labels: Labels,
    pub service_account: String,
    pub locality: String,
    /// `spec.network`: the network istiod puts the endpoint on (empty: the client's own).
    #[serde(default)]
    pub network: String,
}
