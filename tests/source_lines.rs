//! Diagnostics quote their source line although vdc lets go of each file's text once its
//! documents are decoded: the line is read back when the diagnostic is printed, only from a file
//! that still has the bytes vdc read, and a file that changed meanwhile is named with its line
//! number and a note instead of a line that would not be the one meant.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use std::fs;
use std::path::Path;
use tempfile::TempDir;
use vdc::report::{self, Sources};

const VD: &str = "clusters/cluster1/gloo/productpage.yaml";

/// `testdata/check/invalid-host` compiled from a copy, and its one diagnostic as printed.
fn compiled() -> (TempDir, vdc::Compilation) {
    let tmp = TempDir::new().unwrap();
    copy_tree(Path::new("testdata/check/invalid-host"), tmp.path());
    let c = vdc::compile(tmp.path()).unwrap();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    (tmp, c)
}

fn printed(c: &vdc::Compilation) -> String {
    report::human(&c.diagnostics[0], "in", &Sources::new(&c.sources), false)
}

#[test]
fn the_text_is_not_kept_once_decoded() {
    let (_tmp, c) = compiled();
    assert!(!c.sources.is_empty());
    for source in &c.sources {
        assert!(source.text().is_none(), "{} kept its text", source.path);
        assert!(source.digest().is_some(), "{}", source.path);
    }
}

#[test]
fn an_unchanged_file_is_quoted() {
    let (_tmp, c) = compiled();
    let text = printed(&c);
    assert!(text.contains(&format!(" --> in/{VD}:8:5\n")), "{text}");
    assert!(text.contains("8 |   - product_page.global\n"), "{text}");
    assert!(text.contains("^^^^^^^^^^^^^^^^^^^"), "{text}");
    assert!(!text.contains("changed after vdc read it"), "{text}");
}

#[test]
fn a_changed_file_is_named_with_its_line_and_not_quoted() {
    let (tmp, c) = compiled();
    let file = tmp.path().join(VD);
    let edited = fs::read_to_string(&file)
        .unwrap()
        .replace("product_page.global", "productpage.global");
    fs::write(&file, edited).unwrap();
    let text = printed(&c);
    assert!(text.contains(&format!(" --> in/{VD}:8:5\n")), "{text}");
    assert!(
        !text.contains("8 |"),
        "the new line 8 is not the one meant: {text}"
    );
    assert!(
        text.contains("= note: the file changed after vdc read it, so its line is not shown"),
        "{text}"
    );
    assert!(text.contains("= field: spec.hosts[0]"), "{text}");
}

#[test]
fn a_removed_file_is_named_with_its_line_and_not_quoted() {
    let (tmp, c) = compiled();
    fs::remove_file(tmp.path().join(VD)).unwrap();
    let text = printed(&c);
    assert!(text.contains(&format!(" --> in/{VD}:8:5\n")), "{text}");
    assert!(text.contains("changed after vdc read it"), "{text}");
}

#[test]
fn the_cli_still_quotes_the_line() {
    let tmp = TempDir::new().unwrap();
    copy_tree(Path::new("testdata/check/invalid-host"), tmp.path());
    let out = common::vdc().arg("check").arg(tmp.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("8 |   - product_page.global\n"), "{stdout}");
}
