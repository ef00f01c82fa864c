//! The layout holds: no module cycle and no import of a later stage (`scripts/check-layers`,
//! which lists the stages).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::process::Command;

#[test]
fn no_module_cycle_and_no_import_of_a_later_stage() {
    let out = Command::new("python3")
        .arg("scripts/check-layers")
        .output()
        .expect("python3 runs scripts/check-layers");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scripts/check-layers:\n{report}");
}
