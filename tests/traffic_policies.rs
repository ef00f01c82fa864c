//! Route policies (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) and destination policies (ConnectionPolicy,
//! LoadBalancerPolicy) on testdata/traffic-policies: what they write into the VirtualService
//! routes and DestinationRule port entries they select, in every cluster, and what vdc says
//! when two select one route, when one selects nothing, or when Istio would refuse a value.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{copy_tree, one_spec};
use serde_json::{Value, json};
use std::path::Path;
use vdc::translate::Output;

const INPUT: &str = "testdata/traffic-policies";

fn outputs_of(input: &Path) -> Vec<Output> {
    let c = vdc::compile(input).expect("compiles");
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    c.outputs
}

fn route<'v>(vs: &'v Value, name: &str) -> &'v Value {
    (vs["http"].as_array().unwrap().iter())
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no route {name}"))
}

#[test]
fn route_policies_are_written_into_every_route_they_select_in_every_cluster() {
    let all = outputs_of(Path::new(INPUT));
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(&all, cluster, "VirtualService", "routetable-productpage");
        let r = route(&vs, "productpage-productpage");
        assert_eq!(
            r["retries"],
            json!({"attempts": 3, "perTryTimeout": "2s", "retryOn": "5xx,gateway-error,connect-failure,503"})
        );
        assert_eq!(r["timeout"], "10s");
        assert_eq!(r["corsPolicy"]["maxAge"], "60s");
        assert_eq!(
            r["corsPolicy"]["allowOrigins"][2],
            json!({"regex": "(?i).*\\.bookinfo\\.example"}),
            "suffix with ignoreCase becomes a case-insensitive regex"
        );
        assert_eq!(
            r["headers"]["response"],
            json!({"remove": ["x-envoy-upstream-service-time"]})
        );
        assert_eq!(r.get("fault"), None, "no FaultInjectionPolicy selects it");

        let reviews = one_spec(&all, cluster, "VirtualService", "routetable-reviews");
        let jason = route(&reviews, "jason-reviews");
        assert_eq!(
            jason["fault"],
            json!({
                "abort": {"httpStatus": 503, "percentage": {"value": 12.5}},
                "delay": {"fixedDelay": "2s", "percentage": {"value": 100}},
            })
        );
        let details = route(&reviews, "details-reviews");
        assert_eq!(
            details["mirror"],
            json!({"host": "ratings.mesh.internal", "port": {"number": 9080}})
        );
        assert_eq!(details["mirrorPercentage"], json!({"value": 10}));
    }
    // The east-west RouteTable: selected by its route's labels.
    let east_west = one_spec(
        &all,
        "cluster1",
        "VirtualService",
        "routetable-ratings-east-west",
    );
    assert_eq!(east_west["http"][0]["timeout"], "0.5s");
}

#[test]
fn destination_policies_join_failover_and_outlier_detection_in_the_port_entry() {
    let all = outputs_of(Path::new(INPUT));
    let dr = one_spec(&all, "cluster2", "DestinationRule", "productpage-global");
    let entry = &dr["trafficPolicy"]["portLevelSettings"][0];
    assert_eq!(
        entry["loadBalancer"],
        json!({
            "localityLbSetting": {"enabled": true},
            "simple": "ROUND_ROBIN",
            "warmupDurationSecs": "60s",
        })
    );
    assert!(entry["outlierDetection"].is_object());

    let ratings = one_spec(&all, "cluster1", "DestinationRule", "ratings-mesh-internal");
    let entry = &ratings["trafficPolicy"]["portLevelSettings"][0];
    assert_eq!(
        entry["loadBalancer"]["consistentHash"],
        json!({"httpHeaderName": "x-user"})
    );
    assert!(entry["loadBalancer"]["localityLbSetting"]["failoverPriority"].is_array());

    // Both hosts of reviews, both ports: the ConnectionPolicy selects the VD without a port.
    for host in ["reviews-mesh-internal", "reviews-global"] {
        let dr = one_spec(&all, "cluster1", "DestinationRule", host);
        for entry in dr["trafficPolicy"]["portLevelSettings"].as_array().unwrap() {
            assert_eq!(
                entry["connectionPool"]["http"],
                json!({
                    "http1MaxPendingRequests": 500,
                    "http2MaxRequests": 500,
                    "idleTimeout": "2s",
                    "maxRequestsPerConnection": 1,
                    "maxRetries": 1,
                })
            );
            assert_eq!(entry["connectionPool"]["tcp"]["maxConnections"], 100);
        }
    }
}

/// A cookie's `ttl` is written as Gloo gives it, `0s` included. To Envoy, `0s` is a session
/// cookie it sets, while no TTL is a passive cookie: it hashes on the cookie the client brings
/// and never sets one. istiod accepts the latter since Istio 1.20 (istio/istio#46973).
#[test]
fn a_cookie_ttl_is_written_as_given_zero_or_none() {
    for (ttl, written) in [
        ("        ttl: 0s\n", json!({"name": "session", "ttl": "0s"})),
        ("", json!({"name": "session"})),
    ] {
        let c = compiled_with(|text| {
            text.replace(
                "      httpHeaderName: x-user\n",
                &format!("      httpCookie:\n        name: session\n{ttl}"),
            )
        });
        assert!(c.diagnostics.is_empty(), "{ttl:?}: {:#?}", said(&c));
        let ratings = one_spec(
            &c.outputs,
            "cluster1",
            "DestinationRule",
            "ratings-mesh-internal",
        );
        let entry = &ratings["trafficPolicy"]["portLevelSettings"][0];
        assert_eq!(
            entry["loadBalancer"]["consistentHash"],
            json!({ "httpCookie": written }),
            "{ttl:?}"
        );
    }
}

