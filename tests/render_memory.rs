//! `vdc render` and `vdc check` hold a few clusters' generated objects at a time, not the
//! fleet's: the objects alive are counted as they are made and dropped
//! (`vdc::translate::OUTPUTS`), on a synthetic fleet whose output is many times one cluster's.
//! One test in this file, so no other test's objects are counted with it.

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

use clap::Parser;
use std::path::Path;
use tempfile::TempDir;
use vdc::cli::{Cli, Status};
use vdc::translate::OUTPUTS;

/// Threads the commands run on here: render makes a window of two clusters per thread.
const THREADS: usize = 2;

fn generate(out: &Path) {
    let out = out.to_str().unwrap();
    let args = ["--clusters", "16", "--services", "12", "--vds", "24"];
    synth::generate(&[&args[..], &["--workspaces", "2", out]].concat()).unwrap();
}

/// Runs `vdc ARGS` in this process on a pool of [`THREADS`] threads; returns the most
/// generated objects alive at once meanwhile.
fn peak_of(args: &[&str]) -> usize {
    let cli = Cli::parse_from([&["vdc", "--quiet"][..], args].concat());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .unwrap();
    OUTPUTS.reset_peak();
    let status = pool.install(|| vdc::cli::run(cli)).unwrap();
    assert!(matches!(status, Status::Clean), "vdc {args:?}: {status:?}");
    OUTPUTS.peak()
}

#[test]
fn render_and_check_hold_a_few_clusters_objects_at_a_time() {
    let tmp = TempDir::new().unwrap();
    let mesh = tmp.path().join("mesh");
    generate(&mesh);
    let per_cluster = common::objects_per_cluster(&mesh);
    let whole: usize = per_cluster.values().sum();
    let one_cluster = per_cluster.values().copied().max().unwrap();
    // A thread that waits inside one cluster's generation may take up another cluster's, so
    // the bound is render's window (two clusters per thread); it means something only when the
    // whole output is several windows.
    let bound = 2 * THREADS * one_cluster;
    assert!(
        whole >= 3 * bound,
        "{whole} objects in {} clusters, {one_cluster} in the largest",
        per_cluster.len()
    );

    let mesh = mesh.to_str().unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    for args in [
        &["check", mesh, "--no-cache"][..],
        &["render", mesh, "--no-cache", "--out", out],
    ] {
        let peak = peak_of(args);
        assert!(
            peak > 0 && peak <= bound,
            "vdc {args:?} held {peak} objects at once; {THREADS} threads' window of clusters is \
             {bound}, the whole output {whole}"
        );
    }
}
