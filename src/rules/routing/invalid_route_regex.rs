//! **VDC716 invalid-route-regex** (error): A RouteTable regex (a matcher's path, header or query parameter value, or a regexRewrite pattern) that RE2 or istiod refuses.
//!
//! ## What it does
//!
//! A regex of a RouteTable route that vdc would write into the VirtualService and that istiod's
//! webhook (Go's `regexp`) or Envoy (RE2) would not compile: a matcher's `uri.regex`, a header or
//! query parameter `value` with `regex: true`, or `forwardTo.regexRewrite.pattern.regex`. That is a
//! syntax error (`/a(`, `[z-a]`, `x{2,1}`), what RE2 does not have (look-around such as `(?=…)` or
//! `(?<=…)`, back-references such as `\1`), an empty regex, one over 1024 bytes, or a repetition
//! over RE2's limit of 1000. vdc also refuses the few forms that only some RE2 versions read
//! (`(?<name>…)`: write `(?P<name>…)`) and those that Rust's regex reads differently from RE2 (a
//! `[` inside a class, `\<`, `{` that is not a repetition): escape them. The same check applies to
//! a CORSPolicy's origin regexes (VDC608).
//!
//! ## Why is this bad?
//!
//! istiod refuses the whole VirtualService when one of its regexes does not compile, so every route
//! of every RouteTable merged into it (the delegated ones too) stops being updated, and a new
//! VirtualService is not created at all. Gloo reports the RouteTable as invalid instead.
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
//!         regex: /reviews/(?=[0-9])[0-9]+   # look-ahead: RE2 has no look-around
//! ```
//!
//! ## Fix
//!
//! Write the regex in RE2's syntax: drop look-around and back-references (match the text itself:
//! `/reviews/[0-9]+`), close groups and classes, escape the characters meant literally.
//!
//! Fixture: `testdata/check/invalid-route-regex/`. Long form: `docs/diagnostics.md#vdc716`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidRouteRegex;

use crate::diagnostic::{Diagnostic, Site};

/// The regex `regex` at field `path` is refused: `problem` says why (from
/// [`crate::model::re2::re2_problem`]).
pub fn diagnostic(site: Site, path: &str, regex: &str, problem: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{path}` is `{regex}`, which istiod would refuse as a regex, and with it the whole VirtualService: {problem}"),
    )
    .field(path)
    .help("write it in RE2's syntax: no look-around or back-references, groups and classes closed, literal characters escaped")
}
