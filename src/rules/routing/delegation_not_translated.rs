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

use crate::diagnostic::Code;

pub const CODE: Code = Code::DelegationNotTranslated;
