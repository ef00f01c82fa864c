//! `compile_pair` (and `compile_pair_streamed`, which `diff` uses) shares the parse of the files
//! two inputs have in common; what it returns must be exactly what compiling each input on its
//! own returns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use std::fs;
use std::path::Path;
use tempfile::TempDir;
use vdc::{Compilation, Streamed, compile, compile_pair, compile_pair_streamed};

fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", file.display());
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// Everything a compilation reports, in a form that compares whole.
fn summary(c: &Compilation) -> String {
    let sources: Vec<_> = c
        .sources
        .iter()
        .map(|s| (&*s.path, s.text(), s.digest()))
        .collect();
    format!(
        "{:#?}\n{:#?}\n{:?}\n{:?}",
        c.diagnostics, c.outputs, c.clusters, sources
    )
}

/// [`summary`] of a streamed compilation: its objects generated cluster by cluster.
fn streamed_summary(c: &Streamed) -> String {
    let sources: Vec<_> = c
        .sources
        .iter()
        .map(|s| (&*s.path, s.text(), s.digest()))
        .collect();
    let outputs: Vec<_> = c
        .clusters_with_objects()
        .into_iter()
        .flat_map(|cluster| c.objects(cluster))
        .collect();
    format!(
        "{:#?}\n{:#?}\n{:?}\n{:?}",
        c.diagnostics, outputs, c.clusters, sources
    )
}

fn assert_pair_matches_singles(old: &Path, new: &Path) {
    let (alone_a, alone_b) = (compile(old).unwrap(), compile(new).unwrap());
    let (a, b) = compile_pair(old, new).unwrap();
    assert_eq!(summary(&a), summary(&alone_a), "old side");
    assert_eq!(summary(&b), summary(&alone_b), "new side");
    let (a, b) = compile_pair_streamed(old, new, |a, b| {
        (streamed_summary(&a), streamed_summary(&b))
    })
    .unwrap();
    assert_eq!(a, summary(&alone_a), "old side, streamed");
    assert_eq!(b, summary(&alone_b), "new side, streamed");
}

#[test]
fn changed_added_and_removed_files_compile_as_they_would_alone() {
    let tmp = TempDir::new().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    copy_tree(Path::new("testdata/bookinfo"), &old);
    copy_tree(Path::new("testdata/bookinfo"), &new);
    edit(
        &new.join("clusters/cluster1/gloo/policies.yaml"),
        "consecutiveErrors: 2",
        "consecutiveErrors: 3",
    );
    fs::remove_file(new.join("clusters/cluster1/gloo/routing.yaml")).unwrap();
    fs::write(
        new.join("clusters/cluster2/extra.yaml"),
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n",
    )
    .unwrap();
    assert_pair_matches_singles(&old, &new);
    let (a, b) = compile_pair(&old, &new).unwrap();
    assert_ne!(a.outputs, b.outputs, "the edit shows in the output");
}

#[test]
fn a_file_moved_to_another_cluster_is_read_as_that_clusters() {
    let tmp = TempDir::new().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    copy_tree(Path::new("testdata/multi-vd"), &old);
    copy_tree(Path::new("testdata/multi-vd"), &new);
    // The same bytes under another cluster's folder are another cluster's objects.
    let moved = "clusters/cluster1/gloo/reviews.yaml";
    fs::create_dir_all(new.join("clusters/cluster2/gloo")).unwrap();
    fs::rename(
        new.join(moved),
        new.join("clusters/cluster2/gloo/reviews.yaml"),
    )
    .unwrap();
    assert_pair_matches_singles(&old, &new);
}

#[test]
fn different_settings_share_nothing_and_still_compile_as_alone() {
    let tmp = TempDir::new().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    copy_tree(Path::new("testdata/bookinfo"), &old);
    copy_tree(Path::new("testdata/bookinfo"), &new);
    // Gloo config outside clusters/ now belongs to another management cluster.
    edit(
        &new.join("vdc.yaml"),
        "managementCluster: mgmt",
        "managementCluster: hub",
    );
    assert_pair_matches_singles(&old, &new);
}

#[test]
fn an_invalid_side_reports_what_it_would_alone() {
    let tmp = TempDir::new().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    copy_tree(Path::new("testdata/bookinfo"), &old);
    copy_tree(Path::new("testdata/bookinfo"), &new);
    edit(
        &new.join("clusters/cluster1/gloo/bookinfo.yaml"),
        "hosts:",
        "hostz:",
    );
    assert_pair_matches_singles(&old, &new);
    let (_, b) = compile_pair(&old, &new).unwrap();
    assert!(b.has_errors());
}
