//! `docs/diagnostics.md` documents exactly the codes of `vdc::diagnostic::Code`: one section per
//! code, headed `## <CODE> <slug>`, in code order, with its severity, the four parts of a rule
//! page and its `#vdcNNN` anchor; SARIF rules carry the section as their help, and every example
//! is what vdc prints. Adding, renaming or removing a code without its page fails here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc;
use std::collections::BTreeSet;
use vdc::diagnostic::{Code, Severity};

const DOC: &str = "docs/diagnostics.md";

fn doc() -> String {
    std::fs::read_to_string(DOC).unwrap_or_else(|e| panic!("{DOC}: {e}"))
}

fn code_by_id(id: &str) -> Option<Code> {
    Code::ALL.iter().copied().find(|c| c.as_str() == id)
}

/// `(code, rest of the heading)` for every `## VDC…` heading, in document order.
fn code_headings(doc: &str) -> Vec<(String, String)> {
    doc.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| h.starts_with("VDC"))
        .map(|h| {
            let (id, rest) = h.split_once(' ').unwrap_or((h, ""));
            (id.to_owned(), rest.to_owned())
        })
        .collect()
}

/// The text of the section under `## <CODE> <slug>`, up to the next `## ` heading.
fn section(doc: &str, code: Code) -> &str {
    let heading = format!("\n## {} {}\n", code.as_str(), code.slug());
    let start = doc.find(&heading).map(|i| i + heading.len()).unwrap();
    let end = doc[start..].find("\n## ").map_or(doc.len(), |i| start + i);
    &doc[start..end]
}

#[test]
fn every_code_has_a_heading_with_its_slug() {
    let doc = doc();
    let headings = code_headings(&doc);
    let missing: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("## {} {}", c.as_str(), c.slug()))
        .filter(|h| !doc.lines().any(|l| l == h))
        .collect();
    assert!(
        missing.is_empty(),
        "{DOC} has no section for:\n{}",
        missing.join("\n")
    );
    assert_eq!(
        headings.len(),
        Code::ALL.len(),
        "{DOC} has {} code headings for {} codes",
        headings.len(),
        Code::ALL.len()
    );
}

#[test]
fn no_heading_names_a_code_that_does_not_exist() {
    let doc = doc();
    let stale: Vec<String> = code_headings(&doc)
        .into_iter()
        .filter(|(id, slug)| code_by_id(id).is_none_or(|c| c.slug() != slug))
        .map(|(id, slug)| format!("## {id} {slug}"))
        .collect();
    assert!(
        stale.is_empty(),
        "{DOC} documents codes vdc does not have (or under an old name):\n{}",
        stale.join("\n")
    );
    // Links such as `[VDC101](#vdc101)` in the index and the text point at real codes.
    let linked: BTreeSet<&str> = doc
        .match_indices("](#vdc")
        .map(|(i, _)| &doc[i + 3..i + 9])
        .collect();
    for anchor in linked {
        assert!(
            code_by_id(&anchor.to_uppercase()).is_some(),
            "{DOC} links to #{anchor}, which is no code"
        );
    }
}

#[test]
fn sections_are_in_code_order() {
    let doc = doc();
    let ids: Vec<String> = code_headings(&doc).into_iter().map(|(id, _)| id).collect();
    let expected: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(ids, expected);
}

/// Each page says its severity, what it catches, why it matters, gives an example and the fix,
/// and has the `#vdcNNN` anchor that links point at.
#[test]
fn every_section_is_a_complete_rule_page() {
    let doc = doc();
    for code in Code::ALL {
        let severity = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        let text = section(&doc, *code);
        let name = format!("{} {}", code.as_str(), code.slug());
        assert!(
            text.contains(&format!("**Severity:** {severity}.")),
            "{name}: the section must say `**Severity:** {severity}.`"
        );
        for part in [
            "### What it catches",
            "### Why it matters",
            "### Example",
            "### Fix",
        ] {
            assert!(text.contains(part), "{name}: no `{part}`");
        }
        let anchor = format!(
            "<a id=\"{}\"></a>\n\n## {name}\n",
            code.as_str().to_lowercase()
        );
        assert!(
            doc.contains(&anchor),
            "{name}: the heading must follow the anchor `<a id=\"{}\"></a>`, which links such as `[VDC101](#vdc101)` point at",
            code.as_str().to_lowercase()
        );
    }
}

/// `vdc check testdata/check/<slug> --color never <extra>`: (stdout, stderr).
fn run_check(slug: &str, extra: &[&str]) -> (String, String) {
    let out = vdc()
        .args([
            "check",
            &format!("testdata/check/{slug}"),
            "--color",
            "never",
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The `vdc check testdata/check/<slug>` output a rule page shows, as vdc prints it today.
fn printed(slug: &str) -> String {
    let (stderr, _) = run_check(slug, &[]);
    // Everything but the summary line: the diagnostics, with a blank line between two.
    let (diagnostics, _summary) = stderr
        .rsplit_once("\nvdc: ")
        .unwrap_or_else(|| panic!("{slug}: no summary line in\n{stderr}"));
    diagnostics.to_owned()
}

/// Each page's example output is exactly what vdc prints for its fixture, so a reworded message
/// or a moved caret cannot leave the page behind. `UPDATE_GENERATED=1 cargo test --test
/// diagnostics_docs` rewrites the examples.
#[test]
fn every_example_is_what_vdc_prints() {
    let mut doc = doc();
    let mut stale = Vec::new();
    for code in Code::ALL {
        let slug = code.slug();
        let intro = format!("`vdc check testdata/check/{slug}` prints:\n\n```text\n");
        let Some(at) = doc.find(&intro).map(|i| i + intro.len()) else {
            stale.push(format!(
                "{} {slug}: no example introduced by {intro:?}",
                code
            ));
            continue;
        };
        let len = doc[at..].find("```\n").unwrap();
        let expected = printed(slug);
        if doc[at..at + len] != expected {
            stale.push(format!("{} {slug}", code));
            doc.replace_range(at..at + len, &expected);
        }
    }
    // The two examples of "Reading a diagnostic": human output in full, and JSON.
    for (intro, fence, expected) in [
        (
            "`vdc check testdata/check/invalid-host`\nprints:\n\n",
            "```text\n",
            run_check("invalid-host", &[]).0,
        ),
        (
            "`vdc check testdata/check/unknown-field --format json`\nprints:\n\n",
            "```json\n",
            run_check("unknown-field", &["--format", "json"]).0,
        ),
    ] {
        let at = doc
            .find(intro)
            .unwrap_or_else(|| panic!("{DOC}: no {intro:?}"))
            + intro.len();
        assert!(
            doc[at..].starts_with(fence),
            "{DOC}: {intro:?} is not followed by {fence:?}"
        );
        let at = at + fence.len();
        let len = doc[at..].find("```\n").unwrap();
        if doc[at..at + len] != expected {
            stale.push(format!("the example after {intro:?}"));
            doc.replace_range(at..at + len, &expected);
        }
    }
    if !stale.is_empty() && std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(DOC, &doc).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "{DOC}: examples that differ from what vdc prints (rewrite them with `UPDATE_GENERATED=1 cargo test --test diagnostics_docs`):\n{}",
        stale.join("\n")
    );
}
