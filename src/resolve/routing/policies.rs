//! Which route policies (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) apply to each route of a RouteTable: those of the
//! RouteTable's workspace whose `applyToRoutes` select the route by its labels (`http[].labels`)
//! or by its RouteTable's labels, namespace, cluster or workspace; one of each kind, the oldest.

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::route_policy::{Mirror, RouteLabelSelector, RoutePolicy, RouteSelector};
use crate::model::selector::labels_match;
use crate::model::types::*;
use crate::resolve::resolved::{
    AppliedRoutePolicy, Destination, ExternalIndex, ResolvedVd, RoutePolicies,
};
use crate::resolve::workspaces::Workspaces;
use crate::rules::policy::policy_conflict;
use crate::rules::policy::policy_selects_nothing::{self, Selects};

/// A route policy with its workspace.
struct Scoped<'w, C> {
    policy: &'w RoutePolicy<C>,
    workspace: String,
}

/// Every route policy with its workspace, and each MirrorPolicy's destination resolved once
/// (it depends on the policy's workspace only).
pub(in crate::resolve) struct RoutePolicyIndex<'w> {
    retry_timeout: Vec<Scoped<'w, crate::model::route_policy::RetryTimeout>>,
    fault_injection: Vec<Scoped<'w, crate::model::route_policy::FaultInjection>>,
    cors: Vec<Scoped<'w, crate::model::route_policy::Cors>>,
    header_manipulation: Vec<Scoped<'w, crate::model::route_policy::HeaderManipulation>>,
    /// MirrorPolicies whose destination resolved, with it.
    mirror: Vec<(Scoped<'w, Mirror>, Destination)>,
}

fn scoped<'w, C>(policies: &'w [RoutePolicy<C>], workspaces: &Workspaces) -> Vec<Scoped<'w, C>> {
    policies
        .iter()
        .filter_map(|policy| {
            // A policy in no workspace is VDC303 (check_policy_workspaces).
            let workspace = workspaces.of(&policy.meta.cluster, &policy.meta.namespace)?;
            Some(Scoped { policy, workspace })
        })
        .collect()
}

impl<'w> RoutePolicyIndex<'w> {
    pub(in crate::resolve) fn new(
        world: &'w World,
        workspaces: &Workspaces,
        targets: (&[ResolvedVd<'w>], &ExternalIndex<'w>),
        diags: &mut Diagnostics,
    ) -> Self {
        let a = &world.attached;
        let mirror = scoped(&a.mirror, workspaces)
            .into_iter()
            .filter_map(|s| {
                let d = super::mirror::destination(world, s.policy, &s.workspace, targets, diags)?;
                Some((s, d))
            })
            .collect();
        let index = RoutePolicyIndex {
            retry_timeout: scoped(&a.retry_timeout, workspaces),
            fault_injection: scoped(&a.fault_injection, workspaces),
            cors: scoped(&a.cors, workspaces),
            header_manipulation: scoped(&a.header_manipulation, workspaces),
            mirror,
        };
        index.report_unused(world, workspaces, diags);
        index
    }

    /// VDC609 for each route policy that selects no route of any RouteTable in its workspace.
    fn report_unused(&self, world: &World, workspaces: &Workspaces, diags: &mut Diagnostics) {
        let tables: Vec<(&RouteTable, String)> = (world.route_tables.iter())
            .filter_map(|rt| Some((rt, workspaces.of(&rt.meta.cluster, &rt.meta.namespace)?)))
            .collect();
        let used = |apply_to: &[RouteSelector], ws: &str| {
            tables.iter().any(|(rt, rt_ws)| {
                rt_ws == ws
                    && rt
                        .http
                        .iter()
                        .any(|r| selected_by(apply_to, rt, rt_ws, r).is_some())
            })
        };
        let all = (self
            .retry_timeout
            .iter()
            .map(|s| (&s.policy.meta, &s.policy.apply_to, &s.workspace)))
        .chain(
            self.fault_injection
                .iter()
                .map(|s| (&s.policy.meta, &s.policy.apply_to, &s.workspace)),
        )
        .chain(
            self.cors
                .iter()
                .map(|s| (&s.policy.meta, &s.policy.apply_to, &s.workspace)),
        )
        .chain(
            (self.header_manipulation.iter())
                .map(|s| (&s.policy.meta, &s.policy.apply_to, &s.workspace)),
        )
        .chain(
            self.mirror
                .iter()
                .map(|(s, _)| (&s.policy.meta, &s.policy.apply_to, &s.workspace)),
        );
        for (meta, apply_to, ws) in all {
            if !used(apply_to, ws) {
                let site = meta.site(meta.pos);
                diags.push(policy_selects_nothing::diagnostic(
                    site,
                    meta,
                    Selects::Routes,
                ));
            }
        }
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
        let mut applied = Vec::new();
        let at = RouteAt { rt, rt_ws, route };
        let mut out = RoutePolicies {
            retry_timeout: winner(&self.retry_timeout, &at, &mut applied, diags),
            fault_injection: winner(&self.fault_injection, &at, &mut applied, diags),
            cors: winner(&self.cors, &at, &mut applied, diags),
            header_manipulation: winner(&self.header_manipulation, &at, &mut applied, diags),
            mirror: None,
            applied: Vec::new(),
        };
        let mirrors: Vec<Scoped<'w, Mirror>> = (self.mirror.iter())
            .map(|(s, _)| Scoped {
                policy: s.policy,
                workspace: s.workspace.clone(),
            })
            .collect();
        if let Some(m) = winner(&mirrors, &at, &mut applied, diags) {
            let destination = (self.mirror.iter())
                .find(|(s, _)| std::ptr::eq(s.policy, m))
                .map(|(_, d)| d.clone());
            out.mirror = destination.map(|d| (m, d));
        }
        applied.sort_by(|a, b| {
            (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name))
        });
        out.applied = applied;
        out
    }
}

