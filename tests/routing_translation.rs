//! Failover, outlier detection and routing beyond seed 003, on testdata/routing-policies:
//! region failover, weighted distribute, priority labels, a two-port VirtualDestination routed
//! by port, a subset, a Service destination and an east-west RouteTable.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{compile_without_errors, copy_tree, one_spec};
use serde_json::{Value, json};
use std::path::Path;
use vdc::translate::Output;

fn outputs() -> Vec<Output> {
    let c = compile_without_errors("testdata/routing-policies");
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    c.outputs
}

fn port_entry(dr: &Value, port: u64) -> &Value {
    dr["trafficPolicy"]["portLevelSettings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["port"]["number"] == port)
        .unwrap_or_else(|| panic!("no entry for port {port}"))
}

const OUTLIERS: fn() -> Value = || {
    json!({
        "baseEjectionTime": "0.5s",
        "consecutive5xxErrors": 3,
        "consecutiveGatewayErrors": 1,
        "interval": "90s",
        "maxEjectionPercent": 100,
    })
};

#[test]
fn policies_are_merged_per_port() {
    let all = outputs();
    for cluster in ["cluster1", "cluster2"] {
        let dr = one_spec(
            &all,
            cluster,
            "DestinationRule",
            "reviews-mesh-internal-virtual-d",
        );
        let regions = port_entry(&dr, 8080);
        assert_eq!(
            regions["loadBalancer"],
            json!({"localityLbSetting": {"failover": [
                {"from": "us-west-1", "to": "us-east-1"},
                {"from": "us-east-1", "to": "us-west-1"},
            ]}})
        );
        assert_eq!(regions["outlierDetection"], OUTLIERS());

        let weighted = port_entry(&dr, 9090);
        let distribute = &weighted["loadBalancer"]["localityLbSetting"]["distribute"];
        assert_eq!(
            distribute,
            &json!([{"from": "us-west-1/us-west-1a/*", "to": {
                "us-west-1/us-west-1a/*": 80,
                "us-east-1/*": 10,
                "us-east-2/*": 10,
            }}])
        );
        let sum: u64 = distribute[0]["to"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(sum, 100);

        let ratings = one_spec(
            &all,
            cluster,
            "DestinationRule",
            "ratings-mesh-internal-virtual-d",
        );
        assert_eq!(
            port_entry(&ratings, 9080)["loadBalancer"],
            json!({"localityLbSetting": {"failoverPriority": [
                "topology.kubernetes.io/region",
                "topology.kubernetes.io/zone",
            ]}})
        );
    }
}

#[test]
fn subsets_and_ports_route_through_the_ingress_gateway() {
    let all = outputs();
    let vs = one_spec(
        &all,
        "cluster1",
        "VirtualService",
        "routetable-reviews-bookinfo-frontends",
    );
    let jason = &vs["http"][0];
    assert_eq!(jason["name"], "jason-reviews");
    assert_eq!(
        jason["match"][0]["headers"],
        json!({"end-user": {"exact": "jason"}})
    );
    assert_eq!(jason["match"][0]["method"], json!({"exact": "GET"}));
    assert_eq!(
        jason["route"],
        json!([
            {"destination": {"host": "reviews.mesh.internal", "port": {"number": 9090}, "subset": "version-v3"}, "weight": 20},
            {"destination": {"host": "reviews.mesh.internal", "port": {"number": 9090}}, "weight": 80},
        ])
    );
    let details = &vs["http"][1];
    assert_eq!(
        details["route"][0]["destination"],
        json!({"host": "details.bookinfo-backends.svc.cluster.local", "port": {"number": 9080}})
    );
    // The subset a route names is declared on the VirtualDestination's DestinationRule.
    let dr = one_spec(
        &all,
        "cluster1",
        "DestinationRule",
        "reviews-mesh-internal-virtual-d",
    );
    assert_eq!(
        dr["subsets"],
        json!([{"labels": {"version": "v3"}, "name": "version-v3"}])
    );
}

#[test]
fn east_west_route_table_targets_the_mesh() {
    let all = outputs();
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(
            &all,
            cluster,
            "VirtualService",
            "routetable-ratings-east-west",
        );
        assert_eq!(vs["gateways"], json!(["mesh"]));
        assert_eq!(vs["hosts"], json!(["ratings.mesh.internal"]));
        assert_eq!(
            vs["http"][0]["match"],
            json!([{"sourceLabels": {"app": "productpage"}}])
        );
        assert_eq!(
            vs["http"][0]["route"],
            json!([{"destination": {"host": "ratings.mesh.internal", "port": {"number": 9080}}}])
        );
    }
}

#[test]
fn multi_port_virtual_destination_maps_each_port_to_its_target() {
    let all = outputs();
    let se = one_spec(&all, "cluster1", "ServiceEntry", "vd-reviews-mesh-internal");
    assert_eq!(
        se["ports"],
        json!([
            {"name": "http-8080", "number": 8080, "protocol": "HTTP", "targetPort": 9080},
            {"name": "grpc-9090", "number": 9090, "protocol": "GRPC", "targetPort": 9080},
        ])
    );
}

/// A RouteTable's output for testdata/check/delegation-matches-nothing with `edit` applied to
/// its routing.yaml: the diagnostics, and every VirtualService's routes by name.
fn delegation_case(edit: impl Fn(String) -> String) -> (Vec<String>, Vec<Value>) {
    let tmp = tempfile::TempDir::new().unwrap();
    let from = Path::new("testdata/check/delegation-matches-nothing");
    copy_tree(from, tmp.path());
    let routing = tmp.path().join("clusters/cluster1/gloo/routing.yaml");
    let text = edit(std::fs::read_to_string(&routing).unwrap());
    std::fs::write(&routing, text).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    let codes = c
        .diagnostics
        .iter()
        .map(|d| d.code.as_str().to_owned())
        .collect();
    let services = c
        .outputs
        .iter()
        .filter(|o| o.object.kind == "VirtualService")
        .map(|o| serde_json::to_value(&o.object.spec).unwrap())
        .collect();
    (codes, services)
}

#[test]
fn a_route_to_an_external_service_the_input_does_not_define_is_an_error() {
    let (codes, services) = delegation_case(|text| {
        text.replace(
            "        kind: VIRTUAL_DESTINATION\n",
            "        kind: VIRTUAL_DESTINATION\n      - ref:\n          name: payments\n        kind: EXTERNAL_SERVICE\n",
        )
    });
    assert!(codes.contains(&"VDC701".to_owned()), "{codes:?}");
    assert!(services.is_empty(), "nothing is written: {services:#?}");
}

#[test]
fn two_gateway_services_in_one_namespace_get_a_gateway_each() {
    let tmp = tempfile::TempDir::new().unwrap();
    let from = Path::new("testdata/bookinfo");
    copy_tree(from, tmp.path());
    // A second ingress gateway next to the first, picked by the same VirtualGateway selector.
    std::fs::write(
        tmp.path().join("clusters/cluster1/canary-gateway.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: istio-ingressgateway-canary\n  \
         namespace: istio-gateways\n  labels:\n    istio: ingressgateway\nspec:\n  selector:\n    \
         app: istio-ingressgateway-canary\n  ports:\n  - name: http2\n    port: 80\n    \
         targetPort: 8080\n",
    )
    .unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let identities: Vec<_> = c.outputs.iter().map(|o| o.key()).collect();
    let unique: std::collections::BTreeSet<_> = identities.iter().collect();
    assert_eq!(
        unique.len(),
        identities.len(),
        "no object is generated twice"
    );

    let gateways: Vec<&Output> = c
        .outputs
        .iter()
        .filter(|o| {
            o.cluster == "cluster1"
                && o.object.kind == "Gateway"
                && o.object
                    .metadata
                    .name
                    .starts_with("virtualgateway-north-south-gw")
        })
        .collect();
    let names: Vec<&str> = gateways
        .iter()
        .map(|g| g.object.metadata.name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.len() <= 63), "{names:?}");
    let selectors: Vec<Value> = gateways
        .iter()
        .map(|g| serde_json::to_value(&g.object.spec).unwrap()["selector"].clone())
        .collect();
    assert!(selectors.contains(&json!({"app": "istio-ingressgateway-canary"})));

    let vs = one_spec(
        &c.outputs,
        "cluster1",
        "VirtualService",
        "routetable-productpage",
    );
    let bound: Vec<&str> = vs["gateways"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    // The VirtualService lives in the gateways' namespace and names them bare, as in seed 003.
    let mut expected: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    expected.sort();
    let mut bound_sorted: Vec<String> = bound.iter().map(|s| s.to_string()).collect();
    bound_sorted.sort();
    assert_eq!(
        bound_sorted, expected,
        "the VirtualService is bound to both Gateways"
    );
}

#[test]
fn every_host_of_a_virtual_destination_gets_its_own_destination_rule() {
    let all = outputs();
    for cluster in ["cluster1", "cluster2"] {
        let first = one_spec(
            &all,
            cluster,
            "DestinationRule",
            "reviews-mesh-internal-virtual-d",
        );
        let second = one_spec(
            &all,
            cluster,
            "DestinationRule",
            "reviews-global-virtual-dest-rev",
        );
        assert_eq!(first["host"], "reviews.mesh.internal");
        assert_eq!(second["host"], "reviews.global");
        // Same policies, SANs and subsets: only the host differs.
        let mut same = second.clone();
        same["host"] = first["host"].clone();
        assert_eq!(same, first, "{cluster}");
    }
}

/// Subset v3 of reviews runs in cluster2 only: cluster1's endpoint toward cluster2's gateway
/// carries the subset's labels, so the subset has an endpoint there; cluster1 runs no v3, so
/// cluster2's endpoint toward it does not.
#[test]
fn a_subset_reaches_the_remote_cluster_that_runs_it() {
    let all = outputs();
    let entries = |cluster: &str| -> Vec<Value> {
        all.iter()
            .filter(|o| {
                o.cluster == cluster
                    && o.object.kind == "WorkloadEntry"
                    && o.object.metadata.name.starts_with("vd-reviews-")
            })
            .map(|o| serde_json::to_value(&o.object.spec).unwrap())
            .collect()
    };
    let to_cluster2 = entries("cluster1");
    assert_eq!(to_cluster2.len(), 1);
    assert_eq!(
        to_cluster2[0]["labels"],
        json!({"app": "reviews", "version": "v3"})
    );
    assert!(to_cluster2[0].get("weight").is_none());
    let to_cluster1 = entries("cluster2");
    assert_eq!(to_cluster1.len(), 1);
    assert_eq!(to_cluster1[0]["labels"], json!({"app": "reviews"}));
}

/// Subsets v2 and v3 both run in cluster2 and differ on one key, so cluster1 reaches cluster2's
/// gateway through one endpoint per subset, each named apart (its only remote address needs no
/// weight: the weights that keep addresses even are unit-tested in `translate::endpoints`).
#[test]
fn conflicting_subsets_get_an_endpoint_each_with_weights() {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/routing-policies"), tmp.path());
    let backends = tmp.path().join("clusters/cluster1/gloo/backends.yaml");
    let text = std::fs::read_to_string(&backends).unwrap();
    let v3 = "        subset:\n          version: v3\n        weight: 20\n";
    assert!(text.contains(v3));
    let text = text.replacen(
        v3,
        &format!("{v3}      - ref:\n          name: reviews\n          namespace: bookinfo-backends\n        kind: VIRTUAL_DESTINATION\n        port:\n          number: 9090\n        subset:\n          version: v2\n        weight: 30\n"),
        1,
    );
    std::fs::write(&backends, text).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let mut entries: Vec<(String, Value)> = c
        .outputs
        .iter()
        .filter(|o| {
            o.cluster == "cluster1"
                && o.object.kind == "WorkloadEntry"
                && o.object.metadata.name.starts_with("vd-reviews-")
        })
        .map(|o| {
            (
                o.object.metadata.name.clone(),
                serde_json::to_value(&o.object.spec).unwrap(),
            )
        })
        .collect();
    entries.sort_by(|a, b| a.1["labels"].to_string().cmp(&b.1["labels"].to_string()));
    let labels: Vec<&Value> = entries.iter().map(|(_, e)| &e["labels"]).collect();
    assert_eq!(
        labels,
        [
            &json!({"app": "reviews", "version": "v2"}),
            &json!({"app": "reviews", "version": "v3"}),
        ]
    );
    assert_ne!(entries[0].0, entries[1].0);
    let addresses: Vec<&Value> = entries.iter().map(|(_, e)| &e["address"]).collect();
    assert_eq!(addresses[0], addresses[1]);
    assert!(entries.iter().all(|(_, e)| e.get("weight").is_none()));
}

/// testdata/external-backends uses every external backend and client mode: it compiles with no
/// diagnostic at all (no VDC203 for the fields that are now translated), and its route to an
/// ExternalService names the ExternalService's host.
#[test]
fn external_backends_compile_cleanly_and_route_to_the_external_host() {
    let c = vdc::compile(Path::new("testdata/external-backends")).unwrap();
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.is_empty(), "{codes:?}");
    let route = c
        .outputs
        .iter()
        .find(|o| o.object.metadata.name == "routetable-card-api-shop-cluster1-shop")
        .map(|o| serde_json::to_value(&o.object.spec).unwrap())
        .unwrap();
    assert_eq!(
        route["http"][0]["route"][0]["destination"]["host"],
        "api.cards.example.com"
    );
    let kinds: std::collections::BTreeSet<&str> = c.outputs.iter().map(|o| o.object.kind).collect();
    assert!(kinds.contains("WorkloadGroup"), "{kinds:?}");
}

/// testdata/external-backends with its egress file edited, compiled: the diagnostics.
fn egress_case(edit: impl Fn(String) -> String) -> Vec<vdc::diagnostic::Diagnostic> {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/external-backends"), tmp.path());
    let egress = tmp.path().join("clusters/cluster1/gloo/egress.yaml");
    let text = std::fs::read_to_string(&egress).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit applies");
    std::fs::write(&egress, edited).unwrap();
    vdc::compile(tmp.path()).unwrap().diagnostics
}

/// The one diagnostic of `code`, as "message | help".
fn only(diagnostics: &[vdc::diagnostic::Diagnostic], code: &str) -> String {
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.code.as_str() == code)
        .collect();
    assert_eq!(found.len(), 1, "one {code} in {diagnostics:#?}");
    format!(
        "{} | {}",
        found[0].message,
        found[0].help.clone().unwrap_or_default()
    )
}

