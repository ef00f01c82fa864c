//! `vdc rule CODE` prints the code's page, the same text as docs/diagnostics.md, and every human
//! diagnostic names the command that shows its page.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc;
use vdc::diagnostic::Code;

fn rule(args: &[&str]) -> (i32, String, String) {
    let out = vdc().arg("rule").args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_code_prints_its_page_from_the_docs() {
    let doc = std::fs::read_to_string("docs/diagnostics.md").unwrap();
    for code in Code::ALL {
        let (status, page, _) = rule(&[code.as_str()]);
        assert_eq!(status, 0, "{code}");
        assert!(
            page.starts_with(&format!("## {} {}\n", code.as_str(), code.slug())),
            "{page}"
        );
        assert!(
            doc.contains(page.trim_end()),
            "{code}: the page is not the docs' section"
        );
        assert!(page.contains("\n### Fix\n"), "{code}: {page}");
        // By name, and in any case, the same page.
        assert_eq!(rule(&[code.slug()]).1, page);
        assert_eq!(rule(&[&code.as_str().to_lowercase()]).1, page);
    }
}

#[test]
fn without_a_code_it_lists_every_code_and_an_unknown_one_exits_2() {
    let (status, index, _) = rule(&[]);
    assert_eq!(status, 0);
    assert_eq!(index.lines().count(), Code::ALL.len());
    for code in Code::ALL {
        assert!(index.contains(&format!("{}  ", code.as_str())), "{code}");
    }
    let (status, out, err) = rule(&["VDC999"]);
    assert_eq!((status, out.as_str()), (2, ""));
    assert!(err.contains("`VDC999` is not a diagnostic code"), "{err}");
}

#[test]
fn every_human_diagnostic_names_its_page() {
    let out = vdc()
        .args(["check", "testdata/check/invalid-host", "--color", "never"])
        .output()
        .unwrap();
    let report = String::from_utf8(out.stdout).unwrap();
    let headers = report
        .lines()
        .filter(|l| l.starts_with("error[") || l.starts_with("warning["))
        .count();
    assert!(headers > 0, "{report}");
    let sees: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("= see: vdc rule VDC"))
        .collect();
    assert_eq!(sees.len(), headers, "{report}");
    assert!(report.contains("= see: vdc rule VDC407"), "{report}");
}
