//! testdata/bookinfo must reproduce seed 003's objects field for field (the DestinationRule's
//! hashed name excepted: Gloo's hash input is not public, so only its prefix can match).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::compile_without_errors;
use serde_json::{Value, json};
use vdc::translate::Output;

fn outputs() -> Vec<Output> {
    compile_without_errors("testdata/bookinfo").outputs
}

fn find<'a>(outputs: &'a [Output], cluster: &str, kind: &str) -> Vec<&'a Output> {
    outputs
        .iter()
        .filter(|o| o.cluster == cluster && o.object.kind == kind)
        .collect()
}

fn spec(o: &Output) -> Value {
    serde_json::to_value(&o.object.spec).unwrap()
}

const EXPORT_TO: [&str; 4] = [
    "bookinfo-backends",
    "bookinfo-frontends",
    "gloo-mesh-addons",
    "istio-gateways",
];

#[test]
fn cluster1_service_entry_is_seed_003s() {
    let all = outputs();
    let [se] = find(&all, "cluster1", "ServiceEntry")[..] else {
        panic!("one ServiceEntry in cluster1")
    };
    assert_eq!(se.object.metadata.name, "vd-productpage-global-bookinfo");
    assert_eq!(se.object.metadata.namespace, "bookinfo-frontends");
    assert_eq!(
        spec(se),
        json!({
            "addresses": ["254.154.115.171"],
            "exportTo": EXPORT_TO,
            "hosts": ["productpage.global"],
            "location": "MESH_INTERNAL",
            "ports": [{"name": "http-9080", "number": 9080, "protocol": "HTTP"}],
            "resolution": "STATIC",
            "workloadSelector": {"labels": {"app": "productpage"}},
        })
    );
}

#[test]
fn cluster1_workload_entry_is_seed_003s() {
    let all = outputs();
    let [we] = find(&all, "cluster1", "WorkloadEntry")[..] else {
        panic!("one WorkloadEntry in cluster1")
    };
    assert_eq!(
        we.object.metadata.name,
        "vd-productpage-global-bookinfo-app-productpage-172-23-0-6"
    );
    assert_eq!(we.object.metadata.namespace, "bookinfo-frontends");
    assert_eq!(
        spec(we),
        json!({
            "address": "172.23.0.6",
            "labels": {"app": "productpage"},
            "locality": "us-east-1",
            "ports": {"http-9080": 15443},
        })
    );
}

fn destination_rule_spec() -> Value {
    json!({
        "exportTo": EXPORT_TO,
        "host": "productpage.global",
        "trafficPolicy": {"portLevelSettings": [{
            "loadBalancer": {"localityLbSetting": {"enabled": true}},
            "outlierDetection": {
                "baseEjectionTime": "30s",
                "consecutive5xxErrors": 2,
                "interval": "5s",
                "maxEjectionPercent": 100,
            },
            "port": {"number": 9080},
            "tls": {
                "mode": "ISTIO_MUTUAL",
                "subjectAltNames": [
                    "spiffe://cluster1/ns/bookinfo-frontends/sa/bookinfo-productpage",
                    "spiffe://cluster2/ns/bookinfo-frontends/sa/bookinfo-productpage",
                ],
            },
        }]},
    })
}

#[test]
fn cluster1_destination_rule_is_seed_003s() {
    let all = outputs();
    let [dr] = find(&all, "cluster1", "DestinationRule")[..] else {
        panic!("one DestinationRule in cluster1")
    };
    assert!(
        dr.object
            .metadata
            .name
            .starts_with("productpage-global-virtual-dest-"),
        "{}",
        dr.object.metadata.name
    );
    assert_eq!(dr.object.metadata.name.len(), 63);
    assert_eq!(spec(dr), destination_rule_spec());
}

#[test]
fn cluster2_gets_the_mirror_image() {
    let all = outputs();
    let [se] = find(&all, "cluster2", "ServiceEntry")[..] else {
        panic!("one ServiceEntry in cluster2")
    };
    let mut expected = spec(find(&all, "cluster1", "ServiceEntry")[0]);
    assert_eq!(spec(se), expected.take());
    let [we] = find(&all, "cluster2", "WorkloadEntry")[..] else {
        panic!("one WorkloadEntry in cluster2")
    };
    assert_eq!(
        we.object.metadata.name,
        "vd-productpage-global-bookinfo-app-productpage-172-23-0-5"
    );
    assert_eq!(
        spec(we),
        json!({
            "address": "172.23.0.5",
            "labels": {"app": "productpage"},
            "locality": "us-west-1",
            "ports": {"http-9080": 15443},
        })
    );
    let [dr] = find(&all, "cluster2", "DestinationRule")[..] else {
        panic!("one DestinationRule in cluster2")
    };
    assert_eq!(spec(dr), destination_rule_spec());
}