#[test]
fn a_route_to_a_port_the_external_service_does_not_serve_is_an_error() {
    let diagnostics = egress_case(|t| {
        t.replace(
            "        port:\n          number: 80\n",
            "        port:\n          number: 8443\n",
        )
    });
    assert_eq!(
        only(&diagnostics, "VDC703"),
        "route `charges` asks for port 8443 of ExternalService shop/card-api, which serves [80] \
         | use one of the ExternalService's port numbers"
    );
}

#[test]
fn a_route_to_an_external_service_of_several_ports_must_name_one() {
    let diagnostics = egress_case(|t| {
        t.replace("        port:\n          number: 80\n", "").replace(
            "    clientsideTls:\n      mode: SIMPLE\n",
            "    clientsideTls:\n      mode: SIMPLE\n  - number: 8080\n    name: alt\n    protocol: HTTP\n",
        )
    });
    assert_eq!(
        only(&diagnostics, "VDC702"),
        "ExternalService shop/card-api has ports [80, 8080], so route `charges` must say which \
         with `port: {number: …}` | add `port: {number: 80}`"
    );
}

#[test]
fn a_route_to_an_external_service_its_workspace_cannot_see_is_an_error() {
    // The RouteTable moves to workspace `gateways`, which imports nothing from `shop`.
    let diagnostics = egress_case(|t| {
        t.replace(
            "kind: RouteTable\nmetadata:\n  name: card-api\n  namespace: shop\n",
            "kind: RouteTable\nmetadata:\n  name: card-api\n  namespace: istio-gateways\n",
        )
        .replace(
            "          name: card-api\n        kind: EXTERNAL_SERVICE\n",
            "          name: card-api\n          namespace: shop\n        kind: EXTERNAL_SERVICE\n",
        )
    });
    assert_eq!(
        only(&diagnostics, "VDC705"),
        "route `charges` forwards to ExternalService shop/card-api, which workspace `gateways` of \
         the RouteTable cannot see (owner `shop` does not export it there, or `gateways` does not \
         import it) | export the ExternalService (kind EXTERNAL_SERVICE) from `shop` and import \
         it into `gateways`"
    );
}