/// A `consistentHash` that names no hash key (`{}`, or `useSourceIp: false` alone) would be a
/// hashing balancer with nothing to hash on, which Gloo gives no meaning: VDC608 on the field,
/// not a policy dropped without a word.
#[test]
fn a_consistent_hash_without_a_key_is_refused() {
    for key in ["{}", "\n      useSourceIp: false"] {
        let c = compiled_with(|text| {
            text.replace(
                "    consistentHash:\n      httpHeaderName: x-user\n",
                &format!("    consistentHash: {key}\n"),
            )
        });
        assert_eq!(
            common::code_and_field(&c),
            ["VDC608 spec.config.consistentHash"],
            "{key}: {:#?}",
            said(&c)
        );
        assert!(c.outputs.is_empty(), "nothing is written");
    }
}

/// istiod writes a keepalive `time` or `interval` into Envoy's cluster as whole seconds
/// (`uint32(keepalive.Time.Seconds)`), dropping the rest: `500ms` would reach Envoy as 0, and
/// `1500ms` as 1. VDC608 on the field, saying what Envoy would get.
#[test]
fn a_keepalive_with_a_fraction_of_a_second_is_refused() {
    for (given, edit, field, envoy) in [
        ("time: 60s", "time: 500ms", "time", "0s"),
        ("time: 60s", "time: 1.5s", "time", "1s"),
        ("interval: 10s", "interval: 10500ms", "interval", "10s"),
    ] {
        let c = compiled_with(|text| {
            text.replace(&format!("        {given}\n"), &format!("        {edit}\n"))
        });
        assert_eq!(
            common::code_and_field(&c),
            [format!("VDC608 spec.config.tcp.tcpKeepalive.{field}")],
            "{edit}: {:#?}",
            said(&c)
        );
        let message = &c.diagnostics[0].message;
        assert!(
            message.ends_with(&format!("Envoy would get {envoy}")),
            "{message}"
        );
        assert!(c.outputs.is_empty(), "nothing is written");
    }
}

/// The input with `edit` applied to the policies file, compiled.
fn compiled_with(edit: impl Fn(String) -> String) -> vdc::Compilation {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new(INPUT), tmp.path());
    let file = tmp
        .path()
        .join("clusters/cluster1/gloo/traffic-policies.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit changes the input");
    std::fs::write(&file, edited).unwrap();
    vdc::compile(tmp.path()).expect("compiles")
}