#[test]
fn cluster1_virtual_service_is_seed_003s() {
    let all = outputs();
    let [vs] = find(&all, "cluster1", "VirtualService")[..] else {
        panic!("one VirtualService in cluster1")
    };
    assert_eq!(
        vs.object.metadata.name,
        "routetable-productpage-bookinfo-frontends-cluster1-gateways"
    );
    assert_eq!(vs.object.metadata.namespace, "istio-gateways");
    let vs_spec = spec(vs);
    let gateway = vs_spec["gateways"][0].as_str().unwrap().to_owned();
    assert!(
        gateway.starts_with("virtualgateway-north-south-gw-"),
        "{gateway}"
    );
    let source_labels = json!({"app": "istio-ingressgateway", "istio": "ingressgateway"});
    let matcher =
        |kind: &str, path: &str| json!({"sourceLabels": source_labels, "uri": {kind: path}});
    assert_eq!(
        vs_spec,
        json!({
            "exportTo": ["."],
            "gateways": [gateway],
            "hosts": ["*"],
            "http": [{
                "match": [
                    matcher("exact", "/productpage"),
                    matcher("prefix", "/static"),
                    matcher("exact", "/login"),
                    matcher("exact", "/logout"),
                    matcher("prefix", "/api/v1/products"),
                ],
                "name": "productpage-productpage",
                "route": [{"destination": {"host": "productpage.global", "port": {"number": 9080}}}],
            }],
        })
    );
    // The Gateway it names exists in the same cluster and namespace.
    let ingress = find(&all, "cluster1", "Gateway")
        .into_iter()
        .find(|g| g.object.metadata.name == gateway)
        .expect("the VirtualService's Gateway is generated");
    assert_eq!(ingress.object.metadata.namespace, "istio-gateways");
    assert_eq!(
        spec(ingress),
        json!({
            "selector": source_labels,
            "servers": [{"hosts": ["*"], "port": {"name": "http-80", "number": 80, "protocol": "HTTP"}}],
        })
    );
}

#[test]
fn backing_clusters_get_the_east_west_passthrough_gateway() {
    let all = outputs();
    for cluster in ["cluster1", "cluster2"] {
        let [gw] = find(&all, cluster, "Gateway")
            .into_iter()
            .filter(|g| g.object.metadata.name.ends_with("-eastwest"))
            .collect::<Vec<_>>()[..]
        else {
            panic!("one east-west Gateway in {cluster}")
        };
        assert_eq!(gw.object.metadata.namespace, "istio-gateways");
        assert_eq!(
            spec(gw),
            json!({
                "selector": {"app": "istio-eastwestgateway", "istio": "eastwestgateway"},
                "servers": [{
                    "hosts": ["productpage.global"],
                    "port": {"name": "tls", "number": 15443, "protocol": "TLS"},
                    "tls": {"mode": "AUTO_PASSTHROUGH"},
                }],
            })
        );
    }
}

#[test]
fn provenance_labels_and_never_glooss_ownership_labels() {
    for o in outputs() {
        let labels = &o.object.metadata.labels;
        assert_eq!(labels["app.kubernetes.io/managed-by"], "vdc");
        let parent_kind = labels["gloo.solo.io/parent_kind"].as_ref();
        assert!(
            ["VirtualDestination", "RouteTable", "VirtualGateway"].contains(&parent_kind),
            "{parent_kind}"
        );
        assert_eq!(labels["gloo.solo.io/parent_cluster"], "cluster1");
        assert_eq!(labels["context.mesh.gloo.solo.io/cluster"], o.cluster);
        for owned in [
            "owner.gloo.solo.io/name",
            "reconciler.mesh.gloo.solo.io/name",
            "agent.gloo.solo.io",
            "relay.solo.io/cluster",
        ] {
            assert!(!labels.contains_key(owned), "{owned} on {:?}", o.key());
        }
    }
}
