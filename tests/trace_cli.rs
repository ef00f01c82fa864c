//! `vdc trace` on the command line: the human answer and the JSON contract of SPEC §8, the
//! failover drill, broken inputs blamed on the object at fault, and exit statuses 0 / 1 / 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc;
use serde_json::Value;

/// Runs `vdc trace ARGS`, returning (exit status, stdout, stderr).
fn trace(args: &[&str]) -> (i32, String, String) {
    let out = vdc().arg("trace").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn trace_json(args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = trace(&all);
    assert!(code < 2, "{stderr}");
    (code, serde_json::from_str(&stdout).unwrap())
}

#[test]
fn bookinfo_local_first_then_the_remote_gateway() {
    let (code, out, _) = trace(&[
        "testdata/bookinfo",
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("trace_bookinfo_human", out);
}

/// A misspelt `--to` host is traced as written (503 NC, as Envoy would answer), and the
/// outcome names the host the cluster declares that it is likely a typo of.
#[test]
fn a_misspelt_host_names_the_nearest_known_host() {
    let (code, out, _) = trace(&[
        "testdata/bookinfo",
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.globl",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("declares productpage.globl (did you mean `productpage.global`?)"),
        "{out}"
    );
    insta::assert_snapshot!("trace_misspelt_host_human", out);
}

#[test]
fn failing_the_local_cluster_hands_over_to_the_next_priority() {
    let args = [
        "testdata/bookinfo",
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global:9080",
        "--fail",
        "cluster:cluster1",
    ];
    let (code, out, _) = trace(&args);
    assert_eq!(code, 0);
    insta::assert_snapshot!("trace_bookinfo_fail_cluster1_human", out);
    let (_, json) = trace_json(&args);
    let d = &json["destinations"][0];
    assert_eq!(d["serving"], 1);
    assert_eq!(d["priorities"][0]["endpoints"][0]["ejected"], true);
    assert_eq!(d["priorities"][1]["endpoints"][0]["cluster"], "cluster2");
    // Both clusters down: nothing is left.
    let mut both = args.to_vec();
    both.extend(["--fail", "region:us-east-1"]);
    let (code, out, _) = trace(&both);
    assert_eq!(code, 1);
    assert!(
        out.contains("outcome   no-healthy-endpoint (503 UH)"),
        "{out}"
    );
}

/// A DestinationRule without a locality setting takes the client cluster's mesh config's: a
/// mesh-wide `distribute` (which needs no outlier detection) weighs the localities.
#[test]
fn the_mesh_configs_locality_setting_applies_where_the_rule_sets_none() {
    let ask = |setting: &str| {
        let tmp = edited(
            "multi-vd",
            "clusters/cluster1/state.yaml",
            &[(
                "      trustDomain: cluster1\n",
                &format!("      trustDomain: cluster1\n      localityLbSetting: {setting}\n"),
            )],
        );
        let (code, json) = trace_json(&[
            tmp.path().to_str().unwrap(),
            "--from",
            "cluster1/bookinfo-frontends",
            "--to",
            "reviews.mesh.internal",
        ]);
        assert_eq!(code, 0, "{json}");
        json["destinations"][0].clone()
    };
    // Each endpoint's cluster and weight, in priority 0.
    let weights = |d: &Value| -> Vec<(String, u64)> {
        let endpoints = d["priorities"][0]["endpoints"].as_array().unwrap();
        let mut weights: Vec<(String, u64)> = endpoints
            .iter()
            .map(|e| (e["cluster"].to_string(), e["weight"].as_u64().unwrap()))
            .collect();
        weights.dedup();
        weights
    };
    let d = ask("{}");
    assert_eq!(d["localityLb"], "off", "{d}");
    let d = ask(
        "{distribute: [{from: \"us-west-1/*\", to: {\"us-west-1/*\": 90, \"us-east-1/*\": 10}}]}",
    );
    assert_eq!(d["localityLb"], "distribute", "{d}");
    let expected = [
        ("\"cluster2\"".to_owned(), 10),
        ("\"cluster1\"".to_owned(), 90),
    ];
    assert_eq!(weights(&d), expected, "{d}");
    // Switched off in the mesh config, it is off whatever else it says.
    let d = ask("{enabled: false, distribute: [{from: \"*\", to: {\"us-east-1/*\": 100}}]}");
    assert_eq!(d["localityLb"], "off", "{d}");
    // A field of the wrong type makes istiod refuse the mesh config: an error.
    let tmp = edited(
        "multi-vd",
        "clusters/cluster1/state.yaml",
        &[(
            "      trustDomain: cluster1\n",
            "      trustDomain: cluster1\n      localityLbSetting: {failover: [{from: 1}]}\n",
        )],
    );
    let o = vdc().arg("check").arg(tmp.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("`data.mesh.localityLbSetting.failover[0].from`: expected a string"),
        "{stdout}"
    );
}

#[test]
fn json_follows_the_contract() {
    let (code, json) = trace_json(&[
        "testdata/routing-policies",
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
    ]);
    assert_eq!(code, 0);
    insta::assert_json_snapshot!("trace_ratings_json", json);
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&json),
        ["destinations", "fault", "from", "outcome", "route", "to"]
    );
    assert_eq!(
        keys(&json["from"]),
        ["cluster", "labels", "locality", "namespace", "workload"]
    );
    let d = &json["destinations"][0];
    assert_eq!(
        keys(d),
        [
            "destinationRule",
            "host",
            "localityLb",
            "port",
            "priorities",
            "serving",
            "subset",
            "tls",
            "weight"
        ]
    );
    let endpoint = &d["priorities"][0]["endpoints"][0];
    assert_eq!(
        keys(endpoint),
        [
            "address", "cluster", "ejected", "locality", "port", "via", "weight"
        ]
    );
    assert_eq!(d["localityLb"], "failoverPriority");
}

#[test]
fn a_subset_no_pod_carries_blames_the_destination_rule() {
    let (code, out, _) = trace(&[
        "testdata/check/subset-not-served",
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "productpage.global",
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("trace_subset_not_served_human", out);
}

#[test]
fn a_host_not_exported_to_the_client_blames_the_service_entry() {
    let (code, json) = trace_json(&[
        "testdata/bookinfo",
        "--from",
        "cluster1/default",
        "--to",
        "productpage.global:9080",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json["outcome"], "no-cluster");
    assert_eq!(json["fault"]["kind"], "ServiceEntry");
    assert_eq!(
        json["fault"]["object"],
        "bookinfo-frontends/vd-productpage-global-bookinfo"
    );
    let (_, json) = trace_json(&[
        "testdata/bookinfo",
        "--from",
        "cluster1/default",
        "--to",
        "nothing.example.com:80",
    ]);
    assert_eq!(json["outcome"], "no-cluster");
    // No object declares the host: null, not a placeholder a script would take for a name; and
    // no TLS mode was chosen, so none is reported (null, not "").
    assert_eq!(json["fault"]["kind"], "ServiceEntry");
    assert_eq!(json["fault"]["object"], Value::Null);
    assert_eq!(json["destinations"][0]["tls"]["mode"], Value::Null);
}

/// The ratings route is only for `app=productpage`: istiod builds no route of it for another
/// workload's sidecar and leaves the VirtualService out, so the host's default route serves.
#[test]
fn a_route_only_for_other_workloads_is_left_out() {
    let args = [
        "testdata/routing-policies",
        "--from",
        "cluster1/bookinfo-backends",
        "--to",
        "ratings.mesh.internal",
    ];
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0);
    assert_eq!(json["outcome"], "ok");
    assert_eq!(json["route"]["virtualService"], Value::Null);
    assert_eq!(json["destinations"][0]["host"], "ratings.mesh.internal");
    let (_, out, _) = trace(&args);
    assert!(
        out.contains(
            "has no http rule for a workload labelled with nothing, so istiod leaves it out"
        ),
        "{out}"
    );
    // The same namespace with the labels the route wants is routed by it.
    let mut labelled = args.to_vec();
    labelled.extend(["--labels", "app=productpage"]);
    let (code, json) = trace_json(&labelled);
    assert_eq!(code, 0);
    assert_eq!(
        json["route"]["virtualService"],
        "bookinfo-backends/routetable-ratings-east-west-bo-89a44202ef732f3e3c52b2b886efedd"
    );
}

/// A copy of `testdata/INPUT` in a temporary folder, with each `(old, new)` replaced once in
/// the file at `path` (each `old` must occur there exactly once).
fn edited(input: &str, path: &str, edits: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    common::copy_tree(&std::path::Path::new("testdata").join(input), tmp.path());
    let file = tmp.path().join(path);
    let mut text = std::fs::read_to_string(&file).unwrap();
    for (old, new) in edits {
        assert_eq!(text.matches(old).count(), 1, "{old}");
        text = text.replace(old, new);
    }
    std::fs::write(&file, text).unwrap();
    tmp
}

const BACKENDS: &str = "clusters/cluster1/gloo/backends.yaml";

/// `testdata/routing-policies` with the mesh route to ratings given `matchers` (YAML lines
/// under the `ratings` route).
fn ratings_route_with(matchers: &str) -> tempfile::TempDir {
    let rule = "  http:\n  - name: ratings\n";
    edited(
        "routing-policies",
        BACKENDS,
        &[(rule, &format!("{rule}{matchers}"))],
    )
}

#[test]
fn a_rule_for_the_client_that_the_request_does_not_fit_is_no_route() {
    let tmp = ratings_route_with("    matchers:\n    - uri:\n        prefix: /ratings\n");
    let input = tmp.path().to_str().unwrap();
    let args = [
        input,
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
    ];
    let (code, json) = trace_json(&args);
    assert_eq!(code, 1);
    assert_eq!(json["outcome"], "no-route");
    assert_eq!(json["fault"]["kind"], "VirtualService");
    assert!(json["destinations"].as_array().unwrap().is_empty());
    let mut ratings = args.to_vec();
    ratings.extend(["--path", "/ratings/0"]);
    let (code, json) = trace_json(&ratings);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["rule"], "ratings-ratings-east-west");
}

/// A matcher's `port` (Gloo's `HTTPRequestMatcher.port`) becomes the Istio match's `port`:
/// istiod builds the rule only into that port's routes, so a request to another port of the
/// host does not take it.
#[test]
fn a_rule_matching_a_port_takes_only_requests_to_that_port() {
    let ask = |matchers: &str| {
        let tmp = ratings_route_with(matchers);
        let input = tmp.path().to_str().unwrap();
        let args = [
            input,
            "--from",
            "cluster1/bookinfo-frontends/productpage-v1",
            "--to",
            "ratings.mesh.internal",
        ];
        let (code, json) = trace_json(&args);
        let (_, out, _) = trace(&args);
        (code, json, out)
    };
    let (code, json, _) = ask("    matchers:\n    - port: 9080\n");
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["rule"], "ratings-ratings-east-west");
    let (code, json, out) = ask("    matchers:\n    - port: 9081\n");
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["virtualService"], Value::Null);
    assert!(
        out.contains("has no http rule for a workload labelled app=productpage"),
        "{out}"
    );
    assert!(
        out.contains(" on port 9080, so istiod leaves it out"),
        "{out}"
    );
}

/// Envoy normalizes the path before routes see it (istiod sets `normalize_path`): a request
/// for `/ratings/../admin` is one for `/admin`, which a `/ratings` prefix does not take.
#[test]
fn routes_match_the_normalized_path() {
    let tmp = ratings_route_with("    matchers:\n    - uri:\n        prefix: /ratings\n");
    let input = tmp.path().to_str().unwrap();
    let ask = |path: &str| {
        let args = [
            input,
            "--from",
            "cluster1/bookinfo-frontends/productpage-v1",
            "--to",
            "ratings.mesh.internal",
            "--path",
            path,
        ];
        let (code, json) = trace_json(&args);
        let (_, out, _) = trace(&args);
        (code, json, out)
    };
    let (code, json, out) = ask("/ratings/../admin?x=1");
    assert_eq!(code, 1);
    assert_eq!(json["outcome"], "no-route");
    assert_eq!(json["to"]["normalizedPath"], "/admin");
    assert!(
        out.contains(
            "  path      /ratings/../admin is matched as /admin (Envoy normalizes it first)"
        ),
        "{out}"
    );
    assert!(
        out.contains("no http rule matches GET /admin from"),
        "{out}"
    );
    let (code, json, _) = ask("/static/%2e%2e/ratings/./0");
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["to"]["normalizedPath"], "/ratings/0");
    // A path normalizing leaves as it is is not repeated.
    let (code, json, out) = ask("/ratings/0");
    assert_eq!(code, 0);
    assert!(json["to"].get("normalizedPath").is_none(), "{json}");
    assert!(!out.contains("  path "), "{out}");
}

