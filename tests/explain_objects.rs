//! `vdc explain --object`: every object vdc writes says which Gloo object it comes from and
//! why it is in its cluster.

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
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The paths of the objects `vdc render INPUT` writes (its `# Source:` lines), or `None` when
/// the input does not render.
fn rendered_paths(input: &Path) -> Option<Vec<String>> {
    let out = vdc().arg("render").arg(input).output().unwrap();
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.lines()
            .filter_map(|l| l.strip_prefix("# Source: "))
            .map(str::to_owned)
            .collect(),
    )
}

fn explain_objects(input: &Path, refs: &[String], format: &str) -> std::process::Output {
    let mut cmd = vdc();
    cmd.arg("explain").arg(input).args(["--format", format]);
    for r in refs {
        cmd.args(["--object", r]);
    }
    cmd.output().unwrap()
}

/// Every input folder under testdata/ and testdata/check/.
fn inputs() -> Vec<PathBuf> {
    let mut inputs = Vec::new();
    for dir in ["testdata", "testdata/check"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && path != Path::new("testdata/check") {
                inputs.push(path);
            }
        }
    }
    inputs.sort();
    inputs
}

/// Derived from the output, not listed: every object of every input that renders is explained,
/// by its path and by its CLUSTER/KIND/NAMESPACE/NAME, with a parent and a reason. A kind whose
/// explanation is lost fails here.
#[test]
fn every_object_render_writes_is_explained() {
    let (mut rendered, mut kinds) = (0, BTreeSet::new());
    for input in inputs() {
        let Some(paths) = rendered_paths(&input) else {
            continue;
        };
        if paths.is_empty() {
            continue;
        }
        rendered += 1;
        let out = explain_objects(&input, &paths, "json");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", input.display());
        let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let got: Vec<&str> = records
            .iter()
            .map(|r| r["path"].as_str().unwrap())
            .collect();
        assert_eq!(got, paths, "{}", input.display());
        for r in &records {
            let parents = r["parents"].as_array().unwrap();
            assert!(!parents.is_empty(), "{}: {r}", input.display());
            for p in parents {
                for field in ["kind", "cluster", "namespace", "name"] {
                    assert!(p[field].is_string(), "{}: {r}", input.display());
                }
                assert!(p["file"].is_string(), "{}: {r}", input.display());
            }
            let reasons = r["reasons"].as_array().unwrap();
            assert!(
                !reasons.is_empty(),
                "{}: no reason for {r}",
                input.display()
            );
            let is_vd = parents[0]["kind"] == "VirtualDestination";
            assert_eq!(r["explainCommand"].is_string(), is_vd, "{r}");
            kinds.insert(format!("{}<-{}", r["kind"], parents[0]["kind"]));
        }
        // The same objects named as CLUSTER/KIND/NAMESPACE/NAME, the kind in lower case.
        let refs: Vec<String> = records
            .iter()
            .map(|r| {
                let s = |f: &str| r[f].as_str().unwrap().to_owned();
                let kind = s("kind").to_lowercase();
                format!("{}/{kind}/{}/{}", s("cluster"), s("namespace"), s("name"))
            })
            .collect();
        let again = explain_objects(&input, &refs, "json");
        assert!(again.status.success(), "{}", input.display());
        assert_eq!(again.stdout, out.stdout, "{}", input.display());
    }
    assert!(rendered >= 20, "only {rendered} inputs rendered");
    // Every kind of parent vdc has: VDs, ExternalServices, ExternalWorkloads, VirtualGateways,
    // RouteTables.
    for kind in [
        "\"ServiceEntry\"<-\"VirtualDestination\"",
        "\"ServiceEntry\"<-\"ExternalService\"",
        "\"DestinationRule\"<-\"ExternalService\"",
        "\"WorkloadGroup\"<-\"ExternalWorkload\"",
        "\"Gateway\"<-\"VirtualGateway\"",
        "\"Gateway\"<-\"VirtualDestination\"",
        "\"VirtualService\"<-\"RouteTable\"",
        "\"WorkloadEntry\"<-\"VirtualDestination\"",
    ] {
        assert!(kinds.contains(kind), "{kind} not seen in {kinds:?}");
    }
}