fn said(c: &vdc::Compilation) -> Vec<String> {
    (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[test]
fn of_two_route_policies_of_one_kind_the_oldest_wins_with_a_warning_naming_both() {
    let c = compiled_with(|text| {
        text + r#"---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: RetryTimeoutPolicy
metadata:
  name: productpage-slow
  namespace: bookinfo-frontends
  creationTimestamp: "2023-01-01T00:00:00Z"
spec:
  applyToRoutes:
  - route:
      labels:
        api: productpage
  config:
    requestTimeout: 30s
"#
    });
    assert_eq!(
        said(&c),
        vec![
            "VDC602 RetryTimeoutPolicy bookinfo-frontends/productpage-retries and bookinfo-frontends/productpage-slow both select route `productpage` of RouteTable bookinfo-frontends/productpage; the older, productpage-retries, wins"
        ]
    );
    let vs = one_spec(
        &c.outputs,
        "cluster1",
        "VirtualService",
        "routetable-productpage",
    );
    assert_eq!(route(&vs, "productpage-productpage")["timeout"], "10s");
}

#[test]
fn a_policy_that_selects_nothing_warns() {
    let c = compiled_with(|text| text.replace("mirror: \"true\"", "mirror: \"yes-please\""));
    assert_eq!(
        said(&c),
        vec![
            "VDC609 MirrorPolicy bookinfo-frontends/details-shadow selects no route of a RouteTable in its workspace, so it changes nothing"
        ]
    );
    let c = compiled_with(|text| {
        text.replace(
            "name: reviews\n  config:\n    tcp",
            "name: reviewz\n  config:\n    tcp",
        )
    });
    assert_eq!(
        said(&c),
        vec![
            "VDC609 ConnectionPolicy bookinfo-backends/http-connect selects no port of a VirtualDestination its workspace owns, so it changes nothing"
        ]
    );
}

/// The VDC609 of `c`, its one diagnostic: (message, field, line).
fn selects_nothing(c: &vdc::Compilation) -> (String, String, usize) {
    let [d] = &c.diagnostics[..] else {
        panic!("{:#?}", said(c))
    };
    assert_eq!(d.code.as_str(), "VDC609");
    let line = d.span.as_ref().map_or(0, |s| s.pos.line as usize);
    (d.message.clone(), d.field.clone().unwrap_or_default(), line)
}

/// A destination policy that selects Kubernetes Services (`kind` left out, so SERVICE, the
/// DestinationSelector's default, as solo-io/workshops' ConnectionPolicy examples that omit it)
/// changes nothing in vdc's output for that reason, not for a missing VirtualDestination
/// label: the warning says so, on the entry of `applyToDestinations`.
#[test]
fn a_destination_policy_on_kubernetes_services_says_vdc_does_not_translate_it() {
    let c = compiled_with(|text| {
        text.replace(
            "  - kind: VIRTUAL_DESTINATION\n    selector:\n      name: reviews\n  config:\n    tcp",
            "  - selector:\n      name: reviews\n  config:\n    tcp",
        )
    });
    let (message, field, line) = selects_nothing(&c);
    assert_eq!(
        message,
        "ConnectionPolicy bookinfo-backends/http-connect selects Kubernetes Services (`applyToDestinations[0]` has kind SERVICE, Gloo's default when `kind` is left out), and vdc translates destination policies for VirtualDestinations only, so it changes nothing in the output"
    );
    assert_eq!(field, "spec.applyToDestinations[0].kind");
    assert_eq!(
        line, 133,
        "the entry's selector, not the document's first line"
    );
    assert!(
        c.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("kind: VIRTUAL_DESTINATION")
    );
}

/// A destination policy in a workspace that imports the VirtualDestination (the client-side
/// policies of solo-io/workshops' 2-5 VirtualDestination lab, in `istio-gateways`): vdc applies
/// destination policies in the owning workspace only, and the warning says that, naming the
/// VirtualDestination and its owner, rather than asking for labels it already has.
#[test]
fn a_destination_policy_of_an_importing_workspace_names_the_owner() {
    let c = compiled_with(|text| {
        text.replace(
            "  name: http-connect\n  namespace: bookinfo-backends",
            "  name: http-connect\n  namespace: istio-gateways",
        )
    });
    let (message, field, line) = selects_nothing(&c);
    assert_eq!(
        message,
        "ConnectionPolicy istio-gateways/http-connect selects VirtualDestination bookinfo-backends/reviews, which its workspace gateways imports from workspace bookinfo; vdc applies a destination policy only in the workspace that owns the VirtualDestination (Gloo applies an importing workspace's policies to it only with the VirtualDestinationWorkspacePolicyOverride feature gate), so it changes nothing in the output"
    );
    assert_eq!(field, "spec.applyToDestinations");
    assert_eq!(line, 134, "the entry's selector");
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some(
            "put the policy in a namespace of workspace bookinfo, which owns the VirtualDestination"
        )
    );
}

#[test]
fn values_istio_refuses_are_errors_on_the_policy_field() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "percentage: 12.5",
            "percentage: 0.00001",
            "spec.config.abort.percentage",
        ),
        (
            "httpStatus: 503",
            "httpStatus: 700",
            "spec.config.abort.httpStatus",
        ),
        ("maxAge: 1m", "maxAge: 1500ms", "spec.config.maxAge"),
        (
            "    - POST\n",
            "    - post\n",
            "spec.config.allowMethods[1]",
        ),
        (
            "north-south-gw\n",
            "north-south-gw%\n",
            "spec.config.appendRequestHeaders.x-bookinfo-gateway",
        ),
        (
            "simple: ROUND_ROBIN",
            "simple: RANDOM",
            "spec.config.warmupDurationSecs",
        ),
        // A syntax error, not only look-around: the origin regexes share the routes' RE2 check.
        (
            "- regex: \".*\"",
            "- regex: \"https://(.*\"",
            "spec.config.allowOrigins[0].regex",
        ),
    ];
    for (from, to, field) in cases {
        let c = compiled_with(|text| text.replacen(from, to, 1));
        let fields: Vec<(&str, Option<&str>)> = (c.diagnostics.iter())
            .map(|d| (d.code.as_str(), d.field.as_deref()))
            .collect();
        assert_eq!(
            fields,
            vec![("VDC608", Some(field))],
            "{to}: {:#?}",
            said(&c)
        );
        assert!(c.has_errors());
        assert!(c.outputs.is_empty(), "nothing is written");
    }
}

#[test]
fn a_mirror_to_a_port_the_destination_lacks_is_an_error() {
    let c = compiled_with(|text| {
        text.replace(
            "      port:\n        number: 9080\n    percentage: 10",
            "      port:\n        number: 9999\n    percentage: 10",
        )
    });
    assert_eq!(
        said(&c),
        vec![
            "VDC610 the mirror destination VirtualDestination bookinfo-backends/ratings has no port 9999 (it serves 9080), so nothing can be mirrored to it"
        ]
    );
}

/// A HeaderManipulationPolicy that selects route destinations only is not translated: it must
/// not fall back to every route of its workspace.
#[test]
fn headers_for_route_destinations_only_change_no_route() {
    let c = compiled_with(|text| {
        text.replace(
            "  applyToRoutes:\n  - route:\n      labels:\n        api: productpage\n  config:\n    appendRequestHeaders:",
            "  applyToRouteDestinations:\n  - route:\n      labels:\n        api: productpage\n  config:\n    appendRequestHeaders:",
        )
    });
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["VDC609", "VDC203"], "{:#?}", said(&c));
    let vs = one_spec(
        &c.outputs,
        "cluster1",
        "VirtualService",
        "routetable-productpage",
    );
    assert_eq!(route(&vs, "productpage-productpage").get("headers"), None);
}

