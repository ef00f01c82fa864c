//! The Gloo routes that forward to a VirtualDestination: the VirtualServices that carry each,
//! and the route policies written into it.

use crate::resolve::ResolvedVd;
use crate::resolve::resolved::{Route, Routing, VirtualServicePlacement};
use serde::Serialize;
use std::collections::BTreeMap;

/// A route of a Gloo RouteTable, as its table holds it: a delegated route is named by the
/// delegated table (the child), with the root tables whose VirtualServices carry it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GlooRoute {
    /// `namespace/name` of the RouteTable that holds the route.
    pub route_table: String,
    /// The cluster whose config holds that RouteTable.
    pub route_table_cluster: String,
    /// Its `name` in `spec.http` (empty when it has none).
    pub route: String,
    /// Its index in `spec.http`.
    pub route_index: usize,
    /// For a delegated route: the root tables that delegate to it, whose VirtualServices carry
    /// it; empty for a route of a root table.
    pub delegated_from: Vec<TableRef>,
}

impl GlooRoute {
    /// How `vdc check` names it: ``route `name` ``, or `route N` when it has no name.
    pub fn shown(&self) -> String {
        crate::rules::routing::delegation_matches_nothing::route_shown(
            self.route_index,
            &self.route,
        )
    }
}

/// A RouteTable, with the cluster whose config holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TableRef {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
}

/// One route to the VD, and the route policies written into it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePolicies {
    #[serde(flatten)]
    pub source: GlooRoute,
    /// The clusters whose VirtualServices carry it.
    pub clusters: Vec<String>,
    pub policies: Vec<RoutePolicy>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePolicy {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `applyToRoutes[i].route`, or that it has none.
    pub selected_by: String,
}

/// One route to the VD, with the VirtualServices that carry it: the objects of other Gloo
/// objects (RouteTables) that send traffic to the VD, which its own objects do not list.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutedBy {
    #[serde(flatten)]
    pub source: GlooRoute,
    /// The VirtualServices that carry the route, by cluster.
    pub virtual_services: Vec<super::GeneratedObject>,
}

/// The Gloo routes that forward to `r`, each once: `routed_by` lists every one with the
/// VirtualServices that carry it, `route_policies` those that route policies select.
pub struct RoutesTo {
    pub routed_by: Vec<RoutedBy>,
    pub route_policies: Vec<RoutePolicies>,
}

/// A Gloo route: its table's namespace, name and cluster, and its index in `spec.http`.
type Key = (String, String, String, usize);

/// Every route (of every VirtualService) that forwards to one of `r`'s hosts, keyed by the
/// Gloo route it comes from, sorted by RouteTable and route index.
pub fn routes_to(r: &ResolvedVd, routing: &Routing) -> RoutesTo {
    let hosts: Vec<&str> = r.vd.hosts.iter().map(|h| h.value.as_str()).collect();
    let mut routed: BTreeMap<Key, RoutedBy> = BTreeMap::new();
    let mut selected: BTreeMap<Key, RoutePolicies> = BTreeMap::new();
    for vs in &routing.virtual_services {
        for route in vs.routes.iter() {
            if !(route.destinations().iter()).any(|d| hosts.contains(&d.host.as_str())) {
                continue;
            }
            let (key, source) = source_of(vs, route);
            let entry = routed.entry(key.clone()).or_insert_with(|| RoutedBy {
                source: source.clone(),
                virtual_services: Vec::new(),
            });
            add_delegator(&mut entry.source, &source);
            let object = super::GeneratedObject {
                cluster: vs.cluster.clone(),
                kind: "VirtualService".to_owned(),
                namespace: vs.namespace.clone(),
                name: vs.name.clone(),
            };
            if !entry.virtual_services.contains(&object) {
                entry.virtual_services.push(object);
            }
            if !route.policies.is_empty() {
                add_policies(selected.entry(key), source, vs, route);
            }
        }
    }
    let mut routed_by: Vec<RoutedBy> = routed.into_values().collect();
    for r in &mut routed_by {
        (r.virtual_services).sort_by(|a, b| {
            (&a.cluster, &a.namespace, &a.name).cmp(&(&b.cluster, &b.namespace, &b.name))
        });
    }
    let mut route_policies: Vec<RoutePolicies> = selected.into_values().collect();
    route_policies.iter_mut().for_each(|r| r.clusters.sort());
    RoutesTo {
        routed_by,
        route_policies,
    }
}

/// The Gloo route `route` of `vs` comes from, and its key: the table that holds it (the
/// delegated one for a delegated route) and its index there.
fn source_of(vs: &VirtualServicePlacement, route: &Route) -> (Key, GlooRoute) {
    let rt = route.at.rt;
    let index = (rt.http.iter())
        .position(|h| std::ptr::eq(h, route.at.route))
        .unwrap_or_default();
    let delegated_from = if std::ptr::eq(rt, vs.table) {
        Vec::new()
    } else {
        vec![TableRef {
            cluster: vs.table.meta.cluster.clone(),
            namespace: vs.table.meta.namespace.clone(),
            name: vs.table.meta.name.clone(),
        }]
    };
    let key = (
        rt.meta.namespace.clone(),
        rt.meta.name.clone(),
        rt.meta.cluster.clone(),
        index,
    );
    let source = GlooRoute {
        route_table: format!("{}/{}", rt.meta.namespace, rt.meta.name),
        route_table_cluster: rt.meta.cluster.clone(),
        route: route.at.route.name.clone(),
        route_index: index,
        delegated_from,
    };
    (key, source)
}

/// Adds the root table `found` is delegated from (if any) to `to`'s, kept sorted.
fn add_delegator(to: &mut GlooRoute, found: &GlooRoute) {
    for table in &found.delegated_from {
        if let Err(at) = to.delegated_from.binary_search(table) {
            to.delegated_from.insert(at, table.clone());
        }
    }
}

/// Adds the policies of `route` (in `vs`) to its entry: a route delegated from two root tables
/// may be selected by other policies through each.
fn add_policies(
    entry: std::collections::btree_map::Entry<Key, RoutePolicies>,
    source: GlooRoute,
    vs: &VirtualServicePlacement,
    route: &Route,
) {
    let entry = entry.or_insert_with(|| RoutePolicies {
        source: source.clone(),
        clusters: Vec::new(),
        policies: Vec::new(),
    });
    add_delegator(&mut entry.source, &source);
    for (p, how) in route.policies.iter() {
        let policy = RoutePolicy {
            kind: p.kind().name().to_owned(),
            namespace: p.meta.namespace.clone(),
            name: p.meta.name.clone(),
            selected_by: how.to_owned(),
        };
        if !entry.policies.contains(&policy) {
            entry.policies.push(policy);
        }
    }
    if !entry.clusters.contains(&vs.cluster) {
        entry.clusters.push(vs.cluster.clone());
    }
}
