//! The code registry (`codes!` in `src/diagnostic.rs`) and `src/rules/` agree: every code has
//! its rule file `src/rules/<family>/<slug>.rs`, every rule file belongs to a code, each holds
//! the four doc sections, and each code has its fixture under `testdata/check/<slug>/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use vdc::diagnostic::Code;

#[test]
fn every_rule_file_belongs_to_a_code_and_is_named_by_its_slug() {
    let files: BTreeSet<String> = walkdir::WalkDir::new("src/rules")
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.depth() == 2 && e.file_name() != "mod.rs")
        .map(|e| e.path().to_string_lossy().replace('\\', "/"))
        .collect();
    let named: BTreeSet<String> = Code::ALL.iter().map(|c| c.rule_file().to_owned()).collect();
    assert_eq!(
        files, named,
        "a rule file without a code, or a code whose file is elsewhere"
    );
    for c in Code::ALL {
        let file = format!("/{}.rs", c.slug().replace('-', "_"));
        assert!(c.rule_file().ends_with(&file), "{c}: {}", c.rule_file());
    }
}

#[test]
fn every_code_has_a_fixture() {
    for c in Code::ALL {
        assert!(
            Path::new("testdata/check").join(c.slug()).is_dir(),
            "{c} {}: no testdata/check/{}",
            c.slug(),
            c.slug()
        );
    }
}

#[test]
fn every_fixture_belongs_to_a_code() {
    for entry in fs::read_dir("testdata/check").unwrap() {
        let entry = entry.unwrap();
        if !entry.file_type().unwrap().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            Code::ALL.iter().any(|c| c.slug() == name),
            "testdata/check/{name} is named by no code's slug"
        );
    }
}

#[test]
fn every_rule_file_has_the_four_doc_sections_and_names_its_code() {
    for c in Code::ALL {
        let text = fs::read_to_string(c.rule_file()).unwrap();
        for heading in [
            "//! ## What it does",
            "//! ## Why is this bad?",
            "//! ## Example",
            "//! ## Fix",
        ] {
            assert!(text.contains(heading), "{}: no `{heading}`", c.rule_file());
        }
        assert!(
            text.starts_with(&format!("//! **{c} {}**", c.slug())),
            "{}: the first line names {c} {}",
            c.rule_file(),
            c.slug()
        );
    }
}

/// The acceptance grep as a test: a diagnostic code (`Code::NoHosts`) is named only in its rule
/// file, in the registry (`src/diagnostic.rs`, and its unit tests) and by the report writers (`src/report.rs`).
/// Everywhere else a problem is raised by calling its rule's constructor.
#[test]
fn codes_are_named_only_in_rule_files() {
    let mut offenders = Vec::new();
    for entry in walkdir::WalkDir::new("src") {
        let entry = entry.unwrap();
        let path = entry.path().to_string_lossy().replace('\\', "/");
        if !path.ends_with(".rs")
            || path.starts_with("src/rules/")
            || path == "src/diagnostic.rs"
            || path == "src/diagnostic/tests.rs"
            || path == "src/report.rs"
        {
            continue;
        }
        let text = fs::read_to_string(entry.path()).unwrap();
        for (i, line) in text.lines().enumerate() {
            let named = line.match_indices("Code::").any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + "Code::".len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && after.is_some_and(|c| c.is_ascii_uppercase())
            });
            if named {
                offenders.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "raise these through their rule files:\n{}",
        offenders.join("\n")
    );
}

/// `scripts/gen-rules.py --check` on `repo`: whether every rule file's doc is what
/// docs/diagnostics.md generates, and the files that differ.
fn rule_docs_check(repo: &Path) -> (bool, String) {
    let out = std::process::Command::new("python3")
        .args(["scripts/gen-rules.py", "--check"])
        .arg(repo)
        .output()
        .expect("python3 runs scripts/gen-rules.py");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// docs/diagnostics.md is the one source of each rule page: a rule file's doc is generated from
/// its section (`scripts/gen-rules.py --sync`), and is never edited by hand.
#[test]
fn every_rule_doc_is_generated_from_docs_diagnostics_md() {
    let (same, report) = rule_docs_check(Path::new("."));
    assert!(same, "{report}");
}

#[test]
fn the_rule_doc_check_finds_a_doc_edited_by_hand() {
    let repo = tempfile::TempDir::new().unwrap();
    for dir in ["src/rules", "docs"] {
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.unwrap();
            let to = repo.path().join(entry.path());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    fs::copy("src/diagnostic.rs", repo.path().join("src/diagnostic.rs")).unwrap();
    assert!(
        rule_docs_check(repo.path()).0,
        "the copy starts out the same"
    );
    let file = repo.path().join(Code::UntranslatedKind.rule_file());
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("//! A document", "//! A YAML document", 1),
    )
    .unwrap();
    let (same, report) = rule_docs_check(repo.path());
    assert!(!same);
    assert!(report.contains("untranslated_kind.rs"), "{report}");
}
