//! A delegated route's matchers narrowed by the delegating route's: a request must match both
//! (Gloo's delegation), written as one Istio match per pair of matchers that can match at all.

use crate::model::routing_types::{RequestMatcher, StringMatch};

/// Every (parent, child) pair of matchers that some request can match, each as one matcher; a
/// route without matchers matches every request (and so does an empty result). `None` when
/// every pair excludes itself.
pub(super) fn narrowed(
    parent: &[RequestMatcher],
    child: &[RequestMatcher],
) -> Option<Vec<RequestMatcher>> {
    let any = [RequestMatcher::default()];
    let parent = if parent.is_empty() { &any[..] } else { parent };
    let child = if child.is_empty() { &any[..] } else { child };
    let mut out: Vec<RequestMatcher> = Vec::new();
    for p in parent {
        for c in child {
            if let Some(m) = both(p, c)
                && !out.contains(&m)
            {
                out.push(m);
            }
        }
    }
    match out.as_slice() {
        [] => None,
        [only] if *only == RequestMatcher::default() => Some(Vec::new()),
        _ => Some(out),
    }
}

/// The matcher for requests that match both `p` and `c`; `None` when none can, or when the
/// intersection cannot be written as one Istio match (a regex under a path other than `/`).
fn both(p: &RequestMatcher, c: &RequestMatcher) -> Option<RequestMatcher> {
    let (uri, ignore_case) = match (&p.uri, &c.uri) {
        (None, _) => (c.uri.clone(), c.ignore_case),
        (Some(_), None) => (p.uri.clone(), p.ignore_case),
        (Some(pu), Some(cu)) => (Some(uri_within(pu, cu)?), c.ignore_case),
    };
    let method = match (&p.method, &c.method) {
        (Some(a), Some(b)) if a != b => return None,
        (a, b) => a.clone().or_else(|| b.clone()),
    };
    Some(RequestMatcher {
        uri,
        ignore_case,
        headers: merged(&p.headers, &c.headers, |h| &h.name)?,
        query_parameters: merged(&p.query_parameters, &c.query_parameters, |q| &q.0)?,
        method,
    })
}

/// The path match of requests within both: the narrower of two nested prefixes, an exact path
/// within a prefix; `None` when no path is in both or the two cannot be written as one.
fn uri_within(parent: &StringMatch, child: &StringMatch) -> Option<StringMatch> {
    use StringMatch::*;
    match (parent, child) {
        (Prefix(p), Exact(c) | Prefix(c)) if c.starts_with(p.as_str()) => Some(child.clone()),
        (Prefix(p), Prefix(c)) | (Exact(p), Prefix(c)) if p.starts_with(c.as_str()) => {
            Some(parent.clone())
        }
        (Prefix(p), Regex(_)) if p == "/" => Some(child.clone()),
        (Exact(p), Exact(c)) | (Regex(p), Regex(c)) if p == c => Some(child.clone()),
        _ => None,
    }
}

/// Both lists as one; `None` when they match one name with different values.
fn merged<T: Clone + PartialEq>(a: &[T], b: &[T], name: impl Fn(&T) -> &String) -> Option<Vec<T>> {
    let mut out = a.to_vec();
    for item in b {
        match out.iter().find(|o| name(o) == name(item)) {
            Some(same) if same == item => {}
            Some(_) => return None,
            None => out.push(item.clone()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(m: StringMatch) -> RequestMatcher {
        RequestMatcher {
            uri: Some(m),
            ..RequestMatcher::default()
        }
    }

    #[test]
    fn a_child_path_within_the_parent_prefix_is_kept_and_others_excluded() {
        let parent = [uri(StringMatch::Prefix("/api".into()))];
        let child = [
            uri(StringMatch::Exact("/api/products".into())),
            uri(StringMatch::Prefix("/static".into())),
        ];
        assert_eq!(
            narrowed(&parent, &child),
            Some(vec![uri(StringMatch::Exact("/api/products".into()))])
        );
        let outside = [uri(StringMatch::Prefix("/static".into()))];
        assert_eq!(narrowed(&parent, &outside), None);
    }

    #[test]
    fn a_child_without_matchers_takes_the_parent_s_and_any_matches_any() {
        let parent = [uri(StringMatch::Prefix("/api".into()))];
        assert_eq!(narrowed(&parent, &[]), Some(parent.to_vec()));
        assert_eq!(narrowed(&[], &[]), Some(Vec::new()));
        let slash = [uri(StringMatch::Prefix("/".into()))];
        let regex = [uri(StringMatch::Regex("/r/[0-9]+".into()))];
        assert_eq!(narrowed(&slash, &regex), Some(regex.to_vec()));
    }

    #[test]
    fn different_methods_or_header_values_exclude_each_other() {
        let get = RequestMatcher {
            method: Some("GET".into()),
            ..RequestMatcher::default()
        };
        let post = RequestMatcher {
            method: Some("POST".into()),
            ..RequestMatcher::default()
        };
        assert_eq!(narrowed(std::slice::from_ref(&get), &[post]), None);
        assert_eq!(narrowed(std::slice::from_ref(&get), &[]), Some(vec![get]));
    }
}
