//! The synthetic-mesh generator behind the benchmarks must keep writing valid input: a small
//! mesh is generated, compiled and rendered here (and checked against Istio's schemas in CI).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

fn generate(out: &Path) {
    let out = out.to_str().unwrap();
    synth::generate(&[
        "--clusters",
        "4",
        "--services",
        "30",
        "--vds",
        "12",
        "--workspaces",
        "2",
        "--json-fraction",
        "0.5",
        out,
    ])
    .unwrap();
}

fn stream(input: &Path) -> Vec<u8> {
    let c = vdc::compile(input).unwrap();
    let outputs: Vec<_> = c.outputs.iter().collect();
    let mut text = Vec::new();
    vdc::emit::write_stream(&outputs, vdc::emit::Format::Yaml, &mut text).unwrap();
    text
}

#[test]
fn a_small_synthetic_mesh_is_valid_and_uses_every_kind() {
    let tmp = TempDir::new().unwrap();
    let mesh = tmp.path().join("mesh");
    generate(&mesh);
    assert!(
        mesh.join("clusters/cluster-000/state.json").is_file(),
        "half the dumps are JSON"
    );
    assert!(mesh.join("clusters/cluster-003/state.yaml").is_file());

    let c = vdc::compile(&mesh).unwrap();
    let problems: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code.as_str(), d.message))
        .collect();
    assert!(
        problems.is_empty(),
        "synth writes valid input: {problems:#?}"
    );
    let kinds: BTreeSet<&str> = c.outputs.iter().map(|o| o.object.kind).collect();
    assert_eq!(
        kinds,
        BTreeSet::from([
            "DestinationRule",
            "Gateway",
            "ServiceEntry",
            "VirtualService",
            "WorkloadEntry"
        ])
    );
    let clusters: BTreeSet<&str> = c.outputs.iter().map(|o| o.cluster.as_str()).collect();
    assert_eq!(clusters.len(), 4, "every cluster gets objects");
}

#[test]
fn the_same_arguments_give_the_same_mesh_and_the_same_output() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    generate(&a);
    generate(&b);
    for entry in walkdir::WalkDir::new(&a) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let twin = b.join(entry.path().strip_prefix(&a).unwrap());
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(&twin).unwrap(),
                "{}",
                entry.path().display()
            );
        }
    }
    assert_eq!(stream(&a), stream(&b));
}
