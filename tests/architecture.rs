//! The layout holds: no module cycle and no import of a later stage (`scripts/check-layers`,
//! which lists the stages), no function over 80 lines outside tests and the YAML/JSON readers
//! and writer (`scripts/fn-lengths`), and no source file over 600 lines.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::fs;
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

#[test]
fn no_function_over_80_lines() {
    let out = Command::new("python3")
        .arg("scripts/fn-lengths")
        .output()
        .expect("python3 runs scripts/fn-lengths");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "functions over 80 lines (lines, file:line, name):\n{report}"
    );
}

/// The generated schema table is the one file exempt: it is written by a program, not read.
const EXEMPT: &[&str] = &["src/model/schema/generated.rs"];

#[test]
fn no_source_file_over_600_lines() {
    let mut long = Vec::new();
    for entry in walkdir::WalkDir::new("src") {
        let entry = entry.unwrap();
        let path = entry.path().to_string_lossy().replace('\\', "/");
        if !path.ends_with(".rs") || EXEMPT.contains(&path.as_str()) {
            continue;
        }
        let lines = fs::read_to_string(entry.path()).unwrap().lines().count();
        if lines > 600 {
            long.push(format!("{path}: {lines} lines"));
        }
    }
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}
