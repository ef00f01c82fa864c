//! RouteTable actions besides a plain forward, on testdata/route-actions: rewrites, redirects,
//! direct responses and the table's `defaultDestination`; and the routes with no action Istio
//! can carry out, which are errors rather than dropped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::{code_and_field, compile_with_routing_edit};
use serde_json::{Value, json};

/// testdata/route-actions with `edit` applied to its routing.yaml, compiled: the diagnostics as
/// "CODE field", and the routes of its VirtualService in cluster1 by name (none when nothing is written).
fn case(edit: impl Fn(&str) -> String) -> (Vec<String>, Vec<(String, Value)>) {
    let c = compile_with_routing_edit("testdata/route-actions", edit);
    let codes = code_and_field(&c);
    let routes = c
        .outputs
        .iter()
        .filter(|o| o.object.kind == "VirtualService" && o.cluster == "cluster1")
        .flat_map(|o| {
            let spec = serde_json::to_value(&o.object.spec).unwrap();
            spec["http"].as_array().unwrap().clone()
        })
        .map(|r| (r["name"].as_str().unwrap().to_owned(), r))
        .collect();
    (codes, routes)
}

fn route<'a>(routes: &'a [(String, Value)], name: &str) -> &'a Value {
    &routes.iter().find(|(n, _)| n == name).expect(name).1
}

const PRODUCTPAGE: fn() -> Value =
    || json!([{"destination": {"host": "productpage.global", "port": {"number": 9080}}}]);

#[test]
fn every_action_is_written_as_istio_spells_it() {
    let (codes, routes) = case(str::to_owned);
    assert!(codes.is_empty(), "{codes:?}");
    let names: Vec<&str> = routes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "productpage-productpage",
            "products-v2-productpage",
            "product-reviews-productpage",
            "legacy-productpage",
            "shop-productpage",
            "healthz-productpage",
            "admin-productpage",
        ],
        "every route, in the table's order"
    );
    let v2 = route(&routes, "products-v2-productpage");
    assert_eq!(
        v2["rewrite"],
        json!({"uri": "/api/v1/products", "authority": "productpage.bookinfo-frontends.svc.cluster.local"})
    );
    assert_eq!(v2["route"], PRODUCTPAGE(), "the defaultDestination");
    let reviews = route(&routes, "product-reviews-productpage");
    assert_eq!(
        reviews["rewrite"],
        json!({"uriRegexRewrite": {"match": "^/reviews/([0-9]+)$", "rewrite": "/api/v1/products/\\1/reviews"}})
    );
    let legacy = route(&routes, "legacy-productpage");
    assert_eq!(
        legacy["redirect"],
        json!({"uri": "/productpage", "redirectCode": 308})
    );
    assert!(
        legacy.get("route").is_none(),
        "a redirect has no destinations"
    );
    let shop = route(&routes, "shop-productpage");
    assert_eq!(
        shop["redirect"],
        json!({"authority": "shop.example.com", "redirectCode": 302})
    );
    let healthz = route(&routes, "healthz-productpage");
    assert_eq!(
        healthz["directResponse"],
        json!({"status": 200, "body": {"string": "ok"}})
    );
    let admin = route(&routes, "admin-productpage");
    assert_eq!(admin["directResponse"], json!({"status": 403}));
}

/// The gloo-mesh-2-4 portal workshops' `productpage-api-v2` table leaves its routes unnamed.
#[test]
fn unnamed_routes_of_one_table_keep_names_of_their_own() {
    let (codes, routes) = case(|t| {
        t.replace("  - name: legacy\n    matchers:", "  - matchers:")
            .replace("  - name: shop\n    matchers:", "  - matchers:")
    });
    assert!(codes.is_empty(), "{codes:?}");
    let names: Vec<&str> = routes.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "productpage-productpage",
            "products-v2-productpage",
            "product-reviews-productpage",
            "productpage-3",
            "productpage-4",
            "healthz-productpage",
            "admin-productpage",
        ],
        "each unnamed route gets its index in the table's list"
    );
    let (_, routes) = case(|t| t.replace("  - name: shop\n    matchers:", "  - matchers:"));
    assert!(
        routes.iter().any(|(n, _)| n == "productpage"),
        "alone, the table's name"
    );
}

#[test]
fn a_redirect_without_a_code_is_moved_permanently() {
    let (codes, routes) = case(|t| t.replace("      responseCode: PERMANENT_REDIRECT\n", ""));
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(
        route(&routes, "legacy-productpage")["redirect"]["redirectCode"],
        301
    );
}

