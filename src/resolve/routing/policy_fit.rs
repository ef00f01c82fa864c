//! Whether a route policy that won its kind on a route can be written into that route: istiod
//! refuses some pairs of a policy and a route action, and vdc reports them instead of writing
//! a route Istio would reject, or silently leaving the policy out.

use crate::diagnostic::Diagnostics;
use crate::model::policy::{Policy, PolicySettings};
use crate::model::routing_types::RouteAction;
use crate::resolve::resolved::RouteAt;
use crate::rules::policy::route_policy_not_applicable::Answer;
use crate::rules::policy::{authority_set_twice, route_policy_not_applicable};
use crate::span::Pos;

/// Whether `policy` (which selects the route by its entry at `selector`) can be applied to the
/// route at `at` (named `route_name`); when it cannot, its diagnostic: VDC611 for a retry,
/// timeout, fault or mirror on a route that forwards nowhere, VDC612 for a `Host` header
/// appended where `hostRewrite` already sets it.
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
        (PolicySettings::HeaderManipulation(h), RouteAction::Forward { rewrite, .. }, _) => {
            // istiod's validateAuthorityRewrite: `rewrite.authority` and a request header
            // `Host` or `:authority` (any case) cannot both set the authority.
            let (Some(host), Some(header)) = (
                rewrite.authority.as_deref(),
                (h.request.add.keys()).find(|k| {
                    k.eq_ignore_ascii_case("host") || k.eq_ignore_ascii_case(":authority")
                }),
            ) else {
                return true;
            };
            let at_route = (route_name, &at.rt.meta);
            let d =
                authority_set_twice::diagnostic(meta.site(meta.pos), meta, header, at_route, host);
            diags.push(d);
            false
        }
        _ => true,
    }
}