/// The client's mesh config decides the normalization: with `MERGE_SLASHES`, `//ratings/0` is
/// `/ratings/0`; with Istio's default it is not, and no `/ratings` prefix takes it.
#[test]
fn the_clients_mesh_config_decides_how_the_path_is_normalized() {
    let tmp = ratings_route_with("    matchers:\n    - uri:\n        prefix: /ratings\n");
    let input = tmp.path().to_str().unwrap();
    let ask = || {
        trace_json(&[
            input,
            "--from",
            "cluster1/bookinfo-frontends/productpage-v1",
            "--to",
            "ratings.mesh.internal",
            "--path",
            "//ratings/0",
        ])
    };
    let (code, json) = ask();
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["outcome"], "no-route");
    assert!(json["to"].get("normalizedPath").is_none(), "{json}");
    let state = tmp.path().join("clusters/cluster1/state.yaml");
    let text = std::fs::read_to_string(&state).unwrap();
    let line = "      rootNamespace: istio-system\n";
    assert_eq!(text.matches(line).count(), 1);
    let with = format!("{line}      pathNormalization:\n        normalization: MERGE_SLASHES\n");
    std::fs::write(&state, text.replace(line, &with)).unwrap();
    let (code, json) = ask();
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["to"]["normalizedPath"], "/ratings/0");
    assert_eq!(json["route"]["rule"], "ratings-ratings-east-west");
    // A name istiod does not know makes it refuse the mesh config: an error, naming them.
    let text = std::fs::read_to_string(&state).unwrap();
    std::fs::write(&state, text.replace("MERGE_SLASHES", "MERGE")).unwrap();
    let o = vdc().arg("check").arg(input).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[VDC207]: `data.mesh.pathNormalization.normalization` is `MERGE`"),
        "{stdout}"
    );
    assert!(stdout.contains("`DECODE_AND_MERGE_SLASHES`"), "{stdout}");
}