/// The input with each `(file under clusters/cluster1/gloo, edit)` applied, compiled.
fn compiled_editing(edits: &[(&str, &dyn Fn(String) -> String)]) -> vdc::Compilation {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new(INPUT), tmp.path());
    for (name, edit) in edits {
        let file = tmp.path().join("clusters/cluster1/gloo").join(name);
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = edit(text.clone());
        assert_ne!(edited, text, "the edit of {name} changes the input");
        std::fs::write(&file, edited).unwrap();
    }
    vdc::compile(tmp.path()).expect("compiles")
}

/// A FaultInjectionPolicy in bookinfo-frontends that aborts with 500, selecting `labels`
/// (a YAML flow map).
fn abort_500(labels: &str) -> impl Fn(String) -> String {
    let policy = format!(
        "---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: FaultInjectionPolicy
metadata:
  name: abort-500
  namespace: bookinfo-frontends
spec:
  applyToRoutes:
  - route:
      labels: {labels}
  config:
    abort:
      httpStatus: 500
      percentage: 100
"
    );
    move |text: String| text + &policy
}

fn productpage_route(c: &vdc::Compilation) -> Value {
    let vs = one_spec(
        &c.outputs,
        "cluster1",
        "VirtualService",
        "routetable-productpage",
    );
    route(&vs, "productpage-productpage").clone()
}

/// Gloo's route label inheritance: a route's labels are its table's `metadata.labels`, each
/// overridden by the route's own `http[].labels`. A route labelled `expose: "false"` in a
/// table labelled `expose: "true"` is not `expose: "true"`.
#[test]
fn a_route_s_own_label_overrides_its_table_s() {
    let relabel = |text: String| {
        text.replace(
            "      api: productpage\n",
            "      api: productpage\n      expose: \"false\"\n",
        )
    };
    let c = compiled_editing(&[
        ("routing.yaml", &relabel),
        // `api` keeps the policy off the reviews table, also labelled `expose: "true"`.
        (
            "traffic-policies.yaml",
            &abort_500("{api: productpage, expose: \"true\"}"),
        ),
    ]);
    assert_eq!(
        said(&c),
        vec![
            "VDC609 FaultInjectionPolicy bookinfo-frontends/abort-500 selects no route of a RouteTable in its workspace, so it changes nothing"
        ]
    );
    assert_eq!(productpage_route(&c).get("fault"), None);
}

/// A selector whose labels are split between the route and its table selects the route: all
/// its labels are in the route's inherited set.
#[test]
fn a_selector_matches_route_and_table_labels_together() {
    let c = compiled_editing(&[(
        "traffic-policies.yaml",
        &abort_500("{api: productpage, expose: \"true\"}"),
    )]);
    assert!(c.diagnostics.is_empty(), "{:#?}", said(&c));
    assert_eq!(
        productpage_route(&c)["fault"],
        json!({"abort": {"httpStatus": 500, "percentage": {"value": 100}}})
    );
}

/// A RetryTimeoutPolicy of the gateways workspace (istio-gateways) selecting `labels`, older
/// than every policy of bookinfo.
fn gateway_timeout(labels: &str) -> impl Fn(String) -> String {
    let policy = format!(
        "---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: RetryTimeoutPolicy
metadata:
  name: gateway-timeout
  namespace: istio-gateways
  creationTimestamp: \"2021-01-01T00:00:00Z\"
spec:
  applyToRoutes:
  - route:
      labels: {labels}
  config:
    requestTimeout: 7s
"
    );
    move |text: String| text + &policy
}

/// Gloo ("Import and export policies"): the policies of a workspace that imports a RouteTable
/// do not apply to its routes. The gateways workspace imports the productpage RouteTable
/// (`expose: "true"`); its policy selecting that table's route changes nothing, and says so,
/// rather than change the route on every gateway that serves it.
#[test]
fn a_route_policy_does_not_reach_the_route_tables_its_workspace_imports() {
    let c = compiled_editing(&[("gateways.yaml", &gateway_timeout("{api: productpage}"))]);
    assert_eq!(
        said(&c),
        vec![
            "VDC609 RetryTimeoutPolicy istio-gateways/gateway-timeout selects no route of a RouteTable in its workspace, so it changes nothing"
        ]
    );
    assert_eq!(productpage_route(&c)["timeout"], "10s");
}

/// The mirror of the workshop's MirrorPolicy turned to a Kubernetes Service, `name` in
/// bookinfo-backends (audit repro p21, after solo-io/workshops gloo-mesh 2-5 "traffic policies").
fn mirror_to_service(name: &str) -> impl Fn(String) -> String + '_ {
    move |text: String| {
        text.replace(
            "      ref:\n        name: ratings\n        namespace: bookinfo-backends\n      kind: VIRTUAL_DESTINATION\n",
            &format!("      ref:\n        name: {name}\n        namespace: bookinfo-backends\n      kind: SERVICE\n"),
        )
    }
}

#[test]
fn a_mirror_to_a_service_is_looked_up_in_each_cluster_it_is_written_to() {
    let c = compiled_with(mirror_to_service("reviewz"));
    assert_eq!(
        said(&c),
        vec![
            "VDC610 the mirror destination Service bookinfo-backends/reviewz does not exist in cluster cluster1, where a route it mirrors is written, so nothing can be mirrored to it",
            "VDC610 the mirror destination Service bookinfo-backends/reviewz does not exist in cluster cluster2, where a route it mirrors is written, so nothing can be mirrored to it",
        ]
    );
    let c = compiled_with(mirror_to_service("reviews"));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
}

