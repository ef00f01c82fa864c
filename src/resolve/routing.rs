//! RouteTables and VirtualGateways: where each VirtualService and ingress Gateway goes, and what
//! each route's destinations resolve to. Decided here so translation cannot fail.

use super::resolved::{
    ExternalIndex, ResolvedVd, Route, RouteSubset, Routing, VirtualServicePlacement,
};
use super::workspaces::Workspaces;
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::routing_types::*;
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::routing::route_table_not_allowed::{self, NotAllowed};
use crate::rules::routing::{
    http_route_on_tcp_port, unknown_virtual_gateway, workload_selector_selects_nothing,
};
use gateways::{IngressGateways, VirtualGatewayId};
use std::collections::{BTreeMap, BTreeSet};

mod allowed;
mod delegation;
pub(super) mod destination;
mod gateways;
pub(crate) mod l4_listeners;
mod mirror;
mod names;
mod narrow;
pub mod policies;
mod policy_fit;
mod routes;
mod served_in;
pub(crate) mod server_conflicts;
mod services;

/// The gateway Services a VirtualGateway's workload selectors pick, in every cluster: those of
/// its own workspace, which it programs, and (with their workspace) those of other workspaces,
/// which Gloo leaves alone: it selects "the gateway workloads that implement this
/// VirtualGateway in the same workspace" (virtual_gateway.proto).
struct GatewayServices<'w> {
    own: Vec<&'w Service>,
    /// With their workspace; `None` for a namespace no workspace holds.
    elsewhere: Vec<(&'w Service, Option<String>)>,
}

fn gateway_services<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    vg: &VirtualGateway,
) -> GatewayServices<'w> {
    let vg_ws = workspaces.of(&vg.meta.cluster, &vg.meta.namespace);
    let mut out = GatewayServices {
        own: Vec::new(),
        elsewhere: Vec::new(),
    };
    for cluster in world.clusters.values() {
        for svc in &cluster.services {
            let ws = workspaces.of(&cluster.name, &svc.meta.namespace);
            let gateway = Candidate::of(&svc.meta, ws.as_deref());
            if !vg.workloads.iter().any(|s| s.matches(&gateway)) {
                continue;
            }
            // A VirtualGateway in no workspace is refused (VDC303) and programs nothing.
            match &vg_ws {
                Some(own) if ws.as_ref() != Some(own) => out.elsewhere.push((svc, ws)),
                _ => out.own.push(svc),
            }
        }
    }
    out
}

/// What routing decides.
pub struct RoutingResolution<'w> {
    pub routing: Routing<'w>,
    /// The subsets routes send traffic to, in the order routes name them, for the
    /// VirtualDestinations' DestinationRules.
    pub subsets: Vec<RouteSubset>,
}

/// Whether `rt` gets VirtualServices of its own: on gateways or sidecars, with hosts (without
/// them it is a delegated child, placed through its parents, or VDC707 stopped the run).
fn is_placed(rt: &RouteTable) -> bool {
    !rt.hosts.is_empty() && (!rt.virtual_gateways.is_empty() || !rt.sidecar_selectors().is_empty())
}

