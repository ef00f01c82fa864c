//! The routes to a VirtualDestination that route policies select, and how each policy selected
//! its route.

use crate::resolve::ResolvedVd;
use crate::resolve::resolved::Routing;
use serde::Serialize;
use std::collections::BTreeMap;

/// One route to the VD, and the route policies written into it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePolicies {
    /// `namespace/name` of its RouteTable.
    pub route_table: String,
    pub route: String,
    /// The clusters whose VirtualServices carry it.
    pub clusters: Vec<String>,
    pub policies: Vec<RoutePolicy>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePolicy {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `applyToRoutes[i].route`, or that it has none.
    pub selected_by: String,
}

/// The routes (of every VirtualService) that forward to one of `r`'s hosts and carry route
/// policies, sorted by RouteTable and route.
pub fn route_policies(r: &ResolvedVd, routing: &Routing) -> Vec<RoutePolicies> {
    let hosts: Vec<&str> = r.vd.hosts.iter().map(|h| h.value.as_str()).collect();
    let mut found: BTreeMap<(String, String), RoutePolicies> = BTreeMap::new();
    for vs in &routing.virtual_services {
        for route in vs.routes.iter() {
            let to_vd = (route.destinations().iter()).any(|d| hosts.contains(&d.host.as_str()));
            if !to_vd || route.policies.is_empty() {
                continue;
            }
            let table = format!("{}/{}", vs.table.meta.namespace, vs.table.meta.name);
            let entry = found
                .entry((table.clone(), route.name.clone()))
                .or_insert_with(|| RoutePolicies {
                    route_table: table,
                    route: route.name.clone(),
                    clusters: Vec::new(),
                    policies: (route.policies.iter())
                        .map(|(p, how)| RoutePolicy {
                            kind: p.kind().name().to_owned(),
                            namespace: p.meta.namespace.clone(),
                            name: p.meta.name.clone(),
                            selected_by: how.to_owned(),
                        })
                        .collect(),
                });
            if !entry.clusters.contains(&vs.cluster) {
                entry.clusters.push(vs.cluster.clone());
            }
        }
    }
    let mut out: Vec<RoutePolicies> = found.into_values().collect();
    out.iter_mut().for_each(|r| r.clusters.sort());
    out
}

/// One route to the VD, with the VirtualServices that carry it: the objects of other Gloo
/// objects (RouteTables) that send traffic to the VD, which its own objects do not list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutedBy {
    /// `namespace/name` of its RouteTable.
    pub route_table: String,
    pub route: String,
    /// The VirtualServices that carry the route, by cluster.
    pub virtual_services: Vec<super::GeneratedObject>,
}

/// Every route (of every VirtualService) that forwards to one of `r`'s hosts, sorted by
/// RouteTable and route, each with its VirtualServices in cluster order.
pub fn routed_by(r: &ResolvedVd, routing: &Routing) -> Vec<RoutedBy> {
    let hosts: Vec<&str> = r.vd.hosts.iter().map(|h| h.value.as_str()).collect();
    let mut found: BTreeMap<(String, String), RoutedBy> = BTreeMap::new();
    for vs in &routing.virtual_services {
        for route in vs.routes.iter() {
            if !(route.destinations().iter()).any(|d| hosts.contains(&d.host.as_str())) {
                continue;
            }
            let table = format!("{}/{}", vs.table.meta.namespace, vs.table.meta.name);
            let entry = found
                .entry((table.clone(), route.name.clone()))
                .or_insert_with(|| RoutedBy {
                    route_table: table,
                    route: route.name.clone(),
                    virtual_services: Vec::new(),
                });
            let object = super::GeneratedObject {
                cluster: vs.cluster.clone(),
                kind: "VirtualService".to_owned(),
                namespace: vs.namespace.clone(),
                name: vs.name.clone(),
            };
            if !entry.virtual_services.contains(&object) {
                entry.virtual_services.push(object);
            }
        }
    }
    let mut out: Vec<RoutedBy> = found.into_values().collect();
    for r in &mut out {
        (r.virtual_services).sort_by(|a, b| {
            (&a.cluster, &a.namespace, &a.name).cmp(&(&b.cluster, &b.namespace, &b.name))
        });
    }
    out
}
