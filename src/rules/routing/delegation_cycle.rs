//! **VDC713 delegation-cycle** (error): RouteTables delegate to each other in a cycle.
//!
//! ## What it does
//!
//! A RouteTable route that delegates to a RouteTable that delegates, directly or through others,
//! back to the first one (a table whose selector picks itself included).
//!
//! ## Why is this bad?
//!
//! Flattening a cycle never ends: there is no set of routes to write. Gloo refuses the
//! delegation.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! metadata:
//!   name: reviews
//!   labels:
//!     team: reviews
//! spec:
//!   http:
//!   - name: reviews
//!     delegate:
//!       routeTables:
//!       - labels:
//!           team: reviews    # picks this very table
//! ```
//!
//! ## Fix
//!
//! Delegate only downward: the child tables forward, redirect or respond, or delegate to tables
//! that do not lead back.
//!
//! Fixture: `testdata/check/delegation-cycle/`. Long form: `docs/diagnostics.md#vdc713`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::DelegationCycle;

/// Route `index` (named `name`) of `spec.http` delegates to `child`, which is already being
/// flattened: it leads back to the delegating table.
pub fn diagnostic(site: Site, index: usize, name: &str, child: &Meta) -> Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} delegates to RouteTable {}/{}, which delegates, directly or through other tables, back to this route: a delegation cycle",
            child.namespace, child.name
        ),
    )
    .field(format!("spec.http[{index}].delegate.routeTables"))
    .help("delegate only to tables that do not lead back to this one")
}