#[test]
fn a_mirror_the_workspace_serving_its_route_does_not_see_is_refused() {
    // The reviews table's `details` route is served on the gateways workspace's VirtualGateway;
    // its MirrorPolicy's destination must be seen there, as the route's own destinations must
    // (VDC738): Gloo routes only to destinations the serving workspace holds or imports.
    let unshared = |text: String| {
        text.replace(
            "  labels:\n    expose: \"true\"\nspec:\n  hosts:\n  - ratings.mesh.internal\n",
            "spec:\n  hosts:\n  - ratings.mesh.internal\n",
        )
    };
    let c = compiled_editing(&[("backends.yaml", &unshared)]);
    let found = code_field_message(&c);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("VDC738 spec.config.destination route `details` of RouteTable bookinfo-frontends/reviews mirrors to VirtualDestination bookinfo-backends/ratings, which workspace `gateways` does not see"),
        "{found:#?}"
    );
    // A Service the gateways workspace is not given: bookinfo exports only some by label.
    let c = compiled_with(mirror_to_service("ratings"));
    let said = said(&c);
    assert_eq!(said.len(), 2, "{said:#?}");
    for (d, cluster) in said.iter().zip(["cluster1", "cluster2"]) {
        assert!(
            d.starts_with(&format!("VDC738 route `details` of RouteTable bookinfo-frontends/reviews mirrors to Service bookinfo-backends/ratings of cluster {cluster}, which workspace `gateways` does not see (owner `bookinfo` does not export it to `gateways`)")),
            "{said:#?}"
        );
    }
}

/// The reviews table delegated to from a table of the gateways workspace, and the
/// details-shadow MirrorPolicy moved to that workspace, mirroring to `destination` (a YAML
/// `ref`, `kind` and `port`).
fn delegated_with_gateways_mirror(destination: &str) -> vdc::Compilation {
    let delegated = |text: String| {
        text.replace(
            "spec:\n  hosts:\n  - reviews.bookinfo.example\n  virtualGateways:\n  - name: north-south-gw\n    namespace: istio-gateways\n    cluster: cluster1\n  http:\n",
            "spec:\n  http:\n",
        ) + "---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: reviews-root
  namespace: istio-gateways
spec:
  hosts:
  - reviews.bookinfo.example
  virtualGateways:
  - name: north-south-gw
    namespace: istio-gateways
    cluster: cluster1
  workloadSelectors: []
  http:
  - name: root
    matchers:
    - uri:
        prefix: /
    delegate:
      routeTables:
      - name: reviews
        namespace: bookinfo-frontends
---
apiVersion: networking.gloo.solo.io/v2
kind: ExternalService
metadata:
  name: shadow
  namespace: istio-gateways
spec:
  hosts:
  - shadow.example.com
  ports:
  - number: 80
    name: http
    protocol: HTTP
"
    };
    let moved = |text: String| {
        text.replace(
            "  name: details-shadow\n  namespace: bookinfo-frontends\n",
            "  name: details-shadow\n  namespace: istio-gateways\n",
        )
        .replace(
            "      ref:\n        name: ratings\n        namespace: bookinfo-backends\n      kind: VIRTUAL_DESTINATION\n      port:\n        number: 9080\n",
            destination,
        )
    };
    compiled_editing(&[
        ("backends.yaml", &delegated),
        ("traffic-policies.yaml", &moved),
    ])
}

#[test]
fn a_delegating_table_s_mirror_need_not_be_seen_by_the_delegated_table_s_workspace() {
    // A MirrorPolicy of the gateways workspace applies to the routes its delegating table
    // brings in; its destination is the gateways workspace's own, which the delegated
    // table's workspace (bookinfo) neither holds nor imports, and needs not: the mirror is
    // the policy's, written into the gateway's VirtualService.
    let c = delegated_with_gateways_mirror(
        "      ref:\n        name: shadow\n        namespace: istio-gateways\n      kind: EXTERNAL_SERVICE\n      port:\n        number: 80\n",
    );
    assert!(c.diagnostics.is_empty(), "{:#?}", said(&c));
    let c = delegated_with_gateways_mirror(
        "      ref:\n        name: istio-ingressgateway\n        namespace: istio-gateways\n      kind: SERVICE\n      port:\n        number: 80\n",
    );
    assert!(c.diagnostics.is_empty(), "{:#?}", said(&c));
    // A Service the gateways workspace does not see is still refused there.
    let c = delegated_with_gateways_mirror(
        "      ref:\n        name: ratings\n        namespace: bookinfo-backends\n      kind: SERVICE\n      port:\n        number: 9080\n",
    );
    let said = said(&c);
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(
        said.iter().all(|d| d.starts_with("VDC738 route `details` of RouteTable bookinfo-frontends/reviews mirrors to Service bookinfo-backends/ratings")
            && d.contains("which workspace `gateways` does not see")),
        "{said:#?}"
    );
}

