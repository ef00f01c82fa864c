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

/// testdata/bookinfo with cluster2's dump edited by `edit`, which gets the dump's `items`.
fn bookinfo_with_cluster2_items(
    edit: impl FnOnce(&mut Vec<serde_json::Value>),
) -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    let path = tmp.path().join("clusters/cluster2/state.json");
    let mut state: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(state["items"].as_array_mut().unwrap());
    std::fs::write(&path, serde_json::to_string(&state).unwrap()).unwrap();
    tmp
}

/// testdata/bookinfo with cluster2's east-west gateway split into two revisions, as an Istio
/// canary upgrade leaves it: Services and Deployments `istio-eastwestgateway-1-19` and `-1-20`,
/// whose selectors add `revision`, at 172.23.0.6 and 172.23.0.7.
fn revisioned_gateways() -> tempfile::TempDir {
    bookinfo_with_cluster2_items(|items| {
        let mut added = Vec::new();
        items.retain(|item| {
            if item["metadata"]["name"] != "istio-eastwestgateway" {
                return true;
            }
            for (revision, ip) in [("1-19", "172.23.0.6"), ("1-20", "172.23.0.7")] {
                let mut copy = item.clone();
                copy["metadata"]["name"] = format!("istio-eastwestgateway-{revision}").into();
                if copy["kind"] == "Service" {
                    copy["spec"]["selector"]["revision"] = revision.into();
                    copy["status"]["loadBalancer"]["ingress"][0]["ip"] = ip.into();
                } else {
                    copy["spec"]["selector"]["matchLabels"]["revision"] = revision.into();
                    copy["spec"]["template"]["metadata"]["labels"]["revision"] = revision.into();
                }
                added.push(copy);
            }
            false
        });
        assert_eq!(added.len(), 4, "a Service and a Deployment per revision");
        items.extend(added);
    })
}

#[test]
fn each_revision_of_an_east_west_gateway_gets_its_own_gateway() {
    let input = revisioned_gateways();
    let c = vdc::compile(input.path()).unwrap();
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let gateways: Vec<(String, serde_json::Value)> = (c.outputs.iter())
        .filter(|o| o.cluster == "cluster2" && o.object.kind == "Gateway")
        .filter(|o| o.object.metadata.name.starts_with("vd-"))
        .map(|o| {
            let spec = serde_json::to_value(&o.object.spec).unwrap();
            (o.object.metadata.name.clone(), spec)
        })
        .collect();
    let mut revisions: Vec<&str> = (gateways.iter())
        .map(|(_, spec)| spec["selector"]["revision"].as_str().unwrap())
        .collect();
    revisions.sort_unstable();
    assert_eq!(revisions, ["1-19", "1-20"], "{gateways:#?}");
    for (name, spec) in &gateways {
        assert_eq!(
            spec["servers"][0]["tls"]["mode"], "AUTO_PASSTHROUGH",
            "{name}"
        );
        assert_eq!(spec["servers"][0]["port"]["number"], 15443, "{name}");
    }
    assert_ne!(gateways[0].0, gateways[1].0);
    // cluster1 has one east-west gateway Service: its Gateway keeps the plain name.
    assert!(
        names(&c, "Gateway").contains(&"cluster1/vd-productpage-global-bookinfo-eastwest".into())
    );
}

#[test]
fn two_gateway_services_of_the_same_pods_give_them_one_gateway() {
    // A second Service in front of cluster2's east-west gateway pods, with a narrower selector
    // that picks the same Deployment: one Gateway, or the pods get the passthrough server twice.
    let tmp = bookinfo_with_cluster2_items(|items| {
        let service = (items.iter())
            .find(|i| i["kind"] == "Service" && i["metadata"]["name"] == "istio-eastwestgateway")
            .unwrap();
        let mut second = service.clone();
        second["metadata"]["name"] = "eastwest-tls".into();
        second["spec"]["selector"] = serde_json::json!({"istio": "eastwestgateway"});
        second["status"]["loadBalancer"]["ingress"][0]["ip"] = "172.23.0.9".into();
        items.push(second);
    });
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let east_west: Vec<String> = (names(&c, "Gateway").into_iter())
        .filter(|n| n.contains("/vd-"))
        .collect();
    assert_eq!(
        east_west,
        [
            "cluster1/vd-productpage-global-bookinfo-eastwest",
            "cluster2/vd-productpage-global-bookinfo-eastwest"
        ]
    );
}

#[test]
fn in_tls_termination_the_virtual_service_binds_every_revisions_gateway() {
    let input = revisioned_gateways();
    let vd = input.path().join(SETTINGS);
    let text = std::fs::read_to_string(&vd).unwrap();
    let ports = "  ports:\n  - number: 9080\n    protocol: HTTP\n";
    assert!(text.contains(ports));
    let edited = text.replacen(
        ports,
        &format!("{ports}  clientMode:\n    tlsTermination: {{}}\n"),
        1,
    );
    std::fs::write(&vd, edited).unwrap();
    let c = vdc::compile(input.path()).unwrap();
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let gateway_names: Vec<String> = (c.outputs.iter())
        .filter(|o| o.cluster == "cluster2" && o.object.kind == "Gateway")
        .map(|o| o.object.metadata.name.clone())
        .filter(|n| n.starts_with("vd-"))
        .collect();
    assert_eq!(gateway_names.len(), 2, "{gateway_names:?}");
    let bound: Vec<serde_json::Value> = (c.outputs.iter())
        .filter(|o| o.cluster == "cluster2" && o.object.kind == "VirtualService")
        .map(|o| serde_json::to_value(&o.object.spec).unwrap())
        .filter(|spec| spec["gateways"].as_array().is_some_and(|g| !g.is_empty()))
        .filter(|spec| spec["hosts"][0] == "productpage.global")
        .map(|spec| spec["gateways"].clone())
        .collect();
    assert_eq!(bound, [serde_json::json!(gateway_names)]);
}

#[test]
fn trace_does_not_call_a_gateway_address_without_a_server_serving() {
    // cluster2's gateway is given two addresses, one of them its ingress gateway's: requests
    // sent there find no Gateway server for the host and are reset.
    let overrides = format!(
        "{SETTINGS_END}  options:\n    eastWestGateways:\n    - selector:\n        labels:\n          istio: eastwestgateway\n        cluster: cluster2\n      hostInfoOverrides:\n      - addr: 172.23.0.6\n        port: 15443\n      - addr: 172.23.0.4\n        port: 443\n    - selector:\n        labels:\n          istio: eastwestgateway\n"
    );
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    let path = tmp.path().join(SETTINGS);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(SETTINGS_END, &overrides, 1)).unwrap();
    let out = common::vdc()
        .arg("trace")
        .arg(tmp.path())
        .args([
            "--from",
            "cluster1/bookinfo-frontends",
            "--to",
            "productpage.global",
        ])
        .args(["--fail", "cluster:cluster1"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = |address: &str| {
        (stdout.lines())
            .find(|l| l.contains(address))
            .unwrap_or_else(|| panic!("no {address} in\n{stdout}"))
    };
    assert!(line("172.23.0.6:15443").ends_with("← serving"), "{stdout}");
    assert!(!line("172.23.0.4:443").contains("← serving"), "{stdout}");
    assert!(
        line("172.23.0.4:443").contains("no Gateway server"),
        "{stdout}"
    );
}