/// Every VirtualGateway's ingress Gateways, and the VirtualServices of every RouteTable whose
/// routes all resolve: on the gateways of the VirtualGateways it references (north-south) and
/// beside the workloads it selects (east-west).
pub fn resolve_routing<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    external: &ExternalIndex<'w>,
    vds: &[ResolvedVd<'w>],
    diags: &mut Diagnostics,
) -> RoutingResolution<'w> {
    let mut ingress = gateways::place_gateways(world, workspaces, diags);
    let policies = policies::RoutePolicyIndex::new(world, workspaces, (vds, external), diags);
    let targets = routes::Targets {
        vds,
        vd_index: routes::vd_index(vds),
        external,
        policies: &policies,
    };
    // Every table's own routes first: a table delegates to tables anywhere in the list. Its
    // gateways are looked up with them, so that a missing VirtualGateway (VDC706) is reported
    // in the same run as a missing destination.
    let mut attached = Vec::new();
    let own: Vec<Option<routes::TableRoutes>> = (world.route_tables.iter())
        .map(|rt| {
            attached.push(Vec::new());
            // Outside any workspace: reported by check_policy_workspaces.
            let rt_ws = workspaces.of(&rt.meta.cluster, &rt.meta.namespace)?;
            let resolved = routes::resolve_routes(world, rt, &rt_ws, &targets, diags);
            *attached.last_mut()? = attached_gateways(rt, (&rt_ws, workspaces), &ingress, diags);
            Some(resolved)
        })
        .collect();
    // A route's subset is defined even when its RouteTable is placed nowhere.
    let subsets = own
        .iter()
        .flatten()
        .flat_map(|t| t.subsets.clone())
        .collect();
    let known = services::KnownServices::new(world);
    let mut flattener = delegation::Flattener::new(world, (workspaces, &policies), &own);
    let mut virtual_services = Vec::new();
    for (i, rt) in world.route_tables.iter().enumerate() {
        let Some(table) = &own[i] else { continue };
        let placed = is_placed(rt);
        let delegates = (table.entries.iter()).any(|e| matches!(e, routes::Entry::Delegate(_)));
        if !placed && !delegates {
            continue;
        }
        // A delegated table that delegates further is flattened too, for its diagnostics.
        let Some(routes) = flattener.routes(i, diags) else {
            continue;
        };
        // Istio refuses a VirtualService without routes: a table whose delegations brought in
        // none (an error reported) is placed nowhere.
        if !placed || routes.is_empty() {
            continue;
        }
        let table = Table {
            rt,
            rt_ws: &table.workspace,
            routes: routes.into(),
        };
        let gateway_ws = served_in::check(&table, &attached[i], (&ingress, workspaces), diags);
        let mut placed = north_south(&table, &attached[i], &ingress, workspaces);
        serve_admitted_hosts(&attached[i], &mut ingress);
        add_east_west(&mut placed, east_west(world, workspaces, &table, diags));
        served_in::resolve_placed(world, (&known, workspaces, &gateway_ws), &mut placed, diags);
        virtual_services.extend(placed.into_values());
    }
    gateways::default_hosts(&mut ingress.placements);
    server_conflicts::drop_conflicting(world, &mut ingress.placements, diags);
    RoutingResolution {
        routing: Routing {
            gateways: ingress.placements,
            service_subsets: services::subset_rules(world, vds, &virtual_services, diags),
            virtual_services,
            selected_route_policies: policies.selected(),
        },
        subsets,
    }
}

/// Adds a table's east-west VirtualServices to its gateways' `placed`. A table on a gateway of
/// its own namespace and workspace names both alike: the sidecars' VirtualService then takes a
/// name of its own rather than be dropped.
fn add_east_west<'w>(placed: &mut Placements<'w>, east: Placements<'w>) {
    for ((cluster, namespace, name), mut vs) in east {
        let mut key = (cluster, namespace, name);
        if placed.contains_key(&key) {
            vs.name = crate::names::sanitize(&format!("{}-mesh", vs.name));
            key.2 = vs.name.clone();
        }
        placed.insert(key, vs);
    }
}

/// Each server of the gateways a table is attached to serves the table's hosts its listener
/// admits.
fn serve_admitted_hosts(attached: &[Attached], ingress: &mut IngressGateways) {
    for a in attached {
        for server in &mut ingress.placements[a.placement].servers {
            server
                .hosts
                .extend(a.admitted[server.index].iter().cloned());
        }
    }
}

