//! **VDC711 invalid-route-action** (error): A route has no action Istio can carry out: none, a forward with no destination, or a redirect to nowhere.
//!
//! ## What it does
//!
//! A RouteTable route (`spec.http[]`) that has no action at all (no `forwardTo`, `delegate`,
//! `redirect`, `directResponse` or `graphql`); a `forwardTo` that lists no `destinations` in a
//! RouteTable without a `defaultDestination`; or a `redirect` with neither `hostRedirect` nor
//! `pathRedirect`.
//!
//! ## Why is this bad?
//!
//! The protos require exactly one action per route, and a `forwardTo` without destinations only
//! when the table has a `defaultDestination`. Such a route has nowhere to send a request: Gloo
//! refuses it, and istiod refuses a VirtualService route with neither a destination, a redirect nor
//! a direct response (and a redirect that changes nothing). Left out silently, the paths it should
//! serve would fall through to another route or get a 404, and nobody would know.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   http:
//!   - name: ratings
//!     matchers:
//!     - uri:
//!         prefix: /ratings
//!     forwardTo: {}      # no destinations, and the table has no defaultDestination
//! ```
//!
//! ## Fix
//!
//! Give the route its destinations (`forwardTo.destinations`), a `defaultDestination` on the
//! RouteTable, or the action it was meant to have; give a `redirect` the host or path it sends
//! clients to. Delete a route that should not exist.
//!
//! Fixture: `testdata/check/invalid-route-action/`. Long form: `docs/diagnostics.md#vdc711`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidRouteAction;

/// Why a route has no action Istio can carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// None of `forwardTo`, `delegate`, `redirect`, `directResponse`, `graphql`.
    NoAction,
    /// A `forwardTo` without `destinations` in a table without `defaultDestination`.
    NoDestination,
    /// A `redirect` with neither `hostRedirect` nor `pathRedirect`.
    RedirectsNowhere,
}

/// Route `index` (named `name`, maybe empty) of `spec.http`.
pub fn diagnostic(site: Site, index: usize, name: &str, problem: Problem) -> Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    let (message, field, help) = match problem {
        Problem::NoAction => (
            format!(
                "{route} has no action; it would be left out, and the requests it matches would fall through"
            ),
            format!("spec.http[{index}]"),
            "give it one of `forwardTo`, `delegate`, `redirect` or `directResponse`",
        ),
        Problem::NoDestination => (
            format!(
                "{route} forwards to no destination, and the RouteTable has no `defaultDestination`"
            ),
            format!("spec.http[{index}].forwardTo.destinations"),
            "list its destinations, or set `spec.defaultDestination`",
        ),
        Problem::RedirectsNowhere => (
            format!(
                "{route} redirects without a `hostRedirect` or `pathRedirect`, so it would redirect to the same URL; istiod refuses such a redirect"
            ),
            format!("spec.http[{index}].redirect"),
            "set the host or the path the client is sent to",
        ),
    };
    Diagnostic::new_at(CODE, site, message)
        .field(field)
        .help(help)
}