/// Two RouteTables for one host: the first VirtualService (by namespace and name) has rules only
/// for the reviews workloads, so istiod leaves it out of productpage's sidecar and uses the
/// next one, which has a rule for productpage.
#[test]
fn a_virtual_service_left_out_for_the_client_gives_way_to_the_next_of_the_host() {
    let table = |name: &str, app: &str, prefix: &str| {
        format!(
            "---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: {name}\n  namespace: bookinfo-frontends\nspec:\n  hosts:\n  - productpage.global\n  workloadSelectors:\n  - selector:\n      labels:\n        app: {app}\n  http:\n  - name: {name}\n    matchers:\n    - uri:\n        prefix: {prefix}\n    forwardTo:\n      destinations:\n      - ref:\n          name: productpage\n          namespace: bookinfo-frontends\n        kind: VIRTUAL_DESTINATION\n        port:\n          number: 9080\n"
        )
    };
    let tmp = tempfile::TempDir::new().unwrap();
    common::copy_tree(std::path::Path::new("testdata/bookinfo"), tmp.path());
    let tables =
        table("a-reviews", "reviews", "/reviews") + &table("b-productpage", "productpage", "/");
    std::fs::write(
        tmp.path().join("clusters/cluster1/gloo/tables.yaml"),
        tables,
    )
    .unwrap();
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "productpage.global",
    ];
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let taken = json["route"]["virtualService"].as_str().unwrap();
    assert!(taken.contains("b-productpage"), "{json}");
    let (_, out, _) = trace(&args);
    let note = out
        .lines()
        .find(|l| l.starts_with("note"))
        .unwrap_or_default();
    assert!(note.contains("routetable-a-reviews"), "{out}");
    assert!(
        note.ends_with(&format!("uses VirtualService {taken} of the host instead")),
        "{out}"
    );
}

/// `ignoreCase` on a regex matcher: Envoy ignores case-insensitivity for `safe_regex`, so the
/// regex is matched, as written, on the path as asked.
#[test]
fn ignore_case_leaves_a_regex_case_sensitive() {
    let tmp = ratings_route_with(
        "    matchers:\n    - uri:\n        regex: /Ratings/[0-9]+\n        ignoreCase: true\n",
    );
    let input = tmp.path().to_str().unwrap();
    let outcome = |path: &str| {
        let (_, json) = trace_json(&[
            input,
            "--from",
            "cluster1/bookinfo-frontends/productpage-v1",
            "--to",
            "ratings.mesh.internal",
            "--path",
            path,
        ]);
        json["outcome"].as_str().unwrap().to_owned()
    };
    assert_eq!(outcome("/Ratings/1"), "ok");
    assert_eq!(outcome("/ratings/1"), "no-route");
}

/// A route that rewrites the path by regex says what it matches and what it puts instead, in
/// the human output and in the JSON's `route.actions`.
#[test]
fn a_regex_rewrite_is_reported() {
    let head = "  - name: ratings\n    forwardTo:\n";
    let tmp = edited(
        "routing-policies",
        BACKENDS,
        &[(
            head,
            &format!(
                "{head}      regexRewrite:\n        pattern:\n          regex: ^/ratings/([0-9]+)$\n        substitution: /api/ratings/\\1\n"
            ),
        )],
    );
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
        "--path",
        "/ratings/7",
    ];
    let said =
        "rewrite: path regex ^/ratings/([0-9]+)$ replaced with /api/ratings/\\1 before forwarding";
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["actions"], serde_json::json!([said]));
    let (_, out, _) = trace(&args);
    assert!(out.contains(&format!("\n            {said}\n")), "{out}");
}

/// The ratings route of `testdata/traffic-policies` labelled for its FaultInjectionPolicy
/// (a 2s delay for every request, a 503 for 12.5 %) and its RetryTimeoutPolicy's retries: the
/// trace reports both, as SPEC §8 asks, in words and in the JSON's `route`.
#[test]
fn a_rules_fault_and_retries_are_reported() {
    let tmp = edited(
        "traffic-policies",
        BACKENDS,
        &[(
            "  - name: ratings\n    labels:\n      request_timeout: \"0.5s\"\n",
            "  - name: ratings\n    labels:\n      api: productpage\n      fault_injection: \"true\"\n",
        )],
    );
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
    ];
    let (code, out, _) = trace(&args);
    assert_eq!(code, 0, "{out}");
    let route: Vec<&str> = out.lines().skip(2).take(3).collect();
    insta::assert_snapshot!("trace_fault_and_retries_human", route.join("\n"));
    let (_, json) = trace_json(&args);
    assert_eq!(
        json["route"]["fault"],
        serde_json::json!({
            "delay": {"fixedDelay": "2s", "percentage": 100},
            "abort": {"httpStatus": 503, "percentage": 12.5}
        })
    );
    assert_eq!(
        json["route"]["retries"],
        serde_json::json!({
            "attempts": 3,
            "perTryTimeout": "2s",
            "retryOn": "5xx,gateway-error,connect-failure,503"
        })
    );
    // A rule without either says nothing of them.
    let (_, json) = trace_json(&[
        "testdata/routing-policies",
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
    ]);
    assert!(json["route"].get("fault").is_none() && json["route"].get("retries").is_none());
}

