//! East-west RouteTables (route_table.proto, `virtualGateways` and `workloadSelectors`): a table
//! that names neither routes for every workload of the workspaces that see it; selectors pick
//! workloads of those workspaces only; a `*` host is never written into a VirtualService for
//! sidecars. Each case is testdata/bookinfo with one RouteTable added.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{copy_tree, one_spec, vdc};
use serde_json::{Value, json};
use std::path::Path;

/// docs.solo.io, Gloo Mesh 2.5, "Set a default destination" (routing/forward-requests): a
/// RouteTable with neither `virtualGateways` nor `workloadSelectors`, in the namespace of the
/// Service it routes to. Without the example's `ref.cluster: cluster1`: cluster2's sidecars
/// reach cluster1's Service only through Gloo's federation, which vdc refuses (VDC722; see
/// `the_docs_example_naming_cluster1_is_refused_where_cluster2_routes`), so here each cluster
/// routes to its own ratings.
const DEFAULT_DESTINATION: &str = r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: example
  namespace: bookinfo-backends
spec:
  defaultDestination:
    port:
      number: 9080
    ref:
      name: ratings
      namespace: bookinfo-backends
  hosts:
  - 'ratings.bookinfo-backends.svc.cluster.local'
  http:
  - forwardTo: {}
    labels:
      "no": auth
    matchers:
    - headers:
      - name: noauth
        value: "true"
    name: ratings-no-auth
  - forwardTo: {}
    labels:
      route: ratings
    name: ratings
"#;

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

#[test]
fn a_table_without_gateways_or_selectors_routes_every_workload_of_its_workspace() {
    let c = compile_with(DEFAULT_DESTINATION);
    for cluster in ["cluster1", "cluster2"] {
        let vs = one_spec(
            &c.outputs,
            cluster,
            "VirtualService",
            "routetable-example-bookinfo-backends-cluster1-bookinfo",
        );
        assert_eq!(vs["gateways"], json!(["mesh"]));
        assert_eq!(
            vs["hosts"],
            json!(["ratings.bookinfo-backends.svc.cluster.local"])
        );
        // Workspace bookinfo's namespaces; the table is not exported to gateways.
        assert_eq!(
            vs["exportTo"],
            json!(["bookinfo-backends", "bookinfo-frontends"])
        );
        let destination = json!([{"destination": {
            "host": "ratings.bookinfo-backends.svc.cluster.local",
            "port": {"number": 9080},
        }}]);
        assert_eq!(vs["http"][0]["name"], "ratings-no-auth-example");
        assert_eq!(
            vs["http"][0]["match"],
            json!([{"headers": {"noauth": {"exact": "true"}}}])
        );
        assert_eq!(vs["http"][0]["route"], destination);
        assert_eq!(vs["http"][1]["name"], "ratings-example");
        assert_eq!(vs["http"][1].get("match"), None, "every request");
        assert_eq!(vs["http"][1]["route"], destination);
    }
}

#[test]
fn empty_workload_selectors_without_gateways_are_the_same_default() {
    let with_empty =
        DEFAULT_DESTINATION.replace("  hosts:\n", "  workloadSelectors: []\n  hosts:\n");
    let default = mesh_services(&compile_with(DEFAULT_DESTINATION));
    assert_eq!(default.len(), 2, "{default:#?}");
    assert_eq!(mesh_services(&compile_with(&with_empty)), default);
    // `[{}]` says the same in so many words.
    let all = DEFAULT_DESTINATION.replace("  hosts:\n", "  workloadSelectors:\n  - {}\n  hosts:\n");
    assert_eq!(mesh_services(&compile_with(&all)), default);
}

#[test]
fn gateways_with_empty_workload_selectors_route_no_sidecar() {
    // testdata/bookinfo's productpage table: `virtualGateways` and `workloadSelectors: []`.
    let c = compile_with("");
    assert_eq!(mesh_services(&c), vec![]);
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

#[test]
fn a_wildcard_host_for_sidecars_is_left_out_with_a_warning_and_the_gateway_keeps_its_table() {
    let tmp = tempfile::TempDir::new().unwrap();
    let input = "testdata/check/mesh-wildcard-host";
    let out = vdc()
        .args(["render", input, "--out"])
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("warning[VDC720]"), "{stderr}");
    let c = vdc::compile(Path::new(input)).unwrap();
    let services: Vec<(String, Value)> = (c.outputs.iter())
        .filter(|o| o.object.kind == "VirtualService")
        .map(|o| {
            let spec = serde_json::to_value(&o.object.spec).unwrap();
            (o.object.metadata.namespace.clone(), spec)
        })
        .collect();
    assert_eq!(services.len(), 1, "{services:#?}");
    assert_eq!(services[0].0, "istio-gateways");
    assert_eq!(
        services[0].1["gateways"],
        json!(["virtualgateway-north-south-gw-istio-gateways-cluster1"])
    );
}