/// testdata/check/http-route-on-tcp-port (an east-west route for a VirtualDestination whose
/// one port, 9080, is TCP) with its VirtualDestination and its route edited: the messages of
/// its VDC719s.
fn tcp_route_case(vd: &str, matchers: &str) -> Vec<String> {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(
        Path::new("testdata/check/http-route-on-tcp-port"),
        tmp.path(),
    );
    let gloo = tmp.path().join("clusters/cluster1/gloo");
    let edit = |file: &str, old: &str, new: &str| {
        let path = gloo.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(old).count(), 1, "{old}");
        std::fs::write(&path, text.replace(old, new)).unwrap();
    };
    edit("productpage.yaml", "    protocol: TCP\n", vd);
    edit("routing.yaml", "  - name: productpage\n", matchers);
    let c = vdc::compile(tmp.path()).unwrap();
    (c.diagnostics.iter())
        .filter(|d| d.code.as_str() == "VDC719")
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn an_http_route_is_reported_only_when_every_port_it_is_for_is_not_http() {
    let route = "  - name: productpage\n";
    let tcp = "    protocol: TCP\n";
    assert_eq!(tcp_route_case(tcp, route).len(), 1);
    // An HTTP port beside the TCP one: the route applies there.
    let both = "    protocol: TCP\n  - number: 9443\n    protocol: HTTP\n    targetPort:\n      number: 9080\n";
    assert_eq!(tcp_route_case(both, route), Vec::<String>::new());
    // Unless its matchers name only the TCP port.
    let on_9080 = "  - name: productpage\n    matchers:\n    - port: 9080\n";
    let said = tcp_route_case(both, on_9080);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("on port 9080 (TCP) of VirtualDestination bookinfo-frontends/productpage"),
        "{said:?}"
    );
    let on_9443 = "  - name: productpage\n    matchers:\n    - port: 9443\n";
    assert_eq!(tcp_route_case(both, on_9443), Vec::<String>::new());
    // An HTTP VirtualDestination: nothing to say.
    assert_eq!(
        tcp_route_case("    protocol: HTTP\n", route),
        Vec::<String>::new()
    );
}

