use super::*;
use crate::model::re2::re2_problem;
use crate::model::routing_types::HeaderMatcher;

fn uri(m: StringMatch) -> RequestMatcher {
    RequestMatcher {
        uri: Some(m),
        ..RequestMatcher::default()
    }
}

fn uri_ci(m: StringMatch) -> RequestMatcher {
    RequestMatcher {
        ignore_case: true,
        ..uri(m)
    }
}

fn header(name: &str, value: Option<StringMatch>, invert: bool) -> RequestMatcher {
    RequestMatcher {
        headers: vec![HeaderMatcher {
            name: name.into(),
            value,
            invert,
        }],
        ..RequestMatcher::default()
    }
}

fn exact(s: &str) -> Option<StringMatch> {
    Some(StringMatch::Exact(s.into()))
}

fn one(parent: RequestMatcher, child: RequestMatcher) -> Result<Vec<RequestMatcher>, NoMatch> {
    narrowed(&[parent], &[child])
}

fn inexpressible(r: Result<Vec<RequestMatcher>, NoMatch>) -> bool {
    matches!(r, Err(NoMatch::Inexpressible(_)))
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
        Ok(vec![uri(StringMatch::Exact("/api/products".into()))])
    );
    let outside = [uri(StringMatch::Prefix("/static".into()))];
    assert_eq!(narrowed(&parent, &outside), Err(NoMatch::Disjoint));
}

#[test]
fn a_child_without_matchers_takes_the_parent_s_and_any_matches_any() {
    let parent = [uri(StringMatch::Prefix("/api".into()))];
    assert_eq!(narrowed(&parent, &[]), Ok(parent.to_vec()));
    assert_eq!(narrowed(&[], &[]), Ok(Vec::new()));
    let slash = [uri(StringMatch::Prefix("/".into()))];
    let regex = [uri(StringMatch::Regex("/r/[0-9]+".into()))];
    assert_eq!(narrowed(&slash, &regex), Ok(regex.to_vec()));
}

#[test]
fn different_methods_exclude_each_other() {
    let get = RequestMatcher {
        method: Some("GET".into()),
        ..RequestMatcher::default()
    };
    let post = RequestMatcher {
        method: Some("POST".into()),
        ..RequestMatcher::default()
    };
    assert_eq!(
        narrowed(std::slice::from_ref(&get), &[post]),
        Err(NoMatch::Disjoint)
    );
    assert_eq!(narrowed(std::slice::from_ref(&get), &[]), Ok(vec![get]));
}

#[test]
fn a_port_is_kept_and_two_ports_exclude_each_other() {
    let on = |port: u32| RequestMatcher {
        port: Some(port),
        ..RequestMatcher::default()
    };
    let api = uri(StringMatch::Prefix("/api".into()));
    let api_on_443 = RequestMatcher {
        port: Some(443),
        ..api.clone()
    };
    assert_eq!(narrowed(&[on(443)], &[api]), Ok(vec![api_on_443.clone()]));
    assert_eq!(
        narrowed(&[on(443)], std::slice::from_ref(&api_on_443)),
        Ok(vec![api_on_443])
    );
    assert_eq!(narrowed(&[on(443)], &[on(8443)]), Err(NoMatch::Disjoint));
}

#[test]
fn a_header_required_present_and_a_value_of_it_is_that_value() {
    let present = header("x-tenant", None, false);
    let acme = header("x-tenant", exact("acme"), false);
    assert_eq!(one(present.clone(), acme.clone()), Ok(vec![acme.clone()]));
    assert_eq!(one(acme.clone(), present), Ok(vec![acme.clone()]));
    // Names are case-insensitive; the same value twice is that value.
    assert_eq!(
        one(header("X-Tenant", exact("acme"), false), acme.clone()),
        Ok(vec![header("X-Tenant", exact("acme"), false)])
    );
    assert_eq!(
        one(acme.clone(), header("x-tenant", exact("globex"), false)),
        Err(NoMatch::Disjoint)
    );
}

#[test]
fn prefix_and_exact_values_narrow_to_the_stronger_and_regexes_are_decided_or_refused() {
    let prefix = |p: &str| header("x-user", Some(StringMatch::Prefix(p.into())), false);
    let regex = |r: &str| header("x-user", Some(StringMatch::Regex(r.into())), false);
    let value = |v: &str| header("x-user", exact(v), false);
    assert_eq!(one(prefix("ad"), value("admin")), Ok(vec![value("admin")]));
    assert_eq!(one(prefix("ad"), prefix("adm")), Ok(vec![prefix("adm")]));
    assert_eq!(one(prefix("ad"), value("root")), Err(NoMatch::Disjoint));
    assert_eq!(
        one(regex("[a-z]+"), value("admin")),
        Ok(vec![value("admin")])
    );
    assert_eq!(one(regex("[0-9]+"), value("admin")), Err(NoMatch::Disjoint));
    assert!(inexpressible(one(regex("[a-z]+"), regex("a.*"))));
    assert!(inexpressible(one(prefix("a"), regex("a.*"))));
}

