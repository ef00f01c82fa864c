//! What vdc reads, and how much: only regular files, each folder once, never more than a cap,
//! trees bounded by a memory budget, and positions that cost O(1) however many are asked for.
//! Each case used to hang, run for minutes or take gigabytes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{HANG, copy_tree, vdc};
use std::path::Path;
use std::time::{Duration, Instant};

fn bookinfo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), dir.path());
    dir
}

/// `vdc check --format json DIR`: the diagnostics as JSON records, and the exit status.
fn check_json(dir: &Path) -> (Vec<serde_json::Value>, Option<i32>) {
    let out = vdc()
        .timeout(HANG)
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let records = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (records, out.status.code())
}

fn has(records: &[serde_json::Value], code: &str, file_end: &str, message: &str) -> bool {
    records.iter().any(|r| {
        r["code"] == code
            && r["file"].as_str().is_some_and(|f| f.ends_with(file_end))
            && r["message"].as_str().is_some_and(|m| m.contains(message))
    })
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[cfg(unix)]
#[test]
fn a_fifo_in_input_is_a_diagnostic_not_a_hang() {
    let dir = bookinfo();
    mkfifo(&dir.path().join("gloo/x.yaml"));
    let (records, status) = check_json(dir.path());
    assert_eq!(status, Some(1));
    assert!(
        has(&records, "VDC103", "gloo/x.yaml", "FIFO"),
        "{records:#?}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_vdc_yaml_is_a_diagnostic_not_ignored() {
    let dir = bookinfo();
    std::fs::remove_file(dir.path().join("vdc.yaml")).unwrap();
    mkfifo(&dir.path().join("vdc.yaml"));
    let (records, status) = check_json(dir.path());
    assert_eq!(status, Some(1));
    assert!(has(&records, "VDC103", "vdc.yaml", "FIFO"), "{records:#?}");
}

/// A character device (size 0, so a size check alone lets it through) is refused unread.
#[cfg(unix)]
#[test]
fn a_device_in_input_is_refused_unread() {
    let dir = bookinfo();
    let path = dir.path().join("gloo/x.yaml");
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // /dev/zero's numbers (1, 5); creating a device needs privileges the test may not have.
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o644, libc::makedev(1, 5)) };
    if made != 0 {
        eprintln!("skipped: cannot create a device node here");
        return;
    }
    let (records, _) = check_json(dir.path());
    assert!(
        has(&records, "VDC103", "gloo/x.yaml", "character device"),
        "{records:#?}"
    );
}