/// ratings gains a TCP port 9081; its VirtualService has only an http rule. The sidecar's TCP
/// filter chain for 9081 has no tcp route to take, so it gets the default route to the host's
/// own cluster: no 404 on a TCP port.
#[test]
fn a_tcp_port_with_no_tcp_route_goes_to_the_host() {
    let http_port = "  - number: 9080\n    protocol: HTTP\n---";
    let tcp_port = "  - number: 9080\n    protocol: HTTP\n  - number: 9081\n    protocol: TCP\n    targetPort:\n      number: 9080\n---";
    let ratings = "          name: ratings\n          namespace: bookinfo-backends\n        kind: VIRTUAL_DESTINATION\n";
    let tmp = edited(
        "routing-policies",
        BACKENDS,
        &[
            (http_port, tcp_port),
            // Two ports now: the http route names its own.
            (
                ratings,
                &format!("{ratings}        port:\n          number: 9080\n"),
            ),
        ],
    );
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal:9081",
    ];
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["virtualService"], Value::Null);
    let d = &json["destinations"][0];
    assert_eq!(
        (&d["host"], &d["port"]),
        (&"ratings.mesh.internal".into(), &9081.into())
    );
    let (_, out, _) = trace(&args);
    assert!(
        out.contains("has no tcp route for port 9081 that this workload matches, so the sidecar sends the connection to the host's own cluster outbound|9081||ratings.mesh.internal"),
        "{out}"
    );
    // The http port still takes the http rule.
    let mut http = args.to_vec();
    http[4] = "ratings.mesh.internal:9080";
    let (code, json) = trace_json(&http);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["rule"], "ratings-ratings-east-west");
}

/// `testdata/multi-vd` with failover and outlier detection for reviews, ejecting at most 50 % of
/// its Envoy cluster's three hosts (two pods in cluster1, cluster2's gateway): a first ejection
/// is 33 %, a second would be 67 %, so Envoy keeps one failed pod in the load-balancing set.
#[test]
fn fail_ejects_no_more_than_max_ejection_percent() {
    let policies = "      name: http
---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: FailoverPolicy
metadata:
  name: reviews-failover
  namespace: bookinfo-backends
spec:
  applyToDestinations:
  - kind: VIRTUAL_DESTINATION
    selector:
      name: reviews
---
apiVersion: resilience.policy.gloo.solo.io/v2
kind: OutlierDetectionPolicy
metadata:
  name: reviews-outliers
  namespace: bookinfo-backends
spec:
  applyToDestinations:
  - kind: VIRTUAL_DESTINATION
    selector:
      name: reviews
  config:
    consecutiveErrors: 2
    interval: 5s
    baseEjectionTime: 30s
    maxEjectionPercent: 50
";
    let tmp = edited(
        "multi-vd",
        "clusters/cluster1/gloo/reviews.yaml",
        &[("      name: http\n", policies)],
    );
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-backends",
        "--to",
        "reviews.mesh.internal",
        "--fail",
        "cluster:cluster1",
    ];
    let (code, json) = trace_json(&args);
    // Every request priority 0 takes goes to the pod left in: they fail.
    assert_eq!(code, 1, "{json}");
    let d = &json["destinations"][0];
    assert_eq!(d["failing"][0]["share"], 100.0, "{d}");
    assert_eq!(d["localityLb"], "proximity");
    let local = &d["priorities"][0]["endpoints"];
    let ejected: Vec<&Value> = local
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["ejected"])
        .collect();
    assert_eq!(ejected, [true, false], "{d}");
    // The failed pod left in is still in priority 0's load-balancing set.
    assert_eq!(d["serving"], 0);
    let (_, out, _) = trace(&args);
    let line = |pod: &str| out.lines().find(|l| l.contains(pod)).unwrap();
    assert!(
        line("reviews-v1:9080").ends_with("weight 2  ejected"),
        "{out}"
    );
    assert!(
        line("reviews-v2:9080").ends_with("weight 2  down, not ejected"),
        "{out}"
    );
    assert!(
        out.contains("outlier detection ejects at most 50% of the 3 endpoints of outbound|8080||reviews.mesh.internal"),
        "{out}"
    );
}

#[test]
fn locality_override_reorders_the_priorities() {
    let (_, json) = trace_json(&[
        "testdata/bookinfo",
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
        "--locality",
        "us-east-1",
    ]);
    assert_eq!(json["from"]["locality"], "us-east-1");
    let first = &json["destinations"][0]["priorities"][0]["endpoints"][0];
    assert_eq!(first["cluster"], "cluster2");
    assert_eq!(first["via"], "east-west-gateway");
}

/// Every kind of `--fail` target the input has is taken: a pod's endpoint by its name, a
/// gateway address, a zone, the sites outside every cluster.
#[test]
fn fail_targets_the_input_has_are_taken() {
    for (input, from, to, target) in [
        (
            "bookinfo",
            "cluster1/bookinfo-frontends",
            "productpage.global",
            "address:bookinfo-frontends/productpage-v1",
        ),
        (
            "bookinfo",
            "cluster1/bookinfo-frontends",
            "productpage.global",
            "address:172.23.0.6",
        ),
        (
            "external-backends",
            "cluster1/payments",
            "payments.mesh.internal",
            "zone:us-east-1/us-east-1a",
        ),
        (
            "external-backends",
            "cluster1/payments",
            "payments.mesh.internal",
            "cluster:external",
        ),
    ] {
        let input = format!("testdata/{input}");
        let (code, json) = trace_json(&[&input, "--from", from, "--to", to, "--fail", target]);
        let ejected = json["destinations"][0]["priorities"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["endpoints"].as_array().unwrap())
            .any(|e| e["ejected"] == true);
        assert!(ejected && code < 2, "{target}: {json}");
    }
}

