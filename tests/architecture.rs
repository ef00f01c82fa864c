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

/// A crate of the given files (path under `src/` → text) in a temporary folder.
fn tiny_crate(files: &[(&str, &str)]) -> tempfile::TempDir {
    let root = tempfile::TempDir::new().unwrap();
    for (path, text) in files {
        let path = root.path().join("src").join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    root
}

/// `script ROOT`'s exit status and report.
fn run_on(script: &str, root: &std::path::Path) -> (bool, String) {
    let out = Command::new("python3")
        .arg(script)
        .arg(root)
        .output()
        .expect("python3 runs the script");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_layer_check_finds_a_cycle_a_re_export_hides_and_a_later_stage_import() {
    let root = tiny_crate(&[
        (
            "lib.rs",
            "pub mod load;\npub mod model;\npub mod translate;\n",
        ),
        ("load/mod.rs", "use crate::translate::Output;\n"),
        ("translate/mod.rs", "pub struct Output;\n"),
        ("model/mod.rs", "pub mod decode;\npub mod schema;\n"),
        (
            "model/decode.rs",
            "use crate::model::schema::path;\npub struct Context;\n",
        ),
        ("model/schema/mod.rs", "mod check;\npub use check::path;\n"),
        (
            "model/schema/check.rs",
            "use crate::model::decode::Context;\npub fn path() {}\n",
        ),
    ]);
    let (ok, report) = run_on("scripts/check-layers", root.path());
    assert!(!ok, "{report}");
    assert!(
        report.contains("cycle: model/decode <-> model/schema/check"),
        "{report}"
    );
    assert!(
        report.contains("load (stage 1) imports later translate (stage 4)"),
        "{report}"
    );
}

#[test]
fn the_length_check_lists_a_function_of_81_lines() {
    let body = "    let _ = 1;\n".repeat(79);
    let long = format!("pub fn long() {{\n{body}}}\n\npub fn short() {{}}\n");
    let root = tiny_crate(&[("lib.rs", &long)]);
    let (ok, report) = run_on("scripts/fn-lengths", root.path());
    assert!(!ok, "{report}");
    assert_eq!(report.trim(), "81 lib.rs:1 long", "{report}");
}