#[test]
fn a_route_with_no_action_is_an_error_not_a_dropped_route() {
    let (codes, routes) = case(|t| t.replace("    directResponse:\n      status: 403\n", ""));
    assert_eq!(codes, ["VDC711 spec.http[6]"]);
    assert!(routes.is_empty(), "nothing is written: {routes:?}");
}

#[test]
fn an_empty_forward_without_a_default_destination_is_an_error() {
    let (codes, routes) = case(|t| {
        let start = t.find("  defaultDestination:").unwrap();
        let end = t.find("  http:").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    });
    assert_eq!(
        codes,
        [
            "VDC711 spec.http[1].forwardTo.destinations",
            "VDC711 spec.http[2].forwardTo.destinations"
        ]
    );
    assert!(routes.is_empty());
}

#[test]
fn a_default_destination_does_not_replace_listed_destinations() {
    let (codes, routes) = case(|t| {
        t.replace("      name: productpage\n      namespace: bookinfo-frontends\n    kind: VIRTUAL_DESTINATION\n    port:\n      number: 9080\n", "      name: nowhere\n      namespace: bookinfo-frontends\n    kind: VIRTUAL_DESTINATION\n    port:\n      number: 9080\n")
    });
    // The routes that use the default name it; the one that lists its own does not.
    assert_eq!(
        codes,
        [
            "VDC701 spec.defaultDestination",
            "VDC701 spec.defaultDestination"
        ],
        "one per route that falls back on it"
    );
    assert!(routes.is_empty());
}

#[test]
fn a_redirect_to_nowhere_is_an_error() {
    let (codes, _) = case(|t| t.replace("      hostRedirect: shop.example.com\n", ""));
    assert_eq!(codes, ["VDC711 spec.http[4].redirect"]);
}

#[test]
fn values_istiod_refuses_are_errors_on_the_gloo_field() {
    let (codes, _) = case(|t| t.replace("status: 403", "status: 100"));
    assert_eq!(codes, ["VDC207 spec.http[6].directResponse.status"]);
    let (codes, _) = case(|t| t.replace("      status: 200\n", ""));
    assert_eq!(codes, ["VDC205 spec.http[5].directResponse.status"]);
    let (codes, _) = case(|t| {
        t.replace(
            "        pattern:\n          regex: ^/reviews/([0-9]+)$\n",
            "",
        )
    });
    assert_eq!(
        codes,
        ["VDC205 spec.http[2].forwardTo.regexRewrite.pattern"]
    );
}

#[test]
fn an_untranslated_action_is_named_by_its_warning_only() {
    // A GraphQL route: VDC203 names it; it is not also "a route with no action".
    let (codes, routes) = case(|t| {
        t.replace(
            "    directResponse:\n      status: 403\n",
            "    graphql:\n      schema:\n        name: bookinfo\n",
        )
    });
    assert_eq!(codes, ["VDC203 spec.http[6].graphql"]);
    assert!(!routes.iter().any(|(n, _)| n == "admin-productpage"));
}

/// A route policy of bookinfo-frontends: `kind`, selecting `labels` (a YAML flow map), with
/// `config` (YAML at the indentation of `config:`'s fields).
fn policy(kind: &str, group: &str, labels: &str, config: &str) -> String {
    format!(
        "---
apiVersion: {group}.policy.gloo.solo.io/v2
kind: {kind}
metadata:
  name: {}
  namespace: bookinfo-frontends
spec:
  applyToRoutes:
  - route:
      labels: {labels}
  config:
{config}",
        kind.to_lowercase()
    )
}

/// A retry, timeout, fault or mirror policy that selects a route answering with a redirect or
/// a direct response cannot act there (istiod refuses a fault beside them): each such route is
/// named in a warning on the policy, and the routes that forward get the policy.
#[test]
fn a_fault_on_routes_that_do_not_forward_is_reported_not_dropped() {
    let fault = policy(
        "FaultInjectionPolicy",
        "resilience",
        "{expose: \"true\"}",
        "    abort:\n      httpStatus: 500\n      percentage: 100\n",
    );
    let (codes, routes) = case(|t| format!("{t}{fault}"));
    // legacy and shop redirect, healthz and admin answer directly.
    assert_eq!(codes, vec!["VDC611 spec.applyToRoutes"; 4]);
    assert_eq!(
        route(&routes, "productpage-productpage")["fault"]["abort"]["httpStatus"],
        500
    );
    for name in ["legacy", "shop", "healthz", "admin"] {
        let r = route(&routes, &format!("{name}-productpage"));
        assert!(r.get("fault").is_none(), "{name}: {r:#}");
    }
}

