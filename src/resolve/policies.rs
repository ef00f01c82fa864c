//! Which FailoverPolicy and OutlierDetectionPolicy apply to each port of a VirtualDestination.

use super::resolved::AppliedPolicy;
pub use super::resolved::PortPolicies;
use super::workspaces::Workspaces;
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::policy::{failover_without_outlier_detection, policy_conflict};
use crate::rules::workspace::object_in_no_workspace;

/// Reports policies that live in no workspace (they can apply to nothing).
pub fn check_policy_workspaces(world: &World, workspaces: &Workspaces, diags: &mut Diagnostics) {
    let metas = world
        .failover_policies
        .iter()
        .map(|p| &p.meta)
        .chain(world.outlier_detection_policies.iter().map(|p| &p.meta))
        .chain(world.attached.metas())
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

fn selects(
    apply_to: &[DestinationSelector],
    vd: &VirtualDestination,
    owner: &str,
    port: &VdPort,
) -> bool {
    apply_to.is_empty()
        || apply_to.iter().any(|d| {
            d.kind == "VIRTUAL_DESTINATION"
                && d.selector.matches(&Candidate::of(&vd.meta, Some(owner)))
                && d.port.as_ref().is_none_or(|p| match p {
                    PortRef::Number(n) => *n == *port.number,
                    PortRef::Name(name) => *name == port.entry_name(),
                })
        })
}

/// Of several policies of one kind on one port, the oldest wins (then namespace, name).
fn oldest<'w, P>(
    candidates: Vec<&'w P>,
    meta: impl Fn(&P) -> &Meta,
    vd: &VirtualDestination,
    port: &VdPort,
    diags: &mut Diagnostics,
) -> Option<&'w P> {
    let mut sorted = candidates;
    sorted.sort_by(|a, b| {
        let (a, b) = (meta(a), meta(b));
        (&a.creation_timestamp, &a.namespace, &a.name).cmp(&(
            &b.creation_timestamp,
            &b.namespace,
            &b.name,
        ))
    });
    let winner = *sorted.first()?;
    for loser in &sorted[1..] {
        let (w, l) = (meta(winner), meta(*loser));
        let d = policy_conflict::diagnostic(l.site(l.pos), w, l, *port.number, &vd.meta);
        diags.push(d);
    }
    Some(winner)
}

/// The policies of `owner` that apply to each port of `vd`, and the summary for `explain`.
pub fn policies_of<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) -> (Vec<PortPolicies<'w>>, Vec<AppliedPolicy>) {
    let in_owner = |m: &Meta| workspaces.of(&m.cluster, &m.namespace).as_deref() == Some(owner);
    let mut per_port = Vec::new();
    let mut applied: Vec<AppliedPolicy> = Vec::new();
    let mut record = |m: &Meta, how: String, port: u32| match applied.iter_mut().find(|a| {
        a.kind == m.kind && a.name == m.name && a.namespace == m.namespace && a.cluster == m.cluster
    }) {
        Some(a) => a.ports.push(port),
        None => applied.push(AppliedPolicy {
            kind: m.kind.clone(),
            cluster: m.cluster.clone(),
            namespace: m.namespace.clone(),
            name: m.name.clone(),
            ports: vec![port],
            selected_by: how,
        }),
    };
    let how = |apply_to: &[DestinationSelector], port: &VdPort| {
        super::destination_policies::selected_by(apply_to, vd, owner, port).unwrap_or_default()
    };
    for port in &vd.ports {
        let failover = world
            .failover_policies
            .iter()
            .filter(|p| in_owner(&p.meta) && selects(&p.apply_to, vd, owner, port))
            .collect();
        let failover = oldest(failover, |p: &FailoverPolicy| &p.meta, vd, port, diags);
        let outlier = world
            .outlier_detection_policies
            .iter()
            .filter(|p| in_owner(&p.meta) && selects(&p.apply_to, vd, owner, port))
            .collect();
        let outlier = oldest(
            outlier,
            |p: &OutlierDetectionPolicy| &p.meta,
            vd,
            port,
            diags,
        );
        if let (Some(f), None) = (failover, outlier) {
            let site = f.meta.site(f.meta.pos);
            let d = failover_without_outlier_detection::diagnostic(
                site,
                &f.meta,
                *port.number,
                &vd.meta,
            );
            diags.push(d);
        }
        if let Some(f) = failover {
            record(&f.meta, how(&f.apply_to, port), *port.number);
        }
        if let Some(o) = outlier {
            record(&o.meta, how(&o.apply_to, port), *port.number);
        }
        per_port.push(PortPolicies {
            failover,
            outlier_detection: outlier,
        });
    }
    applied.sort_by(|a, b| (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name)));
    (per_port, applied)
}
