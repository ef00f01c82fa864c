//! `vdc explain`: the resolution behind each VirtualDestination, offline.

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

fn explain_json(args: &[&str]) -> Vec<Value> {
    let out = vdc()
        .arg("explain")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn productpage_in_bookinfo() {
    let vds = explain_json(&["testdata/bookinfo", "productpage"]);
    assert_eq!(vds.len(), 1);
    let vd = &vds[0];
    assert_eq!(vd["name"], "productpage");
    assert_eq!(vd["namespace"], "bookinfo-frontends");
    assert_eq!(vd["cluster"], "cluster1");
    assert_eq!(vd["vip"], "254.154.115.171");
    assert_eq!(vd["ownerWorkspace"], "bookinfo");
    let visible: Vec<&str> = vd["visibleWorkspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(visible.contains(&"gateways"), "{visible:?}");
    assert_eq!(vd["ports"][0]["number"], 9080);
    assert_eq!(vd["ports"][0]["protocol"], "HTTP");
    assert_eq!(vd["ports"][0]["targetPort"], 9080);
    assert_eq!(
        vd["backingClusters"],
        serde_json::json!(["cluster1", "cluster2"])
    );
    assert_eq!(
        vd["clientClusters"],
        serde_json::json!(["cluster1", "cluster2"])
    );
    for cluster in ["cluster1", "cluster2"] {
        let backing = vd["backingServices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["cluster"] == cluster)
            .expect("a backing Service per cluster");
        assert_eq!(backing["namespace"], "bookinfo-frontends");
        assert_eq!(backing["name"], "productpage");
        assert_eq!(backing["workloadPorts"], serde_json::json!([9080]));
        assert_eq!(
            backing["identities"][0],
            format!("spiffe://{cluster}/ns/bookinfo-frontends/sa/bookinfo-productpage")
        );
        let gateway = vd["gateways"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["cluster"] == cluster)
            .expect("an east-west gateway per backing cluster");
        assert_eq!(gateway["tlsPort"], 15443);
        let kinds: Vec<&str> = vd["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["cluster"] == cluster)
            .map(|o| o["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "DestinationRule",
                "ServiceEntry",
                "WorkloadEntry",
                "Gateway"
            ]
        );
    }
    assert_eq!(vd["passedOver"], serde_json::json!([]));
    let policies: Vec<(&str, &str, &Value)> = vd["appliedPolicies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap(),
                p["name"].as_str().unwrap(),
                &p["ports"],
            )
        })
        .collect();
    let on_9080 = serde_json::json!([9080]);
    assert_eq!(
        policies,
        [
            ("FailoverPolicy", "failover", &on_9080),
            ("OutlierDetectionPolicy", "outlier-detection", &on_9080)
        ]
    );
}

#[test]
fn human_output_snapshot() {
    let out = vdc()
        .args(["explain", "testdata/bookinfo", "productpage"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "explain_bookinfo_productpage",
        String::from_utf8(out.stdout).unwrap()
    );
}

/// Without names every VD is explained; `namespace/name` picks one; each VD gets only its own
/// objects.
#[test]
fn selection_by_name_and_namespace() {
    let all = explain_json(&["testdata/multi-vd"]);
    let names: Vec<&str> = all.iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["reviews", "productpage"]);
    let reviews = explain_json(&["testdata/multi-vd", "bookinfo-backends/reviews"]);
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["ports"][0]["targetPort"], "http");
    for o in reviews[0]["objects"].as_array().unwrap() {
        assert!(o["name"].as_str().unwrap().contains("reviews"), "{o}");
    }
}

#[test]
fn an_unknown_name_exits_2_and_lists_the_known_ones() {
    vdc()
        .args(["explain", "testdata/bookinfo", "bookinfo-frontends/ratings"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "no VirtualDestination is named `bookinfo-frontends/ratings`",
        ))
        .stderr(predicates::str::contains("bookinfo-frontends/productpage"));
    vdc()
        .args(["explain", "testdata/bookinfo", "productpag"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `productpage`?"));
}

/// Two clusters' config may each define a VD of one namespace and name: CLUSTER/NAMESPACE/NAME
/// picks one of them.
#[test]
fn a_vd_is_named_with_its_cluster_when_two_share_a_name() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    common::copy_tree(std::path::Path::new("testdata/bookinfo"), &input);
    let vds = std::fs::read_to_string(input.join("clusters/cluster1/gloo/bookinfo.yaml")).unwrap();
    let productpage = vds
        .split("\n---\n")
        .find(|d| d.contains("kind: VirtualDestination"))
        .unwrap()
        .replace("productpage.global", "productpage-2.global");
    std::fs::create_dir_all(input.join("clusters/cluster2/gloo")).unwrap();
    std::fs::write(input.join("clusters/cluster2/gloo/vd.yaml"), productpage).unwrap();
    let clusters = |name: &str| -> Vec<String> {
        let path = input.to_str().unwrap();
        (explain_json(&["-q", path, name]).iter())
            .map(|e| format!("{}/{}/{}", e["cluster"], e["namespace"], e["name"]).replace('"', ""))
            .collect()
    };
    assert_eq!(clusters("bookinfo-frontends/productpage").len(), 2);
    assert_eq!(
        clusters("cluster2/bookinfo-frontends/productpage"),
        ["cluster2/bookinfo-frontends/productpage"]
    );
}

#[test]
fn invalid_input_exits_1_with_its_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new("testdata/bookinfo") {
        let entry = entry.unwrap();
        let target = tmp
            .path()
            .join(entry.path().strip_prefix("testdata/bookinfo").unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            std::fs::write(target, text.replace("number: 9080", "number: 0")).unwrap();
        }
    }
    vdc()
        .arg("explain")
        .arg(tmp.path())
        .args(["--format", "json"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("error["));
}

/// Subset v3 of reviews runs only in cluster2: explain says so, in both forms.
#[test]
fn subsets_and_the_clusters_that_serve_them() {
    let vds = explain_json(&["testdata/routing-policies", "bookinfo-backends/reviews"]);
    assert_eq!(vds.len(), 1);
    assert_eq!(
        vds[0]["subsets"],
        serde_json::json!([{
            "name": "version-v3",
            "labels": {"version": "v3"},
            "clusters": ["cluster2"],
        }])
    );
    let ratings = explain_json(&["testdata/routing-policies", "ratings"]);
    assert_eq!(ratings[0]["subsets"], serde_json::json!([]));

    let out = vdc()
        .args(["explain", "testdata/routing-policies", "reviews"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(
        "explain_routing_policies_reviews",
        String::from_utf8(out.stdout).unwrap()
    );
}

#[test]
fn external_backends_carry_the_status_counters_and_the_client_mode() {
    let vds = explain_json(&["testdata/external-backends", "payments"]);
    let vd = &vds[0];
    assert_eq!(vd["status"]["numSelectedBackingServices"], 2, "{vd:#}");
    assert_eq!(vd["status"]["ownedByWorkspace"], "shop");
    let policies = &vd["status"]["numAppliedDestinationPolicies"];
    assert_eq!(
        policies["resilience.policy.gloo.solo.io/v2, Kind=FailoverPolicy"],
        1
    );
    assert_eq!(
        policies["resilience.policy.gloo.solo.io/v2, Kind=OutlierDetectionPolicy"],
        1
    );
    assert_eq!(vd["externalServices"][0]["name"], "payments-dr");
    assert_eq!(
        vd["externalServices"][0]["endpoints"][0],
        "198.51.100.20:15443"
    );
    // The workspace's virtualDestClientMode applies when the VD sets none ...
    assert_eq!(vd["clientMode"], "sniRouting");
    assert_eq!(vd["clientModeSource"], "WorkspaceSettings");

    // ... and the VD's own wins over it.
    let legacy = &explain_json(&["testdata/external-backends", "legacy"])[0];
    assert_eq!(legacy["clientMode"], "tlsTermination");
    assert_eq!(legacy["clientModeSource"], "VirtualDestination");

    let inventory = &explain_json(&["testdata/external-backends", "inventory"])[0];
    assert_eq!(inventory["status"]["numSelectedBackingServices"], 1);
    assert_eq!(inventory["externalWorkloads"][0]["cluster"], "cluster2");
    assert_eq!(
        inventory["externalWorkloads"][0]["identities"][0],
        "spiffe://cluster2.local/ns/vm-apps/sa/inventory-vm"
    );
    assert_eq!(inventory["backingServices"].as_array().unwrap().len(), 0);
}

/// `--cluster` keeps what lands in the named clusters; the VD's own facts stay whole.
#[test]
fn cluster_keeps_what_lands_in_that_cluster() {
    let all = explain_json(&["testdata/client-only"]);
    let only = explain_json(&["testdata/client-only", "--cluster", "cluster3"]);
    assert_eq!(only.len(), all.len());
    let (vd, whole) = (&only[0], &all[0]);
    let clusters = |key: &str, v: &Value| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["cluster"].as_str().unwrap().to_owned())
            .collect()
    };
    // cluster3 is a client-only cluster: its objects only, no backing service or gateway of it.
    assert!(clusters("objects", whole).len() > clusters("objects", vd).len());
    assert!(clusters("objects", vd).iter().all(|c| c == "cluster3"));
    assert!(!clusters("objects", vd).is_empty());
    assert!(clusters("backingServices", vd).is_empty());
    assert!(clusters("gateways", vd).is_empty());
    for key in [
        "vip",
        "ports",
        "clientClusters",
        "backingClusters",
        "status",
    ] {
        assert_eq!(vd[key], whole[key], "{key}");
    }
}

#[test]
fn cluster_that_does_not_exist_is_a_usage_error() {
    let out = vdc()
        .args(["explain", "testdata/bookinfo", "--cluster", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--cluster nope"), "{stderr}");
    assert!(stderr.contains("cluster1, cluster2"), "{stderr}");
}

/// Route policies show on the routes to the VD, with the selector that picked each; destination
/// policies on its ports, and in the status counters.
#[test]
fn route_and_destination_policies_say_how_they_were_selected() {
    let reviews = &explain_json(&["testdata/traffic-policies", "bookinfo-backends/reviews"])[0];
    let routes = reviews["routePolicies"].as_array().unwrap();
    assert_eq!(routes.len(), 1, "{reviews:#}");
    assert_eq!(routes[0]["route"], "jason");
    assert_eq!(routes[0]["routeIndex"], 0);
    assert_eq!(routes[0]["routeTable"], "bookinfo-frontends/reviews");
    assert_eq!(routes[0]["routeTableCluster"], "cluster1");
    assert_eq!(routes[0]["policies"][0]["kind"], "FaultInjectionPolicy");
    assert_eq!(
        routes[0]["policies"][0]["selectedBy"],
        "applyToRoutes[0].route"
    );
    let connection = (reviews["appliedPolicies"].as_array().unwrap().iter())
        .find(|p| p["kind"] == "ConnectionPolicy")
        .unwrap();
    assert_eq!(connection["ports"], serde_json::json!([8080, 9090]));
    assert_eq!(connection["selectedBy"], "applyToDestinations[0]");
    let counts = &reviews["status"]["numAppliedDestinationPolicies"];
    assert_eq!(
        counts["resilience.policy.gloo.solo.io/v2, Kind=ConnectionPolicy"],
        1
    );
    assert_eq!(
        counts["resilience.policy.gloo.solo.io/v2, Kind=FailoverPolicy"],
        2
    );

    let ratings = &explain_json(&["testdata/traffic-policies", "ratings"])[0];
    let counts = &ratings["status"]["numAppliedDestinationPolicies"];
    assert_eq!(
        counts["trafficcontrol.policy.gloo.solo.io/v2, Kind=LoadBalancerPolicy"],
        1
    );
    let out = vdc()
        .args(["explain", "testdata/traffic-policies", "productpage"])
        .output()
        .unwrap();
    insta::assert_snapshot!(
        "explain_traffic_policies_productpage",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// explain's summary is what was applied: on a port only ExternalServices back, the
/// FailoverPolicy is left out of the DestinationRule (VDC807), so it is neither listed nor counted.
#[test]
fn applied_policies_are_what_the_output_applies() {
    let vd = &explain_json(&["testdata/check/failover-on-external-service", "ratings"])[0];
    let listed: Vec<&str> = vd["appliedPolicies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    let counted: Vec<&str> = vd["status"]["numAppliedDestinationPolicies"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.rsplit('=').next().unwrap())
        .collect();
    assert_eq!(listed, counted, "{vd:#}");
    assert!(!listed.contains(&"FailoverPolicy"), "{vd:#}");
    let render = vdc()
        .args(["render", "testdata/check/failover-on-external-service"])
        .output()
        .unwrap();
    let yaml = String::from_utf8(render.stdout).unwrap();
    assert!(!yaml.contains("localityLbSetting"), "{yaml}");
}

/// The VirtualServices a RouteTable generates to send traffic to the VD carry no parent label
/// of the VD, so its objects do not list them: `routedBy` names each route and the
/// VirtualServices that carry it, and every one `render` writes for a route to the VD is there.
#[test]
fn routes_to_the_vd_name_their_route_table_and_virtual_services() {
    let vds = explain_json(&["testdata/bookinfo", "productpage"]);
    let routed = vds[0]["routedBy"].as_array().unwrap();
    assert_eq!(routed.len(), 1, "{routed:?}");
    assert_eq!(routed[0]["routeTable"], "bookinfo-frontends/productpage");
    assert_eq!(routed[0]["routeTableCluster"], "cluster1");
    assert_eq!(routed[0]["route"], "productpage");
    assert_eq!(routed[0]["routeIndex"], 0);
    assert_eq!(routed[0]["delegatedFrom"], serde_json::json!([]));
    let carriers: Vec<String> = routed[0]["virtualServices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{}/{}/{}/{}",
                o["cluster"], o["kind"], o["namespace"], o["name"]
            )
            .replace('"', "")
        })
        .collect();
    let name = "routetable-productpage-bookinfo-frontends-cluster1-gateways";
    assert_eq!(
        carriers,
        [
            format!("cluster1/VirtualService/istio-gateways/{name}"),
            format!("cluster2/VirtualService/istio-gateways/{name}"),
        ]
    );
    let out = vdc()
        .args(["render", "testdata/bookinfo", "--cluster", "cluster2"])
        .output()
        .unwrap();
    let rendered = String::from_utf8(out.stdout).unwrap();
    assert!(rendered.contains(&format!("name: {name}")), "{rendered}");
    // --cluster keeps the VirtualServices of that cluster only.
    let only = explain_json(&["testdata/bookinfo", "productpage", "--cluster", "cluster2"]);
    let kept = only[0]["routedBy"][0]["virtualServices"]
        .as_array()
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["cluster"], "cluster2");
}

/// (table cluster, `routeTable`, `route`, `routeIndex`, `delegatedFrom` as `cluster/ns/name`)
/// of each `routedBy` entry.
fn routed_by_sources(vd: &Value) -> Vec<(String, String, String, u64, Vec<String>)> {
    (vd["routedBy"].as_array().unwrap().iter())
        .map(|r| {
            let from = (r["delegatedFrom"].as_array().unwrap().iter())
                .map(|t| format!("{}/{}/{}", t["cluster"], t["namespace"], t["name"]))
                .map(|t| t.replace('"', ""))
                .collect();
            (
                r["routeTableCluster"].as_str().unwrap().to_owned(),
                r["routeTable"].as_str().unwrap().to_owned(),
                r["route"].as_str().unwrap().to_owned(),
                r["routeIndex"].as_u64().unwrap(),
                from,
            )
        })
        .collect()
}

/// `vdc explain` of `input` (a folder) as text.
fn explain_human(input: &std::path::Path, vd: &str) -> String {
    let out = vdc()
        .args(["explain", input.to_str().unwrap(), vd])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Routes are named as their RouteTable names them (`spec.http[].name`), not by the name of
/// the Istio route vdc generates, the way `vdc check` names them.
#[test]
fn routed_by_names_the_gloo_route() {
    let vds = explain_json(&["testdata/route-actions", "productpage"]);
    let routes: Vec<(String, u64)> = (routed_by_sources(&vds[0]).into_iter())
        .map(|(_, _, route, index, _)| (route, index))
        .collect();
    let want = [
        ("productpage", 0),
        ("products-v2", 1),
        ("product-reviews", 2),
    ];
    let want: Vec<(String, u64)> = want.iter().map(|(r, i)| (r.to_string(), *i)).collect();
    assert_eq!(routes, want);
    let text = explain_human(
        std::path::Path::new("testdata/route-actions"),
        "productpage",
    );
    assert!(
        text.contains(
            "route `product-reviews` of RouteTable bookinfo-frontends/productpage (cluster cluster1), carried by"
        ),
        "{text}"
    );
}

/// Two routes without a name are two entries, each named by its index in `spec.http`, and
/// neither looks like a route named after the table.
#[test]
fn routed_by_keeps_unnamed_routes_apart() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(std::path::Path::new("testdata/route-actions"), tmp.path());
    let routing = tmp.path().join("clusters/cluster1/gloo/routing.yaml");
    let text = std::fs::read_to_string(&routing).unwrap();
    let text = (text.replacen("  - name: productpage\n    matchers", "  - matchers", 1)).replacen(
        "  - name: product-reviews\n    matchers",
        "  - matchers",
        1,
    );
    std::fs::write(&routing, text).unwrap();
    let input = tmp.path().to_str().unwrap();
    let vds = explain_json(&[input, "productpage"]);
    let routes: Vec<(String, u64)> = (routed_by_sources(&vds[0]).into_iter())
        .map(|(_, _, route, index, _)| (route, index))
        .collect();
    let want = [("", 0), ("products-v2", 1), ("", 2)];
    let want: Vec<(String, u64)> = want.iter().map(|(r, i)| (r.to_string(), *i)).collect();
    assert_eq!(routes, want);
    let text = explain_human(tmp.path(), "productpage");
    let table = "of RouteTable bookinfo-frontends/productpage (cluster cluster1), carried by";
    assert!(text.contains(&format!("route 0 {table}")), "{text}");
    assert!(text.contains(&format!("route 2 {table}")), "{text}");
}

/// A delegated route is named by the table that holds it (the child), with the root table
/// whose VirtualServices carry it.
#[test]
fn routed_by_names_a_delegated_route_in_its_own_table() {
    let vds = explain_json(&["testdata/delegation", "productpage"]);
    let sources = routed_by_sources(&vds[0]);
    assert!(!sources.is_empty());
    for (cluster, table, _, _, from) in &sources {
        assert_eq!(cluster, "cluster1");
        assert_eq!(table, "bookinfo-frontends/productpage");
        assert_eq!(from, &["cluster1/istio-gateways/main-bookinfo"]);
    }
    let routes: Vec<&str> = sources.iter().map(|s| s.2.as_str()).collect();
    assert!(routes.contains(&"productpage"), "{routes:?}");
    let text = explain_human(std::path::Path::new("testdata/delegation"), "productpage");
    assert!(
        text.contains(
            "route `productpage` of RouteTable bookinfo-frontends/productpage (cluster cluster1), \
             delegated from RouteTable istio-gateways/main-bookinfo (cluster cluster1), carried by"
        ),
        "{text}"
    );
}

/// Same-named RouteTables in the config of two clusters are two tables: one entry each.
#[test]
fn routed_by_keeps_same_named_tables_of_two_clusters_apart() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(std::path::Path::new("testdata/route-actions"), tmp.path());
    let gloo = tmp.path().join("clusters/cluster2/gloo");
    std::fs::create_dir_all(&gloo).unwrap();
    std::fs::write(gloo.join("routing.yaml"), CLUSTER2_PRODUCTPAGE).unwrap();
    let input = tmp.path().to_str().unwrap();
    let vds = explain_json(&[input, "productpage"]);
    let productpage: Vec<(String, String)> = (routed_by_sources(&vds[0]).into_iter())
        .filter(|s| s.2 == "productpage")
        .map(|(cluster, table, ..)| (cluster, table))
        .collect();
    let table = "bookinfo-frontends/productpage".to_owned();
    assert_eq!(
        productpage,
        [
            ("cluster1".to_owned(), table.clone()),
            ("cluster2".to_owned(), table)
        ]
    );
}

/// A RouteTable named as route-actions' productpage table, in cluster2's config, exported to
/// the gateways workspace as that table is.
const CLUSTER2_PRODUCTPAGE: &str = "apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: productpage
  namespace: bookinfo-frontends
  labels:
    expose: \"true\"
spec:
  hosts:
  - cluster2.example.com
  virtualGateways:
  - name: north-south-gw
    namespace: istio-gateways
    cluster: cluster1
  workloadSelectors: []
  http:
  - name: productpage
    matchers:
    - uri:
        exact: /productpage
    forwardTo:
      destinations:
      - ref:
          name: productpage
          namespace: bookinfo-frontends
          cluster: cluster1
        kind: VIRTUAL_DESTINATION
        port:
          number: 9080
";

/// `--cluster` keeps, of each route's policies, the clusters asked for, as it does for the
/// VirtualServices that carry a route.
#[test]
fn cluster_keeps_only_its_clusters_of_route_policies() {
    let all = explain_json(&["testdata/traffic-policies", "reviews"]);
    let clusters = |e: &Value| e["routePolicies"][0]["clusters"].clone();
    assert_eq!(
        clusters(&all[0]),
        serde_json::json!(["cluster1", "cluster2"])
    );
    let one = explain_json(&[
        "testdata/traffic-policies",
        "reviews",
        "--cluster",
        "cluster2",
    ]);
    assert_eq!(clusters(&one[0]), serde_json::json!(["cluster2"]));
}
