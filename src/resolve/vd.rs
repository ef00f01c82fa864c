//! One VirtualDestination's resolution, step by step: its owner, where it is visible, the
//! Services that back it, the gateways that reach them and where its objects go.

use super::placement::placements;
use super::resolved::*;
use super::services::choose_backing;
use super::topology::gateway_problem;
use super::workspaces::Workspaces;
use super::{Inputs, VIRTUAL_DESTINATION};
use crate::diagnostic::Diagnostics;
use crate::model::types::*;
use crate::rules::topology::no_east_west_gateway;
use crate::rules::vd::{no_backend, no_hosts};
use crate::rules::workspace::object_in_no_workspace;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

/// `vd` resolved, or `None` when an error keeps it out of the output (the error is in `diags`).
pub(super) fn resolve_vd<'w>(
    inputs: &Inputs<'_, 'w>,
    vd: &'w VirtualDestination,
    diags: &mut Diagnostics,
) -> Option<ResolvedVd<'w>> {
    let (world, workspaces) = (inputs.world, inputs.workspaces);
    let owner = owner_of(workspaces, vd, diags)?;
    let mut port_policies = super::policies::policies_of(inputs.policies, vd, &owner, diags);
    let visible = visible_in(workspaces, vd, &owner);
    let chosen = choose_backing(inputs, vd, &owner, diags);
    let in_mesh = !chosen.backing.is_empty();
    let external =
        super::external::vd_external(inputs.external, workspaces, vd, &owner, in_mesh, diags);
    let clients = clients_of(workspaces, &visible);
    let receivers: BTreeSet<&str> = (clients.iter().copied())
        .chain(chosen.backing.keys().map(String::as_str))
        .collect();
    let reach = east_west_gateways(inputs, vd, &owner, &chosen.backing, &receivers, diags);
    let external = external?;
    super::external::drop_external_failover(vd, &external, in_mesh, &mut port_policies, diags);
    super::external::check_termination_ports(vd, &external, &reach.gateways, &receivers, diags)?;
    super::external::check_termination_targets(vd, &external, &chosen.backing, &receivers, diags)?;
    if !chosen.complete || !reach.complete {
        return None;
    }
    if chosen.backing.is_empty() && external.ports.iter().all(|p| p.endpoints.is_empty()) {
        report_no_backend(world, vd, &owner, diags);
        return None;
    }
    let placements = placements(
        workspaces,
        vd,
        &owner,
        &visible,
        &chosen.backing,
        &reach.gateways,
        receivers,
    );
    Some(ResolvedVd {
        vd,
        owner,
        visible,
        vip: Ipv4Addr::UNSPECIFIED,
        backing: chosen.backing,
        passed_over: chosen.passed_over,
        gateways: reach.gateways,
        placements,
        port_policies,
        subsets: BTreeMap::new(),
        external,
    })
}

/// VDC418: nothing backs `vd` in any cluster, so its ServiceEntry would have no endpoints.
fn report_no_backend(
    world: &crate::model::World,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) {
    let meta = &vd.meta;
    let hint = crate::model::suggest::closest_label(world, &vd.services);
    let site = meta.site(vd.services.first().map_or(meta.pos, |s| s.pos));
    let selects = !vd.services.is_empty();
    diags.push(no_backend::diagnostic(
        site, owner, &meta.name, selects, hint,
    ));
}

/// The workspace that owns `vd`, when it can be resolved at all: it must sit in a workspace and
/// have hosts and ports.
fn owner_of(
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    diags: &mut Diagnostics,
) -> Option<String> {
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
    Some(owner)
}

/// The workspaces `vd` is visible in: those its owner exports it to (the owner included).
fn visible_in(workspaces: &Workspaces, vd: &VirtualDestination, owner: &str) -> BTreeSet<String> {
    workspaces
        .names()
        .into_iter()
        .filter(|w| workspaces.shares(owner, w, VIRTUAL_DESTINATION, &vd.meta))
        .collect()
}

impl ResolvedVd<'_> {
    /// Client clusters: those with a namespace in a workspace that sees the VD. Derived when
    /// asked for, never kept: a VD shared with a workspace in every cluster has every cluster
    /// as a client, and 40,000 such sets of 2,000 names would take gigabytes.
    pub fn clients<'w>(&self, workspaces: &Workspaces<'w>) -> BTreeSet<&'w str> {
        clients_of(workspaces, &self.visible)
    }
}

fn clients_of<'w>(workspaces: &Workspaces<'w>, visible: &BTreeSet<String>) -> BTreeSet<&'w str> {
    visible
        .iter()
        .flat_map(|w| workspaces.clusters_holding(w))
        .collect()
}

/// The east-west gateways of each backing cluster, and whether every backing cluster that
/// another receiving cluster must reach has an address to be reached at.
struct Reach<'w> {
    gateways: BTreeMap<String, Vec<EastWestGateway<'w>>>,
    complete: bool,
}

fn east_west_gateways<'w>(
    inputs: &Inputs<'_, 'w>,
    vd: &VirtualDestination,
    owner: &str,
    backing: &BTreeMap<String, Backing<'w>>,
    receivers: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Reach<'w> {
    let meta = &vd.meta;
    let mut reach = Reach {
        gateways: BTreeMap::new(),
        complete: true,
    };
    for cluster in backing.keys() {
        let found = inputs
            .topology
            .gateways(inputs.world, inputs.workspaces, owner, cluster);
        let needed = receivers.iter().any(|c| *c != cluster);
        if needed && found.iter().all(|g| g.addresses.is_empty()) {
            reach.complete = false;
            let settings = inputs.workspaces.east_west_selectors_of(owner);
            let case = gateway_problem(&found, owner, settings.as_deref());
            let site = meta.site(vd.services.first().map_or(meta.pos, |s| s.pos));
            let d = no_east_west_gateway::diagnostic(site, cluster, &meta.name, case);
            diags.push(d);
        }
        reach.gateways.insert(cluster.clone(), found);
    }
    reach
}
