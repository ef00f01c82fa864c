//! `vdc trace`: where a workload's requests to a host go, offline. It reads the Istio objects
//! vdc renders for the client's cluster (and the cluster's own Services and WorkloadEntries)
//! the way istiod builds that client's sidecar config: the VirtualService and its first
//! matching rule, the ServiceEntry or Service and the DestinationRule that apply, the TLS the
//! sidecar originates, the endpoints and their priorities ([`priority`], Istio's algorithm),
//! and what `--fail` leaves serving.

mod client;
mod config;
mod destination;
mod eject;
mod endpoints;
mod human;
mod judge;
mod network;
mod path;
pub mod priority;
mod question;
mod resilience;
mod route;
mod simulate;
mod split;
mod targets;

/// Label maps as the simulated proxies see them: built and extended label by label.
pub type Labels = std::collections::BTreeMap<String, String>;
pub use human::human;
pub use question::{FailTarget, From, Question, parse_header, parse_labels, parse_locality};
pub use resilience::{AbortJson, DelayJson, FaultJson, Percent, retries_words};
pub use targets::check_fail_targets;

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model::World;
use crate::translate::Output;
use anyhow::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// An input read and compiled once, ready for any number of questions.
pub struct Loaded {
    pub world: World,
    /// What `render` would write, sorted by (cluster, namespace, kind, name).
    pub outputs: Vec<Output>,
    /// Sorted, as every command reports them.
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<Arc<SourceFile>>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Reads and compiles INPUT as `render` does (files of cluster state that did not change taken
/// from `cache`). `Ok(Err)` with the diagnostic when INPUT is not an input folder at all.
pub fn load(
    input: &Path,
    cache: Option<&crate::model::cache::DecodeCache>,
) -> Result<std::result::Result<Loaded, Diagnostic>> {
    match crate::pipeline::read(input, cache)? {
        crate::pipeline::Input::Read(read) => Ok(Ok(compiled(read))),
        crate::pipeline::Input::NotAnInput(d) => Ok(Err(d)),
    }
}

/// Both sides of `diff --trace`, each an INPUT folder: the files they share are parsed once,
/// and the sides compile side by side.
pub fn load_pair(old: &Path, new: &Path) -> Result<(Loaded, Loaded)> {
    let (old, new) = crate::model::read_pair(old, new)?;
    Ok(rayon::join(|| compiled(old), || compiled(new)))
}

fn compiled(read: crate::model::ReadInput) -> Loaded {
    let crate::model::ReadInput { world, loaded } = read;
    let compiled = crate::pipeline::compile(
        &world,
        loaded.diagnostics,
        crate::pipeline::Collisions::Gate,
    );
    let outputs = compiled.outputs();
    let diagnostics = crate::pipeline::reported(compiled.diagnostics, &loaded.settings);
    Loaded {
        world,
        outputs,
        diagnostics,
        sources: loaded.sources,
    }
}

/// The answer to one question, in the shape of SPEC §8's JSON contract (plus `fault`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub from: ClientJson,
    pub to: Target,
    pub route: RouteJson,
    pub destinations: Vec<DestinationJson>,
    pub outcome: Outcome,
    /// The object at fault when the outcome is not `ok`.
    pub fault: Option<Fault>,
    /// What a reader should know that the JSON fields do not say (human output only).
    #[serde(skip)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ClientJson {
    pub cluster: String,
    pub namespace: String,
    pub workload: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub locality: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Target {
    pub host: String,
    pub port: Option<u32>,
    /// The path routes matched, when Envoy's normalization changed the one asked (`--path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized_path: Option<String>,
    /// The path asked, without its query string.
    #[serde(skip)]
    pub path: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct RouteJson {
    /// `namespace/name`, or null when no VirtualService applies.
    pub virtual_service: Option<String>,
    pub rule: Option<RuleId>,
    /// Redirect, direct response, rewrite: said in words (only when the rule has any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    /// The rule's fault injection: the delay and abort the sidecar applies, with the share of
    /// requests each takes (only when the rule has one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultJson>,
    /// The rule's retries (only when the rule sets them; otherwise Istio's default policy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<crate::translate::istio::HttpRetry>,
}

/// A route rule: its name, or its index when it has none.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum RuleId {
    Name(String),
    Index(usize),
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DestinationJson {
    pub host: String,
    pub port: Option<u32>,
    pub subset: Option<String>,
    pub weight: u32,
    pub destination_rule: Option<String>,
    pub tls: Tls,
    pub locality_lb: &'static str,
    pub priorities: Vec<PriorityJson>,
    pub serving: Option<u32>,
    /// The endpoints of the serving priority that take a share of the requests and fail them
    /// (only when some do).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<FailingJson>,
    /// Endpoints istiod leaves out of the sidecar's endpoints (only when it does).
    #[serde(rename = "leftOut", skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<LeftOutJson>,
    /// The destination's own outcome (the answer's is the first that is not `ok`).
    #[serde(skip)]
    pub outcome: Outcome,
    /// `Kind namespace/name` of the ServiceEntry or Service that declares the host.
    #[serde(skip)]
    pub service: Option<String>,
    /// Whether outlier detection can eject endpoints (the DestinationRule sets it).
    #[serde(skip)]
    pub outlier_detection: bool,
    /// The share of the cluster's hosts outlier detection may eject, in percent (with it on).
    #[serde(skip)]
    pub max_ejection_percent: Option<u32>,
}

/// An endpoint the serving priority sends requests to that fails them, and its share.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FailingJson {
    pub address: String,
    pub port: u32,
    pub cluster: String,
    /// Percent of the destination's requests sent there (written to one decimal).
    #[serde(serialize_with = "one_decimal")]
    pub share: f64,
    /// `down` (`--fail` took it down and outlier detection does not eject it), `no-server`
    /// (an east-west gateway with no Gateway server for the host: reset), `no-port` (a
    /// gateway Service without the port: refused), `other-network` (an endpoint on another
    /// network than the client's, which no gateway of its network leads to: unreachable).
    pub why: &'static str,
}

/// An endpoint of the service that istiod does not send the sidecar, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeftOutJson {
    pub address: String,
    pub port: u32,
    pub cluster: String,
    pub network: String,
    /// `no-mtls`: on another network, reached only through its gateway, and the sidecar would
    /// not send it mTLS, which the gateway routes by (`EndpointsByNetworkFilter`).
    pub why: &'static str,
    /// The object the endpoint is: `Kind namespace/name`.
    #[serde(skip)]
    pub object: (String, Option<String>),
    /// What decided against mTLS, in words.
    #[serde(skip)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Tls {
    /// Empty when the trace stopped before the sidecar picks a TLS mode (no service for the
    /// host): null in JSON, not an Istio mode.
    #[serde(serialize_with = "empty_as_null")]
    pub mode: String,
    pub sni: Option<String>,
    pub subject_alt_names: Vec<String>,
}

/// A percentage to one decimal, as the trace writes shares.
pub fn round_share(share: f64) -> f64 {
    (share * 10.0).round() / 10.0
}

fn one_decimal<S: serde::Serializer>(share: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_share(*share))
}

