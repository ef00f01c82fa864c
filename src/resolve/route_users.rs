//! Where routes to a destination are used: a VirtualService applies to the sidecars (or the
//! gateway) of the namespaces it is exported to, and each of them needs the ServiceEntry and
//! DestinationRule of every host it routes to, or the route has no cluster there (503 NC).
//! So the objects of a VirtualDestination or ExternalService are also exported to those
//! namespaces, whether or not a Service backs the destination in that cluster.

use super::resolved::{ExternalIndex, Placement, ResolvedVd, Routing, VirtualServicePlacement};
use super::workspaces::Workspaces;
use std::collections::{BTreeSet, HashMap};

/// The namespaces a VirtualService applies in: those it is exported to, its own for `.`.
fn applies_in<'a>(vs: &'a VirtualServicePlacement) -> impl Iterator<Item = String> + 'a {
    vs.export_to.iter().map(move |n| {
        if n == "." {
            vs.namespace.clone()
        } else {
            n.clone()
        }
    })
}

/// Each host of a VirtualDestination → the VirtualDestinations (their indices in `vds`) with
/// that host. Looked up per route destination: scanning every VirtualDestination for every
/// VirtualService grows with their product (40,000 × 20,000 on a 2,000-cluster fleet).
fn vds_by_host(vds: &[ResolvedVd]) -> HashMap<String, Vec<usize>> {
    let mut by_host: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, vd) in vds.iter().enumerate() {
        for host in &vd.vd.hosts {
            by_host.entry(host.value.clone()).or_default().push(i);
        }
    }
    by_host
}

/// Adds to every destination's `exportTo`, in each cluster, the namespaces where a route to it
/// is used.
pub(super) fn export_where_routed(
    routing: &Routing,
    workspaces: &Workspaces,
    vds: &mut [ResolvedVd],
    external: &mut ExternalIndex,
) {
    let by_host = vds_by_host(vds);
    for vs in &routing.virtual_services {
        let hosts: BTreeSet<&str> = (vs.routes.iter())
            .flat_map(|r| r.destinations().iter().map(|d| d.host.as_str()))
            .collect();
        let users: Vec<String> = applies_in(vs).collect();
        let routed: BTreeSet<usize> = hosts
            .iter()
            .filter_map(|h| by_host.get(*h))
            .flatten()
            .copied()
            .collect();
        let mut shared = super::placement::Shared::default();
        for i in routed {
            if let Some(p) = vds[i].placements.get_mut(&vs.cluster) {
                let mut export: BTreeSet<String> = p.export_to.iter().cloned().collect();
                export.extend(users.iter().cloned());
                let widened = Placement {
                    home_namespace: p.home_namespace.clone(),
                    export_to: export.into_iter().collect(),
                };
                *p = shared.share(widened);
            }
        }
        let table = &vs.table.meta;
        let Some(rt_ws) = workspaces.of(&table.cluster, &table.namespace) else {
            continue;
        };
        for es in &mut external.services {
            if es.hosts.iter().any(|h| hosts.contains(h.as_str())) {
                es.routed_from
                    .entry((vs.cluster.clone(), rt_ws.clone()))
                    .or_default()
                    .extend(users.iter().cloned());
            }
        }
    }
}