#[test]
fn a_wildcard_host_on_a_table_for_every_workload_is_left_out_with_a_warning() {
    let wildcard = DEFAULT_DESTINATION.replace(
        "  - 'ratings.bookinfo-backends.svc.cluster.local'",
        "  - '*'",
    );
    let c = compile_with(&wildcard);
    assert_eq!(mesh_services(&c), vec![]);
    let vdc719: Vec<_> = (c.diagnostics.iter())
        .filter(|d| d.code.as_str() == "VDC720")
        .map(|d| (d.field.clone(), d.message.clone()))
        .collect();
    assert_eq!(vdc719.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(vdc719[0].0.as_deref(), Some("spec.hosts[0]"));
    assert!(
        vdc719[0].1.ends_with("the table routes nothing"),
        "{vdc719:?}"
    );
}

/// A RouteTable for productpage.global with `entries` as its workloadSelectors.
fn callers_table(entries: &str) -> String {
    format!(
        r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: productpage-callers
  namespace: bookinfo-frontends
spec:
  hosts:
  - productpage.global
  workloadSelectors:
{entries}  http:
  - name: all
    matchers:
    - uri:
        prefix: /
    forwardTo:
      destinations:
      - ref:
          name: productpage
          namespace: bookinfo-frontends
        kind: VIRTUAL_DESTINATION
        port:
          number: 9080
"#
    )
}

/// cluster1's mesh VirtualServices: (exportTo, the routes' matches).
fn cluster1_routes(c: &vdc::Compilation) -> Vec<(Value, Value)> {
    let mut found: Vec<(Value, Value)> = mesh_services(c)
        .into_iter()
        .filter(|(cluster, namespace, _)| {
            cluster == "cluster1" && namespace == "bookinfo-frontends"
        })
        .map(|(_, _, spec)| (spec["exportTo"].clone(), spec["http"][0]["match"].clone()))
        .collect();
    found.sort_by_key(|(export, _)| export.to_string());
    found
}

/// Two entries that pick workloads of one namespace: each is a source of every route.
#[test]
fn entries_that_pick_one_namespace_are_each_a_source_of_every_route() {
    let entries = "  - selector:\n      labels:\n        app: reviews\n  - selector:\n      labels:\n        app: ratings\n";
    let c = compile_with(&callers_table(entries));
    assert_eq!(
        cluster1_routes(&c),
        [(
            json!(["bookinfo-backends", "bookinfo-frontends"]),
            json!([
                {"uri": {"prefix": "/"}, "sourceLabels": {"app": "reviews"}},
                {"uri": {"prefix": "/"}, "sourceLabels": {"app": "ratings"}},
            ])
        )]
    );
}

/// Entries that pick workloads of different namespaces get a VirtualService each, seen only
/// where their own workloads are: an entry without labels (every workload of its namespace)
/// must not reach the workloads of the other entry's namespace.
#[test]
fn entries_of_different_namespaces_reach_only_their_own_workloads() {
    let entries = "  - selector:\n      namespace: bookinfo-frontends\n  - selector:\n      namespace: bookinfo-backends\n      labels:\n        app: ratings\n";
    let c = compile_with(&callers_table(entries));
    assert_eq!(
        cluster1_routes(&c),
        [
            (json!(["."]), json!([{"uri": {"prefix": "/"}}])),
            (
                json!(["bookinfo-backends", "bookinfo-frontends"]),
                json!([{"uri": {"prefix": "/"}, "sourceLabels": {"app": "ratings"}}])
            ),
        ]
    );
}

/// solo-cop's team layout (testdata/team-workspaces): config lives in the management cluster's
/// team namespace, which no workload cluster has. The east-west VirtualService goes to a
/// namespace of the workloads it routes for, where `kubectl apply` can create it.
#[test]
fn a_table_of_a_management_namespace_is_written_where_its_workloads_are() {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/team-workspaces"), tmp.path());
    let table = r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: frontend-mesh
  namespace: web-team
spec:
  hosts:
  - frontend.web-ui-team.solo-io.mesh
  workloadSelectors:
  - selector:
      labels:
        app: productpage
  http:
  - name: frontend
    forwardTo:
      destinations:
      - ref:
          name: frontend
          namespace: web-team
        kind: VIRTUAL_DESTINATION
        port:
          number: 80
"#;
    std::fs::write(tmp.path().join("gloo/frontend-mesh.yaml"), table).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let found = mesh_services(&c);
    let placed: Vec<(&str, &str)> = found
        .iter()
        .map(|(cluster, namespace, _)| (cluster.as_str(), namespace.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("cluster1", "bookinfo-frontends"),
            ("cluster2", "bookinfo-frontends")
        ]
    );
    for (_, _, spec) in &found {
        assert_eq!(spec["exportTo"], json!(["."]), "{spec}");
    }
}

/// The docs example as written names `cluster: cluster1`, and the table routes for every
/// workload of its workspace, cluster2's too: their VirtualService would route to cluster2's
/// own ratings, not cluster1's, so vdc refuses it there (VDC722) rather than change the target.
#[test]
fn the_docs_example_naming_cluster1_is_refused_where_cluster2_routes() {
    let verbatim = DEFAULT_DESTINATION.replace(
        "      namespace: bookinfo-backends\n  hosts:",
        "      namespace: bookinfo-backends\n      cluster: cluster1\n  hosts:",
    );
    assert_ne!(verbatim, DEFAULT_DESTINATION);
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    std::fs::write(
        tmp.path().join("clusters/cluster1/gloo/extra.yaml"),
        verbatim,
    )
    .unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    let refused: Vec<&str> = (c.diagnostics.iter())
        .filter(|d| d.code.as_str() == "VDC722")
        .map(|d| d.message.as_str())
        .collect();
    assert!(!refused.is_empty(), "{:#?}", c.diagnostics);
    assert!(
        refused
            .iter()
            .all(|m| m.contains("written to cluster `cluster2`")),
        "{refused:#?}"
    );
}

/// A RouteTable of ops-team in istio-gateways (testdata/team-workspaces) attached to the ingress
/// gateway there and selecting productpage's sidecars: both VirtualServices would have one
/// name in one namespace of cluster1. The sidecars' one takes a name of its own; it was dropped.
#[test]
fn a_table_on_a_gateway_of_its_namespace_keeps_its_sidecar_routes() {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/team-workspaces"), tmp.path());
    let table = r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: both
  namespace: istio-gateways
spec:
  hosts:
  - productpage.example.com
  virtualGateways:
  - name: north-south-gw
    namespace: ops-team
    cluster: mgmt
  workloadSelectors:
  - selector:
      labels:
        app: productpage
  http:
  - name: pp
    forwardTo:
      destinations:
      - ref: {name: frontend, namespace: web-team, cluster: mgmt}
        kind: VIRTUAL_DESTINATION
        port: {number: 80}
"#;
    // The gateway admits tables of ops-team too.
    let web = tmp.path().join("gloo/web.yaml");
    let text = std::fs::read_to_string(&web).unwrap();
    let allowed = "            workspace: web-team\n";
    assert_eq!(text.matches(allowed).count(), 1);
    let both = format!(
        "{allowed}        - host: '*'\n          selector:\n            workspace: ops-team\n"
    );
    std::fs::write(&web, text.replace(allowed, &both)).unwrap();
    let gloo = tmp.path().join("clusters/cluster1/gloo");
    std::fs::create_dir_all(&gloo).unwrap();
    std::fs::write(gloo.join("both.yaml"), table).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let mut found: Vec<(String, Value)> = (c.outputs.iter())
        .filter(|o| o.cluster == "cluster1" && o.object.kind == "VirtualService")
        .map(|o| {
            (
                o.object.metadata.name.clone(),
                serde_json::to_value(&o.object.spec).unwrap(),
            )
        })
        .filter(|(_, spec)| spec["hosts"] == json!(["productpage.example.com"]))
        .map(|(name, spec)| (name, spec["gateways"].clone()))
        .collect();
    found.sort_by_key(|(name, _)| name.clone());
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[1].1, json!(["mesh"]), "{found:#?}");
    assert!(found[1].0.ends_with("-mesh"), "{found:#?}");
    assert_ne!(found[0].1, json!(["mesh"]), "{found:#?}");
}
