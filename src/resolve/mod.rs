//! Resolution: for each VirtualDestination, who owns it, who sees it, which Services back it,
//! through which gateways remote clusters reach them, and where its objects go in each cluster.
//! Everything translation needs is decided here; translation itself cannot fail.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::types::*;
use crate::names;
pub use crate::resolve::resolved::*;
use crate::resolve::workspaces::Workspaces;
use crate::rules::topology::no_east_west_gateway;
use crate::rules::vd::{
    backing_service_without_selector, missing_target_port, no_hosts, selector_matches_nothing,
    several_backing_services, unresolved_target_port, vip_collision,
};
use crate::rules::workspace::object_in_no_workspace;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::Ipv4Addr;

mod external;
mod external_route;
mod locality;
mod policies;
pub mod resolved;
mod routing;
pub mod workspaces;

/// The Gloo resource kind names used by import/export selectors.
mod gateways;
mod services;

use gateways::{Topology, gateway_problem};
use services::{ServiceIndex, backing_of, report_missing_ports, selector_matches};

const VIRTUAL_DESTINATION: &str = "VIRTUAL_DESTINATION";
const SERVICE: &str = "SERVICE";

pub fn resolve(world: &World) -> (Resolved<'_>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let workspaces = Workspaces::build(world, &mut diags);
    let topology = Topology::new(world);
    let index = ServiceIndex::new(world, &workspaces);
    crate::resolve::policies::check_policy_workspaces(world, &workspaces, &mut diags);
    let external = crate::resolve::external::ExternalIndex::build(world, &workspaces, &mut diags);
    crate::resolve::external::check_connected_clusters(world, &mut diags);
    // Each VirtualDestination resolves on its own; their diagnostics join in input order.
    let per_vd: Vec<(Option<ResolvedVd>, Diagnostics)> = world
        .virtual_destinations
        .par_iter()
        .map(|vd| {
            let mut vd_diags = Diagnostics::default();
            let r = resolve_vd(
                world,
                (&index, &external),
                &workspaces,
                &topology,
                vd,
                &mut vd_diags,
            );
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
    let routing = crate::resolve::routing::resolve_routing(
        world,
        &workspaces,
        &external,
        &mut vds,
        &mut diags,
    );
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

fn resolve_vd<'w>(
    world: &'w World,
    (index, external): (
        &ServiceIndex<'w>,
        &crate::resolve::external::ExternalIndex<'w>,
    ),
    workspaces: &Workspaces<'w>,
    topology: &Topology<'w>,
    vd: &'w VirtualDestination,
    diags: &mut Diagnostics,
) -> Option<ResolvedVd<'w>> {
    let meta = &vd.meta;
    let Some(owner) = workspaces.of(&meta.cluster, &meta.namespace) else {
        let case = object_in_no_workspace::Case::VirtualDestination { meta };
        diags.push(object_in_no_workspace::diagnostic(
            meta.site(meta.pos),
            case,
        ));
        return None;
    };
    if vd.hosts.is_empty() || vd.ports.is_empty() {
        // Without services either, VDC406 nothing-to-serve already says it all.
        if vd.hosts.is_empty() && !vd.services.is_empty() {
            diags.push(no_hosts::diagnostic(meta.site(vd.spec_pos), &meta.name));
        }
        return None;
    }

    let (mut port_policies, policies) =
        crate::resolve::policies::policies_of(world, workspaces, vd, &owner, diags);
    let visible: BTreeSet<String> = workspaces
        .names()
        .into_iter()
        .filter(|w| workspaces.shares(&owner, w, VIRTUAL_DESTINATION, meta))
        .collect();

    // Backing services: matching Services in namespaces the owner may use.
    let mut candidates: BTreeMap<&str, Vec<&'w Service>> = BTreeMap::new();
    for (svc, svc_ws) in index.candidates(&vd.services) {
        let usable = svc_ws.is_some_and(|w| workspaces.shares(w, &owner, SERVICE, &svc.meta));
        if usable && vd.services.iter().any(|s| selector_matches(s, svc, svc_ws)) {
            candidates.entry(&svc.meta.cluster).or_default().push(svc);
        }
    }
    for services in candidates.values_mut() {
        services.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name))
        });
        services.dedup_by(|a, b| std::ptr::eq(*a, *b));
    }
    if !vd.services.is_empty() && candidates.is_empty() {
        let help = crate::model::suggest::selector_help(world, &vd.services);
        let site = meta.site(vd.services[0].pos);
        diags.push(selector_matches_nothing::diagnostic(
            site, &owner, &meta.name, help,
        ));
    }

    let mut ok = true;
    let mut backing = BTreeMap::new();
    let mut passed_over = Vec::new();
    let mut missing_ports = Vec::new();
    for (cluster, mut services) in candidates {
        services.sort_by(|a, b| {
            (&a.meta.creation_timestamp, &a.meta.namespace, &a.meta.name).cmp(&(
                &b.meta.creation_timestamp,
                &b.meta.namespace,
                &b.meta.name,
            ))
        });
        let chosen = services[0];
        if services.len() > 1 {
            let others: Vec<String> = services[1..]
                .iter()
                .map(|s| format!("{}/{}", s.meta.namespace, s.meta.name))
                .collect();
            for s in &services[1..] {
                passed_over.push(PassedOver {
                    cluster: cluster.to_owned(),
                    namespace: s.meta.namespace.clone(),
                    name: s.meta.name.clone(),
                    reason: format!(
                        "{}/{} is older and wins",
                        chosen.meta.namespace, chosen.meta.name
                    ),
                });
            }
            let chosen_name = format!("{}/{}", chosen.meta.namespace, chosen.meta.name);
            diags.push(several_backing_services::diagnostic(
                meta.site(vd.services[0].pos),
                &meta.name,
                services.len(),
                cluster,
                &chosen_name,
                &others,
            ));
        }
        match backing_of(world, vd, chosen, &mut missing_ports, diags) {
            Some(b) => {
                backing.insert(cluster.to_owned(), b);
            }
            None => ok = false,
        }
    }

    let clusters_backed: BTreeSet<String> = backing.keys().cloned().collect();
    let backed = |c: &str| clusters_backed.contains(c);
    for svc in
        crate::resolve::external::workload_backings(world, workspaces, vd, &owner, &backed, diags)
    {
        match backing_of(world, vd, svc, &mut missing_ports, diags) {
            Some(mut b) => {
                b.identities
                    .extend(crate::resolve::external::vm_identities(world, svc));
                backing.insert(svc.meta.cluster.clone(), b);
            }
            None => ok = false,
        }
    }
    report_missing_ports(vd, missing_ports, diags);
    let external = crate::resolve::external::vd_external(
        external,
        workspaces,
        vd,
        &owner,
        !backing.is_empty(),
        diags,
    );

    // Clients: clusters with a namespace in a visible workspace.
    let clients: BTreeSet<String> = visible
        .iter()
        .flat_map(|w| workspaces.clusters_holding(w))
        .map(str::to_owned)
        .collect();
    let receivers: BTreeSet<&String> = clients.iter().chain(backing.keys()).collect();

    let mut gateways = BTreeMap::new();
    for cluster in backing.keys() {
        let found = topology.gateways(world, workspaces, &owner, cluster);
        let needed = receivers.iter().any(|c| *c != cluster);
        if needed && found.iter().all(|g| g.addresses.is_empty()) {
            ok = false;
            let selected_by_settings = workspaces
                .settings(&owner)
                .is_some_and(|s| !s.east_west_gateways.is_empty());
            let (why, help) = gateway_problem(&found, &owner, cluster, selected_by_settings);
            let site = meta.site(vd.services.first().map_or(meta.pos, |s| s.pos));
            let d = no_east_west_gateway::diagnostic(site, cluster, &meta.name, &why, help);
            diags.push(d);
        }
        gateways.insert(cluster.clone(), found);
    }
    let external = external?;
    crate::resolve::external::drop_external_failover(
        vd,
        &external,
        !backing.is_empty(),
        &mut port_policies,
        diags,
    );
    crate::resolve::external::check_termination_ports(vd, &external, &gateways, &receivers, diags)?;
    if !ok {
        return None;
    }

    let mut placements = BTreeMap::new();
    for cluster in receivers {
        let mut export_to: BTreeSet<String> = visible
            .iter()
            .flat_map(|w| workspaces.namespaces_in(cluster, w))
            .map(str::to_owned)
            .collect();
        let home = if let Some(b) = backing.get(cluster) {
            for gw in gateways.get(cluster).into_iter().flatten() {
                export_to.insert(gw.service.meta.namespace.clone());
            }
            b.service.meta.namespace.clone()
        } else {
            let own: Vec<&str> = workspaces.namespaces_in(cluster, &owner).collect();
            if own.contains(&meta.namespace.as_str()) {
                meta.namespace.clone()
            } else if let Some(first) = own.first() {
                (*first).to_owned()
            } else {
                export_to
                    .iter()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| meta.namespace.clone())
            }
        };
        placements.insert(
            cluster.clone(),
            Placement {
                home_namespace: home,
                export_to: export_to.into_iter().collect(),
            },
        );
    }

    Some(ResolvedVd {
        vd,
        owner,
        visible,
        vip: Ipv4Addr::UNSPECIFIED,
        backing,
        passed_over,
        clients,
        gateways,
        placements,
        policies,
        port_policies,
        subsets: BTreeMap::new(),
        external,
    })
}

