//! `vdc diff` holds one cluster's objects at a time, not both sides' whole output: the objects
//! it holds are counted as they are made and dropped (`vdc::diff::held`), on a synthetic fleet
//! where the whole output is several times one cluster's. One test in this file, so no other
//! test's objects are counted with it.

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

mod common;
use common::{copy_tree, objects_per_cluster, vdc};
use std::fs;
use std::path::Path;
use tempfile::TempDir;
use vdc::diff::{Change, held};

fn generate(out: &Path) {
    let out = out.to_str().unwrap();
    synth::generate(&[
        "--clusters",
        "6",
        "--services",
        "20",
        "--vds",
        "12",
        "--workspaces",
        "2",
        out,
    ])
    .unwrap();
}

/// The mesh with its first HTTP VirtualDestination port made TCP, as a one-line change to a
/// fleet's config would be.
fn with_one_protocol_flipped(mesh: &Path, to: &Path) {
    copy_tree(mesh, to);
    let file = to.join("clusters/cluster-000/gloo/ws-0.yaml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("protocol: HTTP"), "{}", file.display());
    fs::write(&file, text.replacen("protocol: HTTP", "protocol: TCP", 1)).unwrap();
}

/// The changes from `old` to `new`, compared in this process, and the most objects the diff
/// held at once meanwhile.
fn diff_counting(old: &Path, new: &Path) -> (Vec<Change>, usize) {
    held::reset_peak();
    let compared = vdc::diff::with_sides(old, new, |old, new| {
        vdc::diff::compare_sides(&old, &new, 3, true)
    })
    .unwrap();
    (compared.changes, held::peak())
}

#[test]
fn diff_holds_one_clusters_objects_of_each_side_at_a_time() {
    let tmp = TempDir::new().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    generate(&old);
    with_one_protocol_flipped(&old, &new);
    let rendered = tmp.path().join("rendered");
    vdc()
        .arg("render")
        .arg(&old)
        .arg("--out")
        .arg(&rendered)
        .assert()
        .success();

    let (before, after) = (objects_per_cluster(&old), objects_per_cluster(&new));
    assert_eq!(before.len(), 6, "{before:?}");
    let whole: usize = before.values().sum::<usize>() + after.values().sum::<usize>();
    let one_cluster = before
        .keys()
        .map(|c| before[c] + after.get(c).copied().unwrap_or(0))
        .max()
        .unwrap();
    // The bound means something only when the whole output is several clusters' worth.
    assert!(
        whole >= 4 * one_cluster,
        "{whole} objects, {one_cluster} in one cluster"
    );

    for (old_side, what) in [(&old, "INPUT"), (&rendered, "rendered")] {
        let (changes, peak) = diff_counting(old_side, &new);
        assert!(
            !changes.is_empty(),
            "{what} → INPUT: the flip changes objects"
        );
        assert!(
            peak <= one_cluster,
            "{what} → INPUT: held {peak} objects at once; one cluster's of both sides is \
             {one_cluster}, the whole output {whole}"
        );
    }
}
