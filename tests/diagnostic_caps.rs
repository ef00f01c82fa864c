//! Diagnostics are capped: at most 100 of one code a file and 10,000 a run, each note saying how
//! many more there were, in every format, with the exit status of the whole list. 23 MiB of
//! `--- 1` (four million diagnostics) used to take 2.8 GiB.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
use common::{HANG, copy_tree, vdc};
use std::path::Path;
use vdc::diagnostic::{Code, Diagnostic, Diagnostics, MAX_PER_FILE, MAX_PER_RUN};
use vdc::span::Pos;

fn bookinfo_with(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), dir.path());
    for (rel, text) in files {
        std::fs::write(dir.path().join(rel), text).unwrap();
    }
    dir
}

fn check(dir: &Path, format: &str, extra: &[&str]) -> (String, Option<i32>) {
    let out = vdc()
        .timeout(HANG)
        .args(["check", "--format", format])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn one_file_reports_at_most_100_of_a_code_and_says_how_many_more() {
    let dir = bookinfo_with(&[("gloo/many.yaml".into(), "--- 1\n".repeat(1000))]);
    let (json, status) = check(dir.path(), "json", &[]);
    assert_eq!(status, Some(1));
    let records: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let of_file: Vec<_> = records
        .iter()
        .filter(|r| r["file"].as_str().unwrap_or("").ends_with("gloo/many.yaml"))
        .collect();
    assert_eq!(of_file.len(), MAX_PER_FILE + 1);
    let note = of_file.last().unwrap();
    assert_eq!(note["code"], "VDC102");
    assert_eq!(note["omitted"], 900);
    assert_eq!(note["line"], 101);
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .starts_with("900 more VDC102"),
        "{note}"
    );

    let (human, _) = check(dir.path(), "human", &[]);
    assert!(human.contains("100 | --- 1"), "{human}");
    assert!(!human.contains("102 | --- 1"), "{human}");
    assert!(
        human.contains("vdc: 1000 errors, 0 warnings, 0 notes (900 not shown)"),
        "{}",
        &human[human.len().saturating_sub(300)..]
    );
    let (github, _) = check(dir.path(), "github", &[]);
    assert!(github.contains("line=101,col=5,title=VDC102 not-a-kubernetes-object::900 more"));
    let (sarif, _) = check(dir.path(), "sarif", &[]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["properties"]["omitted"] == 900));
}

/// Ignoring a code (`ignore:` in vdc.yaml, or `--ignore`) ignores its note too.
#[test]
fn an_ignored_code_takes_its_note_along() {
    let file: std::sync::Arc<str> = "gloo/vds.yaml".into();
    let mut diags = Diagnostics::default();
    for line in 1..=300 {
        let d = Diagnostic::new(Code::SelectorMatchesNothing, "matches nothing");
        diags.push(d.at(&file, Pos::new(line, 1)));
    }
    let settings = vdc::load::Settings::default();
    assert_eq!(
        vdc::pipeline::reported(diags.clone(), &settings).len(),
        MAX_PER_FILE + 1
    );
    let settings = vdc::load::Settings {
        ignore: vec![Code::SelectorMatchesNothing],
        ..settings
    };
    assert!(vdc::pipeline::reported(diags, &settings).is_empty());
}

/// 120 files of 100 diagnostics: 10,000 are shown, and one note says 2,000 more.
#[test]
fn a_run_shows_at_most_10000_and_says_how_many_more() {
    let files: Vec<_> = (0..120)
        .map(|i| (format!("gloo/bad-{i:03}.yaml"), "--- 1\n".repeat(100)))
        .collect();
    let dir = bookinfo_with(&files);
    let (json, status) = check(dir.path(), "json", &[]);
    assert_eq!(status, Some(1));
    let records: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(records.len(), MAX_PER_RUN + 1);
    let note = records.last().unwrap();
    assert_eq!(note["omitted"], 2000);
    assert_eq!(note["file"], serde_json::Value::Null);
    // The first files in the report's order are the ones shown.
    assert!(
        records[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("gloo/bad-000.yaml")
    );
    assert!(
        records[MAX_PER_RUN - 1]["file"]
            .as_str()
            .unwrap()
            .ends_with("gloo/bad-099.yaml")
    );
}

fn not_an_object(file: &std::sync::Arc<str>, line: u32) -> Diagnostic {
    Diagnostic::new(Code::NotAnObject, format!("line {line}")).at(file, Pos::new(line, 1))
}

/// However many are found, a file's diagnostics of one code take bounded memory, and which are
/// kept does not depend on the order they were found in (files are read in parallel).
#[test]
fn a_file_keeps_a_bounded_number_whatever_the_order() {
    let file: std::sync::Arc<str> = "gloo/many.yaml".into();
    let mut forward = Diagnostics::default();
    let mut backward = Diagnostics::default();
    let n = 100_000;
    for line in 1..=n {
        forward.push(not_an_object(&file, line));
        backward.push(not_an_object(&file, n + 1 - line));
        assert!(forward.iter().count() < 2 * MAX_PER_FILE + 1);
    }
    // And split in two halves merged the other way round.
    let (mut first, mut second) = (Diagnostics::default(), Diagnostics::default());
    for line in 1..=n {
        let half = if line % 2 == 0 {
            &mut first
        } else {
            &mut second
        };
        half.push(not_an_object(&file, line));
    }
    second.extend(first);
    assert_eq!(forward.count(vdc::diagnostic::Severity::Error), n as usize);
    let forward = forward.into_sorted();
    assert_eq!(forward.len(), MAX_PER_FILE + 1);
    assert_eq!(forward, backward.into_sorted());
    assert_eq!(forward, second.into_sorted());
    assert_eq!(forward[MAX_PER_FILE].omitted, n as usize - MAX_PER_FILE);
}

/// A value quoted from the input can be megabytes long; a diagnostic holds a bounded part of it.
#[test]
fn each_diagnostic_stays_small() {
    let key = "k".repeat(5 << 20);
    let d = Diagnostic::new(Code::UnknownField, format!("unknown field `{key}`"))
        .field(format!("spec.{key}"))
        .help(key.clone());
    for text in [
        &d.message,
        d.field.as_ref().unwrap(),
        d.help.as_ref().unwrap(),
    ] {
        assert!(text.len() < 4096, "{}", text.len());
        assert!(text.contains("bytes not shown"));
    }
    assert!(d.message.starts_with("unknown field `kkk") && d.message.ends_with("kk`"));
}