fn all_objects(input: &str, format: &str) -> String {
    let input = Path::new(input);
    let paths = rendered_paths(input).unwrap();
    let out = explain_objects(input, &paths, format);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bookinfo_objects_human_and_json() {
    insta::assert_snapshot!(
        "explain_objects_bookinfo_human",
        all_objects("testdata/bookinfo", "human")
    );
    insta::assert_snapshot!(
        "explain_objects_bookinfo_json",
        all_objects("testdata/bookinfo", "json")
    );
}

/// An ExternalService, a VirtualGateway and its VirtualServices.
#[test]
fn team_workspaces_objects_human_and_json() {
    insta::assert_snapshot!(
        "explain_objects_team_workspaces_human",
        all_objects("testdata/team-workspaces", "human")
    );
    insta::assert_snapshot!(
        "explain_objects_team_workspaces_json",
        all_objects("testdata/team-workspaces", "json")
    );
}

#[test]
fn an_unknown_object_exits_2_and_names_the_nearest() {
    vdc()
        .args(["explain", "testdata/bookinfo", "--object"])
        .arg("cluster1/ServiceEntry/bookinfo-frontends/vd-productpage-globl-bookinfo")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "vdc writes no object `cluster1/ServiceEntry/bookinfo-frontends/vd-productpage-globl-bookinfo`",
        ))
        .stderr(predicates::str::contains(
            "did you mean `cluster1/ServiceEntry/bookinfo-frontends/vd-productpage-global-bookinfo`?",
        ));
    vdc()
        .args(["explain", "testdata/bookinfo", "--object"])
        .arg("cluster1/bookinfo-frontends/serviceentry-vd-productpage.yaml")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "cluster1/bookinfo-frontends/serviceentry-vd-productpage-global-bookinfo.yaml",
        ));
    vdc()
        .args(["explain", "testdata/bookinfo", "--object", "nonsense"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("vdc writes no object `nonsense`"));
}

