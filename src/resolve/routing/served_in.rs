//! VDC738: the VirtualDestinations and ExternalServices a table's routes forward to must be
//! seen by every workspace that serves those routes, not only by the table's own (VDC705): the
//! workspaces of the VirtualGateways the table is attached to, and of the tables that delegate
//! to a route's table. Gloo's routing concepts (docs.solo.io, traffic_management/concepts/
//! route-tables/route-policies): "To route to a destination, the parent workspace must have the
//! destination in its workspace. If not, the parent must import the destination".

use super::gateways::IngressGateways;
use super::{Attached, Table};
use crate::diagnostic::Diagnostics;
use crate::resolve::resolved::ResolvedAction;
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
    let gateway_ws: BTreeSet<String> = (attached.iter())
        .map(|a| &ingress.placements[a.placement])
        .filter_map(|gw| workspaces.of(&gw.cluster, &gw.namespace))
        .collect();
    let mut said = BTreeSet::new();
    for route in table.routes.iter() {
        let ResolvedAction::Forward { destinations, .. } = &route.action else {
            continue;
        };
        let serving: BTreeSet<&String> = route.at.workspaces.iter().chain(&gateway_ws).collect();
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
                diags.push(destination_not_seen_where_served::diagnostic(
                    seen.site.clone(),
                    (route_name, &table_name),
                    &named,
                    ws,
                    &seen.field,
                ));
            }
        }
    }
}