/// VIPs in (namespace, name, cluster) order; a VIP already taken in a cluster the VD reaches
/// re-hashes with `#1`, `#2`, … so adding a VD never moves an older one's address.
fn assign_vips(vds: &mut [ResolvedVd], diags: &mut Diagnostics) {
    let mut taken: HashMap<String, HashMap<Ipv4Addr, String>> = HashMap::new();
    for r in vds.iter_mut() {
        let m = &r.vd.meta;
        let clusters: Vec<String> = r.placements.keys().cloned().collect();
        let mut attempt = 0u32;
        let vip = loop {
            let suffix = if attempt == 0 {
                String::new()
            } else {
                format!("#{attempt}")
            };
            let candidate = names::vip(&m.name, &m.namespace, &m.cluster, &suffix);
            let holder = clusters
                .iter()
                .find_map(|c| taken.get(c).and_then(|t| t.get(&candidate)));
            if candidate != Ipv4Addr::BROADCAST && holder.is_none() {
                break candidate;
            }
            if candidate == Ipv4Addr::BROADCAST {
                let case = vip_collision::Case::Broadcast { vd: &m.name };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            if let Some(holder) = holder {
                let case = vip_collision::Case::Taken {
                    vd: &m.name,
                    vip: candidate,
                    holder,
                };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            attempt += 1;
        };
        for c in clusters {
            taken
                .entry(c)
                .or_default()
                .insert(vip, format!("{}/{}", m.namespace, m.name));
        }
        r.vip = vip;
    }
}

/// A fact about a whole cluster points at the cluster's dump file (no line), when it has one.
pub fn at_dump(d: Diagnostic, cluster: &Cluster) -> Diagnostic {
    let d = d.cluster(&cluster.name);
    match &cluster.dump {
        Some(file) => d.at(file, crate::load::node::Pos::default()),
        None => d,
    }
}
