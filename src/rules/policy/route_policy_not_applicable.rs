//! **VDC611 route-policy-not-applicable** (warning): A retry, timeout, fault or mirror policy selects a route that redirects or answers directly, where Istio cannot apply it.
//!
//! ## What it does
//!
//! A RetryTimeoutPolicy, FaultInjectionPolicy or MirrorPolicy whose `applyToRoutes` selects a
//! route whose action is `redirect` or `directResponse`: a route that forwards nowhere.
//!
//! ## Why is this bad?
//!
//! Istio's webhook refuses a `fault` beside a `redirect` or a `directResponse`, and retries, a
//! timeout or a mirror have no upstream request to act on there, so vdc writes none of them into
//! that route. Its author expects the route to be slowed, aborted, retried or mirrored, and it is
//! not.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: FaultInjectionPolicy
//! spec:
//!   applyToRoutes:
//!   - route:
//!       labels:
//!         api: productpage
//! ```
//!
//! ## Fix
//!
//! Narrow the selector to the routes that forward (label only those), or drop the policy if the
//! redirect or direct response is what the route is meant to do.
//!
//! Fixture: `testdata/check/route-policy-not-applicable/`. Long form: `docs/diagnostics.md#vdc611`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::RoutePolicyNotApplicable;

/// What the selected route does instead of forwarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Redirect,
    DirectResponse,
}

/// `policy` selects route `route` of RouteTable `table`, which answers with `answer`.
pub fn diagnostic(
    site: Site,
    policy: &Meta,
    route: &str,
    table: &Meta,
    answer: Answer,
) -> Diagnostic {
    let answers = match answer {
        Answer::Redirect => "answers with a redirect",
        Answer::DirectResponse => "answers with a direct response",
    };
    // Istio refuses a fault there; retries, a timeout and a mirror act on a forwarded request.
    let why = if policy.kind == "FaultInjectionPolicy" {
        "istiod refuses a fault beside a redirect or a direct response"
    } else {
        "there is no forwarded request to retry, time out or mirror"
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} selects route `{route}` of RouteTable {}/{}, which {answers}: {why}, so it is not applied there",
            policy.kind, policy.namespace, policy.name, table.namespace, table.name
        ),
    )
    .field("spec.applyToRoutes")
    .help("label only the routes that forward, or drop the policy if the route is meant to answer itself")
}