/// A table with neither `virtualGateways` nor `workloadSelectors` routes every workload of its
/// workspace (route_table.proto), so its http route on a TCP port is as inert.
#[test]
fn an_http_route_of_a_table_for_every_workload_is_reported_too() {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(
        Path::new("testdata/check/http-route-on-tcp-port"),
        tmp.path(),
    );
    let path = tmp.path().join("clusters/cluster1/gloo/routing.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let selectors =
        "  workloadSelectors:\n  - selector:\n      labels:\n        app: productpage\n";
    assert_eq!(text.matches(selectors).count(), 1);
    std::fs::write(&path, text.replace(selectors, "")).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    let found: Vec<&str> = (c.diagnostics.iter())
        .map(|d| d.code.as_str())
        .filter(|code| *code == "VDC719")
        .collect();
    assert_eq!(found, ["VDC719"], "{:#?}", c.diagnostics);
}

/// testdata/check/shadowed-virtual-service (two RouteTables for one host and the same
/// sidecars) with matcher ports: tables on different ports do not shadow each other, since
/// istiod builds a match with a `port` only into that port's routes.
#[test]
fn tables_on_different_ports_do_not_shadow_each_other() {
    let shadowed = |first: u32, second: u32| {
        let tmp = tempfile::TempDir::new().unwrap();
        copy_tree(
            Path::new("testdata/check/shadowed-virtual-service"),
            tmp.path(),
        );
        let path = tmp.path().join("clusters/cluster1/gloo/routing.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let main = "  - name: productpage\n";
        let canary = "    - headers:\n";
        assert_eq!(text.matches(main).count(), 1);
        assert_eq!(text.matches(canary).count(), 1);
        let text = text
            .replace(main, &format!("{main}    matchers:\n    - port: {first}\n"))
            .replace(canary, &format!("    - port: {second}\n      headers:\n"));
        std::fs::write(&path, text).unwrap();
        let c = vdc::compile(tmp.path()).unwrap();
        (c.diagnostics.iter()).any(|d| d.code.as_str() == "VDC510")
    };
    assert!(shadowed(9080, 9080));
    assert!(!shadowed(9080, 9090));
}