/// A RouteTable whose routes all resolved, in its workspace `rt_ws`.
struct Table<'a, 'w> {
    rt: &'w RouteTable,
    rt_ws: &'a str,
    /// Shared by every VirtualService made from the table: a table routing a fleet's ingress
    /// is placed on the gateway of every cluster, and a copy each was gigabytes at 2,000.
    routes: std::sync::Arc<[Route<'w>]>,
}

/// A RouteTable's VirtualServices by (cluster, namespace), at most one in each.
/// VirtualServices by (cluster, namespace, name).
type Placements<'w> = BTreeMap<(String, String, String), VirtualServicePlacement<'w>>;

/// A gateway placement a RouteTable attaches to, with the table's hosts each listener of the
/// VirtualGateway admits (by listener index).
struct Attached {
    placement: usize,
    admitted: Vec<BTreeSet<String>>,
}

/// The gateway placements of every VirtualGateway `rt` references and allows it on some
/// listener, in reference order (a placement once per reference); VDC706 for a reference to
/// none, VDC737 for one of a workspace that does not see `rt`, VDC714 for hosts no listener
/// allows.
fn attached_gateways(
    rt: &RouteTable,
    (rt_ws, workspaces): (&str, &Workspaces),
    ingress: &IngressGateways,
    diags: &mut Diagnostics,
) -> Vec<Attached> {
    let mut out = Vec::new();
    let mut serving = Vec::new();
    for (index, reference) in rt.virtual_gateways.iter().enumerate() {
        let Some((vg, placements)) = referenced_gateway(rt, reference, ingress, diags) else {
            continue;
        };
        if !gateways::sees_table(rt, (index, reference), (rt_ws, workspaces), vg, diags) {
            continue;
        }
        let admitted = allowed::admitted_hosts(vg, rt, rt_ws);
        if !allowed_somewhere(rt, reference, vg, &admitted, diags) {
            continue;
        }
        http_on_no_http_listener(rt, (index, reference), vg, &admitted, diags);
        l4_listeners::l4_on_no_listener(rt, (index, reference), vg, &admitted, diags);
        serving.extend(l4_listeners::serving(vg, &admitted));
        out.extend(placements.iter().map(|&placement| Attached {
            placement,
            admitted: admitted.clone(),
        }));
    }
    l4_listeners::l4_ports_on_no_listener(rt, &serving, diags);
    out
}

/// VDC719 when `rt` has http routes and every listener of `vg` that admits one of its hosts is
/// TCP, or TLS or HTTPS passthrough: Istio applies a Gateway's http routes on its HTTP servers
/// and its HTTPS servers that terminate TLS only, so none of them would ever be used there.
fn http_on_no_http_listener(
    rt: &RouteTable,
    (index, reference): (usize, &ObjectReference),
    vg: &VirtualGateway,
    admitted: &[BTreeSet<String>],
    diags: &mut Diagnostics,
) {
    let serving = l4_listeners::serving(vg, admitted);
    let http = |l: &&Listener| l4_listeners::carries(l, RouteLayer::Http);
    if rt.http.is_empty() || serving.is_empty() || serving.iter().any(http) {
        return;
    }
    let site = rt.meta.site(reference.pos);
    let d = http_route_on_tcp_port::on_gateway(site, index, &vg.meta.name, &serving);
    diags.push(d);
}

/// Whether some listener of `vg` admits a host of `rt` (or `vg` has no listener to refuse
/// it); VDC714 naming the hosts that none admits.
fn allowed_somewhere(
    rt: &RouteTable,
    reference: &ObjectReference,
    vg: &VirtualGateway,
    admitted: &[BTreeSet<String>],
    diags: &mut Diagnostics,
) -> bool {
    let refused: Vec<String> = (rt.hosts.iter())
        .filter(|h| !admitted.iter().any(|a| a.contains(&h.value)))
        .map(|h| h.value.clone())
        .collect();
    if vg.listeners.is_empty() || refused.is_empty() {
        return true;
    }
    let whole_table = refused.len() == rt.hosts.len();
    let listeners: Vec<String> = (vg.listeners.iter())
        .filter(|l| !l.allowed_route_tables.is_empty())
        .map(|l| format!("{} allows {}", port_phrase(&l.port), allowed::describe(l)))
        .collect();
    let gateway = format!("{}/{}", vg.meta.namespace, vg.meta.name);
    let not = NotAllowed {
        gateway: &gateway,
        hosts: &refused,
        whole_table,
        listeners: &listeners,
    };
    let site = rt.meta.site(reference.pos);
    diags.push(route_table_not_allowed::diagnostic(
        site,
        &rt.meta.name,
        &not,
    ));
    !whole_table
}

/// `port 443`, or `port `https`` for a named port.
fn port_phrase(port: &PortRef) -> String {
    match port {
        PortRef::Number(n) => format!("port {n}"),
        PortRef::Name(name) => format!("port `{name}`"),
    }
}

/// One VirtualService per (cluster, namespace) of the gateway placements `attached`, listing
/// those gateways.
fn north_south<'w>(
    table: &Table<'_, 'w>,
    attached: &[Attached],
    ingress: &IngressGateways<'w>,
    workspaces: &Workspaces,
) -> Placements<'w> {
    let rt = table.rt;
    let mut out = Placements::new();
    for a in attached {
        let gw = &ingress.placements[a.placement];
        let ws = workspaces
            .of(&gw.cluster, &gw.namespace)
            .unwrap_or_else(|| table.rt_ws.to_owned());
        let name = names::route_table(&rt.meta, &ws);
        let place = out
            .entry((gw.cluster.clone(), gw.namespace.clone(), name.clone()))
            .or_insert_with(|| VirtualServicePlacement {
                table: rt,
                cluster: gw.cluster.clone(),
                namespace: gw.namespace.clone(),
                name,
                export_to: vec![".".into()],
                gateways: Vec::new(),
                source_labels: vec![gw.selector.clone()],
                routes: table.routes.clone(),
                cluster_domain: String::new(),
                service_ports: BTreeMap::new(),
            });
        if !place.gateways.contains(&gw.name) {
            place.gateways.push(gw.name.clone());
        }
    }
    out
}

