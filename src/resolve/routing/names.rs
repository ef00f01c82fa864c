//! The names of the objects routing generates, one builder each. Resolution decides them and
//! translation writes them as they are.

use crate::model::routing_types::HttpRoute;
use crate::model::types::{Labels, Meta};
use crate::names::sanitize;

/// The ingress Gateway of VirtualGateway `vg`: `virtualgateway-<name>-<namespace>-<cluster>`.
pub(super) fn virtual_gateway(vg: &Meta) -> String {
    sanitize(&format!(
        "virtualgateway-{}-{}-{}",
        vg.name, vg.namespace, vg.cluster
    ))
}

/// The Gateway on `service` when other gateway Services of its namespace also serve the
/// VirtualGateway: its `gateway` name and the Service's.
pub(super) fn shared_gateway(gateway: &str, service: &Meta) -> String {
    sanitize(&format!("{gateway}-{}", service.name))
}

/// The VirtualService of RouteTable `rt` seen from workspace `workspace`:
/// `routetable-<name>-<namespace>-<cluster>-<workspace>`.
pub(super) fn route_table(rt: &Meta, workspace: &str) -> String {
    sanitize(&format!(
        "routetable-{}-{}-{}-{workspace}",
        rt.name, rt.namespace, rt.cluster
    ))
}

/// A VirtualService route: `<route>-<RouteTable>`, or the RouteTable's name for an unnamed
/// route.
pub(super) fn route(route: &HttpRoute, rt: &Meta) -> String {
    if route.name.is_empty() {
        rt.name.clone()
    } else {
        format!("{}-{}", route.name, rt.name)
    }
}

/// The DestinationRule subset of a destination's `subset` labels: `<key>-<value>` pairs joined
/// by `-`; `None` without labels.
pub(super) fn subset(labels: &Labels) -> Option<String> {
    (!labels.is_empty()).then(|| sanitize(&crate::names::label_pairs(labels)))
}

/// The DestinationRule that defines the subsets routes ask of the Kubernetes Service `host`:
/// `<host>-subsets`, sanitised.
pub(super) fn service_subsets(host: &str) -> String {
    crate::names::sanitize(&format!("{host}-subsets"))
}
