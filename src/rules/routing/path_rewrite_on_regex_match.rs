//! **VDC731 path-rewrite-on-regex-match** (error): A route rewrites its path with `pathRewrite` while a matcher matches the path by regex or suffix, which Gloo does not support.
//!
//! ## What it does
//!
//! A RouteTable route whose `forwardTo.pathRewrite` is set while one of its `matchers` matches the
//! path with `uri.regex` (or `uri.suffix`, which vdc writes as a regex); and a delegated route
//! whose `pathRewrite` replaces a prefix that the delegating route's matchers make vdc write as a
//! regex (a case-insensitive prefix under a case-sensitive one, see
//! [Delegation](translation.md#delegation)): Gloo would replace the prefix, Istio the whole path.
//!
//! ## Why is this bad?
//!
//! Gloo's `route_table.proto` says of `pathRewrite`: "When a prefix matcher is used, only the
//! prefix portion of the path is rewritten. When an exact matcher is used, the whole path is
//! replaced. Rewriting the path when a regex matcher is used is currently unsupported." Istio would
//! take the route all the same and, for a regex match, replace the whole path with the value (Envoy's
//! `prefix_rewrite` under a `safe_regex` match): `/old/api/items?x=1` would reach the backend as
//! `/new?x=1`. What Gloo's controller does with such a route is not public, so vdc refuses it
//! rather than guess a rewrite.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!   - name: legacy-api
//!     matchers:
//!     - uri:
//!         regex: /old/.*
//!     forwardTo:
//!       pathRewrite: /api
//! ```
//!
//! ## Fix
//!
//! Rewrite with `regexRewrite` (`pattern.regex` and a `substitution`, which may use the capture
//! groups), or match the path by `prefix` or `exact` and keep `pathRewrite`.
//!
//! Fixture: `testdata/check/path-rewrite-on-regex-match/`. Long form: `docs/diagnostics.md#vdc731`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::PathRewriteOnRegexMatch;

/// Route `index` (named `name`, maybe empty) of `spec.http` rewrites its path to `rewrite` while
/// its matcher `matcher` matches the path by a regex.
pub fn diagnostic(
    site: crate::diagnostic::Site,
    (index, name): (usize, &str),
    matcher: usize,
    rewrite: &str,
) -> crate::diagnostic::Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    crate::diagnostic::Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} rewrites its path to `{rewrite}` while matcher {matcher} matches the path by regex or suffix; Gloo does not support that, and Istio would replace the whole path"
        ),
    )
    .field(format!("spec.http[{index}].forwardTo.pathRewrite"))
    .help("rewrite with `regexRewrite` (a `pattern.regex` and its `substitution`), or match the path by `prefix` or `exact`")
}

/// Route `index` (named `name`) of a delegated table rewrites its path to `rewrite`, and the
/// matchers of the delegating route `delegating` make its path match the regex `pattern`.
pub fn narrowed(
    site: crate::diagnostic::Site,
    (index, name): (usize, &str),
    rewrite: &str,
    (delegating, pattern): (&str, &str),
) -> crate::diagnostic::Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    let by = if delegating.is_empty() {
        "delegating route".to_owned()
    } else {
        format!("delegating route `{delegating}`")
    };
    crate::diagnostic::Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} rewrites its path prefix to `{rewrite}`, but under the {by} its path is matched by the regex `{pattern}`, where Istio would replace the whole path rather than the prefix"
        ),
    )
    .field(format!("spec.http[{index}].forwardTo.pathRewrite"))
    .help("match the path with the delegating route's case (drop `ignoreCase`), or rewrite with `regexRewrite` anchored at `^`")
}
