//! Route delegation on testdata/delegation (the workshops' `main-bookinfo` delegating `/` by
//! label, and a parent delegating by reference to tables ordered by weight): flattened into
//! the parent's one VirtualService, narrowed by the parent's matchers, in Gloo's order; and the
//! delegations that cannot be flattened, which are errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::{code_and_field, compile_with_routing_edit};
use serde_json::{Value, json};

struct Compiled {
    /// "CODE field" per diagnostic.
    codes: Vec<String>,
    /// cluster1's VirtualServices and Gateways by name: their specs.
    objects: Vec<(String, Value)>,
}

/// testdata/delegation with `edit` applied to its routing.yaml, compiled.
fn case(edit: impl Fn(&str) -> String) -> Compiled {
    let c = compile_with_routing_edit("testdata/delegation", edit);
    let codes = code_and_field(&c);
    let objects = c
        .outputs
        .iter()
        .filter(|o| o.cluster == "cluster1")
        .filter(|o| matches!(o.object.kind, "VirtualService" | "Gateway"))
        .map(|o| {
            let spec = serde_json::to_value(&o.object.spec).unwrap();
            (o.object.metadata.name.clone(), spec)
        })
        .collect();
    Compiled { codes, objects }
}

impl Compiled {
    fn spec(&self, name: &str) -> &Value {
        &self.objects.iter().find(|(n, _)| n == name).expect(name).1
    }