/// One route of one RouteTable, in the RouteTable's workspace.
struct RouteAt<'a> {
    rt: &'a RouteTable,
    rt_ws: &'a str,
    route: &'a HttpRoute,
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

/// How `apply_to` selects the route, for `explain`: `None` when it does not.
fn selected_by(
    apply_to: &[RouteSelector],
    rt: &RouteTable,
    rt_ws: &str,
    route: &HttpRoute,
) -> Option<String> {
    if apply_to.is_empty() {
        return Some("every route of its workspace (no applyToRoutes)".into());
    }
    apply_to.iter().enumerate().find_map(|(i, s)| {
        let l = s.route.as_ref()?;
        label_selects(l, rt, rt_ws, route).then(|| format!("applyToRoutes[{i}].route"))
    })
}

/// Of the policies of one kind that select the route, the oldest (by `creationTimestamp`,
/// then namespace and name), recorded in `applied`; VDC602 for the others.
fn winner<'w, C>(
    policies: &[Scoped<'w, C>],
    at: &RouteAt,
    applied: &mut Vec<AppliedRoutePolicy>,
    diags: &mut Diagnostics,
) -> Option<&'w RoutePolicy<C>> {
    let mut selecting: Vec<(&'w RoutePolicy<C>, String)> = (policies.iter())
        .filter(|s| s.workspace == at.rt_ws)
        .filter_map(|s| {
            Some((
                s.policy,
                selected_by(&s.policy.apply_to, at.rt, at.rt_ws, at.route)?,
            ))
        })
        .collect();
    selecting.sort_by(|(a, _), (b, _)| {
        let (a, b) = (&a.meta, &b.meta);
        (&a.creation_timestamp, &a.namespace, &a.name).cmp(&(
            &b.creation_timestamp,
            &b.namespace,
            &b.name,
        ))
    });
    let (first, how) = selecting.first()?;
    for (loser, _) in &selecting[1..] {
        let (w, l) = (&first.meta, &loser.meta);
        let route_name = if at.route.name.is_empty() {
            &at.rt.meta.name
        } else {
            &at.route.name
        };
        diags.push(policy_conflict::on_route(
            l.site(l.pos),
            w,
            l,
            route_name,
            &at.rt.meta,
        ));
    }
    let m = &first.meta;
    applied.push(AppliedRoutePolicy {
        kind: m.kind.clone(),
        cluster: m.cluster.clone(),
        namespace: m.namespace.clone(),
        name: m.name.clone(),
        selected_by: how.clone(),
    });
    Some(*first)
}
