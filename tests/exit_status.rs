//! What the user is told when the output cannot go where it should: a closed or full stdout,
//! a long DIR name, a file name with a backslash in a SARIF report.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]
#![cfg(unix)]

mod common;
use common::{copy_tree, vdc, vdc_path};
use std::fs;
use std::path::Path;

fn shell(script: &str) -> (i32, String) {
    let o = std::process::Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(vdc_path())
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// `--help > /dev/full` cannot be written: exit 2, not a silent 0.
#[test]
fn help_that_cannot_be_written_is_an_error() {
    let (status, stderr) = shell(r#""$1" --help > /dev/full"#);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("writing to stdout"), "{stderr}");
    let (status, _) = shell(r#""$1" --help > /dev/null"#);
    assert_eq!(status, 0);
}

/// With stdout closed (`>&-`), output would be lost without a word: exit 2. `render --out`,
/// which writes nothing to stdout, still works.
#[test]
fn a_closed_stdout_is_an_error_where_output_goes_there() {
    let (status, stderr) = shell(r#""$1" render testdata/bookinfo >&-"#);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("stdout is closed"), "{stderr}");
    let tmp = tempfile::tempdir().unwrap();
    let script = format!(
        r#""$1" --quiet render testdata/bookinfo --out '{}' >&-"#,
        tmp.path().join("out").display()
    );
    let (status, stderr) = shell(&script);
    assert_eq!(status, 0, "{stderr}");
}

/// A DIR name of 250 bytes renders: the names vdc gives its files beside DIR stay within the
/// 255 bytes a file name may have.
#[test]
fn a_long_dir_name_renders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o".repeat(250));
    let o = vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join(".vdc-manifest").is_file());
}

/// SARIF names a file with a `\` in its name (legal outside Windows) as it is, percent-encoded,
/// never as a folder separator.
#[test]
fn sarif_keeps_a_backslash_in_a_file_name() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(Path::new("testdata/bookinfo"), &input);
    fs::write(input.join("clusters/cluster1/bad\\name.yaml"), "a: [\n").unwrap();
    let o = vdc()
        .args(["check", "--format", "sarif"])
        .arg(&input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("bad%5Cname.yaml"), "{stdout}");
    assert!(!stdout.contains("bad/name.yaml"), "{stdout}");
}