#[test]
fn a_mirror_to_another_cluster_s_service_is_refused() {
    let c = compiled_with(|text| {
        mirror_to_service("reviews")(text).replace(
            "        name: reviews\n        namespace: bookinfo-backends\n      kind: SERVICE\n",
            "        name: reviews\n        namespace: bookinfo-backends\n        cluster: cluster2\n      kind: SERVICE\n",
        )
    });
    let said = said(&c);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].starts_with("VDC610 the mirror destination Service bookinfo-backends/reviews is in cluster cluster2, but a route it mirrors is written to cluster cluster1"),
        "{said:#?}"
    );
}

/// The details route of backends.yaml with `edit` applied to its destination's `ref`.
fn details_route(edit: &str) -> impl Fn(String) -> String + '_ {
    move |text: String| {
        text.replace(
            "          name: details\n          namespace: bookinfo-backends\n          # no cluster: each gateway routes to its own cluster's details (VDC722)\n",
            edit,
        )
    }
}

/// Each diagnostic as `CODE field message`.
fn code_field_message(c: &vdc::Compilation) -> Vec<String> {
    (c.diagnostics.iter())
        .map(|d| {
            let field = d.field.clone().unwrap_or_default();
            format!("{} {field} {}", d.code, d.message)
        })
        .collect()
}

#[test]
fn a_route_to_a_service_no_cluster_it_is_written_to_has_is_an_error() {
    // Audit repro p11: a misspelt Service name rendered a VirtualService to a host nobody serves.
    let edit = details_route("          name: detailz\n          namespace: bookinfo-backends\n");
    let c = compiled_editing(&[("backends.yaml", &edit)]);
    let found = code_field_message(&c);
    assert_eq!(
        found,
        vec![
            "VDC701 spec.http[1].forwardTo.destinations[0] route `details` forwards to Service bookinfo-backends/detailz, which cluster `cluster1` (where the route is written) does not have: requests matching it would get 503",
            "VDC701 spec.http[1].forwardTo.destinations[0] route `details` forwards to Service bookinfo-backends/detailz, which cluster `cluster2` (where the route is written) does not have: requests matching it would get 503",
        ]
    );
}

#[test]
fn a_route_to_another_cluster_s_service_is_refused() {
    // The RouteTable is written to the gateways of cluster1 and cluster2: cluster2's would need
    // Gloo's federation to reach cluster1's details, and routed to its own details instead.
    let edit = details_route(
        "          name: details\n          namespace: bookinfo-backends\n          cluster: cluster1\n",
    );
    let c = compiled_editing(&[("backends.yaml", &edit)]);
    let found: Vec<String> = (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(
            "VDC722 route `details` forwards to Service bookinfo-backends/details of cluster `cluster1`, but its VirtualService is written to cluster `cluster2`"
        ),
        "{found:#?}"
    );
}

#[test]
fn a_service_destination_without_a_cluster_is_each_cluster_s_own_service_in_its_domain() {
    // cluster2's KubernetesCluster gives it its own cluster domain; the details route names no
    // cluster, and the mirror of its route is the Service reviews, named without a cluster.
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new(INPUT), tmp.path());
    let edit = |rel: &str, f: &dyn Fn(String) -> String| {
        let file = tmp.path().join(rel);
        let text = std::fs::read_to_string(&file).unwrap();
        let edited = f(text.clone());
        assert_ne!(edited, text, "the edit of {rel} changes the input");
        std::fs::write(&file, edited).unwrap();
    };
    edit("gloo/clusters.yaml", &|t| {
        t.replace(
            "  name: cluster2\n  namespace: gloo-mesh\nspec:\n  clusterDomain: cluster.local",
            "  name: cluster2\n  namespace: gloo-mesh\nspec:\n  clusterDomain: east.example",
        )
    });
    edit(
        "clusters/cluster1/gloo/traffic-policies.yaml",
        &mirror_to_service("reviews"),
    );
    let all = outputs_of(tmp.path());
    for (cluster, domain) in [("cluster1", "cluster.local"), ("cluster2", "east.example")] {
        let vs = one_spec(&all, cluster, "VirtualService", "routetable-reviews");
        let r = route(&vs, "details-reviews");
        assert_eq!(
            r["route"][0]["destination"]["host"],
            format!("details.bookinfo-backends.svc.{domain}"),
            "{cluster}: {r:#}"
        );
        assert_eq!(
            r["mirror"]["host"],
            format!("reviews.bookinfo-backends.svc.{domain}"),
            "{cluster}: {r:#}"
        );
    }
}

#[test]
fn a_subset_of_a_service_is_defined_by_a_destination_rule_where_routes_ask_it() {
    // As the workshops' "route productpage to reviews v2" (audit repro s1): Gloo writes the
    // DestinationRule that defines a Kubernetes Service's subset; without it, 503 NC.
    let edit = details_route(
        "          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v1\n",
    );
    let c = compiled_editing(&[("backends.yaml", &edit)]);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(&c.outputs, cluster, "VirtualService", "routetable-reviews");
        let r = route(&vs, "details-reviews");
        assert_eq!(
            r["route"][0]["destination"]["subset"], "version-v1",
            "{r:#}"
        );
        let found: Vec<_> = (c.outputs.iter())
            .filter(|o| o.cluster == cluster && o.object.kind == "DestinationRule")
            .filter(|o| {
                o.object.metadata.name == "details-bookinfo-backends-svc-cluster-local-subsets"
            })
            .collect();
        assert_eq!(found.len(), 1, "{cluster}");
        let dr = &found[0].object;
        assert_eq!(dr.metadata.namespace, "bookinfo-backends");
        assert_eq!(
            serde_json::to_value(&dr.spec).unwrap(),
            serde_json::json!({
                "exportTo": ["istio-gateways"],
                "host": "details.bookinfo-backends.svc.cluster.local",
                "subsets": [{"labels": {"version": "v1"}, "name": "version-v1"}],
                "trafficPolicy": {"portLevelSettings": []},
            })
        );
        assert_eq!(
            dr.metadata
                .labels
                .get("gloo.solo.io/parent_kind")
                .map(|v| v.as_ref()),
            Some("RouteTable")
        );
    }
}