/// The gateway placements of the VirtualGateway a RouteTable references, the one in the
/// RouteTable's own cluster first when several match; VDC706 when none does.
fn referenced_gateway<'g, 'w>(
    rt: &RouteTable,
    reference: &ObjectReference,
    ingress: &'g IngressGateways<'w>,
    diags: &mut Diagnostics,
) -> Option<&'g (&'w VirtualGateway, Vec<usize>)> {
    let namespace = reference
        .namespace
        .clone()
        .unwrap_or_else(|| rt.meta.namespace.clone());
    let found = ingress
        .by_gateway
        .iter()
        .filter(|(id, _)| {
            id.name == reference.name
                && id.namespace == namespace
                && reference.cluster.as_deref().is_none_or(|c| c == id.cluster)
        })
        .min_by_key(|(id, _)| id.cluster != rt.meta.cluster)
        .map(|(_, entry): (&VirtualGatewayId, _)| entry);
    if found.is_none() {
        let site = rt.meta.site(reference.pos);
        let (rt_name, vg_name) = (&rt.meta.name, &reference.name);
        let d = unknown_virtual_gateway::diagnostic(site, rt_name, &namespace, vg_name);
        diags.push(d);
    }
    found
}

/// One VirtualService per cluster where the RouteTable's sidecar selectors pick workloads of the
/// workspaces it is deployed in or imported into, exported to the namespaces of those
/// workloads. None for a table with a `*` host (VDC720).
fn east_west<'w>(
    world: &World,
    workspaces: &Workspaces,
    table: &Table<'_, 'w>,
    diags: &mut Diagnostics,
) -> Placements<'w> {
    let rt = table.rt;
    let mut out = Placements::new();
    if rt.mesh_refused_host().is_some() {
        return out;
    }
    let seeing = seeing_workspaces(workspaces, rt, table.rt_ws);
    let selectors = rt.sidecar_selectors();
    let mut picked = vec![false; selectors.len()];
    for cluster in world.clusters.values() {
        let selected: Vec<(usize, BTreeSet<&str>)> = (selectors.iter().enumerate())
            .map(|(i, ws_sel)| {
                (
                    i,
                    selected_namespaces(workspaces, &seeing, &ws_sel.selector, cluster),
                )
            })
            .filter(|(_, namespaces)| !namespaces.is_empty())
            .inspect(|(i, _)| picked[*i] = true)
            .collect();
        let every: BTreeSet<&str> = selected
            .iter()
            .flat_map(|(_, n)| n.iter().copied())
            .collect();
        let Some(home) = home_namespace(rt, cluster, &every) else {
            continue;
        };
        let base = names::route_table(&rt.meta, table.rt_ws);
        for (k, (entries, namespaces)) in by_entries(&selected).into_iter().enumerate() {
            let source_labels = distinct_labels(entries.iter().map(|&i| &selectors[i].selector));
            // An entry without labels matches every source where the VirtualService is seen,
            // so it is seen only where the entries picked workloads.
            let mut export = namespaces.clone();
            if source_labels.iter().all(|l| !l.is_empty()) {
                export.insert(home);
            }
            let name = match k {
                0 => base.clone(),
                _ => crate::names::sanitize(&format!(
                    "{base}-{}",
                    namespaces.first().copied().unwrap_or_default()
                )),
            };
            out.insert(
                (cluster.name.clone(), home.to_owned(), name.clone()),
                VirtualServicePlacement {
                    table: rt,
                    cluster: cluster.name.clone(),
                    namespace: home.to_owned(),
                    name,
                    export_to: east_west_export(home, export),
                    gateways: vec!["mesh".into()],
                    source_labels,
                    routes: table.routes.clone(),
                    cluster_domain: String::new(),
                    service_ports: BTreeMap::new(),
                },
            );
        }
    }
    // The default (every workload) names no entry to blame.
    if let std::borrow::Cow::Borrowed(entries) = selectors {
        for (i, entry) in entries.iter().enumerate().filter(|(i, _)| !picked[*i]) {
            let elsewhere = picked_elsewhere(world, workspaces, &seeing, &entry.selector);
            let site = rt.meta.site(rt.meta.pos);
            let d = workload_selector_selects_nothing::diagnostic(site, i, table.rt_ws, elsewhere);
            diags.push(d);
        }
    }
    out
}

/// The labels of `selectors`, each once, in order.
fn distinct_labels<'s>(selectors: impl Iterator<Item = &'s ObjectSelector>) -> Vec<Labels> {
    let mut out: Vec<Labels> = Vec::new();
    for s in selectors {
        if !out.contains(&s.labels) {
            out.push(s.labels.clone());
        }
    }
    out
}

