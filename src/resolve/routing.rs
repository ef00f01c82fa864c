//! RouteTables and VirtualGateways: where each VirtualService and ingress Gateway goes, and what
//! each route's destinations resolve to. Decided here so translation cannot fail.

pub use super::resolved::{
    Destination, GatewayPlacement, ResolvedVd, Route, Routing, VirtualServicePlacement,
};
use super::workspaces::Workspaces;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::types::*;
use crate::names::sanitize;
use crate::rules::policy::invalid_weights;
use crate::rules::routing::{
    destination_not_visible, destination_port_required, gateway_selects_nothing, subset_not_served,
    unknown_destination, unknown_destination_port, unknown_virtual_gateway,
};
use std::collections::{BTreeMap, BTreeSet};

fn labels_match(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Gateway Services a VirtualGateway's workload selectors pick, in every cluster.
fn gateway_services<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    vg: &VirtualGateway,
) -> Vec<&'w Service> {
    let mut out = Vec::new();
    for cluster in world.clusters.values() {
        for svc in &cluster.services {
            let ws = workspaces.of(&cluster.name, &svc.meta.namespace);
            let picked = vg.workloads.iter().any(|s| {
                labels_match(&s.labels, &svc.meta.labels)
                    && s.name.as_deref().is_none_or(|n| n == svc.meta.name)
                    && s.namespace
                        .as_deref()
                        .is_none_or(|n| n == svc.meta.namespace)
                    && s.cluster.as_deref().is_none_or(|c| c == svc.meta.cluster)
                    && s.workspace
                        .as_deref()
                        .is_none_or(|w| Some(w) == ws.as_deref())
            });
            if picked {
                out.push(svc);
            }
        }
    }
    out
}

/// Weights completed to 100 when a route splits traffic; `None` for a single destination.
fn route_weights(given: &[Option<u32>]) -> Option<Vec<u32>> {
    if given.len() < 2 {
        return None;
    }
    let sum: u32 = given.iter().flatten().sum();
    let unweighted = given.iter().filter(|w| w.is_none()).count() as u32;
    if sum > 100 || (unweighted == 0 && sum != 100) || (unweighted > 0 && 100 - sum < unweighted) {
        return None;
    }
    let rest = 100 - sum;
    let mut extra = if unweighted > 0 { rest % unweighted } else { 0 };
    Some(
        given
            .iter()
            .map(|w| {
                w.unwrap_or_else(|| {
                    let bonus = u32::from(extra > 0);
                    extra = extra.saturating_sub(1);
                    rest / unweighted + bonus
                })
            })
            .collect(),
    )
}

