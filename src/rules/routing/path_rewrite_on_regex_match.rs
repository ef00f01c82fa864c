//! **VDC731 path-rewrite-on-regex-match** (error): A route rewrites its path with `pathRewrite` while a matcher matches the path by regex or suffix, which Gloo does not support.
//!
//! ## What it does
//!
//! A RouteTable route whose `forwardTo.pathRewrite` is set while one of its `matchers` matches the
//! path with `uri.regex` (or `uri.suffix`, which vdc writes as a regex), or whose delegating route
//! matches the path by a regex of its own (see [Delegation](translation.md#delegation)). A
//! case-insensitive prefix that a case-sensitive delegating route makes vdc write as a regex is
//! not one of them: its `pathRewrite` is written as `rewrite.uriRegexRewrite` replacing that
//! prefix, unless the delegating route's matchers make several such prefixes of it.
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

/// How a route's own matcher matches the path, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Regex,
    Suffix,
}

/// Route `index` (named `name`, maybe empty) of `spec.http` rewrites its path to `rewrite` while
/// its matcher `matcher` matches the path by a regex or a suffix (`by`).
pub fn diagnostic(
    site: crate::diagnostic::Site,
    (index, name): (usize, &str),
    (matcher, by): (usize, By),
    rewrite: &str,
) -> crate::diagnostic::Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    let how = match by {
        By::Regex => "a regex (`uri.regex`)",
        By::Suffix => "a suffix (`uri.suffix`, which vdc writes as a regex)",
    };
    crate::diagnostic::Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} rewrites its path to `{rewrite}` while `spec.http[{index}].matchers[{matcher}]` matches the path by {how}; Gloo does not support that, and Istio would replace the whole path"
        ),
    )
    .field(format!("spec.http[{index}].forwardTo.pathRewrite"))
    .help("rewrite with `regexRewrite` (a `pattern.regex` and its `substitution`), or match the path by `prefix` or `exact`")
}

/// Why a delegated route's `pathRewrite` cannot be written under its delegating route.
#[derive(Debug, Clone, Copy)]
pub enum Narrowed<'a> {
    /// The delegating route matches the path by this regex (or suffix) of its own.
    ByRegex(&'a str),
    /// The delegating route's matchers make its path several matches, at least one a regex vdc
    /// writes, whose prefixes one `uriRegexRewrite` cannot each replace.
    Several,
}

/// Route `index` (named `name`) of a delegated table rewrites its path to `rewrite`, and the
/// matchers of the delegating route `delegating` make that rewrite unwritable (`why`).
pub fn narrowed(
    site: crate::diagnostic::Site,
    (index, name): (usize, &str),
    rewrite: &str,
    delegating: &str,
    why: Narrowed,
) -> crate::diagnostic::Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    let by = if delegating.is_empty() {
        "delegating route".to_owned()
    } else {
        format!("delegating route `{delegating}`")
    };
    let (reason, help) = match why {
        Narrowed::ByRegex(pattern) => (
            format!(
                "the {by} matches the path by the regex `{pattern}`; Gloo does not support a path rewrite beside a regex matcher, and Istio would replace the whole path"
            ),
            "rewrite with `regexRewrite`, or have the delegating route match the path by `prefix` or `exact`",
        ),
        Narrowed::Several => (
            format!(
                "under the {by} its path is matched by several prefixes, some of which vdc writes as regexes (case-insensitive under case-sensitive), and one Istio rewrite cannot replace each one's prefix"
            ),
            "give the delegating route one path matcher, or match the path with the delegating route's case (drop `ignoreCase`)",
        ),
    };
    crate::diagnostic::Diagnostic::new_at(
        CODE,
        site,
        format!("{route} rewrites its path prefix to `{rewrite}`, but {reason}"),
    )
    .field(format!("spec.http[{index}].forwardTo.pathRewrite"))
    .help(help)
}