/// `Host` appended by a HeaderManipulationPolicy to a route whose `hostRewrite` sets it too:
/// istiod refuses the VirtualService, so it is an error on the policy's header, and nothing
/// is written. Without the `hostRewrite` the header is added.
#[test]
fn a_host_header_beside_a_host_rewrite_is_an_error_on_the_policy() {
    let label = |t: &str| {
        t.replacen(
            "  - name: products-v2\n",
            "  - name: products-v2\n    labels:\n      api: products\n",
            1,
        )
    };
    for header in ["Host", ":authority"] {
        let headers = policy(
            "HeaderManipulationPolicy",
            "trafficcontrol",
            "{api: products}",
            &format!("    appendRequestHeaders:\n      \"{header}\": products.internal\n"),
        );
        let (codes, routes) = case(|t| label(t) + &headers);
        let field = format!("VDC612 spec.config.appendRequestHeaders.{header}");
        assert_eq!(codes, vec![field]);
        assert!(routes.is_empty(), "nothing is written");
    }
    let headers = policy(
        "HeaderManipulationPolicy",
        "trafficcontrol",
        "{api: products}",
        "    appendRequestHeaders:\n      Host: products.internal\n",
    );
    let (codes, routes) = case(|t| {
        label(t).replacen(
            "      hostRewrite: productpage.bookinfo-frontends.svc.cluster.local\n",
            "",
            1,
        ) + &headers
    });
    assert!(codes.is_empty(), "{codes:?}");
    assert_eq!(
        route(&routes, "products-v2-productpage")["headers"]["request"]["add"],
        json!({"Host": "products.internal"})
    );
}
/// The product-reviews route (`spec.http[2]`) with `matchers` in place of its path regex.
fn reviews_matching(matchers: &str) -> impl Fn(&str) -> String {
    move |t: &str| {
        t.replace(
            "    matchers:\n    - uri:\n        regex: /reviews/[0-9]+\n",
            &format!("    matchers:\n{matchers}"),
        )
    }
}

#[test]
fn regexes_istiod_would_refuse_are_errors_on_their_field_and_nothing_is_written() {
    let uri = |regex: &str| format!("    - uri:\n        regex: '{regex}'\n");
    // A back-reference, and plain syntax errors: unclosed group, reversed range and count.
    for regex in [r"/(a)\1", "/a(", "/[z-a]", "/x{2,1}"] {
        let (codes, routes) = case(reviews_matching(&uri(regex)));
        assert_eq!(
            codes,
            ["VDC716 spec.http[2].matchers[0].uri.regex"],
            "{regex}"
        );
        assert!(routes.is_empty(), "{regex}: nothing is written");
    }
    // A header value with `regex: true` and a look-ahead; a query parameter's regex.
    let header =
        "    - headers:\n      - name: x-user\n        value: (?=foo)bar\n        regex: true\n";
    let (codes, routes) = case(reviews_matching(header));
    assert_eq!(codes, ["VDC716 spec.http[2].matchers[0].headers[0].value"]);
    assert!(routes.is_empty());
    let query =
        "    - queryParameters:\n      - name: page\n        value: '[0-9'\n        regex: true\n";
    let (codes, _) = case(reviews_matching(query));
    assert_eq!(
        codes,
        ["VDC716 spec.http[2].matchers[0].queryParameters[0].value"]
    );
    // A look-behind in the rewrite's pattern.
    let (codes, _) = case(|t| t.replace("regex: ^/reviews/([0-9]+)$", "regex: (?<=/a)/b"));
    assert_eq!(
        codes,
        ["VDC716 spec.http[2].forwardTo.regexRewrite.pattern.regex"]
    );
}

#[test]
fn the_same_values_without_regex_true_are_exact_and_valid_regexes_are_written() {
    let header = "    - headers:\n      - name: x-user\n        value: (?=foo)bar\n      queryParameters:\n      - name: id\n        value: '[0-9]+'\n        regex: true\n";
    let (codes, routes) = case(reviews_matching(header));
    assert!(codes.is_empty(), "{codes:?}");
    let m = &route(&routes, "product-reviews-productpage")["match"][0];
    assert_eq!(m["headers"], json!({"x-user": {"exact": "(?=foo)bar"}}));
    assert_eq!(m["queryParams"], json!({"id": {"regex": "[0-9]+"}}));
}

