//! A delegated route's matchers narrowed by the delegating route's: a request must match both
//! (Gloo's delegation), written as one Istio match per pair of matchers that can match at all.
//! Never wider than both: what one Istio match cannot say is refused with the reason.

use crate::model::conditions::{NoMatch, exact_in_regex, headers, query_parameters, shown};
use crate::model::istio_accepts::regex_escape;
use crate::model::re2::re2_problem;
use crate::model::routing_types::{RequestMatcher, StringMatch};
use std::cmp::Reverse;

/// Every (parent, child) pair of matchers that some request can match, each as one matcher; a
/// route without matchers matches every request (and so does an empty result). `Disjoint` when
/// every pair excludes itself; `Inexpressible` as soon as one pair cannot be written, since
/// leaving it out would drop requests Gloo routes there.
pub(super) fn narrowed(
    parent: &[RequestMatcher],
    child: &[RequestMatcher],
) -> Result<Vec<RequestMatcher>, NoMatch> {
    let any = [RequestMatcher::default()];
    let parent = if parent.is_empty() { &any[..] } else { parent };
    let child = if child.is_empty() { &any[..] } else { child };
    let mut out: Vec<RequestMatcher> = Vec::new();
    for p in parent {
        for c in child {
            match both(p, c) {
                Ok(m) if !out.contains(&m) => out.push(m),
                Ok(_) | Err(NoMatch::Disjoint) => {}
                Err(inexpressible) => return Err(inexpressible),
            }
        }
    }
    match out.as_slice() {
        [] => Err(NoMatch::Disjoint),
        [only] if *only == RequestMatcher::default() => Ok(Vec::new()),
        _ => Ok(out),
    }
}

/// How `sortMethod: ROUTE_SPECIFICITY` ranks a route by its most specific path match (lower
/// first): exact paths, longest first, then regexes, then prefixes, longest first, then none.
pub(super) type Specificity = (u8, Reverse<usize>);

/// The specificity of a route's matchers as written.
pub(super) fn specificity(matchers: &[RequestMatcher]) -> Specificity {
    (matchers.iter())
        .map(|m| key(m.uri.as_ref()))
        .min()
        .unwrap_or((3, Reverse(0)))
}

fn key(uri: Option<&StringMatch>) -> Specificity {
    match uri {
        Some(StringMatch::Exact(p)) => (0, Reverse(p.len())),
        Some(StringMatch::Regex(_)) => (1, Reverse(0)),
        Some(StringMatch::Prefix(p)) => (2, Reverse(p.len())),
        None => (3, Reverse(0)),
    }
}

/// The specificity of `child` narrowed by `parent`, with the paths of two exact or prefix
/// matches ranked as the exact path or prefix they narrow to, even where case makes it a regex:
/// a case-insensitive prefix under a case-sensitive one still sorts among the prefixes.
pub(super) fn narrowed_specificity(
    parent: &[RequestMatcher],
    child: &[RequestMatcher],
) -> Specificity {
    use StringMatch::*;
    let any = [RequestMatcher::default()];
    let parent = if parent.is_empty() { &any[..] } else { parent };
    let child = if child.is_empty() { &any[..] } else { child };
    let pair = |p: &RequestMatcher, c: &RequestMatcher| {
        let narrowed = both(p, c).ok()?;
        Some(match (&p.uri, &c.uri) {
            (Some(a @ (Exact(x) | Prefix(x))), Some(b @ (Exact(y) | Prefix(y)))) => {
                let exact = matches!(a, Exact(_)) || matches!(b, Exact(_));
                (if exact { 0 } else { 2 }, Reverse(x.len().max(y.len())))
            }
            _ => key(narrowed.uri.as_ref()),
        })
    };
    (parent.iter())
        .flat_map(|p| child.iter().filter_map(move |c| pair(p, c)))
        .min()
        .unwrap_or((3, Reverse(0)))
}

