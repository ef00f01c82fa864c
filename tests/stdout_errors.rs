//! Writing to stdout can fail: a full device is a message and exit 2, a reader that stops
//! early (`| head`) ends the run quietly with status 0 (as ripgrep does); never a panic. And what
//! reaches the terminal from the input has its control characters escaped.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]
#![cfg(unix)]

mod common;
use common::vdc_process;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;

fn to_dev_full(args: &[&str]) -> std::process::Output {
    vdc_process()
        .args(args)
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap()
}

#[test]
fn a_full_stdout_is_a_message_and_exit_2() {
    for args in [
        &["check", "--format", "json", "testdata/check/invalid-host"][..],
        &["check", "--format", "sarif", "testdata/check/invalid-host"],
        &["check", "--format", "github", "testdata/check/invalid-host"],
        &["check", "testdata/check/invalid-host"],
        &["completions", "bash"],
        &["render", "testdata/bookinfo"],
        &["explain", "testdata/bookinfo"],
        &["diff", "testdata/bookinfo", "testdata/multi-vd"],
    ] {
        let o = to_dev_full(args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("writing to stdout"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// A reader that takes 100 bytes and closes the pipe.
fn head_100(args: &[&str], input: &Path) -> std::process::ExitStatus {
    let mut child = vdc_process()
        .args(args)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    status
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("testdata/bookinfo"), dir.path());
    // Enough diagnostics that the output outgrows any pipe buffer: 2,020 of them, as a file
    // reports at most 100 of one code.
    for i in 0..20 {
        let file = dir.path().join(format!("gloo/many-{i}.yaml"));
        std::fs::write(file, "--- 1\n".repeat(1_000)).unwrap();
    }
    for format in ["human", "json", "sarif", "github"] {
        let status = head_100(&["check", "--format", format], dir.path());
        assert_eq!(status.code(), Some(0), "{format}");
    }
    let status = head_100(&["completions"], Path::new("bash"));
    assert!(status.success());
}

/// Class 11: `\e[2K\r` in a name would erase and repaint the terminal line.
#[test]
fn control_characters_from_the_input_are_escaped_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("testdata/bookinfo"), dir.path());
    let vd = "apiVersion: networking.gloo.solo.io/v2\nkind: VirtualDestination\nmetadata:\n  name: \"evil\\e[2K\\rname\"\n  namespace: bookinfo-frontends\nspec: {}\n";
    std::fs::write(dir.path().join("clusters/cluster1/gloo/evil.yaml"), vd).unwrap();
    let o = vdc_process().arg("check").arg(dir.path()).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(!report.contains('\u{1b}'), "{report:?}");
    assert!(!report.contains('\r'), "{report:?}");
    assert!(report.contains("evil\\u{1b}[2K\\rname"), "{report}");
}

/// A host with the newline a YAML `|` block keeps reads as `\n`, as YAML writes it.
#[test]
fn a_newline_in_a_host_reads_as_backslash_n() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(Path::new("testdata/bookinfo"), dir.path());
    let file = dir.path().join("clusters/cluster1/gloo/bookinfo.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "  - productpage.global\n",
        "  - |\n    productpage.global\n",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let o = vdc_process().arg("check").arg(dir.path()).output().unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        report.contains("`productpage.global\\n` is not a valid host"),
        "{report}"
    );
    assert!(!report.contains("\\u{a}"), "{report}");
}