#[test]
fn a_header_required_and_excluded_is_no_request_and_two_exclusions_cannot_be_written() {
    let acme = header("x-tenant", exact("acme"), false);
    let not_acme = header("x-tenant", exact("acme"), true);
    let not_globex = header("x-tenant", exact("globex"), true);
    assert_eq!(one(acme.clone(), not_acme.clone()), Err(NoMatch::Disjoint));
    assert_eq!(
        one(acme.clone(), header("x-tenant", None, true)),
        Err(NoMatch::Disjoint)
    );
    let both = one(acme.clone(), not_globex.clone()).map(|m| m[0].headers.len());
    assert_eq!(both, Ok(2), "a required value and an excluded other one");
    assert!(inexpressible(one(not_acme, not_globex)));
}

#[test]
fn query_parameters_narrow_as_header_values_and_present_is_any_value() {
    let q = |v: StringMatch| RequestMatcher {
        query_parameters: vec![("page".into(), v)],
        ..RequestMatcher::default()
    };
    let present = q(StringMatch::Regex(".*".into()));
    let two = q(StringMatch::Exact("2".into()));
    assert_eq!(one(present.clone(), two.clone()), Ok(vec![two.clone()]));
    assert_eq!(one(two.clone(), present.clone()), Ok(vec![two.clone()]));
    assert_eq!(one(present.clone(), present.clone()), Ok(vec![present]));
    assert_eq!(
        one(two, q(StringMatch::Exact("3".into()))),
        Err(NoMatch::Disjoint)
    );
}

#[test]
fn a_case_insensitive_child_under_a_case_sensitive_parent_keeps_the_parent_s_case() {
    let parent = uri(StringMatch::Prefix("/api/v1".into()));
    let child = uri_ci(StringMatch::Prefix("/api/v1/reviews".into()));
    let m = one(parent.clone(), child).unwrap();
    let expected = uri(StringMatch::Regex("/api/v1/(?i:reviews).*".into()));
    assert_eq!(m, vec![expected]);
    let regex = regex::Regex::new("^(?:/api/v1/(?i:reviews).*)$").unwrap();
    assert!(regex.is_match("/api/v1/REVIEWS/1"));
    assert!(
        !regex.is_match("/API/V1/REVIEWS"),
        "the parent never matches it"
    );
    // The child's letters all within the parent's: the parent's case-sensitive prefix.
    let short = uri_ci(StringMatch::Prefix("/API".into()));
    assert_eq!(one(parent.clone(), short), Ok(vec![parent.clone()]));
    // The reverse: a case-sensitive child under a case-insensitive parent.
    let parent_ci = uri_ci(StringMatch::Prefix("/API".into()));
    let child = uri(StringMatch::Exact("/api/v1/reviews".into()));
    assert_eq!(one(parent_ci.clone(), child.clone()), Ok(vec![child]));
    let both_ci = uri_ci(StringMatch::Prefix("/api/V1".into()));
    assert_eq!(one(parent_ci, both_ci.clone()), Ok(vec![both_ci]));
    let other = uri_ci(StringMatch::Prefix("/static".into()));
    assert_eq!(one(parent, other), Err(NoMatch::Disjoint));
}

#[test]
fn a_mixed_case_path_is_a_valid_regex_of_the_same_paths() {
    let parent = uri(StringMatch::Exact("/Shop/α".into()));
    let child = uri_ci(StringMatch::Prefix("/shop".into()));
    let m = one(parent.clone(), child).unwrap();
    assert_eq!(m, vec![parent], "the case-sensitive exact path is within");
    let parent = uri(StringMatch::Prefix("/a.b".into()));
    let child = uri_ci(StringMatch::Exact("/A.B/cé.d".into()));
    let Ok(m) = one(parent, child) else {
        panic!("within")
    };
    let Some(StringMatch::Regex(r)) = &m[0].uri else {
        panic!("{m:?}")
    };
    assert_eq!(r, "/a\\.b/(?i:c)é\\.(?i:d)");
    assert_eq!(re2_problem(r), None);
}

#[test]
fn a_regex_under_another_path_match_is_refused_not_dropped() {
    let parent = [uri(StringMatch::Prefix("/api".into()))];
    let child = [
        uri(StringMatch::Regex("/api/[0-9]+".into())),
        uri(StringMatch::Exact("/api/x".into())),
    ];
    assert!(inexpressible(narrowed(&parent, &child)));
    let regex = uri(StringMatch::Regex("/api/[0-9]+".into()));
    let within = uri(StringMatch::Exact("/api/7".into()));
    assert_eq!(one(regex.clone(), within.clone()), Ok(vec![within]));
    let outside = uri(StringMatch::Exact("/api/x".into()));
    assert_eq!(one(regex, outside), Err(NoMatch::Disjoint));
}

#[test]
fn a_mixed_case_path_too_long_for_istio_is_refused() {
    let long = format!("/{}", "a".repeat(600));
    let parent = uri(StringMatch::Prefix(long.clone()));
    let child = uri_ci(StringMatch::Prefix(format!("{long}/{}", "b".repeat(600))));
    assert!(inexpressible(one(parent, child)));
}