#[test]
fn header_and_query_parameter_names_istio_or_envoy_refuse_are_errors() {
    let header = "    - headers:\n      - name: x foo\n        value: a\n";
    let (codes, routes) = case(reviews_matching(header));
    assert_eq!(codes, ["VDC717 spec.http[2].matchers[0].headers[0].name"]);
    assert!(routes.is_empty());
    let claim = "    - headers:\n      - name: '@request.auth.claims.sub'\n        value: a\n";
    let (codes, _) = case(reviews_matching(claim));
    assert_eq!(codes, ["VDC717 spec.http[2].matchers[0].headers[0].name"]);
    let query = "    - queryParameters:\n      - name: ''\n        value: a\n";
    let (codes, _) = case(reviews_matching(query));
    assert_eq!(
        codes,
        ["VDC717 spec.http[2].matchers[0].queryParameters[0].name"]
    );
    let pseudo = "    - headers:\n      - name: ':authority'\n        value: shop.example.com\n";
    let (codes, _) = case(reviews_matching(pseudo));
    assert!(codes.is_empty(), "a pseudo-header Istio matches: {codes:?}");
}

#[test]
fn a_case_insensitive_suffix_is_a_case_insensitive_regex() {
    // Envoy ignores `case_sensitive` for regexes: the flag must be in the regex itself.
    let php = "    - uri:\n        suffix: .php\n        ignoreCase: true\n";
    let (codes, routes) = case(reviews_matching(php));
    assert!(codes.is_empty(), "{codes:?}");
    let m = &route(&routes, "product-reviews-productpage")["match"][0];
    assert_eq!(m["uri"], json!({"regex": "(?i).*\\.php"}));
    assert!(m.get("ignoreUriCase").is_none(), "{m}");
    let exact = "    - uri:\n        suffix: .php\n";
    let (_, routes) = case(reviews_matching(exact));
    let m = &route(&routes, "product-reviews-productpage")["match"][0];
    assert_eq!(m["uri"], json!({"regex": ".*\\.php"}));
    // 600 dots, escaped: a 1202-byte regex, over Istio's limit.
    let long = format!("    - uri:\n        suffix: '{}'\n", ".".repeat(600));
    let (codes, _) = case(reviews_matching(&long));
    assert_eq!(codes, ["VDC716 spec.http[2].matchers[0].uri.suffix"]);
}

#[test]
fn one_header_twice_in_a_matcher_is_one_condition_or_an_error_never_the_last_one() {
    // Istio's `headers` is a map by name: writing both would keep one, a wider match.
    let narrowing =
        "    - headers:\n      - name: x-tenant\n      - name: X-Tenant\n        value: acme\n";
    let (codes, routes) = case(reviews_matching(narrowing));
    assert!(codes.is_empty(), "{codes:?}");
    let m = &route(&routes, "product-reviews-productpage")["match"][0];
    assert_eq!(m["headers"], json!({"x-tenant": {"exact": "acme"}}));
    let two_values = "    - headers:\n      - name: x-tenant\n        value: acme\n      - name: x-tenant\n        value: globex\n";
    let (codes, routes) = case(reviews_matching(two_values));
    assert_eq!(codes, ["VDC718 spec.http[2].matchers[0].headers"]);
    assert!(routes.is_empty());
    let two_regexes = "    - queryParameters:\n      - name: id\n        value: '[0-9]+'\n        regex: true\n      - name: id\n        value: '1.*'\n        regex: true\n";
    let (codes, _) = case(reviews_matching(two_regexes));
    assert_eq!(codes, ["VDC718 spec.http[2].matchers[0].queryParameters"]);
}

/// VDC731 names the matcher by its field path and says how it matches the path: a `suffix`
/// (which vdc keeps as a regex) is called a suffix, not a regex.
#[test]
fn a_path_rewrite_beside_a_suffix_or_regex_names_the_matcher_and_its_kind() {
    let matching = |uri: &'static str| {
        move |t: &str| {
            t.replacen(
                "    - uri:\n        prefix: /v2/products\n",
                &format!("    - uri:\n        prefix: /v3\n    - uri:\n{uri}"),
                1,
            )
        }
    };
    for (uri, said) in [
        (
            "        suffix: /products\n",
            "`spec.http[1].matchers[1]` matches the path by a suffix (`uri.suffix`",
        ),
        (
            "        regex: /v2/.*\n",
            "`spec.http[1].matchers[1]` matches the path by a regex (`uri.regex`)",
        ),
    ] {
        let c = compile_with_routing_edit("testdata/route-actions", matching(uri));
        assert_eq!(
            code_and_field(&c),
            ["VDC731 spec.http[1].forwardTo.pathRewrite"]
        );
        let message = &c.diagnostics[0].message;
        assert!(message.contains(said), "{message}");
    }
}
