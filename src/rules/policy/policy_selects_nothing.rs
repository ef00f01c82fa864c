//! **VDC609 policy-selects-nothing** (warning): A policy selects no route or destination port.
//!
//! ## What it does
//!
//! A route policy (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) whose `applyToRoutes` matches no route of a
//! RouteTable in its workspace or delegated to by one (each route with the labels it
//! inherits from its table and, delegated, from the routes and tables that delegate to it), or
//! a destination policy (FailoverPolicy,
//! OutlierDetectionPolicy, ConnectionPolicy, LoadBalancerPolicy) whose `applyToDestinations`
//! matches no port of a VirtualDestination its workspace owns.
//!
//! ## Why is this bad?
//!
//! The policy changes nothing: usually a label on the route (`http[].labels`) or on the
//! VirtualDestination is missing or misspelt, and the retries, timeouts or limits its author
//! counts on are not there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: RetryTimeoutPolicy
//! spec:
//!   applyToRoutes:
//!   - route:
//!       labels:
//!         request_timeout: "0.5s"
//! ```
//!
//! ## Fix
//!
//! Add the labels to the routes the policy is meant for (`http[].labels` of the RouteTable), or
//! correct the selector.
//!
//! Fixture: `testdata/check/policy-selects-nothing/`. Long form: `docs/diagnostics.md#vdc609`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::policy::{Policy, PolicyTarget};
use crate::model::types::Meta;
use crate::resolve::Resolved;

pub const CODE: Code = Code::PolicySelectsNothing;

/// `policy` selects nothing of what it applies to.
pub fn diagnostic(site: Site, policy: &Meta, target: PolicyTarget) -> Diagnostic {
    let (what, field, help) = match target {
        PolicyTarget::Routes => (
            "no route of a RouteTable in its workspace",
            "spec.applyToRoutes",
            "label the routes it is meant for (`http[].labels`), or correct its selector",
        ),
        PolicyTarget::Destinations => (
            "no port of a VirtualDestination its workspace owns",
            "spec.applyToDestinations",
            "label the VirtualDestinations it is meant for, or correct its selector",
        ),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} selects {what}, so it changes nothing",
            policy.kind, policy.namespace, policy.name
        ),
    )
    .field(field)
    .help(help)
}

/// Reports each policy that selects nothing: a destination policy no port of a
/// VirtualDestination its workspace owns, a route policy no route it reaches (of a RouteTable
/// in its workspace or delegated to by one, with the labels a delegated route inherits).
/// Selection is resolution's own ([`crate::resolve::policies::selected_by`]; for routes,
/// what `resolve::routing::policies` recorded while it selected them). Not while the input has an error:
/// selecting nothing is then often its echo (a VirtualDestination whose port was refused).
pub fn check(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    if diags.has_errors() {
        return;
    }
    let workspaces = &resolved.workspaces;
    let workspace_of = |m: &Meta| workspaces.of(&m.cluster, &m.namespace);
    for (index, policy) in world.policies.iter().enumerate() {
        let Some(ws) = workspace_of(&policy.meta) else {
            continue; // VDC303
        };
        let target = policy.target();
        let used = match target {
            PolicyTarget::Destinations => selects_a_port(world, policy, &ws, &workspace_of),
            PolicyTarget::Routes => (resolved.routing.selected_route_policies).contains(&index),
        };
        if !used {
            let meta = &policy.meta;
            diags.push(diagnostic(meta.site(meta.pos), meta, target));
        }
    }
}

/// Whether `policy` (in workspace `ws`) selects a port of a VirtualDestination `ws` owns.
fn selects_a_port(
    world: &World,
    policy: &Policy,
    ws: &str,
    workspace_of: &impl Fn(&Meta) -> Option<String>,
) -> bool {
    (world.virtual_destinations.iter()).any(|vd| {
        workspace_of(&vd.meta).as_deref() == Some(ws)
            && (vd.ports.iter())
                .any(|p| crate::resolve::policies::selected_by(policy, vd, ws, p).is_some())
    })
}