    /// The route names of VirtualService `name`, in order.
    fn route_names(&self, name: &str) -> Vec<String> {
        self.spec(name)["http"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

const BOOKINFO: &str = "routetable-main-bookinfo-istio-gateways-cluster1-gateways";
const API: &str = "routetable-main-api-istio-gateways-cluster1-gateways";

#[test]
fn delegated_routes_are_flattened_into_the_parent_in_gloo_s_order() {
    let c = case(str::to_owned);
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    // ROUTE_SPECIFICITY: exact paths first, then prefixes, longest first.
    assert_eq!(
        c.route_names(BOOKINFO),
        [
            "productpage-productpage",
            "products-productpage",
            "static-productpage"
        ]
    );
    // TABLE_WEIGHT: ratings-api (weight 100) before reviews-api (0), though listed second;
    // each table's routes in their order.
    assert_eq!(
        c.route_names(API),
        [
            "ratings-health-ratings-api",
            "ratings-ratings-api",
            "reviews-reviews-api"
        ]
    );
    assert_eq!(c.spec(BOOKINFO)["hosts"], json!(["bookinfo.example.com"]));
    assert_eq!(
        c.spec(BOOKINFO)["gateways"],
        json!(["virtualgateway-bookinfo-gw-istio-gateways-cluster1"])
    );
}

#[test]
fn a_delegated_route_carries_the_parent_s_matchers_too() {
    let c = case(str::to_owned);
    let reviews = &c.spec(API)["http"][2];
    assert_eq!(
        reviews["match"],
        json!([{
            "method": {"exact": "GET"},
            "sourceLabels": {"app": "istio-ingressgateway", "istio": "ingressgateway"},
            "uri": {"prefix": "/api/v1/reviews"},
        }])
    );
    // A child route whose prefix is shorter than the parent's serves only the parent's paths.
    let c = case(|t| t.replace("prefix: /api/v1/reviews", "prefix: /api"));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    assert_eq!(
        c.spec(API)["http"][2]["match"][0]["uri"],
        json!({"prefix": "/api/v1"})
    );
}

#[test]
fn without_weights_tables_keep_the_order_they_are_listed_in() {
    let c = case(|t| t.replace("  weight: 100\n", ""));
    assert_eq!(
        c.route_names(API),
        [
            "reviews-reviews-api",
            "ratings-health-ratings-api",
            "ratings-ratings-api"
        ]
    );
}

#[test]
fn the_two_tls_gateways_on_one_workload_get_the_hosts_of_their_tables() {
    let c = case(str::to_owned);
    let hosts = |gw: &str| c.spec(gw)["servers"][0]["hosts"].clone();
    assert_eq!(
        hosts("virtualgateway-bookinfo-gw-istio-gateways-cluster1"),
        json!(["bookinfo.example.com"])
    );
    assert_eq!(
        hosts("virtualgateway-api-gw-istio-gateways-cluster1"),
        json!(["api.example.com"])
    );
}

#[test]
fn a_delegated_route_outside_the_parent_s_paths_is_an_error() {
    let c = case(|t| t.replace("prefix: /api/v1/reviews", "prefix: /reviews"));
    assert_eq!(c.codes, ["VDC712 spec.http[0].matchers"]);
    assert!(c.objects.is_empty(), "nothing is written");
}

/// The delegated `productpage` table with `selectors` as its `workloadSelectors`.
fn productpage_selecting(selectors: &'static str) -> impl Fn(&str) -> String {
    move |t| {
        let table = "  name: productpage\n  namespace: bookinfo-frontends\n  labels:\n    expose: \"true\"\nspec:\n";
        assert!(t.contains(table));
        t.replace(table, &format!("{table}  workloadSelectors:\n{selectors}"))
    }
}

#[test]
fn a_delegated_table_s_own_workload_selectors_are_refused_as_such() {
    // Gloo ANDs them with the parent's; dropping them would route more workloads.
    let c = case(productpage_selecting(
        "  - selector:\n      labels:\n        version: v1\n",
    ));
    assert_eq!(c.codes, ["VDC707 spec.workloadSelectors[0]"]);
}

#[test]
fn a_delegated_table_selecting_every_workload_is_its_parent_s_routes() {
    // `[{}]` ANDed with the parent's selectors is the parent's: nothing changes.
    let plain = case(str::to_owned);
    let c = case(productpage_selecting("  - {}\n"));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    assert_eq!(c.objects, plain.objects);
}

/// docs.solo.io's route-matchers example: two routes of one table delegating to one child.
const TWO_ROUTES_ONE_CHILD: &str = "---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: products
  namespace: istio-gateways
spec:
  hosts:
  - www.example.com
  virtualGateways:
  - name: bookinfo-gw
    namespace: istio-gateways
    cluster: cluster1
  http:
  - name: product-1
    matchers:
    - uri:
        prefix: /product-1
    delegate:
      routeTables:
      - labels:
          table: child-a
  - name: product-2
    matchers:
    - uri:
        prefix: /product-2
    delegate:
      routeTables:
      - labels:
          table: child-a
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: child-a
  namespace: istio-gateways
  labels:
    table: child-a
spec:
  http:
  - name: app-1
    forwardTo:
      destinations:
      - ref:
          name: productpage
          namespace: bookinfo-frontends
        kind: VIRTUAL_DESTINATION
        port:
          number: 9080
";

#[test]
fn a_table_two_routes_delegate_to_gives_each_its_own_route_name() {
    let c = case(|t| format!("{t}{TWO_ROUTES_ONE_CHILD}"));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    assert_eq!(
        c.route_names("routetable-products-istio-gateways-cluster1-gateways"),
        ["app-1-child-a", "app-1-child-a-product-2"]
    );
}

#[test]
fn a_table_its_workspace_cannot_see_is_not_delegated_to() {
    // reviews-api and ratings-api are shared with the gateways workspace by their label.
    let c = case(|t| t.replace("    team: api\n", "    team: other\n"));
    assert_eq!(c.codes, ["VDC712 spec.http[0].delegate.routeTables"]);
}

/// The Gloo Mesh Enterprise 2.7-2.9 workshops' `main-httpbin` table delegates to workspace
/// `httpbin`, which those workshops never create: the refusal says so.
#[test]
fn a_delegation_to_a_workspace_that_does_not_exist_says_so() {
    let c = compile_with_routing_edit("testdata/delegation", |t| {
        t.replacen(
            "        workspace: bookinfo\n",
            "        workspace: httpbin\n",
            1,
        )
    });
    assert_eq!(
        code_and_field(&c),
        ["VDC712 spec.http[0].delegate.routeTables"]
    );
    let d = &c.diagnostics[0];
    assert!(
        d.message
            .ends_with("whose selectors name workspace `httpbin`, which no Workspace defines"),
        "{}",
        d.message
    );
    let c = compile_with_routing_edit("testdata/delegation", |t| {
        t.replace("    team: api\n", "    team: other\n")
    });
    let message = &c.diagnostics[0].message;
    assert!(!message.contains("no Workspace defines"), "{message}");
}

#[test]
fn tables_that_delegate_to_each_other_are_a_cycle() {
    let c = case(|t| {
        t.replace(
            "  - name: reviews\n    matchers:\n    - uri:\n        prefix: /api/v1/reviews\n    forwardTo:\n      destinations:\n      - ref:\n          name: reviews\n        port:\n          number: 9080\n",
            "  - name: reviews\n    matchers:\n    - uri:\n        prefix: /api/v1/reviews\n    delegate:\n      routeTables:\n      - name: ratings-api\n---\n",
        )
        .replace(
            "  - name: ratings-health\n",
            "  - name: back\n    delegate:\n      routeTables:\n      - name: reviews-api\n  - name: ratings-health\n",
        )
    });
    assert!(
        c.codes
            .contains(&"VDC713 spec.http[0].delegate.routeTables".to_owned()),
        "{:?}",
        c.codes
    );
}

#[test]
fn delegation_nests() {
    // reviews-api delegates on to a third table; its matchers narrow both ways down.
    let c = case(|t| {
        t.replace(
            "    forwardTo:\n      destinations:\n      - ref:\n          name: reviews\n",
            "    delegate:\n      routeTables:\n      - labels:\n          tier: leaf\n---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: reviews-v2\n  namespace: bookinfo-backends\n  labels:\n    tier: leaf\nspec:\n  http:\n  - name: v2\n    matchers:\n    - uri:\n        prefix: /api/v1/reviews/v2\n    forwardTo:\n      destinations:\n      - ref:\n          name: reviews\n",
        )
    });
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let v2 = &c.spec(API)["http"][2];
    assert_eq!(v2["name"], "v2-reviews-v2");
    assert_eq!(
        v2["match"][0]["uri"],
        json!({"prefix": "/api/v1/reviews/v2"})
    );
    assert_eq!(v2["match"][0]["method"], json!({"exact": "GET"}));
}

/// A route a delegating route brings into its parent's VirtualService keeps the route policies
/// its own labels select (docs/translation.md, "Which routes a route policy selects"); its
/// siblings, unlabelled, get none.
#[test]
fn a_delegated_route_keeps_the_route_policies_its_labels_select() {
    let policy = "---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: RetryTimeoutPolicy
metadata:
  name: products-retries
  namespace: bookinfo-frontends
spec:
  applyToRoutes:
  - route:
      labels:
        retry: \"true\"
  config:
    requestTimeout: 2s
    retries:
      attempts: 3
";
    let c = case(|t| {
        let labelled = "  - name: products\n    labels:\n      retry: \"true\"\n";
        t.replacen("  - name: products\n", labelled, 1) + policy
    });
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let routes = c.spec(BOOKINFO)["http"].as_array().unwrap();
    let named = |prefix: &str| {
        (routes.iter())
            .find(|r| r["name"].as_str().unwrap().starts_with(prefix))
            .unwrap_or_else(|| panic!("no route {prefix} in {routes:#?}"))
    };
    assert_eq!(named("products")["retries"]["attempts"], 3);
    assert_eq!(named("products")["timeout"], "2s");
    assert!(named("static").get("retries").is_none());
    assert!(named("static").get("timeout").is_none());
}

/// A RetryTimeoutPolicy in `namespace` selecting `timeout: short`.
fn short_timeout_in(namespace: &str) -> String {
    format!(
        "---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: RetryTimeoutPolicy
metadata:
  name: short-timeout
  namespace: {namespace}
spec:
  applyToRoutes:
  - route:
      labels:
        timeout: short
  config:
    requestTimeout: 3s
"
    )
}

/// Gloo's route label inheritance: a delegated route carries the labels of the route that
/// delegates to it (below its own and its table's), so a policy selecting the parent route's
/// label applies to every route it brings in, whether the policy is in the parent's workspace
/// or the child's; a child route's own label of the same key overrides the parent's.
#[test]
fn delegated_routes_inherit_the_delegating_route_s_labels() {
    for namespace in ["istio-gateways", "bookinfo-backends"] {
        let c = case(|t| {
            let labelled = "  - name: api\n    labels:\n      timeout: short\n";
            let overridden = "  - name: ratings\n    labels:\n      timeout: long\n";
            t.replacen("  - name: api\n", labelled, 1).replacen(
                "  - name: ratings\n",
                overridden,
                1,
            ) + &short_timeout_in(namespace)
        });
        // The direct response it brings in is selected too, and said to be out of its reach.
        assert_eq!(c.codes, vec!["VDC611 spec.applyToRoutes"], "{namespace}");
        let routes = c.spec(API)["http"].as_array().unwrap();
        let timeout = |name: &str| {
            let r = (routes.iter()).find(|r| r["name"] == name);
            r.unwrap_or_else(|| panic!("no {name} in {routes:#?}"))
                .get("timeout")
        };
        assert_eq!(
            timeout("reviews-reviews-api"),
            Some(&json!("3s")),
            "{namespace}"
        );
        assert_eq!(
            timeout("ratings-ratings-api"),
            None,
            "{namespace}: its own label wins"
        );
        assert_eq!(timeout("ratings-health-ratings-api"), None, "{namespace}");
    }
}
/// The `api` route of main-api (`prefix: /api/v1`, GET) with `parent` added to its matcher, and
/// the reviews-api route (`prefix: /api/v1/reviews`) with its path match replaced by `child`.
fn api_with(parent: &'static str, child: &'static str) -> impl Fn(&str) -> String {
    move |t: &str| {
        t.replace(
            "        prefix: /api/v1\n      method: GET\n",
            &format!("        prefix: /api/v1\n      method: GET\n{parent}"),
        )
        .replace("        prefix: /api/v1/reviews\n", child)
    }
}

#[test]
fn a_header_the_parent_requires_present_and_the_child_requires_a_value_of_is_that_value() {
    let tenant = "      headers:\n      - name: x-tenant\n";
    let acme = "        prefix: /api/v1/reviews\n      headers:\n      - name: x-tenant\n        value: acme\n";
    let c = case(api_with(tenant, acme));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let m = &c.spec(API)["http"][2]["match"][0];
    assert_eq!(m["headers"], json!({"x-tenant": {"exact": "acme"}}));
    assert_eq!(m["uri"], json!({"prefix": "/api/v1/reviews"}));
    // The sibling routes, which say nothing of the header, take the parent's presence match.
    let ratings = &c.spec(API)["http"][1]["match"][0];
    assert_eq!(ratings["headers"], json!({"x-tenant": {"regex": ".*"}}));
    // Two different values are still no request.
    let globex = "      headers:\n      - name: x-tenant\n        value: globex\n";
    let c = case(api_with(globex, acme));
    assert_eq!(c.codes, ["VDC712 spec.http[0].matchers"]);
}

/// A matcher's `port` on a gateway route is the VirtualGateway listener's port, which is the
/// Istio Gateway server's port, the port istiod compares a gateway-bound match's `port` with:
/// it is written as it is, and a child narrowed by its parent keeps the parent's port.
#[test]
fn a_port_the_parent_matches_is_the_child_s_and_another_port_is_no_request() {
    let on_443 = "      port: 443\n";
    let c = case(api_with(on_443, "        prefix: /api/v1/reviews\n"));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    for route in c.spec(API)["http"].as_array().unwrap() {
        assert_eq!(route["match"][0]["port"], 443, "{route}");
    }
    let on_8443 = "        prefix: /api/v1/reviews\n      port: 8443\n";
    let c = case(api_with(on_443, on_8443));
    assert_eq!(c.codes, ["VDC712 spec.http[0].matchers"]);
}

#[test]
fn conditions_one_istio_match_cannot_hold_are_refused_with_the_reason() {
    let c = compile_with_routing_edit(
        "testdata/delegation",
        api_with("", "        regex: /api/v1/reviews/[0-9]+\n"),
    );
    let said: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(code_and_field(&c), ["VDC712 spec.http[0].matchers"]);
    assert!(
        said[0].contains("cannot be narrowed") && said[0].contains("regex /api/v1/reviews/[0-9]+"),
        "{said:?}"
    );
    assert!(c.outputs.is_empty(), "nothing is written");
}

#[test]
fn a_case_insensitive_child_under_a_case_sensitive_parent_matches_only_the_parent_s_paths() {
    let ci = "        prefix: /api/v1/reviews\n        ignoreCase: true\n";
    let c = case(api_with("", ci));
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let m = &c.spec(API)["http"][2]["match"][0];
    // Not `ignoreUriCase: true`, which would let /API/V1/REVIEWS through.
    assert_eq!(m["uri"], json!({"regex": "/api/v1/(?i:reviews).*"}));
    assert!(m.get("ignoreUriCase").is_none(), "{m}");
}

#[test]
fn a_prefix_that_case_makes_a_regex_still_sorts_among_the_prefixes() {
    // main-bookinfo delegates `/api` by ROUTE_SPECIFICITY; the static route becomes a
    // case-insensitive `/api/v1`, written as a regex that keeps the parent's case.
    let c = case(|t| {
        t.replace("        prefix: /\n", "        prefix: /api\n")
            .replace(
                "        prefix: /static\n",
                "        prefix: /api/v1\n        ignoreCase: true\n",
            )
            .replace("exact: /productpage", "exact: /api/productpage")
            .replace("exact: /login", "exact: /api/login")
    });
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    // Gloo ranks it as the prefix it is: after the longer `/api/v1/products`, which it would
    // otherwise shadow.
    assert_eq!(
        c.route_names(BOOKINFO),
        [
            "productpage-productpage",
            "products-productpage",
            "static-productpage"
        ]
    );
    assert_eq!(
        c.spec(BOOKINFO)["http"][2]["match"][0]["uri"],
        json!({"regex": "/api/(?i:v1).*"})
    );
}

/// A child's `pathRewrite` replaces the prefix it matches (route_table.proto; Envoy's
/// `prefix_rewrite`, which Gloo writes). Under a case-sensitive parent its case-insensitive
/// prefix is written as a regex, where Istio's `rewrite.uri` would replace the whole path
/// (`/api/v1/reviews/1` → `/reviews`): vdc writes the rewrite as `uriRegexRewrite` of the
/// regex's prefix part, so `/api/v1/REVIEWS/1` reaches the backend as `/reviews/1`, as in Gloo.
#[test]
fn a_path_rewrite_under_a_prefix_narrowed_into_a_regex_replaces_that_prefix() {
    let ci = "        prefix: /api/v1/reviews\n        ignoreCase: true\n";
    let rewritten = |t: &str| {
        api_with("", ci)(t).replacen(
            "        ignoreCase: true\n    forwardTo:\n",
            "        ignoreCase: true\n    forwardTo:\n      pathRewrite: /reviews\n",
            1,
        )
    };
    let c = case(rewritten);
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let route = &c.spec(API)["http"][2];
    assert_eq!(route["name"], "reviews-reviews-api");
    assert_eq!(
        route["match"][0]["uri"],
        json!({"regex": "/api/v1/(?i:reviews).*"})
    );
    assert_eq!(
        route["rewrite"],
        json!({"uriRegexRewrite": {"match": "^/api/v1/(?i:reviews)", "rewrite": "/reviews"}})
    );
    // Envoy substitutes the matches of the pattern in the path (RE2, as Rust's regex here).
    let pattern = regex::Regex::new(
        route["rewrite"]["uriRegexRewrite"]["match"]
            .as_str()
            .unwrap(),
    );
    let rewrite = |path: &str| {
        pattern
            .as_ref()
            .unwrap()
            .replace_all(path, "/reviews")
            .into_owned()
    };
    assert_eq!(rewrite("/api/v1/REVIEWS/1"), "/reviews/1");
    assert_eq!(rewrite("/api/v1/reviews"), "/reviews");
    assert_eq!(
        rewrite("/api/v1/reviewsX/api/v1/reviews"),
        "/reviewsX/api/v1/reviews"
    );
    // Under `/` the prefix stays a prefix (`ignoreUriCase`), and the rewrite stays `uri`.
    let c = case(|t: &str| {
        rewritten(t).replace(
            "        prefix: /api/v1\n      method: GET\n",
            "        prefix: /\n      method: GET\n",
        )
    });
    assert!(c.codes.is_empty(), "{:?}", c.codes);
    let route = &c.spec(API)["http"][2];
    assert_eq!(route["rewrite"], json!({"uri": "/reviews"}));
}

/// A delegating route that matches the path by a regex of its own makes a child's
/// `pathRewrite` a rewrite beside a regex matcher, which Gloo does not support: VDC731.
#[test]
fn a_path_rewrite_under_a_delegating_regex_is_refused() {
    let c = compile_with_routing_edit("testdata/delegation", |t: &str| {
        t.replace(
            "        prefix: /api/v1\n      method: GET\n",
            "        regex: /api/v1/.*\n      method: GET\n",
        )
        .replace("        prefix: /api/v1/reviews\n", "        prefix: /\n")
        .replacen(
            "        prefix: /\n    forwardTo:\n",
            "        prefix: /\n    forwardTo:\n      pathRewrite: /reviews\n",
            1,
        )
    });
    // (The sibling tables' prefixes under that regex are VDC712.)
    let d = (c.diagnostics.iter())
        .find(|d| d.code.as_str() == "VDC731")
        .expect("VDC731");
    assert_eq!(
        d.field.as_deref(),
        Some("spec.http[0].forwardTo.pathRewrite")
    );
    assert!(
        d.message.contains("by the regex `/api/v1/.*`"),
        "{}",
        d.message
    );
}

#[test]
fn a_delegated_table_s_tcp_routes_stay_out_of_the_parent() {
    // A child with hosts of its own (VDC729) keeps its tcp routes in its own VirtualService:
    // delegation carries http routes only. (The route goes to the Service, not to the
    // VirtualDestination, whose only port is HTTP: there a tcp route is VDC735.)
    let c = case(|text| {
        text.replacen(
            "    expose: \"true\"\nspec:\n  http:\n  - name: static",
            "    expose: \"true\"\nspec:\n  hosts:\n  - productpage.bookinfo-frontends.svc.cluster.local\n  tcp:\n  - forwardTo:\n      destinations:\n      - ref:\n          name: productpage\n          namespace: bookinfo-frontends\n        port:\n          number: 9080\n  http:\n  - name: static",
            1,
        )
    });
    assert!(
        c.codes.iter().all(|code| code.starts_with("VDC729")),
        "{:?}",
        c.codes
    );
    let parent = c.spec(BOOKINFO);
    assert!(parent.get("tcp").is_none(), "{parent}");
    assert!(!c.route_names(BOOKINFO).is_empty());
}
