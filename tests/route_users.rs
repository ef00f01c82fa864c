//! The objects of a route's destination are exported wherever the route is used: a
//! VirtualService applies in the namespaces it is exported to (its own for `.`), and without the
//! destination's ServiceEntry there the route has no cluster (503 NC).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{check_input, copy_tree, vdc};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// Every object `vdc render INPUT --format json` writes for `cluster`.
fn rendered(input: &Path, cluster: &str) -> Vec<Value> {
    let out = vdc()
        .args(["render"])
        .arg(input)
        .args(["--cluster", cluster, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    match v {
        Value::Array(items) => items,
        Value::Object(ref o) if o.contains_key("items") => v["items"].as_array().unwrap().clone(),
        other => vec![other],
    }
}

/// The `exportTo` of the `kind` object whose spec names `host`.
fn export_to(objects: &[Value], kind: &str, host: &str) -> Vec<String> {
    let found = objects
        .iter()
        .find(|o| {
            o["kind"] == kind
                && (o["spec"]["host"] == host
                    || o["spec"]["hosts"]
                        .as_array()
                        .is_some_and(|h| h.contains(&host.into())))
        })
        .unwrap_or_else(|| panic!("no {kind} for {host}"));
    serde_json::from_value(found["spec"]["exportTo"].clone()).unwrap()
}

/// testdata/external-backends/…/fraud-api.yaml: a RouteTable in namespace shop routes the
/// frontend to an ExternalService in namespace payments of the same workspace.
#[test]
fn an_external_service_is_exported_where_its_route_is_used() {
    let objects = rendered(Path::new("testdata/external-backends"), "cluster1");
    let host = "fraud.api.example.com";
    for kind in ["ServiceEntry", "DestinationRule"] {
        assert_eq!(
            export_to(&objects, kind, host),
            ["payments", "shop"],
            "{kind}"
        );
    }
    // One that no route of another namespace uses stays in its own.
    assert_eq!(
        export_to(&objects, "ServiceEntry", "api.cards.example.com"),
        ["."]
    );
}

/// testdata/bookinfo plus a VirtualDestination that only cluster2 backs, routed from cluster1's
/// ingress gateway by a RouteTable exported to gateways (both labelled `expose: "true"`, so that
/// workspace gateways sees them; without the label on the VirtualDestination it is VDC738): cluster1's ServiceEntry is exported to
/// the gateway's namespace although no Service backs it there.
#[test]
fn a_gateway_route_has_its_destination_where_no_service_backs_it() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    fs::write(
        tmp.path()
            .join("clusters/cluster1/gloo/reviews-remote.yaml"),
        REVIEWS_REMOTE,
    )
    .unwrap();
    let host = "reviews-remote.global";
    let cluster1 = rendered(tmp.path(), "cluster1");
    let cluster2 = rendered(tmp.path(), "cluster2");
    for objects in [&cluster1, &cluster2] {
        let export = export_to(objects, "ServiceEntry", host);
        assert!(export.contains(&"istio-gateways".to_owned()), "{export:?}");
    }
}

const REVIEWS_REMOTE: &str = "\
apiVersion: networking.gloo.solo.io/v2
kind: VirtualDestination
metadata:
  name: reviews-remote
  namespace: bookinfo-frontends
  labels:
    expose: \"true\"
spec:
  hosts:
  - reviews-remote.global
  services:
  - labels:
      app: reviews
    cluster: cluster2
  ports:
  - number: 9080
    protocol: HTTP
---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: reviews-remote
  namespace: bookinfo-frontends
  labels:
    expose: \"true\"
spec:
  hosts:
  - reviews.example.com
  virtualGateways:
  - name: north-south-gw
    namespace: istio-gateways
    cluster: cluster1
  http:
  - name: reviews
    forwardTo:
      destinations:
      - ref:
          name: reviews-remote
          namespace: bookinfo-frontends
        kind: VIRTUAL_DESTINATION
        port:
          number: 9080
";

/// The decision for a VirtualDestination nothing backs anywhere: error VDC418, not a warning
/// and a ServiceEntry without endpoints; it replaces VDC413's warning about the same selector.
#[test]
fn a_virtual_destination_nothing_backs_is_an_error() {
    let run = check_input("testdata/check/no-backend", &[]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(run.stdout.contains("error[VDC418]"), "{}", run.stdout);
    assert!(
        run.stdout.contains("did you mean `app: productpage`?"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("VDC413"), "{}", run.stdout);
}

/// testdata/team-workspaces: web-team's ExternalService is consumed by web-team and by
/// ops-team, which holds istio-gateways, where a web-team route on ops-team's gateway uses it.
/// Each workspace's copy is placed in one of its namespaces, but a proxy keeps only one
/// ServiceEntry and one DestinationRule of a host: in every namespace exactly one is visible.
#[test]
fn copies_of_an_external_service_are_never_visible_in_one_namespace_twice() {
    let objects = rendered(Path::new("testdata/team-workspaces"), "cluster1");
    for kind in ["ServiceEntry", "DestinationRule"] {
        let mut seen: Vec<String> = Vec::new();
        for o in objects.iter().filter(|o| o["kind"] == kind) {
            let host = &o["spec"]["host"];
            let hosts = &o["spec"]["hosts"];
            if host != "httpbin.org"
                && !hosts
                    .as_array()
                    .is_some_and(|h| h.contains(&"httpbin.org".into()))
            {
                continue;
            }
            let own = o["metadata"]["namespace"].as_str().unwrap();
            for to in o["spec"]["exportTo"].as_array().unwrap() {
                let to = to.as_str().unwrap();
                seen.push(if to == "." {
                    own.to_owned()
                } else {
                    to.to_owned()
                });
            }
        }
        seen.sort();
        assert_eq!(seen, ["bookinfo-frontends", "istio-gateways"], "{kind}");
    }
}
