//! Helpers shared by the integration tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Copies the folder `from` to `to`, recursively.
#[allow(dead_code)]
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The cache home of every `vdc` a test runs: its decode cache goes under the build's
/// folder, never into the user's `~/.cache`.
#[allow(dead_code)]
pub fn cache_home() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("cache-home")
}

/// `vdc`, the binary under test, run from the crate root so paths in its output are relative.
#[allow(dead_code)] // each test crate uses a part of common
pub fn vdc() -> assert_cmd::Command {
    let mut vdc = assert_cmd::Command::cargo_bin("vdc")
        .expect("cargo builds the vdc binary for integration tests");
    vdc.env("XDG_CACHE_HOME", cache_home());
    vdc
}

/// How long a run on input built to make vdc hang may take before it counts as a hang:
/// `vdc().timeout(HANG)` fails the test instead of stalling the suite.
#[allow(dead_code)]
pub const HANG: Duration = Duration::from_secs(60);

/// [`vdc`] as a `std::process::Command`, for the runs `assert_cmd` cannot make: a child that is
/// spawned and read or killed, a stdout sent to a file, an inherited stream.
#[allow(dead_code)]
pub fn vdc_process() -> std::process::Command {
    let mut vdc = std::process::Command::new(vdc_path());
    vdc.env("XDG_CACHE_HOME", cache_home());
    vdc
}

/// The path of [`vdc`]'s binary, for a run started from a shell.
#[allow(dead_code)]
pub fn vdc_path() -> PathBuf {
    assert_cmd::cargo::cargo_bin("vdc")
}

/// What one run of `vdc` left: its exit status and its two streams.
#[allow(dead_code)]
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `vdc check INPUT --color never EXTRA…`.
#[allow(dead_code)]
pub fn check_input(input: &str, extra: &[&str]) -> Run {
    let out = vdc()
        .args(["check", input, "--color", "never"])
        .args(extra)
        .output()
        .unwrap();
    Run {
        status: out.status.code().expect("vdc exited by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// `vdc diff OLD NEW EXTRA…`, run to its end: each test reads the streams it needs.
#[allow(dead_code)]
pub fn vdc_diff(old: &Path, new: &Path, extra: &[&str]) -> std::process::Output {
    vdc()
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(extra)
        .output()
        .unwrap()
}

/// [`vdc_diff`] as (exit code, stdout, stderr), both streams UTF-8.
#[allow(dead_code)]
pub fn vdc_diff_text(old: &Path, new: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = vdc_diff(old, new, extra);
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `input`, a folder of testdata, copied to a temporary folder with `edit` applied to its
/// clusters/cluster1/gloo/routing.yaml, and compiled.
#[allow(dead_code)]
pub fn compile_with_routing_edit(input: &str, edit: impl Fn(&str) -> String) -> vdc::Compilation {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new(input), tmp.path());
    let routing = tmp.path().join("clusters/cluster1/gloo/routing.yaml");
    let text = fs::read_to_string(&routing).unwrap();
    fs::write(&routing, edit(&text)).unwrap();
    vdc::compile(tmp.path()).unwrap()
}

/// Each diagnostic of `compiled` as "CODE field" (the field empty when it names none).
#[allow(dead_code)]
pub fn code_and_field(compiled: &vdc::Compilation) -> Vec<String> {
    (compiled.diagnostics.iter())
        .map(|d| {
            format!(
                "{} {}",
                d.code.as_str(),
                d.field.clone().unwrap_or_default()
            )
        })
        .collect()
}

/// `input` compiled, asserting that none of its diagnostics is an error.
#[allow(dead_code)]
pub fn compile_without_errors(input: &str) -> vdc::Compilation {
    let c = vdc::compile(Path::new(input)).unwrap_or_else(|e| panic!("{input} compiles: {e:?}"));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    c
}

/// The spec of the one object of `kind` in `cluster` whose name starts with `name_prefix`,
/// asserting there is exactly one.
#[allow(dead_code)]
pub fn one_spec(
    outputs: &[vdc::translate::Output],
    cluster: &str,
    kind: &str,
    name_prefix: &str,
) -> serde_json::Value {
    let found: Vec<&vdc::translate::Output> = (outputs.iter())
        .filter(|o| {
            o.cluster == cluster
                && o.object.kind == kind
                && o.object.metadata.name.starts_with(name_prefix)
        })
        .collect();
    assert_eq!(found.len(), 1, "{kind} {name_prefix}* in {cluster}");
    serde_json::to_value(&found[0].object.spec).unwrap()
}

/// Each cluster's count of generated objects for the INPUT at `input`, which must compile
/// without an error.
#[allow(dead_code)]
pub fn objects_per_cluster(input: &Path) -> std::collections::BTreeMap<String, usize> {
    let c = vdc::compile(input).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let mut counts = std::collections::BTreeMap::new();
    for o in &c.outputs {
        *counts.entry(o.cluster.clone()).or_default() += 1;
    }
    counts
}
