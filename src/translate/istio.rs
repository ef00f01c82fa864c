//! The Istio objects vdc writes. Field order is the output order: apiVersion, kind, metadata
//! (name, namespace, labels), spec; inside spec, keys are alphabetical, as `kubectl get -o yaml`
//! prints them, so output diffs cleanly against what a cluster returns.

use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

pub type Labels = BTreeMap<String, String>;

/// serde's test for leaving out a shared list that is empty, as `Vec::is_empty` is for a vector.
fn is_empty_shared<T>(items: &Arc<[T]>) -> bool {
    items.is_empty()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    pub api_version: String,
    pub kind: &'static str,
    pub metadata: ObjectMeta,
    pub spec: Spec,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: String,
    pub labels: Provenance,
}

/// The labels on every object vdc writes (see `translate::provenance`): the keys and the
/// fixed words are not copied into each object, only the names that vary.
pub type Provenance = BTreeMap<&'static str, Cow<'static, str>>;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Spec {
    ServiceEntry(ServiceEntry),
    WorkloadEntry(WorkloadEntry),
    DestinationRule(DestinationRule),
    Gateway(Gateway),
    VirtualService(VirtualService),
    WorkloadGroup(WorkloadGroup),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntry {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// Shared: every cluster that only consumes a VD gets the same endpoints.
    #[serde(skip_serializing_if = "is_empty_shared")]
    pub endpoints: Arc<[WorkloadEntry]>,
    pub export_to: Vec<String>,
    pub hosts: Vec<String>,
    pub location: &'static str,
    pub ports: Vec<ServicePort>,
    pub resolution: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload_selector: Option<WorkloadSelector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    pub name: String,
    pub number: u32,
    pub protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadSelector {
    pub labels: Labels,
}

/// A WorkloadEntry's spec, and the same shape inline in a ServiceEntry's `endpoints`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadEntry {
    pub address: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: Labels,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub locality: String,
    pub ports: BTreeMap<String, u32>,
    /// Only when a remote address needs several endpoints (subsets), so it keeps its share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRule {
    pub export_to: Vec<String>,
    pub host: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subsets: Vec<Subset>,
    pub traffic_policy: TrafficPolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subset {
    pub labels: Labels,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficPolicy {
    pub port_level_settings: Vec<PortTrafficPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortTrafficPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connection_pool: Option<ConnectionPool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outlier_detection: Option<OutlierDetection>,
    pub port: PortSelector,
    pub tls: ClientTls,
}

/// A port's `loadBalancer`: a LoadBalancerPolicy's algorithm and warm-up, and a
/// FailoverPolicy's locality settings, which Istio lets stand side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consistent_hash: Option<ConsistentHash>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality_lb_setting: Option<LocalityLbSetting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simple: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warmup_duration_secs: Option<String>,
}

/// `loadBalancer.consistentHash`: exactly one hash key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ConsistentHash {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_cookie: Option<HttpCookie>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_header_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_query_parameter_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_source_ip: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpCookie {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
}

/// A port's `connectionPool`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct ConnectionPool {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpPoolSettings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<TcpPoolSettings>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HttpPoolSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http1_max_pending_requests: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http2_max_requests: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_requests_per_connection: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TcpPoolSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp_keepalive: Option<TcpKeepalive>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TcpKeepalive {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LocalityLbSetting {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub distribute: Vec<Distribute>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failover: Vec<Failover>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failover_priority: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distribute {
    pub from: String,
    pub to: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failover {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlierDetection {
    pub base_ejection_time: String,
    pub consecutive5xx_errors: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consecutive_gateway_errors: Option<u32>,
    pub interval: String,
    pub max_ejection_percent: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortSelector {
    pub number: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ClientTls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_certificates: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure_skip_verify: Option<bool>,
    pub mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gateway {
    pub selector: Labels,
    pub servers: Vec<Server>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    pub hosts: Vec<String>,
    pub port: ServerPort,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ServerTls>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerPort {
    pub name: String,
    pub number: u32,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ServerTls {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cipher_suites: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_name: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub https_redirect: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_protocol_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_protocol_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualService {
    pub export_to: Vec<String>,
    pub gateways: Vec<String>,
    pub hosts: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub http: Vec<HttpRoute>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tcp: Vec<TcpRoute>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tls: Vec<TcpRoute>,
}

/// A VirtualService `tcp` route (or `tls` route, its matches with `sniHosts`). vdc writes a
/// RouteTable's and, without matches, tlsTermination's; `trace` reads any, as istiod does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TcpRoute {
    #[serde(rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<L4Match>,
    pub route: Vec<RouteDestination>,
}

/// Istio's `L4MatchAttributes`, or with `sniHosts` (required there) `TLSMatchAttributes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct L4Match {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sni_hosts: Vec<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub source_labels: Labels,
}

/// The template a VM's proxy registers its WorkloadEntry from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadGroup {
    pub metadata: WorkloadGroupMeta,
    pub template: WorkloadGroupTemplate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkloadGroupMeta {
    pub labels: Labels,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadGroupTemplate {
    pub ports: BTreeMap<String, u32>,
    pub service_account: String,
}

/// A VirtualService `http` route: `route` (with an optional `rewrite`), `redirect` or
/// `directResponse`, and what the route policies that select it add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HttpRoute {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors_policy: Option<CorsPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direct_response: Option<HttpDirectResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<HttpFault>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Headers>,
    #[serde(rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<HttpMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror: Option<Destination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mirror_percentage: Option<Percentage>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect: Option<HttpRedirect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<HttpRetry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<HttpRewrite>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<RouteDestination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// Istio's `Percent`: `{value: 50}`. Whole values are written as integers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentage {
    pub value: f64,
}

// Only finite values are ever built (the policies' percentages are checked when decoded).
impl Eq for Percentage {}

impl Serialize for Percentage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("value", &Percent(self.value))?;
        map.end()
    }
}

/// A percentage as a number, as Istio's `Percent` holds it: whole values written as integers
/// (`100`), others as they are (`12.5`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

impl Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && (0.0..=100.0).contains(&self.0) {
            s.serialize_u64(self.0 as u64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}%", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRetry {
    pub attempts: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_try_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_remote_localities: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct HttpFault {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abort: Option<FaultAbort>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<FaultDelay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultAbort {
    pub http_status: u32,
    pub percentage: Percentage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultDelay {
    pub fixed_delay: String,
    pub percentage: Percentage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CorsPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_credentials: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow_headers: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow_methods: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow_origins: Vec<StringMatch>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Headers {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<HeaderOperations>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<HeaderOperations>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct HeaderOperations {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub add: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpDirectResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<HttpBody>,
    pub status: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HttpBody {
    pub string: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRedirect {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    pub redirect_code: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpRewrite {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_regex_rewrite: Option<RegexRewrite>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegexRewrite {
    #[serde(rename = "match")]
    pub pattern: String,
    pub rewrite: String,
}

/// Istio's `StringMatch`: exactly one of the three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StringMatch {
    Exact(String),
    Prefix(String),
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HttpMatch {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, StringMatch>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub ignore_uri_case: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<StringMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u32>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub query_params: BTreeMap<String, StringMatch>,
    /// None for a RouteTable that routes for every workload (Gloo's east-west default).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub source_labels: Labels,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<StringMatch>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub without_headers: BTreeMap<String, StringMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteDestination {
    pub destination: Destination,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subset: Option<String>,
}
