//! **VDC733 tcp-tls-route-field** (error): A `tcp` or `tls` route sets a `forwardTo` field or destination that a TCP or TLS route cannot carry out.
//!
//! ## What it does
//!
//! A RouteTable `tcp` route whose `forwardTo` sets `pathRewrite`, `regexRewrite`, `hostRewrite` or
//! `autoHostRewrite`, or forwards to a destination of `kind: EXTERNAL_SERVICE`.
//!
//! ## Why is this bad?
//!
//! A tcp route forwards a TCP stream: it has no path and no Host header to rewrite, and Istio's
//! VirtualService `tcp` route has no `rewrite`. route_table.proto says so of the `forwardTo` of a
//! `TCPRoute` ("some `forwardTo` actions, such as path or host rewrite, are not supported for TCP
//! routes") and of its destinations ("TCP routes support only Kubernetes services and Gloo
//! VirtualDestinations"). Dropping the field would forward traffic that the author expected to be
//! changed, or to a backend Gloo does not route TCP to.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   tcp:
//!   - matchers:
//!     - port: 9080
//!     forwardTo:
//!       hostRewrite: productpage.internal
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!       - ref:
//!           name: legacy-productpage
//!           namespace: bookinfo-frontends
//!         kind: EXTERNAL_SERVICE
//! ```
//!
//! ## Fix
//!
//! Remove the field from the tcp route (move the route to `spec.http` if the traffic is HTTP and
//! needs the rewrite), or forward to a VirtualDestination that selects the ExternalService.
//!
//! Fixture: `testdata/check/tcp-tls-route-field/`. Long form: `docs/diagnostics.md#vdc733`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TcpTlsRouteField;

/// What a `tcp` route asks for that it cannot carry out.
#[derive(Debug, Clone, Copy)]
pub enum Problem {
    /// A `forwardTo` rewrite (`pathRewrite`, `regexRewrite`, `hostRewrite`, `autoHostRewrite`).
    Rewrite { key: &'static str },
    /// A destination of `kind: EXTERNAL_SERVICE`.
    ExternalService,
}

/// The field at `field` (a path in the RouteTable) of a `layer` route asks for `problem`.
pub fn diagnostic(
    site: crate::diagnostic::Site,
    field: &str,
    layer: crate::model::routing_types::RouteLayer,
    problem: Problem,
) -> crate::diagnostic::Diagnostic {
    let section = layer.section();
    let (message, help) = match problem {
        Problem::Rewrite { key } => (
            format!(
                "`{field}` asks a {section} route to rewrite the request, which a {section} route cannot do: it forwards a TCP stream, with no path or Host header, and Istio's {section} route has no rewrite (route_table.proto: \"path or host rewrite, are not supported for TCP routes\")"
            ),
            format!(
                "remove `{key}` from the {section} route, or route the traffic with an http route if it is HTTP and needs the rewrite"
            ),
        ),
        Problem::ExternalService => (
            format!(
                "`{field}` is `EXTERNAL_SERVICE`, but Gloo's {section} routes forward only to Kubernetes Services and VirtualDestinations (route_table.proto: \"TCP routes support only Kubernetes services and Gloo VirtualDestinations\")"
            ),
            "forward to a VirtualDestination that selects the ExternalService (`externalServices`)"
                .to_owned(),
        ),
    };
    crate::diagnostic::Diagnostic::new_at(CODE, site, message)
        .field(field.to_owned())
        .help(help)
}
