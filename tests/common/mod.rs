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
