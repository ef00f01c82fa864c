//! **VDC712 delegation-matches-nothing** (error): A delegating route selects no RouteTable, or a delegated route can match no request the delegating route lets through.
//!
//! ## What it does
//!
//! A RouteTable route with `delegate` whose `routeTables` selectors pick no RouteTable that the
//! delegating table's workspace can see (its own RouteTables, and those another workspace exports
//! to it and it imports); or a route of a delegated table whose matchers exclude every request the
//! delegating route's matchers match (a child `prefix: /static` under a parent `prefix: /api`,
//! different methods or header values), or whose requests within the delegating route's cannot be
//! written as one Istio match (a regex path under a prefix other than `/`, two different regexes on
//! one header, two values one header must not have). vdc never writes a match wider or narrower
//! than the two together: a header required present by one and `acme` by the other is `acme`, a
//! case-insensitive prefix under a case-sensitive one becomes a regex that keeps the parent's case.
//! When a selector names a `workspace` that no Workspace defines (the Gloo Mesh Enterprise
//! 2.7-2.9 workshops' `main-httpbin` table delegates to workspace `httpbin`, which they never
//! create), the message names it.
//!
//! ## Why is this bad?
//!
//! The delegating route stands for the paths it matches: when it brings in no route, those paths
//! get Gloo's error response or fall through to another route, and a delegated route that matches
//! nothing under its parent is never reached. Gloo reports both on the RouteTables' status; vdc
//! says so rather than writing a VirtualService that drops them.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   http:
//!   - name: reviews
//!     matchers:
//!     - uri:
//!         prefix: /reviews
//!     delegate:
//!       routeTables:
//!       - labels:
//!           team: reviews      # no RouteTable carries this label
//! ```
//!
//! ## Fix
//!
//! Label the child RouteTables as the selector expects (or name them with `name`/`namespace`),
//! export them from their workspace and import them into the delegating one
//! (`kind: ROUTE_TABLE`), and give delegated routes matchers within the delegating route's.
//!
//! Fixture: `testdata/check/delegation-matches-nothing/`. Long form: `docs/diagnostics.md#vdc712`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::DelegationMatchesNothing;

/// What the delegation fails to bring in.
pub enum Case<'a> {
    /// The selectors pick no RouteTable that `workspace` can see; `missing` are the workspaces
    /// they name that no Workspace defines.
    NoTable {
        workspace: &'a str,
        missing: &'a [&'a str],
    },
    /// Route `child_route` of the delegated table `child` matches none of the requests the
    /// delegating route matches.
    NoRequest {
        child: &'a Meta,
        child_route: &'a str,
    },
    /// Requests match both, but no one Istio match selects exactly them: `reason` says why.
    Inexpressible {
        child: &'a Meta,
        child_route: &'a str,
        reason: &'a str,
    },
}

/// Route `index` (named `name`) of `spec.http` delegates.
pub fn diagnostic(site: Site, index: usize, name: &str, case: Case) -> Diagnostic {
    let route = route_shown(index, name);
    match case {
        Case::NoTable { workspace, missing } if !missing.is_empty() => {
            let names = missing.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>();
            let noun = if names.len() == 1 { "workspace" } else { "workspaces" };
            Diagnostic::new_at(
                CODE,
                site,
                format!("{route} delegates to no RouteTable: no RouteTable that workspace `{workspace}` can see matches its `delegate.routeTables`, whose selectors name {noun} {}, which no Workspace defines", names.join(", ")),
            )
            .field(format!("spec.http[{index}].delegate.routeTables"))
            .help(format!("create the {noun} and the RouteTables to delegate to, or remove the route until they exist: what Gloo does with a delegating route that brings in no route is not documented, so vdc refuses it"))
        }
        Case::NoTable { workspace, .. } => Diagnostic::new_at(
            CODE,
            site,
            format!("{route} delegates to no RouteTable: no RouteTable that workspace `{workspace}` can see matches its `delegate.routeTables`"),
        )
        .field(format!("spec.http[{index}].delegate.routeTables"))
        .help("check the selectors' labels and names; a RouteTable of another workspace must be exported to this one and imported by it (kind ROUTE_TABLE)"),
        Case::NoRequest { child, child_route } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "{route} delegates to RouteTable {}/{}, whose route `{child_route}` matches no request that {route} matches; it is never reached",
                child.namespace, child.name
            ),
        )
        .field(format!("spec.http[{index}].matchers"))
        .help("give the delegated route matchers within the delegating route's (a longer prefix, an exact path under it)"),
        Case::Inexpressible { child, child_route, reason } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "{route} delegates to RouteTable {}/{}, whose route `{child_route}` cannot be narrowed to {route}'s matchers as one Istio match: {reason}; vdc writes neither a wider nor a narrower match",
                child.namespace, child.name
            ),
        )
        .field(format!("spec.http[{index}].matchers"))
        .help("write the delegated route's matchers so that they imply the delegating route's (an exact path or a longer prefix under its prefix, the same regex, one value per header)"),
    }
}

/// Route `index` of `spec.http` as messages name it: by its `name`, or by its index when it
/// has none. Every routing rule about one route says it so.
pub fn route_shown(index: usize, name: &str) -> String {
    if name.is_empty() {
        format!("route {index}")
    } else {
        format!("route `{name}`")
    }
}
