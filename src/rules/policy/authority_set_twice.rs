//! **VDC612 authority-set-twice** (error): A HeaderManipulationPolicy appends `Host` to a route whose `hostRewrite` already sets it; istiod refuses the VirtualService.
//!
//! ## What it does
//!
//! A HeaderManipulationPolicy whose `appendRequestHeaders` sets `Host` (or `:authority`) on a
//! route whose `forwardTo.hostRewrite` rewrites the host.
//!
//! ## Why is this bad?
//!
//! Both become the route's authority: istiod's webhook refuses a VirtualService route whose
//! `rewrite.authority` and `headers.request` both set it ("authority header cannot be set
//! multiple times"), so the whole VirtualService, every route of the table, would be rejected.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: HeaderManipulationPolicy
//! spec:
//!   config:
//!     appendRequestHeaders:
//!       Host: productpage.internal
//! ```
//!
//! ## Fix
//!
//! Keep one of the two: drop `Host` from the policy's `appendRequestHeaders`, or the
//! `hostRewrite` from the route.
//!
//! Fixture: `testdata/check/authority-set-twice/`. Long form: `docs/diagnostics.md#vdc612`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::AuthoritySetTwice;

/// `policy` appends header `header` (`Host` or `:authority`) to route `route` of RouteTable
/// `table`, whose `hostRewrite` already sets it to `rewrite`.
pub fn diagnostic(
    site: Site,
    policy: &Meta,
    header: &str,
    (route, table): (&str, &Meta),
    rewrite: &str,
) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} appends `{header}` to route `{route}` of RouteTable {}/{}, whose hostRewrite already sets it to `{rewrite}`: istiod refuses a route that sets the authority twice",
            policy.kind, policy.namespace, policy.name, table.namespace, table.name
        ),
    )
    .field(format!("spec.config.appendRequestHeaders.{header}"))
    .help("drop the header from the policy, or the hostRewrite from the route")
}