/// A subset of a Service that no pod behind it carries gets no endpoint (503): VDC710, as for
/// a VirtualDestination's subset, once per cluster the route is written to.
#[test]
fn a_service_subset_no_pod_carries_is_reported_where_the_route_is_written() {
    let edit = details_route(
        "          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v9\n",
    );
    let c = compiled_editing(&[("backends.yaml", &edit)]);
    let found: Vec<String> = (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    for (line, cluster) in found.iter().zip(["cluster1", "cluster2"]) {
        assert!(line.starts_with("VDC710 "), "{line}");
        assert!(
            line.contains(
                "subset `version-v9` ({version: v9}) of Service bookinfo-backends/details"
            ),
            "{line}"
        );
        assert!(line.contains(&format!("in cluster `{cluster}`")), "{line}");
    }
}

/// Two subsets of details whose labels differ only by `.` and `-` would share the subset name
/// `version-v1-0`: VDC724, since one would get the other's pods.
#[test]
fn service_subsets_with_one_name_are_an_error() {
    let split = "          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v1.0\n        kind: SERVICE\n        port:\n          number: 9080\n        weight: 50\n      - ref:\n          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v1-0\n        weight: 50\n";
    let c = compiled_editing(&[("backends.yaml", &details_route(split))]);
    let found: Vec<&str> = (c.diagnostics.iter())
        .filter(|d| d.code.as_str() == "VDC724")
        .map(|d| d.message.as_str())
        .collect();
    assert!(!found.is_empty(), "{:#?}", c.diagnostics);
    assert!(
        found[0].contains(
            "subset name `version-v1-0` another route already gives to subset {version: v1.0}"
        ),
        "{found:#?}"
    );
}

#[test]
fn a_service_subset_rule_beside_a_user_destination_rule_for_the_host_warns() {
    // A user's own DestinationRule for details already in cluster1's dump: Istio would merge
    // the two in an unspecified order, which VDC505 says. Istio's samples
    // (samples/bookinfo/networking/destination-rule-all.yaml) write the short host, which
    // istiod reads as a Service of the rule's namespace.
    for host in ["details.bookinfo-backends.svc.cluster.local", "details"] {
        let found = beside_a_user_destination_rule(host);
        assert_eq!(found.len(), 1, "{host}: {found:#?}");
        assert!(found[0].starts_with("VDC505 "), "{found:#?}");
        assert!(
            found[0].contains("details-bookinfo-backends-svc-cluster-local-subsets"),
            "{found:#?}"
        );
    }
}

/// The diagnostics of a route to a subset of details beside a user's DestinationRule for
/// `host` in bookinfo-backends of cluster1.
fn beside_a_user_destination_rule(host: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new(INPUT), tmp.path());
    let state = tmp.path().join("clusters/cluster1/state.yaml");
    let text = std::fs::read_to_string(&state).unwrap();
    let user_rule = format!(
        "- apiVersion: networking.istio.io/v1\n  kind: DestinationRule\n  metadata:\n    name: details\n    namespace: bookinfo-backends\n  spec:\n    host: {host}\nkind: List\n"
    );
    let edited = text.replacen("\nkind: List\n", &format!("\n{user_rule}"), 1);
    assert_ne!(edited, text);
    std::fs::write(&state, edited).unwrap();
    let backends = tmp.path().join("clusters/cluster1/gloo/backends.yaml");
    let text = std::fs::read_to_string(&backends).unwrap();
    let edited = details_route(
        "          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v1\n",
    )(text.clone());
    assert_ne!(edited, text);
    std::fs::write(&backends, edited).unwrap();
    let c = vdc::compile(tmp.path()).expect("compiles");
    (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

/// cluster1's Service reviews given a second port, grpc/9091 (cluster2's keeps http/9080 only).
fn reviews_with_grpc(text: String) -> String {
    text.replace(
        "    ports: *id001\n    selector:\n      app: reviews\n",
        "    ports:\n    - name: http\n      port: 9080\n    - name: grpc\n      port: 9091\n    selector:\n      app: reviews\n",
    )
}

/// The details route of backends.yaml sent to the Service reviews (with [`reviews_with_grpc`]:
/// ports http/9080 and grpc/9091 in cluster1, http/9080 in cluster2) with `port` as the
/// destination's port lines.
fn details_to_reviews(port: &str) -> impl Fn(String) -> String + '_ {
    move |text: String| {
        text.replace(
            "          name: details\n          namespace: bookinfo-backends\n          # no cluster: each gateway routes to its own cluster's details (VDC722)\n        kind: SERVICE\n        port:\n          number: 9080\n",
            &format!("          name: reviews\n          namespace: bookinfo-backends\n        kind: SERVICE\n{port}"),
        )
    }
}

fn codes_and_messages(c: &vdc::Compilation) -> Vec<String> {
    (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

#[test]
fn a_service_port_named_by_name_is_routed_to_by_its_number() {
    // Gloo's PortSelector.name: the name of the port on the destination. Istio's destination
    // port is a number: without it, istiod builds the cluster from the listener's port.
    let edit = details_to_reviews("        port:\n          name: http\n");
    let c = compiled_editing(&[
        ("backends.yaml", &edit),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(&c.outputs, cluster, "VirtualService", "routetable-reviews");
        let r = route(&vs, "details-reviews");
        assert_eq!(
            r["route"][0]["destination"],
            json!({"host": "reviews.bookinfo-backends.svc.cluster.local", "port": {"number": 9080}}),
            "{cluster}"
        );
    }
}

#[test]
fn a_route_to_a_service_must_name_a_port_it_serves_and_one_of_several() {
    // references.proto: the port is "required if the object provides more than one port".
    let edit = details_to_reviews("");
    let c = compiled_editing(&[
        ("backends.yaml", &edit),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert_eq!(
        codes_and_messages(&c),
        vec![
            "VDC702 Service bookinfo-backends/reviews has ports [9080, 9091] in cluster `cluster1`, so route `details` must say which with `port: {number: …}` or `port: {name: …}`"
        ]
    );
    let edit = details_to_reviews("        port:\n          number: 9999\n");
    let c = compiled_editing(&[
        ("backends.yaml", &edit),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert_eq!(
        codes_and_messages(&c),
        vec![
            "VDC703 route `details` asks for port 9999 of Service bookinfo-backends/reviews, which serves port 9080 (http) in cluster `cluster2`",
            "VDC703 route `details` asks for port 9999 of Service bookinfo-backends/reviews, which serves ports 9080 (http) and 9091 (grpc) in cluster `cluster1`",
        ]
    );
    let edit = details_to_reviews("        port:\n          name: grpc\n");
    let c = compiled_editing(&[
        ("backends.yaml", &edit),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert_eq!(
        codes_and_messages(&c),
        vec![
            "VDC703 route `details` asks for port `grpc` of Service bookinfo-backends/reviews, which serves port 9080 (http) in cluster `cluster2`",
        ]
    );
}

/// The workshop's mirror turned to the Service reviews, with `port` as its port lines.
fn mirror_to_reviews(port: &str) -> impl Fn(String) -> String + '_ {
    move |text: String| {
        mirror_to_service("reviews")(text).replace(
            "      port:\n        number: 9080\n    percentage: 10",
            &format!("{port}    percentage: 10"),
        )
    }
}

#[test]
fn a_mirror_to_a_service_port_named_by_name_mirrors_to_its_number() {
    let mirror = mirror_to_reviews("      port:\n        name: http\n");
    let c = compiled_editing(&[
        ("traffic-policies.yaml", &mirror),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(&c.outputs, cluster, "VirtualService", "routetable-reviews");
        let r = route(&vs, "details-reviews");
        assert_eq!(
            r["mirror"],
            json!({"host": "reviews.bookinfo-backends.svc.cluster.local", "port": {"number": 9080}}),
            "{cluster}"
        );
    }
}

#[test]
fn a_mirror_to_a_service_must_name_a_port_it_serves_and_one_of_several() {
    let mirror = mirror_to_reviews("");
    let c = compiled_editing(&[
        ("traffic-policies.yaml", &mirror),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert_eq!(
        said(&c),
        vec![
            "VDC610 the mirror destination Service bookinfo-backends/reviews serves several ports (9080, 9091) in cluster cluster1, where a route it mirrors is written, and the policy names none, so nothing can be mirrored to it"
        ]
    );
    let mirror = mirror_to_reviews("      port:\n        number: 9999\n");
    let c = compiled_editing(&[
        ("traffic-policies.yaml", &mirror),
        ("../state.yaml", &reviews_with_grpc),
    ]);
    assert_eq!(
        said(&c),
        vec![
            "VDC610 the mirror destination Service bookinfo-backends/reviews has no port 9999 in cluster cluster1, where a route it mirrors is written (it serves 9080, 9091), so nothing can be mirrored to it",
            "VDC610 the mirror destination Service bookinfo-backends/reviews has no port 9999 in cluster cluster2, where a route it mirrors is written (it serves 9080), so nothing can be mirrored to it",
        ]
    );
}

#[test]
fn a_mirror_to_a_subset_is_refused_not_sent_to_every_version() {
    // Gloo mirrors to the subset's endpoints only; without it the copies reach every version.
    let c = compiled_with(|text| {
        text.replace(
            "      port:\n        number: 9080\n    percentage: 10",
            "      port:\n        number: 9080\n      subset:\n        version: v2\n    percentage: 10",
        )
    });
    assert_eq!(
        said(&c),
        vec![
            "VDC728 the mirror destination VirtualDestination bookinfo-backends/ratings asks for subset {version: v2}, which vdc does not translate: mirroring to every pod of the destination would copy traffic to pods Gloo would not send it to"
        ]
    );
}
