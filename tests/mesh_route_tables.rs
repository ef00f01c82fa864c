//! East-west RouteTables (route_table.proto, `workloadSelectors`): selectors pick workloads of
//! the workspaces where the table is deployed or imported only. Each case is testdata/bookinfo
//! with one RouteTable added.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use serde_json::{Value, json};
use std::path::Path;

/// testdata/bookinfo with `table` added as clusters/cluster1/gloo/extra.yaml, compiled.
fn compile_with(table: &str) -> vdc::Compilation {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    std::fs::write(tmp.path().join("clusters/cluster1/gloo/extra.yaml"), table).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    c
}

/// The specs of the VirtualServices bound to `mesh`, by cluster.
fn mesh_services(c: &vdc::Compilation) -> Vec<(String, String, Value)> {
    (c.outputs.iter())
        .filter(|o| o.object.kind == "VirtualService")
        .map(|o| {
            let spec = serde_json::to_value(&o.object.spec).unwrap();
            (o.cluster.clone(), o.object.metadata.namespace.clone(), spec)
        })
        .filter(|(_, _, spec)| spec["gateways"] == json!(["mesh"]))
        .collect()
}

/// A RouteTable of workspace bookinfo routing for the ingress gateway's pods, which run in
/// workspace gateways; `labels` are the table's own.
fn table_for_gateway_pods(labels: &str) -> String {
    format!(
        r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: ratings-override
  namespace: bookinfo-frontends
  labels: {labels}
spec:
  hosts: [ratings.bookinfo-backends.svc.cluster.local]
  workloadSelectors:
  - selector:
      labels:
        istio: ingressgateway
  http:
  - name: all
    directResponse:
      status: 503
      body: hijacked
"#
    )
}

#[test]
fn workload_selectors_pick_no_workload_of_a_workspace_that_does_not_import_the_table() {
    // bookinfo exports only what is labelled expose: "true" to gateways.
    let c = compile_with(&table_for_gateway_pods("{}"));
    assert_eq!(mesh_services(&c), vec![]);
}

#[test]
fn workload_selectors_pick_workloads_of_a_workspace_that_imports_the_table() {
    let c = compile_with(&table_for_gateway_pods(r#"{expose: "true"}"#));
    let services = mesh_services(&c);
    assert_eq!(services.len(), 2, "{services:#?}");
    for (_, namespace, vs) in services {
        assert_eq!(namespace, "bookinfo-frontends");
        assert_eq!(
            vs["exportTo"],
            json!(["bookinfo-frontends", "istio-gateways"])
        );
        assert_eq!(
            vs["http"][0]["match"],
            json!([{"sourceLabels": {"istio": "ingressgateway"}}])
        );
    }
}
