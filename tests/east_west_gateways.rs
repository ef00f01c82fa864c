//! East-west gateways as WorkspaceSettings choose them, and the Gateways and WorkloadEntries
//! vdc makes of them. On testdata/bookinfo, edited.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::copy_tree;
use std::path::Path;

/// testdata/bookinfo with each `(file, from, to)` edit applied (`from` must occur), compiled.
fn compile(edits: &[(&str, &str, &str)]) -> vdc::Compilation {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    for (file, from, to) in edits {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    vdc::compile(tmp.path()).unwrap()
}

/// "cluster/name" of every object of `kind`.
fn names(c: &vdc::Compilation, kind: &str) -> Vec<String> {
    (c.outputs.iter())
        .filter(|o| o.object.kind == kind)
        .map(|o| format!("{}/{}", o.cluster, o.object.metadata.name))
        .collect()
}

const SETTINGS: &str = "clusters/cluster1/gloo/bookinfo.yaml";
const SETTINGS_END: &str = "    - kind: ALL\n      labels:\n        expose: \"true\"\n";
const CLUSTER1: &str = "clusters/cluster1/state.yaml";
const INGRESS_HTTPS: &str = "    - name: https\n      nodePort: 30002\n";

#[test]
fn an_east_west_gateway_entry_without_selector_chooses_by_the_default_labels() {
    let plain = compile(&[]);
    // The north-south ingress gateway of cluster1 has a `tls` port too, as Istio's default
    // profile gives it; it is not labelled `istio: eastwestgateway`.
    let no_selector = format!(
        "{SETTINGS_END}  options:\n    eastWestGateways:\n    - port:\n        name: tls\n"
    );
    let tls_port = "    - name: tls\n      nodePort: 30006\n      port: 15443\n      protocol: TCP\n      targetPort: 15443\n";
    let c = compile(&[
        (SETTINGS, SETTINGS_END, &no_selector),
        (
            CLUSTER1,
            INGRESS_HTTPS,
            &format!("{tls_port}{INGRESS_HTTPS}"),
        ),
    ]);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(names(&c, "WorkloadEntry"), names(&plain, "WorkloadEntry"));
}

/// testdata/check/`case` with each `(file, from, to)` edit applied, compiled.
fn compile_case(case: &str, edits: &[(&str, &str, &str)]) -> vdc::Compilation {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(&Path::new("testdata/check").join(case), tmp.path());
    for (file, from, to) in edits {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
    vdc::compile(tmp.path()).unwrap()
}

#[test]
fn a_tls_termination_vd_whose_ports_reach_one_service_port_is_translated() {
    let grpc = "  - number: 9090\n    protocol: GRPC\n";
    let same_target = format!("{grpc}    targetPort:\n      name: http\n");
    let c = compile_case(
        "tls-termination-ports",
        &[(
            "clusters/cluster1/gloo/productpage.yaml",
            grpc,
            &same_target,
        )],
    );
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert_eq!(
        names(&c, "Gateway"),
        [
            "cluster1/vd-productpage-global-bookinfo-eastwest",
            "cluster2/vd-productpage-global-bookinfo-eastwest"
        ]
    );
}
