//! Which route policies (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) apply to each route of a RouteTable: those of the
//! RouteTable's workspace, or of a table's that delegates to it, whose `applyToRoutes`
//! select the route by the labels it inherits ([`RouteAt::labels`]) or by its RouteTable's
//! namespace, cluster or workspace; one of each kind, the oldest ([`Meta::age_key`]).

use crate::diagnostic::Diagnostics;
use crate::model::GlooKind;
use crate::model::World;
use crate::model::policy::{Policy, PolicySettings, PolicyTarget};
use crate::model::route_policy::{RouteLabelSelector, RouteSelector};
use crate::resolve::resolved::{Destination, ExternalIndex, ResolvedVd, RouteAt, RoutePolicies};
use crate::resolve::workspaces::Workspaces;
use crate::rules::policy::policy_conflict;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// A route policy with its workspace, and for a MirrorPolicy its destination resolved once (it
/// depends on the policy's workspace only).
struct Scoped<'w> {
    /// Its index in `World::policies`.
    index: usize,
    policy: &'w Policy,
    workspace: String,
    mirror_to: Option<Destination>,
}

/// Every route policy in a workspace, ready to be matched against routes.
pub(in crate::resolve) struct RoutePolicyIndex<'w> {
    policies: Vec<Scoped<'w>>,
    /// The indices of the policies that selected a route so far, for VDC609: a policy may
    /// select only routes it reaches by delegation or import, which a scan of each table's own
    /// routes would not see.
    selected: RefCell<BTreeSet<usize>>,
}

impl<'w> RoutePolicyIndex<'w> {
    pub(in crate::resolve) fn new(
        world: &'w World,
        workspaces: &Workspaces,
        targets: (&[ResolvedVd<'w>], &ExternalIndex<'w>),
        diags: &mut Diagnostics,
    ) -> Self {
        let route_policies =
            (world.policies.iter().enumerate()).filter(|(_, p)| p.target() == PolicyTarget::Routes);
        let policies = route_policies
            .filter_map(|(index, policy)| {
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
                    index,
                    policy,
                    workspace,
                    mirror_to,
                })
            })
            .collect();
        RoutePolicyIndex {
            policies,
            selected: RefCell::default(),
        }
    }

    /// The policies that apply to the route at `at`; VDC602 for each policy that loses to an
    /// older one of its kind. A policy takes part when its workspace is the route's table's,
    /// or that of a table delegating to it (the route is then one of the parent's). A
    /// workspace that merely imports the table does not reach its routes: Gloo's "Import and
    /// export policies" says an importing workspace's policies do not apply to imported route
    /// tables, and the table's routes are shared by every VirtualService made from it, so such
    /// a policy would change them on the exporting workspace's gateways too.
    pub(in crate::resolve) fn for_route(
        &self,
        at: &RouteAt<'_>,
        diags: &mut Diagnostics,
    ) -> RoutePolicies<'w> {
        let mut by_kind: BTreeMap<GlooKind, Vec<(&Scoped<'w>, String)>> = BTreeMap::new();
        for s in &self.policies {
            if !at.workspaces.contains(&s.workspace) {
                continue;
            }
            if let Some(how) = selected_by(s.policy, at) {
                self.selected.borrow_mut().insert(s.index);
                by_kind.entry(s.policy.kind()).or_default().push((s, how));
            }
        }
        let route_name = if at.route.name.is_empty() {
            &at.rt.meta.name
        } else {
            &at.route.name
        };
        let mut applied = RoutePolicies::default();
        for mut candidates in by_kind.into_values() {
            candidates
                .sort_by(|(a, _), (b, _)| a.policy.meta.age_key().cmp(&b.policy.meta.age_key()));
            let (winner, how) = candidates.swap_remove(0);
            for (loser, _) in &candidates {
                let (w, l) = (&winner.policy.meta, &loser.policy.meta);
                let d = policy_conflict::on_route(l.site(l.pos), w, l, route_name, &at.rt.meta);
                diags.push(d);
            }
            // A policy istiod would refuse, or that cannot act, on this route is reported
            // there (VDC611, VDC612) rather than written or silently left out.
            let pos = selector_pos(winner.policy, at);
            if !super::policy_fit::fits((winner.policy, pos), at, route_name, diags) {
                continue;
            }
            if winner.mirror_to.is_some() {
                applied.mirror_to = winner.mirror_to.clone();
            }
            applied.apply(winner.policy, how);
        }
        applied
    }

    /// The indices (in `World::policies`) of the route policies that selected some route.
    pub(in crate::resolve) fn selected(&self) -> BTreeSet<usize> {
        self.selected.borrow().clone()
    }
}

/// Whether `selector` picks the route at `at`: every label it names has its value in the
/// route's inherited labels ([`RouteAt::labels`]: a label on the route and another on its
/// table select it together; a route's own label overrides its table's), and the route's
/// RouteTable is in the namespace, cluster and workspace it names.
fn label_selects(selector: &RouteLabelSelector, at: &RouteAt) -> bool {
    let unset_or =
        |wanted: &Option<String>, have: &str| wanted.as_deref().is_none_or(|w| w == have);
    (selector.labels.iter()).all(|(k, v)| at.label(k) == Some(v))
        && unset_or(&selector.namespace, &at.rt.meta.namespace)
        && unset_or(&selector.cluster, &at.rt.meta.cluster)
        && unset_or(&selector.workspace, &at.rt_ws)
}

/// How `policy` selects the route at `at`: `applyToRoutes[i].route`, or that it has no
/// `applyToRoutes` (it then selects every route of its workspace, and those its tables
/// delegate to); `None` when it does not.
pub fn selected_by(policy: &Policy, at: &RouteAt) -> Option<String> {
    let apply_to: &[RouteSelector] = &policy.apply_to_routes;
    if apply_to.is_empty() {
        return Some("every route it reaches (no applyToRoutes)".into());
    }
    apply_to.iter().enumerate().find_map(|(i, s)| {
        let l = s.route.as_ref()?;
        label_selects(l, at).then(|| format!("applyToRoutes[{i}].route"))
    })
}

/// Where `policy` selects the route at `at`: its first `applyToRoutes` entry that does, or the
/// policy itself when it has none.
fn selector_pos(policy: &Policy, at: &RouteAt) -> crate::span::Pos {
    (policy.apply_to_routes.iter())
        .find(|s| s.route.as_ref().is_some_and(|l| label_selects(l, at)))
        .map_or(policy.meta.pos, |s| s.pos)
}
