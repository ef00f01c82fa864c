//! Which route policies (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) apply to each route of a RouteTable: those of the
//! RouteTable's workspace whose `applyToRoutes` select the route by its labels (`http[].labels`)
//! or by its RouteTable's labels, namespace, cluster or workspace; one of each kind, the oldest
//! ([`Meta::age_key`]).

use crate::diagnostic::Diagnostics;
use crate::model::GlooKind;
use crate::model::World;
use crate::model::policy::{Policy, PolicySettings, PolicyTarget};
use crate::model::route_policy::{RouteLabelSelector, RouteSelector};
use crate::model::routing_types::*;
use crate::model::selector::labels_match;
use crate::resolve::resolved::{Destination, ExternalIndex, ResolvedVd, RoutePolicies};
use crate::resolve::workspaces::Workspaces;
use crate::rules::policy::policy_conflict;
use std::collections::BTreeMap;

/// A route policy with its workspace, and for a MirrorPolicy its destination resolved once (it
/// depends on the policy's workspace only).
struct Scoped<'w> {
    policy: &'w Policy,
    workspace: String,
    mirror_to: Option<Destination>,
}

/// Every route policy in a workspace, ready to be matched against routes.
pub(in crate::resolve) struct RoutePolicyIndex<'w> {
    policies: Vec<Scoped<'w>>,
}

impl<'w> RoutePolicyIndex<'w> {
    pub(in crate::resolve) fn new(
        world: &'w World,
        workspaces: &Workspaces,
        targets: (&[ResolvedVd<'w>], &ExternalIndex<'w>),
        diags: &mut Diagnostics,
    ) -> Self {
        let route_policies = (world.policies.iter()).filter(|p| p.target() == PolicyTarget::Routes);
        let policies = route_policies
            .filter_map(|policy| {
                // A policy in no workspace is VDC303 (check_policy_workspaces).
                let workspace = workspaces.of(&policy.meta.cluster, &policy.meta.namespace)?;
                let mirror_to = match &policy.settings {
                    PolicySettings::Mirror(m) => {
                        let at = (policy, m, workspace.as_str());
                        // A mirror with nowhere to go is an error (VDC610), or has its own.
                        Some(super::mirror::destination(world, at, targets, diags)?)
                    }
                    _ => None,
                };
                Some(Scoped {
                    policy,
                    workspace,
                    mirror_to,
                })
            })
            .collect();
        RoutePolicyIndex { policies }
    }

    /// The policies that apply to route `route` of `rt` (in workspace `rt_ws`); VDC602 for each
    /// policy that loses to an older one of its kind.
    pub(in crate::resolve) fn for_route(
        &self,
        rt: &RouteTable,
        rt_ws: &str,
        route: &HttpRoute,
        diags: &mut Diagnostics,
    ) -> RoutePolicies<'w> {
        let mut by_kind: BTreeMap<GlooKind, Vec<(&Scoped<'w>, String)>> = BTreeMap::new();
        for s in self.policies.iter().filter(|s| s.workspace == rt_ws) {
            if let Some(how) = selected_by(s.policy, rt, rt_ws, route) {
                by_kind.entry(s.policy.kind()).or_default().push((s, how));
            }
        }
        let mut applied = RoutePolicies::default();
        for mut candidates in by_kind.into_values() {
            candidates
                .sort_by(|(a, _), (b, _)| a.policy.meta.age_key().cmp(&b.policy.meta.age_key()));
            let (winner, how) = candidates.swap_remove(0);
            for (loser, _) in &candidates {
                let (w, l) = (&winner.policy.meta, &loser.policy.meta);
                let route_name = if route.name.is_empty() {
                    &rt.meta.name
                } else {
                    &route.name
                };
                let d = policy_conflict::on_route(l.site(l.pos), w, l, route_name, &rt.meta);
                diags.push(d);
            }
            if winner.mirror_to.is_some() {
                applied.mirror_to = winner.mirror_to.clone();
            }
            applied.apply(winner.policy, how);
        }
        applied
    }
}

/// Whether `selector` picks `route` of `rt`: its labels are the route's or the RouteTable's,
/// and the RouteTable is in the namespace, cluster and workspace it names.
fn label_selects(
    selector: &RouteLabelSelector,
    rt: &RouteTable,
    rt_ws: &str,
    route: &HttpRoute,
) -> bool {
    let unset_or =
        |wanted: &Option<String>, have: &str| wanted.as_deref().is_none_or(|w| w == have);
    (labels_match(&selector.labels, &route.labels)
        || labels_match(&selector.labels, &rt.meta.labels))
        && unset_or(&selector.namespace, &rt.meta.namespace)
        && unset_or(&selector.cluster, &rt.meta.cluster)
        && unset_or(&selector.workspace, rt_ws)
}

/// How `policy` selects `route` of `rt` (in workspace `rt_ws`): `applyToRoutes[i].route`, or
/// that it has no `applyToRoutes`; `None` when it does not.
pub fn selected_by(
    policy: &Policy,
    rt: &RouteTable,
    rt_ws: &str,
    route: &HttpRoute,
) -> Option<String> {
    let apply_to: &[RouteSelector] = &policy.apply_to_routes;
    if apply_to.is_empty() {
        return Some("every route of its workspace (no applyToRoutes)".into());
    }
    apply_to.iter().enumerate().find_map(|(i, s)| {
        let l = s.route.as_ref()?;
        label_selects(l, rt, rt_ws, route).then(|| format!("applyToRoutes[{i}].route"))
    })
}