pub fn resolve_routing<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    external: &super::external::ExternalIndex<'w>,
    vds: &mut [ResolvedVd<'w>],
    diags: &mut Diagnostics,
) -> Routing<'w> {
    let mut routing = Routing::default();
    let mut gateway_index: BTreeMap<(String, String, String), Vec<usize>> = BTreeMap::new();
    for vg in &world.virtual_gateways {
        let services = gateway_services(world, workspaces, vg);
        if services.is_empty() {
            let site = vg.meta.site(vg.meta.pos);
            diags.push(gateway_selects_nothing::diagnostic(site, &vg.meta.name));
        }
        let name = sanitize(&format!(
            "virtualgateway-{}-{}-{}",
            vg.meta.name, vg.meta.namespace, vg.meta.cluster
        ));
        // Gateway Services per (cluster, namespace): when several share one, each Gateway takes
        // its Service's name too, or they would be one object written twice.
        let mut sharing: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for svc in &services {
            *sharing
                .entry((&svc.meta.cluster, &svc.meta.namespace))
                .or_default() += 1;
        }
        let mut placed = Vec::new();
        for svc in services {
            let shared = sharing[&(svc.meta.cluster.as_str(), svc.meta.namespace.as_str())] > 1;
            let name = if shared {
                sanitize(&format!("{name}-{}", svc.meta.name))
            } else {
                name.clone()
            };
            let servers = vg
                .listeners
                .iter()
                .filter_map(|l| {
                    let number = match &l.port {
                        PortRef::Number(n) => *n,
                        PortRef::Name(n) => svc.ports.iter().find(|p| &p.name == n)?.port,
                    };
                    Some((number, l))
                })
                .collect();
            placed.push(routing.gateways.len());
            routing.gateways.push(GatewayPlacement {
                gateway: vg,
                cluster: svc.meta.cluster.clone(),
                namespace: svc.meta.namespace.clone(),
                name,
                selector: svc.selector.clone(),
                servers,
                hosts: BTreeSet::new(),
            });
        }
        gateway_index.insert(
            (
                vg.meta.cluster.clone(),
                vg.meta.namespace.clone(),
                vg.meta.name.clone(),
            ),
            placed,
        );
    }

    for rt in &world.route_tables {
        let Some(rt_ws) = workspaces.of(&rt.meta.cluster, &rt.meta.namespace) else {
            continue; // reported by check_policy_workspaces
        };
        let Some(routes) = resolve_routes(world, rt, &rt_ws, (vds, external), diags) else {
            continue;
        };
        // Every route delegated (VDC704): nothing to route, and Istio refuses a VirtualService
        // without routes, so the RouteTable is placed nowhere.
        if routes.is_empty() {
            continue;
        }
        let hosts: Vec<String> = rt.hosts.iter().map(|h| h.value.clone()).collect();

        // North-south: per gateway placement of every referenced VirtualGateway.
        let mut per_place: BTreeMap<(String, String), VirtualServicePlacement<'w>> =
            BTreeMap::new();
        for reference in &rt.virtual_gateways {
            let namespace = reference
                .namespace
                .clone()
                .unwrap_or_else(|| rt.meta.namespace.clone());
            let key = gateway_index
                .keys()
                .filter(|(c, ns, name)| {
                    *name == reference.name
                        && *ns == namespace
                        && reference.cluster.as_deref().is_none_or(|rc| rc == c)
                })
                .min_by_key(|(c, _, _)| *c != rt.meta.cluster)
                .cloned();
            let Some(key) = key else {
                let site = rt.meta.site(reference.pos);
                let (rt_name, vg_name) = (&rt.meta.name, &reference.name);
                let d = unknown_virtual_gateway::diagnostic(site, rt_name, &namespace, vg_name);
                diags.push(d);
                continue;
            };
            for &i in &gateway_index[&key] {
                let gw = &mut routing.gateways[i];
                gw.hosts.extend(hosts.iter().cloned());
                let ws = workspaces
                    .of(&gw.cluster, &gw.namespace)
                    .unwrap_or_else(|| rt_ws.clone());
                let place = per_place
                    .entry((gw.cluster.clone(), gw.namespace.clone()))
                    .or_insert_with(|| VirtualServicePlacement {
                        table: rt,
                        cluster: gw.cluster.clone(),
                        namespace: gw.namespace.clone(),
                        name: sanitize(&format!(
                            "routetable-{}-{}-{}-{ws}",
                            rt.meta.name, rt.meta.namespace, rt.meta.cluster
                        )),
                        export_to: vec![".".into()],
                        gateways: Vec::new(),
                        source_labels: gw.selector.clone(),
                        routes: routes.clone(),
                    });
                if !place.gateways.contains(&gw.name) {
                    place.gateways.push(gw.name.clone());
                }
            }
        }

        // East-west: per cluster with selected workloads, in the RouteTable's namespace.
        for ws_sel in &rt.workload_selectors {
            let s = &ws_sel.selector;
            for cluster in world.clusters.values() {
                let selected: BTreeSet<&str> = cluster
                    .workloads
                    .iter()
                    .filter(|w| {
                        labels_match(&s.labels, &w.pod_labels)
                            && s.namespace.as_deref().is_none_or(|n| n == w.meta.namespace)
                            && s.cluster.as_deref().is_none_or(|c| c == cluster.name)
                            && s.workspace.as_deref().is_none_or(|x| {
                                Some(x)
                                    == workspaces.of(&cluster.name, &w.meta.namespace).as_deref()
                            })
                    })
                    .map(|w| w.meta.namespace.as_str())
                    .collect();
                if selected.is_empty() {
                    continue;
                }
                let mut export: BTreeSet<String> =
                    selected.iter().map(|s| (*s).to_owned()).collect();
                export.insert(rt.meta.namespace.clone());
                let export_to = if export.len() == 1 {
                    vec![".".to_owned()]
                } else {
                    export.into_iter().collect()
                };
                per_place
                    .entry((cluster.name.clone(), rt.meta.namespace.clone()))
                    .or_insert_with(|| VirtualServicePlacement {
                        table: rt,
                        cluster: cluster.name.clone(),
                        namespace: rt.meta.namespace.clone(),
                        name: sanitize(&format!(
                            "routetable-{}-{}-{}-{rt_ws}",
                            rt.meta.name, rt.meta.namespace, rt.meta.cluster
                        )),
                        export_to,
                        gateways: vec!["mesh".into()],
                        source_labels: s.labels.clone(),
                        routes: routes.clone(),
                    });
            }
        }
        routing.virtual_services.extend(per_place.into_values());
    }
    routing
}

