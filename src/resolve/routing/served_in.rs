//! VDC738: the VirtualDestinations, ExternalServices and Kubernetes Services a table's routes forward to must be
//! seen by every workspace that serves those routes, not only by the table's own (VDC705): the
//! workspaces of the VirtualGateways the table is attached to, and of the tables that delegate
//! to a route's table. Gloo's routing concepts (docs.solo.io, traffic_management/concepts/
//! route-tables/route-policies): "To route to a destination, the parent workspace must have the
//! destination in its workspace. If not, the parent must import the destination".

use super::gateways::IngressGateways;
use super::services::KnownServices;
use super::{Attached, Table};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::resolve::resolved::{ResolvedAction, RouteAt, VirtualServicePlacement};
use crate::resolve::workspaces::Workspaces;
use crate::rules::routing::destination_not_seen_where_served::{self, Named};
use crate::rules::routing::destination_not_visible::{self, UnseenService};
use std::collections::BTreeSet;

/// The Gloo resource kind a workspace exports or imports Kubernetes Services as.
const SERVICE: &str = "SERVICE";

/// Each workspace of a gateway serving a table, with the VirtualGateway (`VirtualGateway
/// namespace/name`) it serves the table through.
pub(super) type GatewayWorkspaces = BTreeSet<(String, String)>;

/// VDC738 for each destination of `table`'s routes and each workspace serving its route that
/// does not see it: those of the tables the route comes through, and those of the gateways
/// in `attached`. Returns those gateways' workspaces, for [`resolve_placed`] to name.
pub(super) fn check(
    table: &Table,
    attached: &[Attached],
    (ingress, workspaces): (&IngressGateways, &Workspaces),
    diags: &mut Diagnostics,
) -> GatewayWorkspaces {
    let gateway_ws: GatewayWorkspaces = (attached.iter())
        .map(|a| &ingress.placements[a.placement])
        .filter_map(|gw| {
            let ws = workspaces.of(&gw.cluster, &gw.namespace)?;
            let m = &gw.gateway.meta;
            Some((ws, format!("VirtualGateway {}/{}", m.namespace, m.name)))
        })
        .collect();
    let mut said = BTreeSet::new();
    for route in table.routes.iter() {
        let ResolvedAction::Forward { destinations, .. } = &route.action else {
            continue;
        };
        let through_gateway = gateway_ws.iter().map(|(ws, _)| ws);
        let serving: BTreeSet<&String> =
            route.at.workspaces.iter().chain(through_gateway).collect();
        // A MirrorPolicy's destination is held to the rule of the route's own, but by the
        // policy's workspace in place of the table's: the policy's own was checked when it was
        // resolved (VDC610), and a delegating table's policy is nothing the table's relies on.
        let mirror = route.policies.mirror_to.iter();
        for seen in destinations
            .iter()
            .chain(mirror)
            .filter_map(|d| d.seen_by.as_ref())
        {
            let unseen = |w: &&&String| {
                let policy_s = seen.mirrored && ***w == route.at.rt_ws;
                !(policy_s || seen.workspaces.contains(**w))
            };
            for ws in serving.iter().filter(unseen) {
                let m = &route.at.rt.meta;
                let table_name = format!("{}/{}", m.namespace, m.name);
                let key = (
                    table_name.clone(),
                    m.cluster.clone(),
                    format!("{} {}", seen.field, seen.name),
                    *ws,
                );
                if !said.insert(key) {
                    continue;
                }
                let named = Named {
                    kind: seen.kind,
                    name: &seen.name,
                    owner: &seen.owner,
                    mirrored: seen.mirrored,
                };
                let route_name = &route.at.route.name;
                let through =
                    through(&route.at, &gateway_ws, ws).unwrap_or_else(|| SOME_PATH.to_owned());
                diags.push(destination_not_seen_where_served::diagnostic(
                    seen.site.clone(),
                    (route_name, &table_name),
                    &named,
                    (ws, &through),
                    &seen.field,
                ));
            }
        }
    }
    gateway_ws
}

/// Resolves the Service destinations of each of one table's VirtualServices `placed`, then
/// reports those that a workspace serving them does not see (VDC705, VDC738), once a table;
/// `gateway_ws` are the table's gateways' workspaces, as [`check`] returns them.
pub(super) fn resolve_placed(
    world: &World,
    (known, workspaces, gateway_ws): (&KnownServices, &Workspaces, &GatewayWorkspaces),
    placed: &mut super::Placements,
    diags: &mut Diagnostics,
) {
    for vs in placed.values_mut() {
        super::services::resolve_service_destinations(world, known, vs, diags);
    }
    let mut said = Said::new();
    for vs in placed.values() {
        check_services(vs, (known, workspaces, gateway_ws), &mut said, diags);
    }
}

/// Tables and their serving workspaces already reported for a destination: (RouteTable,
/// cluster, field, workspace).
type Said = BTreeSet<(String, String, String, String)>;

