//! `render --shard I/N`: N runs, one per shard, write together exactly what one run writes. A
//! synthetic fleet (the benchmarks' generator) is rendered whole and in shards, into separate
//! folders (as CI runners do) and one after another into one folder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use common::vdc;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const MANIFEST: &str = ".vdc-manifest";

fn fleet(dir: &Path) {
    let args = ["--clusters", "9", "--services", "12", "--vds", "10"];
    let mut args = args.to_vec();
    args.extend(["--workspaces", "3", dir.to_str().unwrap()]);
    synth::generate(&args).unwrap();
}

/// Every file below `dir`: relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), fs::read(e.path()).unwrap())
        })
        .collect()
}

fn render(input: &Path, extra: &[&str]) -> Vec<u8> {
    let out = vdc()
        .args(["--quiet", "render"])
        .arg(input)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A manifest's entries (path → digest), its header line left out.
fn entries(manifest: &[u8]) -> BTreeMap<String, String> {
    String::from_utf8(manifest.to_vec())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (hash, path) = l.split_once("  ").unwrap();
            (path.to_owned(), hash.to_owned())
        })
        .collect()
}

/// The stdout stream cut into its documents, each beginning with `# Source:`.
fn documents(stream: &[u8]) -> Vec<String> {
    let text = String::from_utf8(stream.to_vec()).unwrap();
    text.split("---\n")
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn shards_in_separate_folders_together_are_one_render() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let whole_dir = tmp.path().join("whole");
    render(&input, &["--out", whole_dir.to_str().unwrap()]);
    let mut whole = tree(&whole_dir);
    let whole_manifest = entries(&whole.remove(MANIFEST).unwrap());
    let clusters: BTreeSet<&str> = whole.keys().map(|p| p.split('/').next().unwrap()).collect();
    assert_eq!(clusters.len(), 9, "{clusters:?}");

    let count = 4;
    let mut union = BTreeMap::new();
    let mut union_manifest = BTreeMap::new();
    let mut clusters_per_shard = Vec::new();
    for index in 1..=count {
        // Where the GitHub Actions join job of docs/ci.md finds each shard's artifact.
        let dir = tmp.path().join(format!("shards/rendered-shard-{index}"));
        let shard = format!("{index}/{count}");
        render(&input, &["--shard", &shard, "--out", dir.to_str().unwrap()]);
        let mut files = tree(&dir);
        let manifest = entries(&files.remove(MANIFEST).unwrap());
        assert_eq!(
            manifest.keys().collect::<Vec<_>>(),
            files.keys().collect::<Vec<_>>(),
            "shard {shard}'s manifest lists its own files"
        );
        let mine: BTreeSet<String> = files
            .keys()
            .map(|p| p.split('/').next().unwrap().to_owned())
            .collect();
        clusters_per_shard.push(mine.len());
        for (path, bytes) in files {
            assert!(
                union.insert(path.clone(), bytes).is_none(),
                "{path} in two shards"
            );
        }
        union_manifest.extend(manifest);
    }
    assert_eq!(
        union, whole,
        "the shards' files are the whole render's, byte for byte"
    );
    assert_eq!(union_manifest, whole_manifest);
    if cfg!(unix) {
        join_as_docs_ci_does(tmp.path());
        assert_eq!(tree(&tmp.path().join("rendered")), tree(&whole_dir));
    }
    assert!(
        clusters_per_shard.iter().filter(|n| **n > 0).count() > 1,
        "the fleet is spread over shards: {clusters_per_shard:?}"
    );
}

/// Runs the join step of the GitHub Actions workflow in docs/ci.md in `dir`, which holds
/// `shards/rendered-shard-I/`, as the workflow downloads them.
fn join_as_docs_ci_does(dir: &Path) {
    let doc = fs::read_to_string("docs/ci.md").unwrap();
    let step = doc.split("- name: Join the shards\n").nth(1).unwrap();
    let body = step.split_once("run: |\n").unwrap().1;
    let script: String = body
        .lines()
        .take_while(|l| l.starts_with("          ") || l.is_empty())
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    assert!(script.contains(".vdc-manifest"), "{script}");
    let status = std::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "{script}");
}

#[test]
fn shards_rendered_one_after_another_into_one_folder_are_one_render() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let (whole, shared) = (tmp.path().join("whole"), tmp.path().join("shared"));
    render(&input, &["--out", whole.to_str().unwrap()]);
    for index in [3, 1, 2] {
        let shard = format!("{index}/3");
        render(
            &input,
            &["--shard", &shard, "--out", shared.to_str().unwrap()],
        );
    }
    // The manifest included: each run keeps the other shards' files and their entries.
    assert_eq!(tree(&shared), tree(&whole));
}

#[test]
fn shard_streams_together_hold_every_document_once_in_order() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let whole = documents(&render(&input, &[]));
    let mut seen = BTreeSet::new();
    for index in 1..=3 {
        let shard = documents(&render(&input, &["--shard", &format!("{index}/3")]));
        let positions: Vec<usize> = shard
            .iter()
            .map(|d| {
                whole
                    .iter()
                    .position(|w| w == d)
                    .expect("a document of the whole")
            })
            .collect();
        assert!(
            positions.is_sorted(),
            "shard {index} keeps the whole's order"
        );
        for p in positions {
            assert!(seen.insert(p), "document {p} in two shards");
        }
    }
    assert_eq!(seen.len(), whole.len());
}

#[test]
fn more_shards_than_clusters_leaves_some_empty_and_loses_nothing() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let whole = render(&input, &[]);
    let total: usize = (1..=40)
        .map(|i| documents(&render(&input, &["--shard", &format!("{i}/40")])).len())
        .sum();
    assert_eq!(total, documents(&whole).len());
}

#[test]
fn a_shard_that_does_not_exist_is_a_usage_error() {
    for (shard, says) in [
        ("0/3", "I runs from 1 to N"),
        ("4/3", "does not exist"),
        ("2", "I/N"),
    ] {
        let out = vdc()
            .args(["render", "testdata/bookinfo", "--shard", shard])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{shard}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{shard}: {stderr}");
    }
    let out = vdc()
        .args([
            "render",
            "testdata/bookinfo",
            "--shard",
            "1/2",
            "--cluster",
            "cluster1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