/// An object of a cluster vdc writes nothing for: the cluster is named, and the nearest one
/// suggested, rather than every object of every cluster listed.
#[test]
fn an_object_of_an_unknown_cluster_names_the_cluster() {
    let out = vdc()
        .args([
            "explain",
            "testdata/bookinfo",
            "--object",
            "cluster3/x/y.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("serviceentry"), "{stderr}");
    insta::assert_snapshot!("explain_object_unknown_cluster", stderr);
}

/// `--object` explains objects, VD names explain VDs: one command does one or the other.
#[test]
fn object_and_vd_names_do_not_mix() {
    let object = "cluster1/istio-gateways/gateway-vd-productpage-global-bookinfo-eastwest.yaml";
    vdc()
        .args([
            "explain",
            "testdata/bookinfo",
            "productpage",
            "--object",
            object,
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
    vdc()
        .args(["explain", "testdata/bookinfo", "--cluster", "cluster1"])
        .args(["--object", object])
        .assert()
        .code(2);
}

/// A REF names the object whatever the case of its kind, and a path with `./` or in JSON's
/// extension names it too.
#[test]
fn a_ref_names_the_object_in_every_form() {
    let input = Path::new("testdata/bookinfo");
    let forms = [
        "cluster1/Gateway/istio-gateways/vd-productpage-global-bookinfo-eastwest",
        "cluster1/GATEWAY/istio-gateways/vd-productpage-global-bookinfo-eastwest",
        "cluster1/istio-gateways/gateway-vd-productpage-global-bookinfo-eastwest.yaml",
        "./cluster1/istio-gateways/gateway-vd-productpage-global-bookinfo-eastwest.json",
    ];
    let refs: Vec<String> = forms.iter().map(|f| f.to_string()).collect();
    let out = explain_objects(input, &refs, "json");
    assert!(out.status.success());
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records.len(), 1, "one object, explained once");
    assert_eq!(
        records[0]["virtualDestination"],
        "bookinfo-frontends/productpage"
    );
    assert_eq!(
        records[0]["explainCommand"],
        "vdc explain testdata/bookinfo bookinfo-frontends/productpage"
    );
}

/// Invalid input: its diagnostics and exit 1, as for VDs.
#[test]
fn invalid_input_exits_1() {
    let out = vdc()
        .args(["explain", "testdata/check/no-hosts", "--object", "a/b/c/d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// The DestinationRule defining a Kubernetes Service's subsets comes from a RouteTable (no
/// testdata input renders one as it stands).
#[test]
fn a_service_subsets_rule_names_its_route_table() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("testdata/traffic-policies"), tmp.path());
    let file = tmp.path().join("clusters/cluster1/gloo/backends.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replace(
        "          name: details\n          namespace: bookinfo-backends\n          # no cluster: each gateway routes to its own cluster's details (VDC722)\n",
        "          name: details\n          namespace: bookinfo-backends\n        subset:\n          version: v1\n",
    );
    assert_ne!(edited, text);
    std::fs::write(&file, edited).unwrap();
    let rule = "cluster1/DestinationRule/bookinfo-backends/details-bookinfo-backends-svc-cluster-local-subsets";
    let out = explain_objects(tmp.path(), &[rule.to_owned()], "json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(records[0]["parents"][0]["kind"], "RouteTable");
    assert_eq!(records[0]["explainCommand"], Value::Null);
    let reasons = records[0]["reasons"].to_string();
    assert!(
        reasons.contains(
            "subsets version-v1 of Service host details.bookinfo-backends.svc.cluster.local"
        ),
        "{reasons}"
    );
}

/// A VirtualService of a root table carries its delegated tables' routes: they are among the
/// Gloo objects it comes from, after the root table, and the VirtualGateway it is bound to.
#[test]
fn a_root_table_virtual_service_names_its_delegated_tables() {
    let vs = "cluster1/VirtualService/istio-gateways/routetable-main-bookinfo-istio-gateways-cluster1-gateways";
    let out = explain_objects(Path::new("testdata/delegation"), &[vs.to_owned()], "json");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let records: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let parents: Vec<String> = (records[0]["parents"].as_array().unwrap().iter())
        .map(|p| {
            format!(
                "{} {}/{}",
                p["kind"].as_str().unwrap(),
                p["namespace"].as_str().unwrap(),
                p["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        parents,
        [
            "RouteTable istio-gateways/main-bookinfo",
            "RouteTable bookinfo-frontends/productpage",
            "VirtualGateway istio-gateways/bookinfo-gw",
        ]
    );
}

/// The objects an unknown REF is shown beside are those of its cluster and kind: a Gateway REF
/// lists Gateways, not a VirtualService whose namespace holds "gateway".
#[test]
fn an_unknown_object_is_shown_the_objects_of_its_kind() {
    let out = vdc()
        .args(["explain", "testdata/bookinfo", "--object"])
        .arg("cluster1/Gateway/istio-gateways/nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("cluster1/Gateway/istio-gateways/vd-productpage-global-bookinfo-eastwest"),
        "{stderr}"
    );
    assert!(!stderr.contains("VirtualService"), "{stderr}");
    assert!(!stderr.contains("cluster2"), "{stderr}");
}

/// An east-west Gateway or VirtualService is in the gateway's namespace of a backing cluster:
/// neither the VirtualDestination's namespace nor its clients are why it is there, and no
/// object is said to go to a namespace other than its own.
#[test]
fn east_west_objects_are_explained_by_their_backing_cluster_only() {
    let mut east_west = 0;
    for input in ["testdata/bookinfo", "testdata/external-backends"] {
        let records: Vec<Value> = serde_json::from_str(&all_objects(input, "json")).unwrap();
        for r in &records {
            let reasons: Vec<&str> = (r["reasons"].as_array().unwrap().iter())
                .map(|s| s.as_str().unwrap())
                .collect();
            let namespace = r["namespace"].as_str().unwrap();
            for reason in &reasons {
                if let Some(rest) = reason.strip_prefix("its objects here go to namespace ") {
                    assert!(rest.starts_with(&format!("{namespace} ")), "{r}");
                }
            }
            let kind = r["kind"].as_str().unwrap();
            if r["virtualDestination"].is_string() && matches!(kind, "Gateway" | "VirtualService") {
                east_west += 1;
                assert!(
                    reasons.iter().all(|s| !s.contains("is a client cluster")),
                    "{r}"
                );
                assert!(
                    reasons.iter().any(|s| s.contains("is a backing cluster")),
                    "{r}"
                );
            }
        }
    }
    assert!(east_west >= 3, "only {east_west} east-west objects");
}