/// The matcher for requests that match both `p` and `c`.
fn both(p: &RequestMatcher, c: &RequestMatcher) -> Result<RequestMatcher, NoMatch> {
    let (uri, ignore_case) = match (&p.uri, &c.uri) {
        (None, _) => (c.uri.clone(), c.ignore_case),
        (Some(_), None) => (p.uri.clone(), p.ignore_case),
        (Some(pu), Some(cu)) => {
            let (m, i) = uri_within((pu, p.ignore_case), (cu, c.ignore_case))?;
            (Some(m), i)
        }
    };
    let method = match (&p.method, &c.method) {
        (Some(a), Some(b)) if a != b => return Err(NoMatch::Disjoint),
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    let port = match (p.port, c.port) {
        (Some(a), Some(b)) if a != b => return Err(NoMatch::Disjoint),
        (a, b) => a.or(b),
    };
    Ok(RequestMatcher {
        uri,
        ignore_case,
        headers: headers(&p.headers, &c.headers)?,
        query_parameters: query_parameters(&p.query_parameters, &c.query_parameters)?,
        method,
        port,
        // Http routes only are delegated.
        sni_hosts: Vec::new(),
    })
}

/// The path match of requests within both (each with its `ignoreCase`).
fn uri_within(
    parent: (&StringMatch, bool),
    child: (&StringMatch, bool),
) -> Result<(StringMatch, bool), NoMatch> {
    use StringMatch::*;
    match (parent, child) {
        ((Regex(p), _), (Regex(c), _)) if p == c => Ok((child.0.clone(), false)),
        // Every path starts with `/` (Envoy refuses any other).
        ((Prefix(p), _), (Regex(_), _)) if p == "/" => Ok((child.0.clone(), false)),
        ((Regex(_), _), (Prefix(c), _)) if c == "/" => Ok((parent.0.clone(), false)),
        ((Regex(r), _), (Exact(e), ci)) | ((Exact(e), ci), (Regex(r), _)) => {
            exact_in_regex(e, ci, r, "the path")
        }
        ((Regex(_), _), _) | (_, (Regex(_), _)) => Err(NoMatch::Inexpressible(format!(
            "the path must match both `{}` and `{}`, and Istio cannot write a regex and another path match as one",
            shown(parent.0),
            shown(child.0)
        ))),
        _ => {
            let both = Literal::of(parent).within(&Literal::of(child))?.written();
            // Always RE2, but a long path can pass Istio's 1024 bytes once written as a regex.
            if let (StringMatch::Regex(r), _) = &both
                && let Some(problem) = re2_problem(r)
            {
                return Err(NoMatch::Inexpressible(format!(
                    "the path needs the regex `{r}`, which istiod would refuse: {problem}"
                )));
            }
            Ok(both)
        }
    }
}

/// An exact or prefix path match as Envoy applies it: each character, and whether it matches
/// either case (an ASCII letter of a case-insensitive match: Envoy folds ASCII only).
struct Literal {
    chars: Vec<(char, bool)>,
    exact: bool,
}

impl Literal {
    fn of((m, ci): (&StringMatch, bool)) -> Literal {
        let (text, exact) = match m {
            StringMatch::Exact(s) => (s, true),
            StringMatch::Prefix(s) | StringMatch::Regex(s) => (s, false),
        };
        let chars = text
            .chars()
            .map(|c| (c, ci && c.is_ascii_alphabetic()))
            .collect();
        Literal { chars, exact }
    }

    /// The paths both match.
    fn within(&self, other: &Literal) -> Result<Literal, NoMatch> {
        let (short, long) = if self.chars.len() <= other.chars.len() {
            (self, other)
        } else {
            (other, self)
        };
        if short.exact && short.chars.len() < long.chars.len() {
            return Err(NoMatch::Disjoint);
        }
        let mut chars = Vec::with_capacity(long.chars.len());
        for (i, &(l, l_ci)) in long.chars.iter().enumerate() {
            let Some(&(s, s_ci)) = short.chars.get(i) else {
                chars.push((l, l_ci));
                continue;
            };
            let same = if s_ci || l_ci {
                s.eq_ignore_ascii_case(&l)
            } else {
                s == l
            };
            if !same {
                return Err(NoMatch::Disjoint);
            }
            // A case-sensitive side fixes the case.
            chars.push(if s_ci { (l, l_ci) } else { (s, false) });
        }
        Ok(Literal {
            chars,
            exact: self.exact || other.exact,
        })
    }

    /// As Istio writes it: an exact or prefix match, case-insensitive when every letter is;
    /// a regex when only some are, the case-insensitive letters in `(?i:…)`.
    fn written(&self) -> (StringMatch, bool) {
        let text: String = self.chars.iter().map(|(c, _)| c).collect();
        let any_ci = self.chars.iter().any(|&(_, ci)| ci);
        let any_cs_letter = (self.chars.iter()).any(|&(c, ci)| !ci && c.is_ascii_alphabetic());
        if !any_ci || !any_cs_letter {
            let m = if self.exact {
                StringMatch::Exact(text)
            } else {
                StringMatch::Prefix(text)
            };
            return (m, any_ci);
        }
        let mut regex = String::new();
        let mut open = false;
        for &(c, ci) in &self.chars {
            // Letters decide a run's case; other ASCII characters join the run they are in.
            // Non-ASCII characters stay outside `(?i:…)`, where RE2 would fold them.
            let wanted = if c.is_ascii_alphabetic() {
                ci
            } else {
                open && c.is_ascii()
            };
            if wanted != open {
                regex.push_str(if wanted { "(?i:" } else { ")" });
                open = wanted;
            }
            regex.push_str(&regex_escape(c.encode_utf8(&mut [0; 4])));
        }
        if open {
            regex.push(')');
        }
        if !self.exact {
            regex.push_str(".*");
        }
        (StringMatch::Regex(regex), false)
    }
}
#[cfg(test)]
mod tests;
