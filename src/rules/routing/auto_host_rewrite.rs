//! **VDC732 auto-host-rewrite** (error): A route asks for `autoHostRewrite`, which vdc does not translate: the destination would get the client's Host header.
//!
//! ## What it does
//!
//! A RouteTable route with `forwardTo.autoHostRewrite: true`.
//!
//! ## Why is this bad?
//!
//! `autoHostRewrite` replaces the request's Host (`:authority`) header with the host name of the
//! destination the request is sent to (`route_table.proto`). Istio's VirtualService has no such
//! field (`rewrite.authority` takes one fixed value), and how Gloo's controller writes it for
//! Istio is not public. Leaving it out would send the client's Host header (for a gateway route,
//! the public host name) to a backend that serves, or is reached through a proxy that routes by,
//! its own name: requests Gloo sends correctly would get a 404 or reach the wrong virtual host.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   - name: ratings
//!     matchers:
//!     - uri:
//!         prefix: /ratings
//!     forwardTo:
//!       autoHostRewrite: true
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! Set the Host header the destination expects with `hostRewrite: <its host name>` (Istio's
//! `rewrite.authority`), or drop `autoHostRewrite` if the backend accepts the client's host.
//!
//! Fixture: `testdata/check/auto-host-rewrite/`. Long form: `docs/diagnostics.md#vdc732`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::AutoHostRewrite;

/// Route `index` (named `name`, maybe empty) of `spec.http` sets `autoHostRewrite: true`.
pub fn diagnostic(
    site: crate::diagnostic::Site,
    (index, name): (usize, &str),
) -> crate::diagnostic::Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    crate::diagnostic::Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} asks for `autoHostRewrite`, which vdc does not translate: without it the destination would get the client's Host header instead of its own host name"
        ),
    )
    .field(format!("spec.http[{index}].forwardTo.autoHostRewrite"))
    .help("set the host name the destination expects with `hostRewrite`, or remove `autoHostRewrite` if it accepts the client's host")
}
