//! Conditions on one value of a request (a path, a header, a query parameter) that must all
//! hold, written as the one condition per name an Istio match can hold (its `headers`,
//! `withoutHeaders` and `queryParams` are maps by name). Used where a RouteTable matcher lists
//! one name twice and where delegation narrows a child's matcher by its parent's: never a
//! condition wider than both.

use super::routing_types::{HeaderMatcher, StringMatch};

/// Why conditions that must all hold give no Istio match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatch {
    /// No request meets them all.
    Disjoint,
    /// Some requests meet them, but no one Istio match selects exactly those: the reason.
    Inexpressible(String),
}

/// `exact` (case-insensitive when `ci`) where a regex must match too: the exact match, when the
/// regex matches it.
pub fn exact_in_regex(
    exact: &str,
    ci: bool,
    regex: &str,
    what: &str,
) -> Result<(StringMatch, bool), NoMatch> {
    let letters = ci && exact.bytes().any(|b| b.is_ascii_alphabetic());
    match (letters, full_match(regex, exact)) {
        (false, Some(true)) => Ok((StringMatch::Exact(exact.to_owned()), ci)),
        (false, Some(false)) => Err(NoMatch::Disjoint),
        _ => Err(NoMatch::Inexpressible(format!(
            "{what} must be `{exact}` and match the regex `{regex}`, which vdc cannot decide"
        ))),
    }
}

/// Whether `regex` matches the whole of `text`, when Rust's regex decides it as RE2 does: for
/// printable ASCII text, where RE2's ASCII `\d`, `\w`, `\s`, `\b` and Rust's Unicode ones agree.
fn full_match(regex: &str, text: &str) -> Option<bool> {
    if !text.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return None;
    }
    let anchored = regex::Regex::new(&format!("^(?:{regex})$")).ok()?;
    Some(anchored.is_match(text))
}

pub fn shown(m: &StringMatch) -> String {
    match m {
        StringMatch::Exact(s) => format!("exact {s}"),
        StringMatch::Prefix(s) => format!("prefix {s}"),
        StringMatch::Regex(s) => format!("regex {s}"),
    }
}

/// Two conditions on one value (a header's or a query parameter's) as one: `None` is "present".
pub fn value_both(
    a: &Option<StringMatch>,
    b: &Option<StringMatch>,
    what: &str,
) -> Result<Option<StringMatch>, NoMatch> {
    use StringMatch::*;
    let (Some(x), Some(y)) = (a, b) else {
        return Ok(a.clone().or_else(|| b.clone()));
    };
    let stronger = |long: &String, short: &String| long.starts_with(short.as_str());
    match (x, y) {
        _ if x == y => Ok(Some(x.clone())),
        (Exact(e), Prefix(p)) | (Prefix(p), Exact(e)) if stronger(e, p) => {
            Ok(Some(Exact(e.clone())))
        }
        (Prefix(p), Prefix(q)) if stronger(p, q) => Ok(Some(x.clone())),
        (Prefix(p), Prefix(q)) if stronger(q, p) => Ok(Some(y.clone())),
        (Exact(_) | Prefix(_), Exact(_) | Prefix(_)) => Err(NoMatch::Disjoint),
        (Exact(e), Regex(r)) | (Regex(r), Exact(e)) => {
            exact_in_regex(e, false, r, what).map(|(m, _)| Some(m))
        }
        _ => Err(NoMatch::Inexpressible(format!(
            "{what} must match both `{}` and `{}`, and Istio matches it once",
            shown(x),
            shown(y)
        ))),
    }
}

/// Both lists of header conditions as one, one condition per header (Istio's `headers` and
/// `withoutHeaders` are maps by name; header names are case-insensitive).
pub fn headers(a: &[HeaderMatcher], b: &[HeaderMatcher]) -> Result<Vec<HeaderMatcher>, NoMatch> {
    let mut out: Vec<HeaderMatcher> = Vec::new();
    for h in a.iter().chain(b) {
        let same =
            |o: &&mut HeaderMatcher| o.invert == h.invert && o.name.eq_ignore_ascii_case(&h.name);
        match out.iter_mut().find(same) {
            None => out.push(h.clone()),
            Some(o) if !h.invert => {
                let what = format!("header `{}`", h.name);
                o.value = value_both(&o.value, &h.value, &what)?;
            }
            Some(o) if o.value == h.value => {}
            Some(o) => {
                return Err(NoMatch::Inexpressible(format!(
                    "header `{}` must match neither {} nor {}, and Istio's `withoutHeaders` holds one condition per header",
                    h.name,
                    absent(&o.value),
                    absent(&h.value)
                )));
            }
        }
    }
    // A header required and excluded with the same condition (or excluded altogether).
    let excluded = |p: &HeaderMatcher| {
        (out.iter()).any(|n| {
            n.invert
                && n.name.eq_ignore_ascii_case(&p.name)
                && (n.value.is_none() || n.value == p.value)
        })
    };
    if out.iter().any(|p| !p.invert && excluded(p)) {
        return Err(NoMatch::Disjoint);
    }
    Ok(out)
}

fn absent(value: &Option<StringMatch>) -> String {
    value.as_ref().map_or("presence".to_owned(), shown)
}

/// Both lists of query parameter conditions as one, one per parameter (Istio's `queryParams` is a
/// map by name); `regex: .*` is how a parameter that need only be present is written.
pub fn query_parameters(
    a: &[(String, StringMatch)],
    b: &[(String, StringMatch)],
) -> Result<Vec<(String, StringMatch)>, NoMatch> {
    let present = StringMatch::Regex(".*".into());
    let condition = |m: &StringMatch| (*m != present).then(|| m.clone());
    let mut out: Vec<(String, StringMatch)> = Vec::new();
    for (name, value) in a.iter().chain(b) {
        match out.iter_mut().find(|(n, _)| n == name) {
            None => out.push((name.clone(), value.clone())),
            Some((_, v)) => {
                let what = format!("query parameter `{name}`");
                let both = value_both(&condition(v), &condition(value), &what)?;
                *v = both.unwrap_or_else(|| present.clone());
            }
        }
    }
    Ok(out)
}
