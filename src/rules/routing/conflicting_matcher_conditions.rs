//! **VDC718 conflicting-matcher-conditions** (error): A RouteTable matcher lists one header or query parameter twice, with conditions no request meets or one Istio match cannot hold.
//!
//! ## What it does
//!
//! A matcher (`spec.http[].matchers[]`) whose `headers` name one header twice (names compare
//! without case) or whose `queryParameters` name one parameter twice, with conditions that no
//! request meets together (`x-tenant: acme` and `x-tenant: globex`, or a header both required and
//! excluded with `invertMatch`), or that one Istio match cannot hold (two different regexes, a
//! prefix and a regex, two excluded values). Conditions that narrow to one are merged and not
//! reported: required present and `acme` is `acme`, the same value twice is that value.
//!
//! ## Why is this bad?
//!
//! Gloo requires every condition of a matcher. An Istio match holds one condition per header and
//! per query parameter (`headers`, `withoutHeaders` and `queryParams` are maps by name), so writing
//! both would keep only one of them: the route would match requests Gloo does not send to it.
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
//!       headers:
//!       - name: x-tenant
//!         value: acme
//!       - name: x-tenant     # the same header again, with another value
//!         value: globex
//! ```
//!
//! ## Fix
//!
//! Give each header and query parameter one condition per matcher; for "either value", write two
//! matchers (a route matches when any of its matchers does) or one regex (`acme|globex`).
//!
//! Fixture: `testdata/check/conflicting-matcher-conditions/`. Long form: `docs/diagnostics.md#vdc718`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::ConflictingMatcherConditions;

use crate::diagnostic::{Diagnostic, Site};

/// The conditions of the list at `path` (a matcher's `headers` or `queryParameters`) on `name`:
/// `reason` when one Istio match cannot hold them, `None` when no request meets them.
pub fn diagnostic(site: Site, path: &str, name: &str, reason: Option<&str>) -> Diagnostic {
    let (message, help) = match reason {
        None => (
            format!(
                "`{path}` lists `{name}` more than once, with conditions no request meets together, so the matcher matches nothing"
            ),
            "give each header and query parameter one condition; for either of two values, write two matchers",
        ),
        Some(reason) => (
            format!(
                "`{path}` lists `{name}` more than once, with conditions one Istio match cannot hold: {reason}; writing one of them would match requests Gloo does not route here"
            ),
            "give each header and query parameter one condition; for either of two values, write two matchers or one regex",
        ),
    };
    Diagnostic::new_at(CODE, site, message)
        .field(path)
        .help(help)
}