#[test]
fn questions_vdc_cannot_answer_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--from", "cluster9/x", "--to", "a"],
            "no cluster of that name",
        ),
        (
            &["--from", "cluster1/nope", "--to", "a"],
            "no namespace of that name",
        ),
        (
            &["--from", "cluster1/bookinfo-frontends/nope", "--to", "a"],
            "no Deployment",
        ),
        (&["--from", "cluster1", "--to", "a"], "CLUSTER/NAMESPACE"),
        (&["--from", "cluster1/default", "--to", "a:0"], "1 to 65535"),
        (
            &["--from", "cluster1/default", "--to", "a", "--fail", "pod:x"],
            "cluster:NAME",
        ),
        (
            &["--from", "cluster1/default", "--to", "a", "--path", "x"],
            "starts with /",
        ),
        // A target that names nothing would fail nothing, and the drill would answer ok.
        (
            &[
                "--from",
                "cluster1/default",
                "--to",
                "a",
                "--fail",
                "cluster:clustr1",
            ],
            "--fail cluster:clustr1: the input has no cluster of that name (did you mean `cluster1`?",
        ),
        (
            &[
                "--from",
                "cluster1/default",
                "--to",
                "a",
                "--fail",
                "region:us-wst-1",
            ],
            "--fail region:us-wst-1: the input has no node or endpoint in that region (did you mean `us-west-1`?",
        ),
        (
            &[
                "--from",
                "cluster1/default",
                "--to",
                "a",
                "--fail",
                "zone:us-west-1/a",
            ],
            "--fail zone:us-west-1/a: the input has no node or endpoint in that zone",
        ),
        (
            &[
                "--from",
                "cluster1/default",
                "--to",
                "a",
                "--fail",
                "address:172.23.0.66",
            ],
            "--fail address:172.23.0.66: the input has no endpoint at that address (did you mean `172.23.0.6`?",
        ),
        (
            &[
                "--from",
                "cluster1/default",
                "--to",
                "a",
                "--fail",
                "cluster:external",
            ],
            "--fail cluster:external: the input has no cluster of that name",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["testdata/bookinfo"];
        all.extend_from_slice(args);
        let (code, _, stderr) = trace(&all);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let (code, _, stderr) = trace(&[
        "testdata/routing-policies",
        "--from",
        "cluster1/bookinfo-backends",
        "--to",
        "reviews.mesh.internal",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("has ports 8080, 9090"), "{stderr}");
    let (code, _, stderr) = trace(&[
        "testdata/check/yaml-syntax",
        "--from",
        "cluster1/x",
        "--to",
        "a",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("has errors, so nothing is rendered"),
        "{stderr}"
    );
}

/// What `kubectl get rs,pods -n bookinfo-frontends -o yaml` prints for the `productpage-v1`
/// Deployment of Istio's Bookinfo sample (`samples/bookinfo/platform/kube/bookinfo.yaml`) at 2
/// replicas, one rollout in: the current ReplicaSet and its 2 Pods, and the ReplicaSet of the
/// previous revision, scaled to 0 (trimmed: no status, uids, resources or probes).
const PRODUCTPAGE_PODS: &str = r#"apiVersion: v1
kind: List
items:
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: productpage-v1-6b746f74dc
    namespace: bookinfo-frontends
    labels: {app: productpage, version: v1, pod-template-hash: 6b746f74dc}
    annotations: {deployment.kubernetes.io/revision: "2"}
    ownerReferences:
    - {apiVersion: apps/v1, kind: Deployment, name: productpage-v1, controller: true, blockOwnerDeletion: true, uid: 7d1c9a52-2f0e-4b8e-9c39-1f3d5b0e6a11}
  spec:
    replicas: 2
    selector:
      matchLabels: {app: productpage, version: v1, pod-template-hash: 6b746f74dc}
    template:
      metadata:
        labels: {app: productpage, version: v1, pod-template-hash: 6b746f74dc}
      spec:
        serviceAccountName: bookinfo-productpage
        containers:
        - name: productpage
          image: docker.io/istio/examples-bookinfo-productpage-v1:1.18.0
          ports: [{containerPort: 9080, protocol: TCP}]
- apiVersion: apps/v1
  kind: ReplicaSet
  metadata:
    name: productpage-v1-5c8f9d7b6c
    namespace: bookinfo-frontends
    labels: {app: productpage, version: v1, pod-template-hash: 5c8f9d7b6c}
    annotations: {deployment.kubernetes.io/revision: "1"}
    ownerReferences:
    - {apiVersion: apps/v1, kind: Deployment, name: productpage-v1, controller: true, blockOwnerDeletion: true, uid: 7d1c9a52-2f0e-4b8e-9c39-1f3d5b0e6a11}
  spec:
    replicas: 0
    selector:
      matchLabels: {app: productpage, version: v1, pod-template-hash: 5c8f9d7b6c}
    template:
      metadata:
        labels: {app: productpage, version: v1, pod-template-hash: 5c8f9d7b6c}
      spec:
        serviceAccountName: bookinfo-productpage
        containers:
        - name: productpage
          image: docker.io/istio/examples-bookinfo-productpage-v1:1.17.0
          ports: [{containerPort: 9080, protocol: TCP}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: productpage-v1-6b746f74dc-8xk2p
    namespace: bookinfo-frontends
    labels: {app: productpage, version: v1, pod-template-hash: 6b746f74dc, security.istio.io/tlsMode: istio}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: productpage-v1-6b746f74dc, controller: true, blockOwnerDeletion: true, uid: 0b6e3f1a-93c4-4d0e-8f5a-2c7b9e4d1f20}
  spec:
    nodeName: cluster1-worker
    serviceAccountName: bookinfo-productpage
    containers:
    - name: productpage
      ports: [{containerPort: 9080, protocol: TCP}]
    - name: istio-proxy
      ports: [{name: http-envoy-prom, containerPort: 15090, protocol: TCP}]
- apiVersion: v1
  kind: Pod
  metadata:
    name: productpage-v1-6b746f74dc-q4v7z
    namespace: bookinfo-frontends
    labels: {app: productpage, version: v1, pod-template-hash: 6b746f74dc, security.istio.io/tlsMode: istio}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: productpage-v1-6b746f74dc, controller: true, blockOwnerDeletion: true, uid: 0b6e3f1a-93c4-4d0e-8f5a-2c7b9e4d1f20}
  spec:
    nodeName: cluster1-worker
    serviceAccountName: bookinfo-productpage
    containers:
    - name: productpage
      ports: [{containerPort: 9080, protocol: TCP}]
    - name: istio-proxy
      ports: [{name: http-envoy-prom, containerPort: 15090, protocol: TCP}]
"#;

/// `testdata/bookinfo` with [`PRODUCTPAGE_PODS`] beside the Deployment in each cluster listed.
fn bookinfo_with_pods(clusters: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    common::copy_tree(std::path::Path::new("testdata/bookinfo"), tmp.path());
    for cluster in clusters {
        let path = tmp.path().join(format!("clusters/{cluster}/pods.yaml"));
        std::fs::write(path, PRODUCTPAGE_PODS).unwrap();
    }
    tmp
}

#[test]
fn a_deployment_its_replica_sets_and_its_pods_are_one_endpoint_per_pod() {
    let tmp = bookinfo_with_pods(&["cluster1"]);
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
    ];
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let d = &json["destinations"][0];
    let local: Vec<(&str, u64)> = d["priorities"][0]["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["address"].as_str().unwrap(),
                e["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    // Istio's EDS: one endpoint per Pod, the locality weighing 2; neither the Deployment nor a
    // ReplicaSet is an endpoint of its own.
    assert_eq!(
        local,
        [
            ("bookinfo-frontends/productpage-v1-6b746f74dc-8xk2p", 2),
            ("bookinfo-frontends/productpage-v1-6b746f74dc-q4v7z", 2),
        ],
        "{d}"
    );
}

#[test]
fn pods_behind_a_remote_gateway_are_the_pods_not_their_controllers() {
    let tmp = bookinfo_with_pods(&["cluster1", "cluster2"]);
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
    ];
    let (code, out, err) = trace(&args);
    assert_eq!(code, 0, "{err}");
    let remote = out.lines().find(|l| l.contains("via east-west")).unwrap();
    assert!(
        remote.ends_with(
            "→ bookinfo-frontends/productpage-v1-6b746f74dc-8xk2p, bookinfo-frontends/productpage-v1-6b746f74dc-q4v7z  weight 1"
        ),
        "{out}"
    );
    // Failing the Deployment would fail no endpoint: refused, with its pods' names at hand.
    let mut fail = args.to_vec();
    fail.extend(["--fail", "address:bookinfo-frontends/productpage-v1"]);
    let (code, _, err) = trace(&fail);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no endpoint at that address"), "{err}");
}

/// `testdata/bookinfo` as dumped once vdc's own output has been applied: each cluster's state
/// also holds the objects `vdc render` wrote for it.
fn bookinfo_with_its_output_applied() -> tempfile::TempDir {
    let out = tempfile::TempDir::new().unwrap();
    let status = vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(out.path().join("out"))
        .output()
        .unwrap();
    assert!(status.status.success());
    let tmp = tempfile::TempDir::new().unwrap();
    common::copy_tree(std::path::Path::new("testdata/bookinfo"), tmp.path());
    for cluster in ["cluster1", "cluster2"] {
        let mut dump = String::new();
        for ns in std::fs::read_dir(out.path().join("out").join(cluster)).unwrap() {
            let ns = ns.unwrap().path();
            if !ns.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(ns).unwrap() {
                dump.push_str("---\n");
                dump.push_str(&std::fs::read_to_string(file.unwrap().path()).unwrap());
            }
        }
        assert!(dump.contains("WorkloadEntry"), "{dump}");
        let state = tmp
            .path()
            .join("clusters")
            .join(cluster)
            .join("applied.yaml");
        std::fs::write(state, dump).unwrap();
    }
    tmp
}

#[test]
fn vdc_s_own_applied_output_is_not_read_as_the_cluster_s_config() {
    let input = bookinfo_with_its_output_applied();
    let input = input.path().to_str().unwrap();
    let check = common::check_input(input, &[]);
    assert_eq!(check.status, 0, "{}{}", check.stdout, check.stderr);
    assert!(!check.stdout.contains("VDC"), "{}", check.stdout);
    let args = [
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
    ];
    let (code, dumped, _) = trace(&[&[input][..], &args].concat());
    let (_, original, _) = trace(&[&["testdata/bookinfo"][..], &args].concat());
    assert_eq!(code, 0);
    assert_eq!(dumped, original);
}

#[test]
fn an_ipv6_endpoint_is_written_in_brackets_and_json_keeps_it_bare() {
    let input = edited(
        "bookinfo",
        "clusters/cluster2/state.json",
        &[(r#""ip": "172.23.0.6""#, r#""ip": "2600:1f18::10""#)],
    );
    let input = input.path().to_str().unwrap();
    let args = [
        input,
        "--from",
        "cluster1/bookinfo-frontends",
        "--to",
        "productpage.global",
    ];
    let (code, out, _) = trace(&args);
    assert_eq!(code, 0);
    assert!(out.contains(" [2600:1f18::10]:15443 via"), "{out}");
    let (_, json) = trace_json(&args);
    let text = json.to_string();
    assert!(text.contains(r#""address":"2600:1f18::10""#), "{text}");
    assert!(!text.contains("[2600"), "{text}");
}

/// testdata/bookinfo where cluster1's clients reach cluster2 at two addresses: its east-west
/// gateway, and `second`, which cannot carry the request.
fn bookinfo_with_a_second_cluster2_address(second: &str) -> tempfile::TempDir {
    let end = "    - kind: ALL\n      labels:\n        expose: \"true\"\n";
    let overrides = format!(
        "{end}  options:\n    eastWestGateways:\n    - selector:\n        labels:\n          istio: eastwestgateway\n        cluster: cluster2\n      hostInfoOverrides:\n      - addr: 172.23.0.6\n        port: 15443\n{second}    - selector:\n        labels:\n          istio: eastwestgateway\n"
    );
    edited(
        "bookinfo",
        "clusters/cluster1/gloo/bookinfo.yaml",
        &[(end, &overrides)],
    )
}

const FAIL_CLUSTER1: [&str; 6] = [
    "--from",
    "cluster1/bookinfo-frontends",
    "--to",
    "productpage.global",
    "--fail",
    "cluster:cluster1",
];

#[test]
fn a_share_of_the_requests_reset_by_a_gateway_without_a_server_is_a_failure() {
    // 172.23.0.4:443 is cluster2's ingress gateway, which has no server for the host: the
    // half of the requests it takes are reset.
    let tmp =
        bookinfo_with_a_second_cluster2_address("      - addr: 172.23.0.4\n        port: 443\n");
    let input = tmp.path().to_str().unwrap();
    let args: Vec<&str> = [input].into_iter().chain(FAIL_CLUSTER1).collect();
    vdc().arg("trace").args(&args).assert().code(1);
    let (_, out, _) = trace(&args);
    insta::assert_snapshot!("trace_partial_dead_end_human", out);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 1);
    assert_eq!(json["outcome"], "tls-mismatch");
    insta::assert_json_snapshot!("trace_partial_dead_end_json", json);
    // Without --fail cluster1 serves, and nothing fails.
    vdc().arg("trace").args(&args[..5]).assert().code(0);
}

#[test]
fn a_gateway_address_without_the_port_is_that_clusters_and_refuses() {
    // 172.23.0.4 is cluster2's ingress gateway, which has no port 15443: not an endpoint of
    // cluster1, which --fail cluster:cluster1 would take down, but a refused connection.
    let tmp =
        bookinfo_with_a_second_cluster2_address("      - addr: 172.23.0.4\n        port: 15443\n");
    let input = tmp.path().to_str().unwrap();
    let args: Vec<&str> = [input].into_iter().chain(FAIL_CLUSTER1).collect();
    vdc().arg("trace").args(&args).assert().code(1);
    let (_, json) = trace_json(&args);
    let d = &json["destinations"][0];
    let refused = &d["priorities"][1]["endpoints"][0];
    assert_eq!(refused["address"], "172.23.0.4", "{d}");
    assert_eq!(refused["cluster"], "cluster2", "{d}");
    assert_eq!(refused["ejected"], false, "{d}");
    assert_eq!(
        d["failing"],
        serde_json::json!([{"address": "172.23.0.4", "port": 15443, "cluster": "cluster2", "share": 50.0, "why": "no-port"}])
    );
    assert_eq!(json["outcome"], "no-healthy-endpoint");
    assert_eq!(
        json["fault"]["object"],
        "istio-gateways/istio-ingressgateway"
    );
}

#[test]
fn failed_endpoints_outlier_detection_keeps_fail_their_share() {
    // No outlier detection: cluster1's two pods keep their locality's weight 2 of 3.
    let args = [
        "testdata/multi-vd",
        "--from",
        "cluster1/bookinfo-backends",
        "--to",
        "reviews.mesh.internal",
        "--fail",
        "cluster:cluster1",
    ];
    vdc().arg("trace").args(args).assert().code(1);
    let (_, out, _) = trace(&args);
    insta::assert_snapshot!("trace_down_not_ejected_human", out);
    let (_, json) = trace_json(&args);
    let d = &json["destinations"][0];
    let ejected: Vec<&Value> = (d["priorities"][0]["endpoints"].as_array().unwrap())
        .iter()
        .map(|e| &e["ejected"])
        .collect();
    assert_eq!(ejected, [false, false, false], "nothing is ejected: {d}");
    let shares: Vec<&Value> = (d["failing"].as_array().unwrap())
        .iter()
        .map(|f| &f["share"])
        .collect();
    assert_eq!(shares, [33.3, 33.3]);
    assert_eq!(json["outcome"], "no-healthy-endpoint");
}

#[test]
fn a_rules_mirror_is_reported() {
    // A MirrorPolicy on the ratings route: 10 % of the requests are copied to reviews.
    let head = "  http:\n  - name: ratings\n";
    let policy = "---
apiVersion: trafficcontrol.policy.gloo.solo.io/v2
kind: MirrorPolicy
metadata:
  name: ratings-shadow
  namespace: bookinfo-backends
spec:
  applyToRoutes:
  - route:
      labels:
        mirror: \"true\"
  config:
    destination:
      ref:
        name: reviews
        namespace: bookinfo-backends
      kind: VIRTUAL_DESTINATION
      port:
        number: 8080
    percentage: 10
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
";
    let tmp = edited(
        "routing-policies",
        BACKENDS,
        &[
            (
                head,
                &format!("{head}    labels:\n      mirror: \"true\"\n"),
            ),
            (
                "---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: ratings-east-west\n",
                &format!("{policy}metadata:\n  name: ratings-east-west\n"),
            ),
        ],
    );
    let args = [
        tmp.path().to_str().unwrap(),
        "--from",
        "cluster1/bookinfo-frontends/productpage-v1",
        "--to",
        "ratings.mesh.internal",
    ];
    let said = "mirror: a copy of 10% of the requests goes to reviews.mesh.internal:8080, its responses dropped";
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["route"]["actions"], serde_json::json!([said]));
    let (_, out, _) = trace(&args);
    assert!(out.contains(&format!("\n            {said}\n")), "{out}");
}

const CLUSTER2: &str = "clusters/cluster2/state.json";
const SYSTEM_NS: (&str, &str) = (
    "\"kubernetes.io/metadata.name\": \"istio-system\"",
    "\"kubernetes.io/metadata.name\": \"istio-system\", \"topology.istio.io/network\": \"cluster2\"",
);
const EAST_WEST: (&str, &str) = (
    "\"istio\": \"eastwestgateway\"\n        },\n        \"creationTimestamp\"",
    "\"istio\": \"eastwestgateway\", \"topology.istio.io/network\": \"cluster2\"\n        },\n        \"creationTimestamp\"",
);
const VM_ON_ITS_NETWORK: (&str, &str) = (
    "\"address\": \"10.0.3.7\",",
    "\"address\": \"10.0.3.7\", \"network\": \"vm-network\",",
);
const VM_GATEWAY: (&str, &str) = (
    "\"items\": [",
    r#""items": [{"apiVersion": "v1", "kind": "Service",
      "metadata": {"name": "vm-gateway", "namespace": "istio-gateways",
                   "labels": {"topology.istio.io/network": "vm-network"}},
      "spec": {"type": "LoadBalancer", "ports": [{"name": "tls", "port": 15443}]},
      "status": {"loadBalancer": {"ingress": [{"ip": "10.0.9.9"}]}}},"#,
);
const TO_INVENTORY: [&str; 4] = [
    "--from",
    "cluster2/vm-apps",
    "--to",
    "inventory.mesh.internal",
];

/// Istio's split-horizon EDS (`EndpointsByNetworkFilter`): a sidecar's endpoint on another
/// network with no gateway to that network is kept at its own address, which the client's
/// network does not reach: the requests sent there fail.
#[test]
fn an_endpoint_on_another_network_with_no_gateway_is_unreachable() {
    let edits = [SYSTEM_NS, EAST_WEST, VM_ON_ITS_NETWORK];
    let tmp = edited("external-backends", CLUSTER2, &edits);
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY);
    let (code, out, _) = trace(&args);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!("trace_other_network_no_gateway_human", out);
    let (_, json) = trace_json(&args);
    assert_eq!(json["outcome"], "no-healthy-endpoint", "{json}");
    let failing = &json["destinations"][0]["failing"][0];
    assert_eq!(failing["why"], "other-network", "{json}");
    assert_eq!(failing["address"], "10.0.3.7", "{json}");
}

/// With a gateway labelled with the endpoint's network, istiod sends the sidecar that
/// gateway's address and mTLS port in the endpoint's place.
#[test]
fn an_endpoint_on_another_network_goes_through_its_gateway() {
    let edits = [SYSTEM_NS, EAST_WEST, VM_ON_ITS_NETWORK, VM_GATEWAY];
    let tmp = edited("external-backends", CLUSTER2, &edits);
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let endpoint = &json["destinations"][0]["priorities"][0]["endpoints"][0];
    assert_eq!(endpoint["address"], "10.0.9.9", "{json}");
    assert_eq!(endpoint["port"], 15443, "{json}");
    assert_eq!(endpoint["via"], "east-west-gateway", "{json}");
}

/// Network labels that put every endpoint on the client's network change no answer.
#[test]
fn one_network_labelled_gives_the_same_answers() {
    let tmp = edited("external-backends", CLUSTER2, &[SYSTEM_NS, EAST_WEST]);
    let labelled = tmp.path().to_str().unwrap();
    let questions: [&[&str]; 4] = [
        &TO_INVENTORY,
        &[
            "--from",
            "cluster2/payments",
            "--to",
            "payments.mesh.internal",
        ],
        &[
            "--from",
            "cluster1/payments",
            "--to",
            "payments.mesh.internal",
        ],
        &[
            "--from",
            "cluster2/vm-apps",
            "--to",
            "inventory.mesh.internal",
            "--fail",
            "cluster:cluster2",
        ],
    ];
    for question in questions {
        let mut plain = vec!["testdata/external-backends"];
        plain.extend(question);
        let mut with_network = vec![labelled];
        with_network.extend(question);
        let (code, before) = trace_json(&plain);
        let (code_after, after) = trace_json(&with_network);
        assert_eq!((code, &before), (code_after, &after), "{question:?}");
    }
}

/// The VM's tlsMode label: `disabled` (it has no sidecar) or `istio`.
fn vm_tls_mode(mode: &str) -> (&'static str, String) {
    (
        "\"app\": \"inventory\"\n",
        format!("\"app\": \"inventory\", \"security.istio.io/tlsMode\": \"{mode}\"\n"),
    )
}
const VM_SERVICE: (&str, &str) = (
    "\"items\": [",
    r#""items": [{"apiVersion": "v1", "kind": "Service",
      "metadata": {"name": "inventory", "namespace": "vm-apps"},
      "spec": {"selector": {"app": "inventory"},
               "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}},"#,
);
const TO_INVENTORY_SERVICE: [&str; 4] = [
    "--from",
    "cluster2/vm-apps",
    "--to",
    "inventory.vm-apps.svc.cluster.local:8080",
];

/// `external-backends` with cluster2's VM on its own network behind its gateway, a Service
/// for it, and its tlsMode label set to `mode`.
fn vm_behind_a_gateway(mode: &str) -> tempfile::TempDir {
    vm_behind_a_gateway_with(mode, &[])
}

/// [`vm_behind_a_gateway`] with the edits `more` made before the label's.
fn vm_behind_a_gateway_with(mode: &str, more: &[(&str, &str)]) -> tempfile::TempDir {
    let label = vm_tls_mode(mode);
    let mut edits = vec![
        SYSTEM_NS,
        EAST_WEST,
        VM_ON_ITS_NETWORK,
        VM_GATEWAY,
        VM_SERVICE,
    ];
    edits.extend_from_slice(more);
    edits.push((label.0, label.1.as_str()));
    edited("external-backends", CLUSTER2, &edits)
}

/// istiod sends an endpoint through another network's gateway only when the sidecar would
/// send it mTLS (`EndpointsByNetworkFilter`, `isMtlsEnabled`): with no DestinationRule TLS
/// mode for the port, a VM whose tlsMode is `disabled` is left out, and with nothing else
/// left the request has no endpoint.
#[test]
fn an_endpoint_a_gateway_reaches_without_mtls_is_left_out() {
    let tmp = vm_behind_a_gateway("disabled");
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY_SERVICE);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 1, "{json}");
    assert_eq!(json["outcome"], "no-healthy-endpoint", "{json}");
    let d = &json["destinations"][0];
    assert_eq!(d["priorities"], serde_json::json!([]), "{json}");
    assert_eq!(d["leftOut"][0]["address"], "10.0.3.7", "{json}");
    assert_eq!(d["leftOut"][0]["network"], "vm-network", "{json}");
    assert_eq!(d["leftOut"][0]["why"], "no-mtls", "{json}");
    assert_eq!(json["fault"]["kind"], "WorkloadEntry", "{json}");
    let (_, out, _) = trace(&args);
    insta::assert_snapshot!("trace_gateway_endpoint_without_mtls_human", out);

    // The VirtualDestination's DestinationRule sends ISTIO_MUTUAL, but istiod starts from the
    // endpoint's own mode and can only blank it: the VM is still left out.
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 1, "{json}");
    let d = &json["destinations"][0];
    assert_eq!(d["leftOut"][0]["address"], "10.0.3.7", "{json}");
    assert_eq!(d["leftOut"][0]["why"], "no-mtls", "{json}");

    // The tlsMode label a sidecar's bootstrap sets lets it through.
    let tmp = vm_behind_a_gateway("istio");
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY_SERVICE);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let endpoint = &json["destinations"][0]["priorities"][0]["endpoints"][0];
    assert_eq!(endpoint["address"], "10.0.9.9", "{json}");
}

