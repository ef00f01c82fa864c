//! Which ConnectionPolicy and LoadBalancerPolicy apply to each port of a VirtualDestination:
//! those of its owner workspace whose `applyToDestinations` select it (kind
//! VIRTUAL_DESTINATION, the selector's fields ANDed, `port` limiting the ports); one of each
//! kind per port, the oldest.

use super::resolved::{AppliedPolicy, PortAttached};
use super::workspaces::Workspaces;
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::destination_policy::DestinationPolicy;
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::policy::policy_conflict;
use crate::rules::policy::policy_selects_nothing::{self, Selects};

/// How `apply_to` selects port `port` of `vd` (owned by `owner`), for `explain`; `None` when
/// it does not.
pub(super) fn selected_by(
    apply_to: &[DestinationSelector],
    vd: &VirtualDestination,
    owner: &str,
    port: &VdPort,
) -> Option<String> {
    if apply_to.is_empty() {
        return Some("every destination of its workspace (no applyToDestinations)".into());
    }
    apply_to.iter().enumerate().find_map(|(i, d)| {
        let port_ok = d.port.as_ref().is_none_or(|p| match p {
            PortRef::Number(n) => *n == *port.number,
            PortRef::Name(name) => *name == port.entry_name(),
        });
        (d.kind == "VIRTUAL_DESTINATION"
            && d.selector.matches(&Candidate::of(&vd.meta, Some(owner)))
            && port_ok)
            .then(|| format!("applyToDestinations[{i}]"))
    })
}

/// Of the policies of one kind in `owner` that select `port`, the oldest (by
/// `creationTimestamp`, then namespace and name), with how it selects the port; VDC602 for the
/// others.
fn oldest<'w, C>(
    policies: &'w [DestinationPolicy<C>],
    in_owner: &impl Fn(&Meta) -> bool,
    (vd, owner, port): (&VirtualDestination, &str, &VdPort),
    diags: &mut Diagnostics,
) -> Option<(&'w DestinationPolicy<C>, String)> {
    let mut selecting: Vec<(&'w DestinationPolicy<C>, String)> = (policies.iter())
        .filter(|p| in_owner(&p.meta))
        .filter_map(|p| Some((p, selected_by(&p.apply_to, vd, owner, port)?)))
        .collect();
    selecting.sort_by(|(a, _), (b, _)| {
        let (a, b) = (&a.meta, &b.meta);
        (&a.creation_timestamp, &a.namespace, &a.name).cmp(&(
            &b.creation_timestamp,
            &b.namespace,
            &b.name,
        ))
    });
    let mut selecting = selecting.into_iter();
    let winner = selecting.next()?;
    for (loser, _) in selecting {
        let (w, l) = (&winner.0.meta, &loser.meta);
        let d = policy_conflict::diagnostic(l.site(l.pos), w, l, *port.number, &vd.meta);
        diags.push(d);
    }
    Some(winner)
}

/// The ConnectionPolicy and LoadBalancerPolicy of each port of `vd` (owned by `owner`), and
/// each of them once for `explain`, with the ports it applies to.
pub fn attached_of<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) -> (Vec<PortAttached<'w>>, Vec<AppliedPolicy>) {
    let in_owner = |m: &Meta| workspaces.of(&m.cluster, &m.namespace).as_deref() == Some(owner);
    let a = &world.attached;
    let mut per_port = Vec::new();
    let mut applied: Vec<AppliedPolicy> = Vec::new();
    for port in &vd.ports {
        let at = (vd, owner, port);
        let connection = oldest(&a.connection, &in_owner, at, diags);
        let load_balancer = oldest(&a.load_balancer, &in_owner, at, diags);
        let metas = (connection.as_ref().map(|(p, how)| (&p.meta, how)))
            .into_iter()
            .chain(load_balancer.as_ref().map(|(p, how)| (&p.meta, how)));
        for (m, how) in metas {
            record(&mut applied, m, how, *port.number);
        }
        per_port.push(PortAttached {
            connection: connection.map(|(p, _)| p),
            load_balancer: load_balancer.map(|(p, _)| p),
        });
    }
    (per_port, applied)
}

/// Adds `port` to the entry of policy `m` in `applied`, or a new entry.
fn record(applied: &mut Vec<AppliedPolicy>, m: &Meta, how: &str, port: u32) {
    let same = |a: &&mut AppliedPolicy| {
        a.kind == m.kind && a.name == m.name && a.namespace == m.namespace && a.cluster == m.cluster
    };
    match applied.iter_mut().find(same) {
        Some(a) => a.ports.push(port),
        None => applied.push(AppliedPolicy {
            kind: m.kind.clone(),
            cluster: m.cluster.clone(),
            namespace: m.namespace.clone(),
            name: m.name.clone(),
            ports: vec![port],
            selected_by: how.to_owned(),
        }),
    }
}

/// VDC609 for each ConnectionPolicy and LoadBalancerPolicy that selects no port of a
/// VirtualDestination its workspace owns.
pub fn report_unused(world: &World, workspaces: &Workspaces, diags: &mut Diagnostics) {
    let owned: Vec<(&VirtualDestination, String)> = (world.virtual_destinations.iter())
        .filter_map(|vd| Some((vd, workspaces.of(&vd.meta.cluster, &vd.meta.namespace)?)))
        .collect();
    let a = &world.attached;
    let policies = (a.connection.iter().map(|p| (&p.meta, &p.apply_to)))
        .chain(a.load_balancer.iter().map(|p| (&p.meta, &p.apply_to)));
    for (meta, apply_to) in policies {
        let Some(ws) = workspaces.of(&meta.cluster, &meta.namespace) else {
            continue; // VDC303
        };
        let used = owned.iter().any(|(vd, owner)| {
            *owner == ws && (vd.ports.iter()).any(|p| selected_by(apply_to, vd, owner, p).is_some())
        });
        if !used {
            let site = meta.site(meta.pos);
            let d = policy_selects_nothing::diagnostic(site, meta, Selects::DestinationPorts);
            diags.push(d);
        }
    }
}
