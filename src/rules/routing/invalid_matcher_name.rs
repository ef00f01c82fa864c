//! **VDC717 invalid-matcher-name** (error): A RouteTable matcher names a header or query parameter that istiod or Envoy refuses.
//!
//! ## What it does
//!
//! A matcher's `headers[].name` that is not an HTTP header name (RFC 7230 token: letters, digits
//! and ``!#$%&'*+-.^_`|~``, such as `x foo` with a space, or an empty name), or that Istio would
//! read as a JWT claim (`@request.auth.claims.…`) rather than a header; and a
//! `queryParameters[].name` that is empty or over 1024 bytes, which Envoy refuses. The pseudo-headers
//! `:authority`, `:method`, `:path` and `:scheme` are accepted.
//!
//! ## Why is this bad?
//!
//! istiod refuses the whole VirtualService when a header name of one of its matches is not a token
//! (`header name x foo is not a valid header name`). Istio does not check query parameter names,
//! but Envoy rejects a route configuration with an empty one, and with it every route of the
//! gateway.
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
//!       - name: x tenant      # a space: not a header name
//!         value: acme
//! ```
//!
//! ## Fix
//!
//! Name the header as clients send it (`x-tenant`); give each query parameter its name.
//!
//! Fixture: `testdata/check/invalid-matcher-name/`. Long form: `docs/diagnostics.md#vdc717`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidMatcherName;

use crate::diagnostic::{Diagnostic, Site};

/// What a matcher names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Header,
    QueryParameter,
}

/// The header or query parameter name `name` at field `path` is refused: `problem` says why.
pub fn diagnostic(site: Site, path: &str, kind: Kind, name: &str, problem: &str) -> Diagnostic {
    let (what, help) = match kind {
        Kind::Header => (
            "header",
            "name the header as clients send it: letters, digits and ``!#$%&'*+-.^_`|~`` only",
        ),
        Kind::QueryParameter => (
            "query parameter",
            "give the query parameter the name clients send",
        ),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{path}` is `{name}`, which is not a {what} name Istio can match: {problem}"),
    )
    .field(path)
    .help(help)
}