/// The injector labels pods, not their controller's template: a Deployment standing in for
/// pods the dump lacks is taken as injected, and goes through the gateway.
#[test]
fn a_controller_standing_in_for_its_pods_is_taken_as_injected() {
    let deployment = (
        "\"items\": [",
        r#""items": [{"apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "inventory", "namespace": "vm-apps"},
      "spec": {"selector": {"matchLabels": {"app": "inventory"}},
               "template": {"metadata": {"labels": {"app": "inventory", "version": "k8s",
                                                    "topology.istio.io/network": "vm-network"}},
                            "spec": {"serviceAccountName": "inventory",
                                     "containers": [{"name": "inventory", "image": "example/inventory"}]}}}},"#,
    );
    let tmp = vm_behind_a_gateway_with("disabled", &[deployment]);
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY_SERVICE);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let d = &json["destinations"][0];
    let endpoints = &d["priorities"][0]["endpoints"];
    assert_eq!(endpoints.as_array().unwrap().len(), 1, "{json}");
    assert_eq!(endpoints[0]["address"], "10.0.9.9", "{json}");
    assert_eq!(d["leftOut"].as_array().unwrap().len(), 1, "{json}");
    assert_eq!(d["leftOut"][0]["address"], "10.0.3.7", "{json}");
}

