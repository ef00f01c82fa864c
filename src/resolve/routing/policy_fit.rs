//! Whether a route policy that won its kind on a route can be written into that route: istiod
//! refuses some pairs of a policy and a route action, and vdc reports them instead of silently
//! leaving the policy out.

use crate::diagnostic::Diagnostics;
use crate::model::policy::{Policy, PolicySettings};
use crate::model::routing_types::RouteAction;
use crate::resolve::resolved::RouteAt;
use crate::rules::policy::route_policy_not_applicable;
use crate::rules::policy::route_policy_not_applicable::Answer;
use crate::span::Pos;

/// Whether `policy` (which selects the route by its entry at `selector`) can be applied to the
/// route at `at` (named `route_name`); when it cannot,
/// its diagnostic: VDC611 for a retry, timeout, fault or mirror on a route that forwards
/// nowhere.
pub(super) fn fits(
    (policy, selector): (&Policy, Pos),
    at: &RouteAt,
    route_name: &str,
    diags: &mut Diagnostics,
) -> bool {
    let meta = &policy.meta;
    let forwards_nowhere = match &at.route.action {
        RouteAction::Redirect(_) => Some(Answer::Redirect),
        RouteAction::DirectResponse(_) => Some(Answer::DirectResponse),
        _ => None,
    };
    match (&policy.settings, &at.route.action, forwards_nowhere) {
        (
            PolicySettings::RetryTimeout(_)
            | PolicySettings::FaultInjection(_)
            | PolicySettings::Mirror(_),
            _,
            Some(answer),
        ) => {
            let site = meta.site(selector);
            let d = route_policy_not_applicable::diagnostic(
                site,
                meta,
                route_name,
                &at.rt.meta,
                answer,
            );
            diags.push(d);
            false
        }
        _ => true,
    }
}
