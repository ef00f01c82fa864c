//! The Istio objects vdc writes. Field order is the output order: apiVersion, kind, metadata
//! (name, namespace, labels), spec; inside spec, keys are alphabetical, as `kubectl get -o yaml`
//! prints them, so output diffs cleanly against what a cluster returns.

use serde::Serialize;
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

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
    pub labels: Labels,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Spec {
    ServiceEntry(ServiceEntry),
    WorkloadEntry(WorkloadEntry),
    DestinationRule(DestinationRule),
    Gateway(Gateway),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntry {
    pub addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<WorkloadEntry>,
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
    pub labels: Labels,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub locality: String,
    pub ports: BTreeMap<String, u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRule {
    pub export_to: Vec<String>,
    pub host: String,
    pub traffic_policy: TrafficPolicy,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficPolicy {
    pub port_level_settings: Vec<PortTrafficPolicy>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortTrafficPolicy {
    pub port: PortSelector,
    pub tls: ClientTls,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortSelector {
    pub number: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientTls {
    pub mode: &'static str,
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
    pub tls: ServerTls,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerPort {
    pub name: String,
    pub number: u32,
    pub protocol: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerTls {
    pub mode: &'static str,
}
