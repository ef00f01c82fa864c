//! Values that land in other systems or on a terminal: control characters in names reach no
//! terminal raw, and a dump value that is not what Kubernetes accepts is an error, not output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]
#![cfg(unix)]

mod common;
use common::{copy_tree, vdc};
use std::fs;
use std::path::Path;

fn bookinfo_copy(tmp: &Path) -> std::path::PathBuf {
    let input = tmp.join("in");
    copy_tree(Path::new("testdata/bookinfo"), &input);
    input
}

/// Replaces the first `from` in `file` by `to`.
fn edit(file: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(file, text.replacen(from, to, 1)).unwrap();
}

/// Item 15: a cluster folder of a rendered tree (a pull request can name it) with terminal
/// escapes in its name reaches the human diff escaped.
#[test]
fn the_human_diff_escapes_names_from_a_rendered_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let hostile = "c1\u{1b}]0;owned\u{7}\u{1b}[2J";
    fs::create_dir_all(old.join("c1/ns")).unwrap();
    fs::create_dir_all(new.join(hostile).join("ns")).unwrap();
    let object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n";
    fs::write(old.join("c1/ns/a.yaml"), object).unwrap();
    fs::write(new.join(hostile).join("ns/a.yaml"), object).unwrap();
    let o = vdc().arg("diff").arg(&old).arg(&new).output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    assert!(all.contains("\\u{1b}"), "{all}");
}

/// Item 16: every dump value that reaches the output is checked: an LB ingress `ip`, a
/// `serviceAccountName`, a locality label and a `trustDomain` that Kubernetes or Istio would
/// refuse are each VDC207 errors, and nothing is rendered.
#[test]
fn dump_values_that_reach_the_output_are_validated() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    let state = input.join("clusters/cluster1/state.yaml");
    edit(&state, "- ip: 172.23.0.5", "- ip: \"172.23.0.5\\a\"");
    edit(
        &state,
        "serviceAccountName: bookinfo-details",
        "serviceAccountName: \"bookinfo/../x\"",
    );
    edit(
        &state,
        "topology.kubernetes.io/region: us-west-1",
        "topology.kubernetes.io/region: \"us west/1\"",
    );
    edit(&state, "trustDomain: cluster1", "trustDomain: Cluster_1!");
    let o = vdc().arg("check").arg(&input).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    for path in [
        "status.loadBalancer.ingress[0].ip",
        "spec.template.spec.serviceAccountName",
        "metadata.labels.topology.kubernetes.io/region",
        "data.mesh.trustDomain",
    ] {
        assert!(stdout.contains(path), "{path} not reported:\n{stdout}");
    }
    assert_eq!(stdout.matches("error[VDC207]").count(), 4, "{stdout}");
}
