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
//! For a destination policy the message says why, pointing at the `applyToDestinations` entry:
//!
//! * it selects a VirtualDestination that its workspace only imports (a "client-side" policy
//!   placed in the importing workspace): vdc applies destination policies in the workspace that
//!   owns the VirtualDestination, as Gloo does unless its `VirtualDestinationWorkspacePolicyOverride`
//!   feature gate is on; the message names the VirtualDestination and its owner;
//! * an entry has `kind: SERVICE`, written or by default (an entry without `kind` selects
//!   Kubernetes Services): vdc translates destination policies for VirtualDestinations only;
//! * otherwise no VirtualDestination of its workspace has the labels (or name, namespace, port)
//!   it selects.
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
//! correct the selector. For a destination policy, follow the reason: move a policy of an
//! importing workspace into a namespace of the workspace that owns the VirtualDestination; give an
//! entry meant for a VirtualDestination `kind: VIRTUAL_DESTINATION`; otherwise label the
//! VirtualDestinations it is meant for.
//!
//! Fixture: `testdata/check/policy-selects-nothing/`. Long form: `docs/diagnostics.md#vdc609`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::policy::{Policy, PolicyTarget};
use crate::model::types::Meta;
use crate::resolve::Resolved;

pub const CODE: Code = Code::PolicySelectsNothing;

/// Why a policy selects nothing.
pub enum Case<'a> {
    /// A route policy: no route it reaches has the labels.
    NoRoute,
    /// A destination policy: no port of a VirtualDestination its workspace owns.
    NoPort,
    /// `applyToDestinations[index]` selects Kubernetes Services (`kind: SERVICE`, Gloo's
    /// default), which vdc translates no policy for.
    Services { index: usize },
    /// It selects VirtualDestination `vd`, which its workspace `workspace` imports from the
    /// workspace `owner` that owns it.
    Imported {
        vd: &'a Meta,
        workspace: &'a str,
        owner: &'a str,
    },
}

/// `policy` selects nothing of what it applies to, for the reason `case` says.
pub fn diagnostic(site: Site, policy: &Meta, case: Case) -> Diagnostic {
    let who = format!("{} {}/{}", policy.kind, policy.namespace, policy.name);
    let (message, field, help) = match case {
        Case::NoRoute => (
            format!("{who} selects no route of a RouteTable in its workspace, so it changes nothing"),
            "spec.applyToRoutes".to_owned(),
            "label the routes it is meant for (`http[].labels`), or correct its selector".to_owned(),
        ),
        Case::NoPort => (
            format!("{who} selects no port of a VirtualDestination its workspace owns, so it changes nothing"),
            "spec.applyToDestinations".to_owned(),
            "label the VirtualDestinations it is meant for, or correct its selector".to_owned(),
        ),
        Case::Services { index } => (
            format!(
                "{who} selects Kubernetes Services (`applyToDestinations[{index}]` has kind SERVICE, Gloo's default when `kind` is left out), and vdc translates destination policies for VirtualDestinations only, so it changes nothing in the output"
            ),
            format!("spec.applyToDestinations[{index}].kind"),
            "to apply it to a VirtualDestination, set `kind: VIRTUAL_DESTINATION` and select the VirtualDestination's labels".to_owned(),
        ),
        Case::Imported { vd, workspace, owner } => (
            format!(
                "{who} selects VirtualDestination {}/{}, which its workspace {workspace} imports from workspace {owner}; vdc applies a destination policy only in the workspace that owns the VirtualDestination (Gloo applies an importing workspace's policies to it only with the VirtualDestinationWorkspacePolicyOverride feature gate), so it changes nothing in the output",
                vd.namespace, vd.name
            ),
            "spec.applyToDestinations".to_owned(),
            format!("put the policy in a namespace of workspace {owner}, which owns the VirtualDestination"),
        ),
    };
    Diagnostic::new_at(CODE, site, message)
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
        let meta = &policy.meta;
        match policy.target() {
            PolicyTarget::Destinations => {
                if !selects_a_port(world, policy, &ws, &workspace_of) {
                    diags.push(destination_case(resolved, policy, &ws));
                }
            }
            PolicyTarget::Routes => {
                if !(resolved.routing.selected_route_policies).contains(&index) {
                    diags.push(diagnostic(meta.site(meta.pos), meta, Case::NoRoute));
                }
            }
        }
    }
}

/// The diagnostic of destination policy `policy` (in workspace `ws`) that selects nothing,
/// with the reason: a VirtualDestination `ws` only imports, Kubernetes Services, or no match.
/// It points at the entry of `applyToDestinations` at fault (at the policy when it has none).
fn destination_case(resolved: &Resolved, policy: &Policy, ws: &str) -> Diagnostic {
    let meta = &policy.meta;
    let entry_site = |i: usize| {
        let pos = policy
            .apply_to_destinations
            .get(i)
            .map_or(meta.pos, |d| d.selector.pos);
        meta.site(pos)
    };
    let imported = (resolved.vds.iter()).find(|r| {
        r.owner != ws
            && r.visible.contains(ws)
            && (r.vd.ports.iter())
                .any(|p| crate::resolve::policies::selected_by(policy, r.vd, &r.owner, p).is_some())
    });
    if let Some(r) = imported {
        let case = Case::Imported {
            vd: &r.vd.meta,
            workspace: ws,
            owner: &r.owner,
        };
        return diagnostic(entry_site(0), meta, case);
    }
    let services = (policy.apply_to_destinations.iter()).position(|d| d.kind == "SERVICE");
    if let Some(index) = services {
        return diagnostic(entry_site(index), meta, Case::Services { index });
    }
    diagnostic(entry_site(0), meta, Case::NoPort)
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