/// VDC705 or VDC738 for each Kubernetes Service destination of `vs`'s routes that a workspace
/// serving the route there does not see: the Service's own workspace in `vs`'s cluster must be
/// that workspace, or export it (kind `SERVICE`, matched by its labels, namespace and cluster)
/// to it and be imported by it. The serving workspaces are those of the tables the route comes
/// through and those whose proxies use `vs` ([`consumers`]).
fn check_services(
    vs: &VirtualServicePlacement,
    (known, workspaces, gateway_ws): (&KnownServices, &Workspaces, &GatewayWorkspaces),
    said: &mut Said,
    diags: &mut Diagnostics,
) {
    let cluster = vs.cluster.as_str();
    let written_for = consumers(vs, workspaces);
    for route in vs.routes.iter() {
        let ResolvedAction::Forward { destinations, .. } = &route.action else {
            continue;
        };
        let serving: BTreeSet<&String> = route.at.workspaces.iter().chain(&written_for).collect();
        // A MirrorPolicy's destination is held to the rule of the route's own.
        let mirror = route.policies.mirror_to.iter();
        for service in destinations
            .iter()
            .chain(mirror)
            .filter_map(|d| d.service.as_deref())
        {
            if service.cluster.as_deref().is_some_and(|c| c != cluster) {
                continue; // VDC722
            }
            let Some(svc) = known.get(cluster, service) else {
                continue; // VDC701
            };
            let owner = workspaces.of(cluster, &svc.meta.namespace);
            let policy_ws = service.origin.mirror_workspace();
            let mirrored = policy_ws.is_some();
            // A mirror's is named by the route it mirrors.
            let (own_route, field) = service.origin.route_and_field();
            let name = policy_ws.map_or(own_route, |_| route.at.route.name.as_str());
            // A mirror is the policy's: a delegating table's policy holds the table's workspace
            // to nothing.
            let by_table = |w: &String| policy_ws.is_none_or(|p| p == w || *w != route.at.rt_ws);
            for ws in (serving.iter()).filter(|w| owner.as_ref() != Some(**w) && by_table(w)) {
                let shared = (owner.as_deref()).map_or((false, false), |o| {
                    workspaces.sharing(o, ws, SERVICE, &svc.meta)
                });
                let m = &route.at.rt.meta;
                let table = format!("{}/{}", m.namespace, m.name);
                let key = (
                    table.clone(),
                    cluster.to_owned(),
                    format!("{field} {}/{}", service.namespace, service.name),
                    (*ws).clone(),
                );
                if shared == (true, true) || !said.insert(key) {
                    continue;
                }
                let unseen = UnseenService {
                    route: name,
                    service: &format!("{}/{}", service.namespace, service.name),
                    cluster,
                    owner: owner.as_deref(),
                    ws,
                    shared,
                    mirrored,
                };
                let site = service.site.clone();
                diags.push(if **ws == route.at.rt_ws {
                    destination_not_visible::service(site, &unseen, field)
                } else {
                    let through = through(&route.at, gateway_ws, ws).unwrap_or_else(|| {
                        let sidecars = vs.gateways.iter().all(|g| g == MESH);
                        (if sidecars { SIDECARS } else { SOME_PATH }).to_owned()
                    });
                    destination_not_seen_where_served::service(
                        site,
                        (&table, &through),
                        &unseen,
                        field,
                    )
                });
            }
        }
    }
}

/// The workspaces whose proxies use `vs`: for a gateway's, the workspace of the gateway's
/// namespace it is written to; for a sidecars' (`mesh`), those of the namespaces it is
/// exported to, whose workloads the table routes for (its own namespace when `.`), whatever
/// namespace it is written to.
fn consumers(vs: &VirtualServicePlacement, workspaces: &Workspaces) -> BTreeSet<String> {
    let cluster = vs.cluster.as_str();
    if !vs.gateways.iter().all(|g| g == MESH) {
        return workspaces.of(cluster, &vs.namespace).into_iter().collect();
    }
    (vs.export_to.iter())
        .filter(|ns| *ns != "*")
        .map(|ns| if ns == "." { &vs.namespace } else { ns })
        .filter_map(|ns| workspaces.of(cluster, ns))
        .collect()
}

/// The Istio gateway name of a VirtualService for sidecars.
const MESH: &str = "mesh";
/// How a workspace serves a route when [`through`] finds no VirtualGateway or delegating table
/// of it.
const SOME_PATH: &str = "VirtualGateway or a delegating RouteTable";
/// How a workspace serves a sidecars' VirtualService's route: its workloads are those routed.
const SIDECARS: &str = "workloads' sidecars, which the table routes for";

/// How workspace `ws` serves the route at `at`: its VirtualGateways the table is attached to
/// (`gateway_ws`) and its tables that delegate to the route, each named, joined by "and";
/// `None` when it has neither.
fn through(at: &RouteAt, gateway_ws: &BTreeSet<(String, String)>, ws: &str) -> Option<String> {
    let gateways = (gateway_ws.iter())
        .filter(|(w, _)| w == ws)
        .map(|(_, g)| g.clone());
    let delegating = (at.delegated_from.iter())
        .filter(|(_, w)| w == ws)
        .map(|(rt, _)| {
            format!(
                "delegating RouteTable {}/{}",
                rt.meta.namespace, rt.meta.name
            )
        });
    let mut paths: Vec<String> = Vec::new();
    for path in gateways.chain(delegating) {
        if !paths.contains(&path) {
            paths.push(path);
        }
    }
    (!paths.is_empty()).then(|| paths.join(" and "))
}
