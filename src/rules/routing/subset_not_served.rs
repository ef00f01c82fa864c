//! **VDC710 subset-not-served** (warning): A route's subset matches no pod of any backing cluster.
//!
//! ## What it does
//!
//! A RouteTable destination with a `subset` whose labels no pod behind the VirtualDestination's
//! backing Services carries, in any backing cluster. Clusters whose dump holds none of the
//! backing workloads are taken to possibly serve it (vdc cannot tell), so the warning only fires
//! when every backing cluster's pods are known. A `subset` of a Kubernetes Service destination is
//! checked in each cluster the route is written to: a warning for each cluster where no pod
//! behind the Service carries its labels.
//!
//! ## Why is this bad?
//!
//! Istio fills a subset's cluster with the endpoints whose labels carry the subset's labels. vdc
//! makes every backing cluster that runs pods of the subset reachable for it (the endpoint toward
//! that cluster's east-west gateway carries the subset's labels), but a subset nobody runs has no
//! endpoint anywhere: the route's share of traffic gets 503 (`no healthy upstream`).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!         subset:
//!           version: v9        # the productpage pods are all version v1
//! ```
//!
//! ## Fix
//!
//! Use the labels the subset's pods carry (`kubectl get pods --show-labels`), deploy the
//! version the route expects, or drop the subset. If the pods run in a cluster whose dump lacks
//! them, include its Deployments or Pods in the dump.
//!
//! Fixture: `testdata/check/subset-not-served/`. Long form: `docs/diagnostics.md#vdc710`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Labels;

pub const CODE: Code = Code::SubsetNotServed;

/// Route `route` sends traffic to subset `name` (`labels`) of VirtualDestination
/// `vd_namespace/vd_name`, which no pod in `clusters_phrase` carries; `field` is the
/// destination's path.
pub struct Unserved<'a> {
    pub route: &'a str,
    pub name: &'a str,
    pub labels: &'a Labels,
    pub vd_namespace: &'a str,
    pub vd_name: &'a str,
    pub clusters_phrase: &'a str,
    pub field: &'a str,
}

pub fn diagnostic(site: Site, u: Unserved) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "route `{}` sends traffic to subset `{}` ({}) of VirtualDestination {}/{}, but no pod behind its backing Services in {} carries these labels; Istio gives the subset no endpoint (503)",
        u.route, u.name, labels_shown(u.labels), u.vd_namespace, u.vd_name, u.clusters_phrase
    ))
    .field(format!("{}.subset", u.field))
    .help("check the subset's labels against the pod labels of the backing workloads")
}

/// Route `route` sends traffic to subset `name` (`labels`) of Kubernetes Service `service`
/// (namespace, name), which no pod behind it in `cluster` carries; `field` is the destination's
/// path.
pub struct UnservedService<'a> {
    pub route: &'a str,
    pub name: &'a str,
    pub labels: &'a Labels,
    pub service: (&'a str, &'a str),
    pub cluster: &'a str,
    pub field: &'a str,
}

pub fn of_service(site: Site, u: UnservedService) -> Diagnostic {
    let (namespace, name) = u.service;
    Diagnostic::new_at(CODE, site, format!(
        "route `{}` sends traffic to subset `{}` ({}) of Service {namespace}/{name}, but no pod behind it in cluster `{}` carries these labels; Istio gives the subset no endpoint (503)",
        u.route, u.name, labels_shown(u.labels), u.cluster
    ))
    .field(format!("{}.subset", u.field))
    .help("check the subset's labels against the pod labels of the Service's workloads")
}

/// A subset's labels as messages show them: `{key: value, …}`.
pub(crate) fn labels_shown(labels: &Labels) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}
