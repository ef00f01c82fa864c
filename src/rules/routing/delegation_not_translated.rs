//! **VDC704 delegation-not-translated** (warning): Route delegation is not translated yet.
//!
//! ## What it does
//!
//! A RouteTable route that delegates (`delegate:`) to other RouteTables.
//!
//! ## Why is this bad?
//!
//! vdc does not translate delegation yet: the route produces no output, so the paths it should
//! serve are not routed.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   - name: reviews
//!     matchers:
//!     - uri:
//!         prefix: /reviews
//!     delegate:
//!       routeTables:
//!       - labels:
//!           team: reviews
//! ```
//!
//! ## Fix
//!
//! Forward to the destinations directly with `forwardTo`.
//!
//! Fixture: `testdata/check/delegation-not-translated/`. Long form: `docs/diagnostics.md#vdc704`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::types::RouteAction;

pub const CODE: Code = Code::DelegationNotTranslated;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in &world.route_tables {
        for route in &rt.http {
            if let RouteAction::Delegate(d) = &route.action {
                diags.push(diagnostic(rt.meta.site(d.pos)));
            }
        }
    }
}

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "route delegation is not translated by vdc yet; this route produces no output",
    )
    .field("spec.http.delegate")
    .help("forward to the destinations directly with `forwardTo`")
}
