//! Two generated objects with one identity (and so one output path) are an error in `check`,
//! `render` and `diff` alike, naming both sources: never one object silently lost.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc;

const CASE: &str = "testdata/check/generated-object-collision";

#[test]
fn render_refuses_colliding_objects_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = vdc()
        .args(["render", CASE, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("VDC509"), "{stderr}");
    assert!(
        stderr.contains("VirtualDestination bookinfo-frontends/productpage in cluster cluster1")
            && stderr.contains("VirtualDestination bookinfo-frontends/productpage-dash"),
        "both sources are named: {stderr}"
    );
    assert!(!out.exists());
    let o = vdc().args(["render", CASE]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
fn diff_refuses_a_side_with_colliding_objects() {
    let o = vdc()
        .args(["diff", "testdata/bookinfo", CASE])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("VDC509"), "{stderr}");
}
