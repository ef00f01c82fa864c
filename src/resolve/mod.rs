//! Resolution: for each VirtualDestination, who owns it, who sees it, which Services back it,
//! through which gateways remote clusters reach them, and where its objects go in each cluster.
//! Everything translation needs is decided here; translation itself cannot fail.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::types::*;
pub use crate::resolve::resolved::*;
use crate::resolve::workspaces::Workspaces;
use rayon::prelude::*;

// A run goes: workspaces (who belongs where); each VirtualDestination step by step (vd:
// policies, services, external, topology and locality, placement); vip; then routing and
// external_route for the routing kinds that point at the resolved VirtualDestinations.
mod external;
mod external_route;
pub(crate) mod locality;
mod placement;
pub mod policies;
pub mod resolved;
mod route_users;
pub mod routing;
mod services;
mod topology;
mod vd;
mod vip;
pub mod weights;
pub mod workspaces;

use services::ServiceIndex;
use topology::Topology;
use vd::resolve_vd;
use vip::assign_vips;

/// What every VirtualDestination's resolution reads: the world and the indexes built once.
struct Inputs<'a, 'w> {
    world: &'w World,
    workspaces: &'a Workspaces<'w>,
    services: &'a ServiceIndex<'w>,
    external: &'a ExternalIndex<'w>,
    topology: &'a Topology<'w>,
    policies: &'a policies::PoliciesByWorkspace<'w>,
}

/// The Gloo resource kind names used by import/export selectors.
const VIRTUAL_DESTINATION: &str = "VIRTUAL_DESTINATION";
const SERVICE: &str = "SERVICE";

pub fn resolve(world: &World) -> (Resolved<'_>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let workspaces = Workspaces::build(world, &mut diags);
    let topology = Topology::new(world);
    let index = ServiceIndex::new(world, &workspaces);
    policies::check_policy_workspaces(world, &workspaces, &mut diags);
    let mut external = external::ExternalIndex::build(world, &workspaces, &mut diags);
    external::check_connected_clusters(world, &mut diags);
    let policies = policies::by_workspace(world, &workspaces);
    let inputs = Inputs {
        world,
        policies: &policies,
        workspaces: &workspaces,
        services: &index,
        external: &external,
        topology: &topology,
    };
    // Each VirtualDestination resolves on its own; their diagnostics join in input order.
    let per_vd: Vec<(Option<ResolvedVd>, Diagnostics)> = world
        .virtual_destinations
        .par_iter()
        .map(|vd| {
            let mut vd_diags = Diagnostics::default();
            let r = resolve_vd(&inputs, vd, &mut vd_diags);
            (r, vd_diags)
        })
        .collect();
    let mut vds = Vec::new();
    for (r, vd_diags) in per_vd {
        vds.extend(r);
        diags.extend(vd_diags);
    }
    topology.report(&mut diags);
    assign_vips(&mut vds, &mut diags);
    let routing::RoutingResolution { routing, subsets } =
        routing::resolve_routing(world, &workspaces, &external, &vds, &mut diags);
    route_users::export_where_routed(&routing, &workspaces, &mut vds, &mut external);
    for subset in subsets {
        let vd = &mut vds[subset.vd];
        match vd.subsets.get(&subset.name) {
            Some(taken) if *taken != subset.labels => {
                let host = &vd.vd.hosts[0].value;
                diags.push(crate::rules::routing::subset_name_collision::diagnostic(
                    subset.site,
                    &subset.route,
                    &subset.field,
                    host,
                    &subset.name,
                    (&subset.labels, taken),
                ));
            }
            Some(_) => {}
            None => {
                vd.subsets.insert(subset.name, subset.labels);
            }
        }
    }
    (
        Resolved {
            world,
            workspaces,
            vds,
            routing,
            external,
        },
        diags,
    )
}

/// A fact about a whole cluster points at the cluster's dump file (no line), when it has one.
pub fn at_dump(d: Diagnostic, cluster: &Cluster) -> Diagnostic {
    let d = d.cluster(&cluster.name);
    match &cluster.dump {
        Some(file) => d.at(file, crate::load::node::Pos::default()),
        None => d,
    }
}
