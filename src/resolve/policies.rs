//! Which destination policies apply to each port of a VirtualDestination: whatever their kind,
//! those of the VD's owner that select the port, the oldest of each kind winning. (Route
//! policies are selected per route, in [`super::routing`].)

pub use super::resolved::PortPolicies;
use super::workspaces::Workspaces;
use crate::diagnostic::Diagnostics;
use crate::model::GlooKind;
use crate::model::World;
use crate::model::policy::{Policy, PolicyTarget};
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::policy::{failover_without_outlier_detection, policy_conflict};
use crate::rules::workspace::object_in_no_workspace;
use std::collections::{BTreeMap, HashMap};

/// Reports policies that live in no workspace (they can apply to nothing).
pub fn check_policy_workspaces(world: &World, workspaces: &Workspaces, diags: &mut Diagnostics) {
    let metas = world
        .policies
        .iter()
        .map(|p| &p.meta)
        .chain(world.route_tables.iter().map(|r| &r.meta));
    for meta in metas {
        if workspaces.of(&meta.cluster, &meta.namespace).is_none() {
            let case = object_in_no_workspace::Case::Policy { meta };
            diags.push(object_in_no_workspace::diagnostic(
                meta.site(meta.pos),
                case,
            ));
        }
    }
}

/// The world's policies by the workspace that holds each, in input order. Each VD looks only at
/// its owner's: finding the workspace of every policy for every VD grew with VDs × policies.
pub type PoliciesByWorkspace<'w> = HashMap<String, Vec<&'w Policy>>;

pub fn by_workspace<'w>(world: &'w World, workspaces: &Workspaces) -> PoliciesByWorkspace<'w> {
    let mut by_workspace = PoliciesByWorkspace::new();
    for policy in &world.policies {
        if let Some(owner) = workspaces.of(&policy.meta.cluster, &policy.meta.namespace) {
            by_workspace.entry(owner).or_default().push(policy);
        }
    }
    by_workspace
}

/// How `policy` selects `port` of `vd` (owned by `owner`) with `applyToDestinations`:
/// `applyToDestinations[i]`, or that it has none; `None` when it does not select it. Selection
/// and `explain` both read it, so they cannot disagree.
pub fn selected_by(
    policy: &Policy,
    vd: &VirtualDestination,
    owner: &str,
    port: &VdPort,
) -> Option<String> {
    if policy.target() != PolicyTarget::Destinations {
        return None;
    }
    let apply_to = &policy.apply_to_destinations;
    if apply_to.is_empty() {
        return Some("every destination of its workspace (no applyToDestinations)".into());
    }
    let port_matches = |p: &PortRef| match p {
        PortRef::Number(n) => *n == *port.number,
        PortRef::Name(name) => *name == port.entry_name(),
    };
    apply_to.iter().enumerate().find_map(|(i, d)| {
        (d.kind == "VIRTUAL_DESTINATION"
            && d.selector.matches(&Candidate::of(&vd.meta, Some(owner)))
            && d.port.as_ref().is_none_or(port_matches))
        .then(|| format!("applyToDestinations[{i}]"))
    })
}

/// Of several policies of one kind on one port, the oldest wins ([`Meta::age_key`]); each other
/// one is a conflict.
fn oldest<'w>(
    mut candidates: Vec<&'w Policy>,
    vd: &VirtualDestination,
    port: &VdPort,
    diags: &mut Diagnostics,
) -> Option<&'w Policy> {
    candidates.sort_by(|a, b| a.meta.age_key().cmp(&b.meta.age_key()));
    let winner = *candidates.first()?;
    for loser in &candidates[1..] {
        let (w, l) = (&winner.meta, &loser.meta);
        let d = policy_conflict::diagnostic(l.site(l.pos), w, l, *port.number, &vd.meta);
        diags.push(d);
    }
    Some(winner)
}

/// The policies of `owner` that apply to each port of `vd`.
pub fn policies_of<'w>(
    by_workspace: &PoliciesByWorkspace<'w>,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) -> Vec<PortPolicies<'w>> {
    let mine = by_workspace.get(owner).map_or(&[][..], Vec::as_slice);
    let mut per_port = Vec::new();
    for port in &vd.ports {
        let mut by_kind: BTreeMap<GlooKind, Vec<&Policy>> = BTreeMap::new();
        for policy in mine
            .iter()
            .filter(|p| selected_by(p, vd, owner, port).is_some())
        {
            by_kind.entry(policy.kind()).or_default().push(policy);
        }
        let mut applied = PortPolicies::default();
        for candidates in by_kind.into_values() {
            applied.extend(oldest(candidates, vd, port, diags));
        }
        check_failover_has_outlier_detection(&applied, vd, port, diags);
        per_port.push(applied);
    }
    per_port
}

/// **VDC601**: Istio never fails over without outlier detection.
fn check_failover_has_outlier_detection(
    applied: &PortPolicies,
    vd: &VirtualDestination,
    port: &VdPort,
    diags: &mut Diagnostics,
) {
    let failover = applied.get(GlooKind::FailoverPolicy);
    let outlier = applied.get(GlooKind::OutlierDetectionPolicy);
    if let (Some(f), None) = (failover, outlier) {
        let site = f.meta.site(f.meta.pos);
        let d =
            failover_without_outlier_detection::diagnostic(site, &f.meta, *port.number, &vd.meta);
        diags.push(d);
    }
}