/// A network gateway at a DNS name (an AWS load balancer's `hostname`): istiod resolves it
/// into one gateway per address; vdc has no DNS, counts it as one and says so.
#[test]
fn a_gateway_at_a_dns_name_is_one_endpoint_and_the_trace_says_so() {
    let name = "a1b2c3-vmgw.elb.us-west-2.amazonaws.com";
    let edits = [SYSTEM_NS, EAST_WEST, VM_ON_ITS_NETWORK, VM_GATEWAY];
    let tmp = edited("external-backends", CLUSTER2, &edits);
    let file = tmp.path().join(CLUSTER2);
    let text = std::fs::read_to_string(&file).unwrap();
    let ip = "\"ingress\": [{\"ip\": \"10.0.9.9\"}]";
    assert_eq!(text.matches(ip).count(), 1);
    let at_name = format!("\"ingress\": [{{\"hostname\": \"{name}\"}}]");
    std::fs::write(&file, text.replace(ip, &at_name)).unwrap();
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY);
    let (code, json) = trace_json(&args);
    assert_eq!(code, 0, "{json}");
    let endpoint = &json["destinations"][0]["priorities"][0]["endpoints"][0];
    assert_eq!(endpoint["address"], name, "{json}");
    assert_eq!(endpoint["unresolvedHostname"], true, "{json}");
    let (_, out, _) = trace(&args);
    let row = format!("{name}:15443 (DNS name, not resolved) via east-west gateway");
    assert!(out.contains(&row), "{out}");
    let note = format!("note      {name} is a DNS name: istiod resolves");
    assert!(out.contains(&note), "{out}");

    // An address is not marked.
    let tmp = edited("external-backends", CLUSTER2, &edits);
    let mut args = vec![tmp.path().to_str().unwrap()];
    args.extend(TO_INVENTORY);
    let (_, json) = trace_json(&args);
    let endpoint = &json["destinations"][0]["priorities"][0]["endpoints"][0];
    assert_eq!(endpoint["address"], "10.0.9.9", "{json}");
    assert!(endpoint.get("unresolvedHostname").is_none(), "{json}");
}
