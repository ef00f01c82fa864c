//! What INPUT may hold that vdc must not read, or must not read as something else: a `vdc.yaml`
//! that links out of INPUT, a cluster folder that links to another, a second settings document.

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
use std::os::unix::fs::symlink;
use std::path::Path;

const BOOKINFO: &str = "testdata/bookinfo";

fn bookinfo_copy(tmp: &Path) -> std::path::PathBuf {
    let input = tmp.join("in");
    copy_tree(Path::new(BOOKINFO), &input);
    input
}

/// `ln -s ~/.aws/credentials in/vdc.yaml; vdc check in` must not print the key: the link leads
/// out of INPUT, so the file is never opened (VDC110 says so).
#[test]
fn a_vdc_yaml_linking_out_of_input_is_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    let secret = tmp.path().join("credentials");
    fs::write(
        &secret,
        "[default]\naws_secret_access_key = wJalrXUtnFEMI-SECRET\n",
    )
    .unwrap();
    let _ = fs::remove_file(input.join("vdc.yaml"));
    symlink(&secret, input.join("vdc.yaml")).unwrap();
    let o = vdc().args(["check"]).arg(&input).output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !all.contains("SECRET") && !all.contains("aws_secret"),
        "{all}"
    );
    assert!(all.contains("VDC110"), "{all}");
}

/// `clusters/cluster2 -> cluster1` is not a second cluster with the first one's state, nor a
/// cluster to drop: an error naming the link, and the cluster's rendered output stays.
#[test]
fn a_cluster_folder_linking_to_another_is_an_error_and_its_output_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    let out = tmp.path().join("out");
    vdc()
        .args(["render"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let before = fs::read_dir(out.join("cluster2")).unwrap().count();
    fs::remove_dir_all(input.join("clusters/cluster2")).unwrap();
    symlink("cluster1", input.join("clusters/cluster2")).unwrap();
    let o = vdc()
        .args(["render"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("VDC103")
            && stderr.contains("clusters/cluster2")
            && stderr.contains("symbolic link to `cluster1`"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(out.join("cluster2")).unwrap().count(), before);
}

/// A second document in `vdc.yaml` (with an unknown key in it) is reported, not ignored.
#[test]
fn a_second_document_in_vdc_yaml_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    fs::write(
        input.join("vdc.yaml"),
        "managementCluster: mgmt\n---\nbogus: 1\n",
    )
    .unwrap();
    let o = vdc().args(["check"]).arg(&input).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("VDC109") && stdout.contains("more than one YAML document"),
        "{stdout}"
    );
}

/// A folder that links make one read already is read once, at its first path, and every other
/// path is an error naming both: its files would have counted there too. Before, the later path
/// was skipped without a word, even a real cluster folder that a link sorting first pointed at.
#[test]
fn a_folder_read_already_through_a_link_is_an_error_naming_both_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    symlink("../cluster1/gloo", input.join("clusters/cluster2/gloo")).unwrap();
    let o = vdc().args(["check"]).arg(&input).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "cannot read clusters/cluster2/gloo: symbolic links make it the same folder as clusters/cluster1/gloo"
        ),
        "{stdout}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_copy(tmp.path());
    symlink("cluster2", input.join("clusters/aaa")).unwrap();
    let o = vdc().args(["check"]).arg(&input).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "cannot read clusters/cluster2: symbolic links make it the same folder as clusters/aaa"
        ),
        "{stdout}"
    );
}