/// A workload `s` would pick that is not among the workspaces `seeing`, and its workspace.
fn picked_elsewhere(
    world: &World,
    workspaces: &Workspaces,
    seeing: &BTreeSet<String>,
    s: &ObjectSelector,
) -> Option<(String, Option<String>)> {
    world.clusters.values().find_map(|cluster| {
        cluster.workloads.iter().find_map(|w| {
            let namespace = w.meta.namespace.as_str();
            let workspace = workspaces.of(&cluster.name, namespace);
            let picked = s.matches(&Candidate {
                labels: &w.pod_labels,
                name: None,
                namespace,
                cluster: &cluster.name,
                workspace: workspace.as_deref(),
            });
            (picked && !workspace.as_ref().is_some_and(|ws| seeing.contains(ws))).then(|| {
                let m = &w.meta;
                let name = format!(
                    "{} {}/{} in cluster {}",
                    m.kind, m.namespace, m.name, m.cluster
                );
                (name, workspace.clone())
            })
        })
    })
}

/// The namespaces `selected` (per workloadSelectors entry, the namespaces it picks) grouped
/// by the entries that pick them, ordered by their first namespace: one VirtualService per
/// group, so an entry's routes reach only the namespaces it picked.
fn by_entries<'n>(selected: &[(usize, BTreeSet<&'n str>)]) -> Vec<(Vec<usize>, BTreeSet<&'n str>)> {
    let mut entries_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, namespaces) in selected {
        for &n in namespaces {
            entries_of.entry(n).or_default().push(*i);
        }
    }
    let mut groups: BTreeMap<Vec<usize>, BTreeSet<&str>> = BTreeMap::new();
    for (namespace, entries) in entries_of {
        groups.entry(entries).or_default().insert(namespace);
    }
    let mut ordered: Vec<(Vec<usize>, BTreeSet<&str>)> = groups.into_iter().collect();
    ordered.sort_by(|a, b| a.1.first().cmp(&b.1.first()));
    ordered
}

/// The namespace of `cluster` an east-west VirtualService of `rt` is written to: the
/// RouteTable's own when the cluster has it, else the first namespace of the workloads it
/// routes for there. A table kept in a namespace of the management cluster only (Gloo's
/// team layout) would otherwise be written into a namespace the cluster does not have, which
/// `kubectl apply` refuses. `None` when it routes for no workload there.
fn home_namespace<'c>(
    rt: &'c RouteTable,
    cluster: &'c Cluster,
    selected: &BTreeSet<&'c str>,
) -> Option<&'c str> {
    let first = selected.first().copied()?;
    let own = rt.meta.namespace.as_str();
    Some(if cluster.namespaces.contains_key(own) {
        own
    } else {
        first
    })
}

/// The workspaces whose sidecars a RouteTable of workspace `rt_ws` may route: its own, and
/// those it is exported to that import it (route_table.proto: "the workspace where the route
/// table is deployed or imported").
fn seeing_workspaces(workspaces: &Workspaces, rt: &RouteTable, rt_ws: &str) -> BTreeSet<String> {
    (workspaces.names().into_iter())
        .filter(|w| workspaces.shares(rt_ws, w, "ROUTE_TABLE", &rt.meta))
        .collect()
}

/// The namespaces of `cluster` holding workloads the selector `s` picks among those of the
/// workspaces `seeing`.
fn selected_namespaces<'c>(
    workspaces: &Workspaces,
    seeing: &BTreeSet<String>,
    s: &ObjectSelector,
    cluster: &'c Cluster,
) -> BTreeSet<&'c str> {
    // A namespace's workspace, looked up once per namespace.
    let mut workspace_of: BTreeMap<&str, Option<String>> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for w in &cluster.workloads {
        let namespace = w.meta.namespace.as_str();
        let workspace = workspace_of
            .entry(namespace)
            .or_insert_with(|| workspaces.of(&cluster.name, namespace))
            .as_deref();
        if !workspace.is_some_and(|ws| seeing.contains(ws)) {
            continue;
        }
        let picked = s.matches(&Candidate {
            labels: &w.pod_labels,
            name: None,
            namespace,
            cluster: &cluster.name,
            workspace,
        });
        if picked {
            out.insert(namespace);
        }
    }
    out
}

/// An east-west VirtualService's `exportTo`: its own namespace and the selected workloads'
/// namespaces, or `.` when that is its own namespace alone.
fn east_west_export(namespace: &str, selected: BTreeSet<&str>) -> Vec<String> {
    let export: BTreeSet<String> = selected.iter().map(|s| (*s).to_owned()).collect();
    if export.len() == 1 && export.contains(namespace) {
        vec![".".to_owned()]
    } else {
        export.into_iter().collect()
    }
}