/// The routes of a RouteTable with every destination resolved; `None` when one cannot be.
fn resolve_routes<'w>(
    world: &'w World,
    rt: &'w RouteTable,
    rt_ws: &str,
    (vds, external): (&mut [ResolvedVd<'w>], &super::external::ExternalIndex<'w>),
    diags: &mut Diagnostics,
) -> Option<Vec<Route<'w>>> {
    let mut ok = true;
    let mut routes = Vec::new();
    for (ri, route) in rt.http.iter().enumerate() {
        // A route that only delegates has nothing to forward to: it is left out (VDC704 says
        // so), since Istio refuses a route without destinations.
        if route.destinations.is_empty() {
            continue;
        }
        let mut destinations = Vec::new();
        for (di, d) in route.destinations.iter().enumerate() {
            let field = format!("spec.http[{ri}].forwardTo.destinations[{di}]");
            if d.kind == "EXTERNAL_SERVICE" {
                match super::external_route::destination(
                    world, external, rt, rt_ws, route, d, &field, diags,
                ) {
                    Some(dest) => destinations.push(dest),
                    None => ok = false,
                }
                continue;
            }
            let namespace = d
                .reference
                .namespace
                .clone()
                .unwrap_or_else(|| rt.meta.namespace.clone());
            let subset = (!d.subset.is_empty()).then(|| {
                sanitize(
                    &d.subset
                        .iter()
                        .map(|(k, v)| format!("{k}-{v}"))
                        .collect::<Vec<_>>()
                        .join("-"),
                )
            });
            let port = d.port.as_ref().map(|p| (&p.value, p.pos));
            match d.kind.as_str() {
                "VIRTUAL_DESTINATION" => {
                    let cluster = d
                        .reference
                        .cluster
                        .clone()
                        .unwrap_or_else(|| rt.meta.cluster.clone());
                    let Some(vd) = vds.iter_mut().find(|v| {
                        v.vd.meta.name == d.reference.name
                            && v.vd.meta.namespace == namespace
                            && v.vd.meta.cluster == cluster
                    }) else {
                        ok = false;
                        // A VirtualDestination that exists but failed to resolve has its own errors.
                        let exists = world.virtual_destinations.iter().any(|v| {
                            v.meta.name == d.reference.name
                                && v.meta.namespace == namespace
                                && v.meta.cluster == cluster
                        });
                        if exists {
                            continue;
                        }
                        diags.push(unknown_destination::diagnostic(
                            rt.meta.site(d.pos),
                            &route.name,
                            &namespace,
                            &d.reference.name,
                            &cluster,
                            &field,
                        ));
                        continue;
                    };
                    if !vd.visible.contains(rt_ws) {
                        ok = false;
                        diags.push(destination_not_visible::diagnostic(
                            rt.meta.site(d.pos),
                            &route.name,
                            &namespace,
                            &d.reference.name,
                            rt_ws,
                            &vd.owner,
                            &field,
                        ));
                        continue;
                    }
                    let numbers: Vec<u32> = vd.vd.ports.iter().map(|p| *p.number).collect();
                    let chosen = match port {
                        None if numbers.len() == 1 => Some(numbers[0]),
                        None => {
                            ok = false;
                            diags.push(destination_port_required::diagnostic(
                                rt.meta.site(d.pos),
                                &route.name,
                                &namespace,
                                &d.reference.name,
                                &numbers,
                                &field,
                            ));
                            continue;
                        }
                        Some((PortRef::Number(n), _)) if numbers.contains(n) => Some(*n),
                        Some((p, pos)) => {
                            ok = false;
                            diags.push(unknown_destination_port::diagnostic(
                                rt.meta.site(pos),
                                &route.name,
                                p,
                                &namespace,
                                &d.reference.name,
                                &numbers,
                                &field,
                            ));
                            continue;
                        }
                    };
                    if let Some(name) = &subset {
                        vd.subsets.insert(name.clone(), d.subset.clone());
                        if !vd.backing.values().any(|b| b.may_serve(&d.subset)) {
                            diags.push(subset_not_served_at(rt, &route.name, vd, name, d, &field));
                        }
                    }
                    destinations.push(Destination {
                        host: vd.vd.hosts[0].value.clone(),
                        port: chosen,
                        subset,
                        weight: d.weight,
                    });
                }
                _ => {
                    let cluster = d.reference.cluster.as_deref().unwrap_or(&rt.meta.cluster);
                    let domain = world
                        .clusters
                        .get(cluster)
                        .map_or("cluster.local", |c| c.cluster_domain.as_str());
                    let number = match port {
                        Some((PortRef::Number(n), _)) => Some(*n),
                        _ => None,
                    };
                    destinations.push(Destination {
                        host: format!("{}.{namespace}.svc.{domain}", d.reference.name),
                        port: number,
                        subset,
                        weight: d.weight,
                    });
                }
            }
        }
        if destinations.is_empty() {
            continue;
        }
        let given: Vec<Option<u32>> = destinations.iter().map(|d| d.weight).collect();
        match route_weights(&given) {
            Some(weights) => destinations
                .iter_mut()
                .zip(weights)
                .for_each(|(d, w)| d.weight = Some(w)),
            None if given.len() >= 2 => {
                ok = false;
                let case = invalid_weights::Case::Route {
                    index: ri,
                    name: &route.name,
                };
                diags.push(invalid_weights::diagnostic(rt.meta.site(route.pos), case));
            }
            None => destinations.iter_mut().for_each(|d| d.weight = None),
        }
        let name = if route.name.is_empty() {
            rt.meta.name.clone()
        } else {
            format!("{}-{}", route.name, rt.meta.name)
        };
        routes.push(Route {
            name,
            matchers: &route.matchers,
            destinations,
        });
    }
    ok.then_some(routes)
}

/// VDC710: a subset no backing cluster's pods carry: Istio gives it no endpoint, and the
/// route's share of traffic gets 503.
fn subset_not_served_at(
    rt: &RouteTable,
    route: &str,
    vd: &ResolvedVd,
    name: &str,
    d: &RouteDestination,
    field: &str,
) -> Diagnostic {
    let clusters: Vec<&str> = vd.backing.keys().map(String::as_str).collect();
    let clusters_phrase = crate::text::clusters_phrase(&clusters);
    let unserved = subset_not_served::Unserved {
        route,
        name,
        labels: &d.subset,
        vd_namespace: &vd.vd.meta.namespace,
        vd_name: &vd.vd.meta.name,
        clusters_phrase: &clusters_phrase,
        field,
    };
    subset_not_served::diagnostic(rt.meta.site(d.pos), unserved)
}