fn empty_as_null<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    if text.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(text)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PriorityJson {
    pub priority: u32,
    pub endpoints: Vec<EndpointJson>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EndpointJson {
    pub address: String,
    pub port: u32,
    pub locality: String,
    pub weight: u32,
    pub cluster: String,
    pub via: Option<&'static str>,
    pub ejected: bool,
    /// A gateway at a DNS name, which istiod (a network gateway) or Envoy (a DNS
    /// ServiceEntry) resolves into one endpoint per address: the trace, with no DNS, counts it
    /// as one (only when so).
    #[serde(
        rename = "unresolvedHostname",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub hostname: bool,
    /// `--fail` took it down, whether or not outlier detection ejects it.
    #[serde(skip)]
    pub down: bool,
    /// The pods the endpoint reaches (`namespace/name`; behind a gateway, in its cluster).
    #[serde(skip)]
    pub pods: Vec<String>,
    /// The gateway terminates the client's mTLS rather than passing it through.
    #[serde(skip)]
    pub terminates: bool,
    /// An east-west gateway no Gateway server there takes the host on: it resets the
    /// connection.
    #[serde(skip)]
    pub dead_end: bool,
    /// A gateway address whose Service lacks the port: it refuses the connection.
    #[serde(skip)]
    pub refused: bool,
    /// On another network than the client's, with no gateway to it: unreachable.
    #[serde(skip)]
    pub unreachable: bool,
    /// The endpoint's place in the destination's endpoint list.
    #[serde(skip)]
    pub index: usize,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    #[default]
    Ok,
    NoRoute,
    NoCluster,
    NoHealthyEndpoint,
    TlsMismatch,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::NoRoute => "no-route",
            Outcome::NoCluster => "no-cluster",
            Outcome::NoHealthyEndpoint => "no-healthy-endpoint",
            Outcome::TlsMismatch => "tls-mismatch",
        }
    }

    /// What Envoy answers: its response code and flag.
    pub fn envoy(self) -> &'static str {
        match self {
            Outcome::Ok => "",
            Outcome::NoRoute => "404 NR",
            Outcome::NoCluster => "503 NC",
            Outcome::NoHealthyEndpoint => "503 UH",
            Outcome::TlsMismatch => "connection reset during the TLS handshake",
        }
    }
}

/// The object a failure is blamed on, and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Fault {
    pub cluster: String,
    pub kind: String,
    /// `namespace/name`; null when no such object exists (no ServiceEntry declares the host, no
    /// DestinationRule defines the subset).
    pub object: Option<String>,
    pub reason: String,
    /// What Envoy answers the failing requests when it is not the outcome's usual response.
    #[serde(skip)]
    pub response: Option<&'static str>,
}

/// `namespace/name`, as the answer names an object.
fn reference(meta: &crate::translate::istio::ObjectMeta) -> String {
    format!("{}/{}", meta.namespace, meta.name)
}

/// Answers `question` on `loaded`. `Err` when vdc cannot answer it: a cluster, namespace or
/// workload the input does not have, a host with several ports and no port given.
pub fn trace(loaded: &Loaded, question: &Question) -> Result<Answer> {
    let client = client::client(&loaded.world, question)?;
    let view = config::ClusterView::new(&loaded.world, &loaded.outputs, &client.cluster);
    // The client's sidecar is configured by its own cluster's istiod, from that mesh config.
    let normalization = loaded
        .world
        .clusters
        .get(&client.cluster)
        .and_then(|c| c.mesh_config.as_ref())
        .map(|mesh| mesh.path_normalization)
        .unwrap_or_default();
    let request = route::Request::new(question, normalization);
    let mut answer = simulate::answer(&view, &client, &request, question)?;
    answer.from = client.json();
    Ok(answer)
}