/// `d0/a`, `d0/b` → `d1`, `d1/a`, `d1/b` → `d2`, …: 2^N paths to the last folder.
#[cfg(unix)]
#[test]
fn a_symlink_dag_is_walked_once_per_folder() {
    let dir = bookinfo();
    let root = dir.path().join("gloo/dag");
    const N: usize = 24;
    for i in 0..=N {
        std::fs::create_dir_all(root.join(format!("d{i}"))).unwrap();
    }
    for i in 0..N {
        for link in ["a", "b"] {
            std::os::unix::fs::symlink(format!("../d{}", i + 1), root.join(format!("d{i}/{link}")))
                .unwrap();
        }
    }
    let started = Instant::now();
    let (records, status) = check_json(dir.path());
    assert_eq!(status, Some(0), "{records:#?}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

/// 80,000 diagnostics in one file, in human form: each quotes its line. Counted, not timed:
/// finding a line scans a bounded stretch of the file from the nearest indexed line (scanning
/// from the file's start took 78 s here), and a file let go of after decoding is read back
/// once for all its quotes, not once a quote.
#[test]
fn human_diagnostics_quote_lines_in_linear_time() {
    use vdc::diagnostic::{Code, Diagnostic};
    use vdc::load::{SourceFile, work};
    let lines = 80_000;
    let text = "--- 1\n".repeat(lines);
    let dir = tempfile::tempdir().unwrap();
    let location = dir.path().join("many.yaml");
    std::fs::write(&location, &text).unwrap();
    let digest = vdc::load::digest(text.as_bytes());
    let file: std::sync::Arc<str> = "gloo/many.yaml".into();
    let kept = SourceFile::new(file.clone(), text.clone());
    let on_disk = kept.forget_text(location, text.len() as u64, digest);
    let files = [std::sync::Arc::new(on_disk)];
    let sources = vdc::report::Sources::new(&files);
    let (scanned, rereads) = (work::scanned(), work::rereads());
    for line in 1..=lines as u32 {
        let d = Diagnostic::new(Code::NotAnObject, "not an object")
            .at(&file, vdc::span::Pos::new(line, 5));
        let shown = vdc::report::human(&d, "in", &sources, false);
        assert!(shown.contains(&format!("{line} | --- 1")), "{shown}");
    }
    assert_eq!(work::rereads() - rereads, 1);
    let per_byte = (work::scanned() - scanned) as f64 / text.len() as f64;
    // Each quote scans at most 32 lines back to its index entry: 16 x the text on average
    // for lines this short; from the start of the file it would be 40,000 x.
    assert!(
        per_byte < 32.0,
        "{per_byte:.1} bytes scanned per byte of text"
    );
}

/// A `kubectl get -o json | jq -c` dump: one line of several MB.
#[test]
fn a_one_line_json_list_reads_in_linear_time() {
    let item = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-N","namespace":"default","labels":{"a":"b","c":"d"}},"data":{"k":"v","x":"y"}}"#;
    let items: Vec<String> = (0..25_000)
        .map(|i| item.replace("cm-N", &format!("cm-{i}")))
        .collect();
    let text = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    );
    assert!(text.len() > 3_500_000);
    let started = Instant::now();
    let parsed = vdc::load::parse_source("clusters/cluster1/dump.json", text.into_bytes());
    assert_eq!(parsed.documents.len(), 25_000);
    let last = parsed.documents.last().unwrap().pos();
    assert_eq!(last.line, 1);
    assert!(last.column > 3_000_000, "{last:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

fn budget_error(rel: &str, text: String) -> String {
    let parsed = vdc::load::parse_source(rel, text.into_bytes());
    assert!(parsed.documents.is_empty());
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "VDC101")
        .unwrap_or_else(|| panic!("{:#?}", parsed.diagnostics));
    d.message.clone()
}

/// Millions of tiny nested collections: far more tree than text (22 x). The file's budget
/// without its slack, so that a small file shows it.
#[test]
fn a_tree_far_larger_than_its_text_is_refused() {
    let text = format!("[{}[]]", "[[]],".repeat(200_000));
    let budget = text.len() * vdc::load::tree_cost::TREE_FACTOR;
    for rel in ["gloo/nested.yaml", "gloo/nested.json"] {
        let err = vdc::load::parse_file_text_within(rel, &text, budget).unwrap_err();
        assert!(
            err.message.contains("x the file's text in memory"),
            "{}",
            err.message
        );
    }
}

/// Aliases of a small anchor, each a few bytes of text that expand to a mapping: few nodes per
/// byte (so counting nodes alone let a 200 MB file of them through, to 10 GB), many times the
/// text in memory. Every copy counts against the file's budget.
#[test]
fn alias_copies_count_against_the_tree_budget() {
    let mut text = String::from("base: &b {k: v}\nuses:\n");
    text.push_str(&"- *b\n".repeat(400_000));
    let message = budget_error("gloo/aliases.yaml", text);
    assert!(
        message.contains("alias bomb") || message.contains("x the file's text in memory"),
        "{message}"
    );
}

/// Real dumps stay well inside the budget: every testdata file parses as before.
#[test]
fn real_input_stays_inside_the_tree_budget() {
    let c = vdc::compile(Path::new("testdata/bookinfo")).unwrap();
    assert!(!c.has_errors());
}

/// Anchors hold a copy of their node until the document ends: a file of nothing but anchors
/// (`- &aN 1`, 218 MiB of them took 1.7 GiB) spends the alias budget as aliases do.
#[test]
fn anchors_count_against_the_alias_budget() {
    let text: String = (0..200_000).map(|i| format!("- &a{i} 1\n")).collect();
    let message = budget_error("gloo/anchors.yaml", text);
    assert!(message.contains("anchors and aliases"), "{message}");
}
