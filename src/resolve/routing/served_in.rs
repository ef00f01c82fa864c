//! VDC738: the VirtualDestinations and ExternalServices a table's routes forward to must be
//! seen by every workspace that serves those routes, not only by the table's own (VDC705): the
//! workspaces of the VirtualGateways the table is attached to, and of the tables that delegate
//! to a route's table. Gloo's routing concepts (docs.solo.io, traffic_management/concepts/
//! route-tables/route-policies): "To route to a destination, the parent workspace must have the
//! destination in its workspace. If not, the parent must import the destination".

use super::gateways::IngressGateways;
use super::{Attached, Table};
use crate::diagnostic::Diagnostics;
use crate::resolve::resolved::{ResolvedAction, RouteAt};
use crate::resolve::workspaces::Workspaces;
use crate::rules::routing::destination_not_seen_where_served::{self, Named};
use std::collections::BTreeSet;

/// VDC738 for each destination of `table`'s routes and each workspace serving its route that
/// does not see it: those of the tables the route comes through, and those of the gateways
/// in `attached`.
pub(super) fn check(
    table: &Table,
    attached: &[Attached],
    (ingress, workspaces): (&IngressGateways, &Workspaces),
    diags: &mut Diagnostics,
) {
    // Each serving gateway's workspace, with the VirtualGateway it serves the table through.
    let gateway_ws: BTreeSet<(String, String)> = (attached.iter())
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
        for seen in destinations.iter().filter_map(|d| d.seen_by.as_ref()) {
            for ws in serving.iter().filter(|w| !seen.workspaces.contains(**w)) {
                let m = &route.at.rt.meta;
                let table_name = format!("{}/{}", m.namespace, m.name);
                let key = (
                    table_name.clone(),
                    m.cluster.clone(),
                    seen.field.clone(),
                    *ws,
                );
                if !said.insert(key) {
                    continue;
                }
                let named = Named {
                    kind: seen.kind,
                    name: &seen.name,
                    owner: &seen.owner,
                };
                let route_name = &route.at.route.name;
                let through = through(&route.at, &gateway_ws, ws);
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
}

/// How workspace `ws` serves the route at `at`: its VirtualGateways the table is attached to
/// (`gateway_ws`) and its tables that delegate to the route, each named, joined by "and".
fn through(at: &RouteAt, gateway_ws: &BTreeSet<(String, String)>, ws: &str) -> String {
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
    if paths.is_empty() {
        return "VirtualGateway or a delegating RouteTable".to_owned();
    }
    paths.join(" and ")
}
