//! The names of the objects routing generates, one builder each. Resolution decides them and
//! translation writes them as they are.

use crate::model::routing_types::{HttpRoute, RouteLayer, RouteTable};
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

/// A VirtualService route: `<route>-<RouteTable>`, or for an unnamed route the RouteTable's
/// name, followed by `-<index in its list>` when another route of that list is unnamed too, so
/// that the routes of one VirtualService keep names of their own.
pub(super) fn route(route: &HttpRoute, rt: &RouteTable) -> String {
    if !route.name.is_empty() {
        return format!("{}-{}", route.name, rt.meta.name);
    }
    let list = match route.layer {
        RouteLayer::Http => &rt.http,
        RouteLayer::Tcp => &rt.tcp,
        RouteLayer::Tls => &rt.tls,
    };
    let unnamed = list.iter().filter(|r| r.name.is_empty()).count();
    match list.iter().position(|r| std::ptr::eq(r, route)) {
        Some(index) if unnamed > 1 => format!("{}-{index}", rt.meta.name),
        _ => rt.meta.name.clone(),
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
