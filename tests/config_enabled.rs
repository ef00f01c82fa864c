//! Workspace `configEnabled: false`, on a cluster entry or a namespace entry: Gloo reads no
//! configuration from there (common/v2/selectors.proto), and neither does vdc; each object left
//! out gets a VDC306 note. On testdata/check/config-not-read, whose cluster2 holds a stale copy
//! of the productpage VirtualDestination (port 9090).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{check_input, copy_tree, vdc};
use std::fs;
use std::path::Path;

const CASE: &str = "testdata/check/config-not-read";

/// The case copied to a temporary folder with its Workspace's text edited.
fn with_workspace(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new(CASE), tmp.path());
    let file = tmp.path().join("gloo/workspaces.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit applies");
    fs::write(file, edited).unwrap();
    tmp
}

#[test]
fn a_cluster_that_reads_no_config_contributes_no_object() {
    let out = vdc().args(["render", CASE]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(yaml.contains("number: 9080"), "{yaml}");
    assert!(
        !yaml.contains("9090"),
        "the copy in cluster2 was translated:\n{yaml}"
    );
}

#[test]
fn a_namespace_that_reads_no_config_contributes_no_object() {
    let tmp = with_workspace(|t| {
        t.replace("    configEnabled: false\n    namespaces:\n    - name: bookinfo-frontends\n",
            "    configEnabled: true\n    namespaces:\n    - name: bookinfo-frontends\n      configEnabled: false\n")
    });
    let run = check_input(tmp.path().to_str().unwrap(), &[]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    let expected = "info[VDC306]: VirtualDestination bookinfo-frontends/productpage in cluster `cluster2` is not read: workspace `bookinfo` sets `spec.workloadClusters[1].namespaces[0].configEnabled: false`";
    assert!(run.stdout.contains(expected), "{}", run.stdout);
}

/// An absent `configEnabled` reads as true: the stale copy is read, and its port reported.
#[test]
fn without_config_enabled_every_cluster_is_read() {
    let tmp = with_workspace(|t| {
        t.replace("    configEnabled: true\n", "")
            .replace("    configEnabled: false\n", "")
    });
    let run = check_input(tmp.path().to_str().unwrap(), &[]);
    assert_eq!(run.status, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("VDC306"), "{}", run.stdout);
    assert!(run.stdout.contains("error[VDC410]"), "{}", run.stdout);
}
