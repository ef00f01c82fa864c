//! Files generated from the clap definition are committed (so packagers and users get them
//! without building vdc) and must never go stale: each is regenerated in memory and compared.
//! `UPDATE_GENERATED=1 cargo test --test generated_files` rewrites them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use common::vdc;
use std::path::Path;

fn check_current(path: &Path, generated: &str, failures: &mut Vec<String>) {
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, generated).unwrap();
        return;
    }
    failures.push(path.display().to_string());
}

fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "stale generated files: {}\nregenerate them with `UPDATE_GENERATED=1 cargo test --test generated_files` and commit the result",
        failures.join(", ")
    );
}

#[test]
fn completion_scripts_are_current() {
    let mut failures = Vec::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let path = Path::new("completions").join(shell.file_name("vdc"));
        check_current(&path, &vdc::cli::completion_script(shell), &mut failures);
    }
    report(failures);
}

#[test]
fn man_pages_are_current() {
    let mut failures = Vec::new();
    let pages = vdc::cli::man_pages().unwrap();
    assert!(pages.iter().any(|(name, _)| name == "vdc.1"));
    for (name, text) in pages {
        check_current(&Path::new("docs").join(name), &text, &mut failures);
    }
    report(failures);
}

/// docs/cli.md must name every command and every flag `--help` shows, each with an example.
#[test]
fn cli_reference_covers_every_command_and_flag() {
    let doc = std::fs::read_to_string("docs/cli.md").unwrap();
    let mut cmd = vdc::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    let flags = |c: &clap::Command| -> Vec<String> {
        c.get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
            .collect()
    };
    missing.extend(
        flags(&cmd)
            .into_iter()
            .filter(|f| !doc.contains(f.as_str())),
    );
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name();
        let Some((_, rest)) = doc.split_once(&format!("\n## `vdc {name}`")) else {
            missing.push(format!("a `## vdc {name}` section"));
            continue;
        };
        let section = rest.split("\n## ").next().unwrap();
        if !section.contains(&format!("$ vdc {name}")) {
            missing.push(format!("an example of vdc {name}"));
        }
        let about = sub.get_about().unwrap().to_string();
        let about = about.split(" (").next().unwrap();
        if !section.contains(about) {
            missing.push(format!("vdc {name}'s description `{about}`"));
        }
        let own_flags = flags(sub).into_iter().filter(|f| !flags(&cmd).contains(f));
        missing.extend(
            own_flags
                .filter(|f| !section.contains(&format!("`{f}")))
                .map(|f| format!("vdc {name} {f}")),
        );
    }
    assert!(missing.is_empty(), "docs/cli.md lacks: {missing:?}");
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = vdc().arg("--version").output().unwrap();
    let version = String::from_utf8(out.stdout).unwrap();
    let package = format!("vdc {}", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&package), "{version}");
    // In a git checkout (CI's clean clone included) the short commit id follows; elsewhere the
    // build falls back to the package version alone.
    let head = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    match head {
        Some(head) if std::env::var_os("VDC_BUILD_COMMIT").is_none() => {
            assert_eq!(version.trim(), format!("{package} ({head})"))
        }
        _ => assert!(version.trim() == package || version.contains(" (")),
    }
}

#[test]
fn man_pages_have_exit_status_and_examples_and_completions_no_hidden_flags() {
    for (name, page) in vdc::cli::man_pages().unwrap() {
        assert!(page.contains(".SH \"EXIT STATUS\""), "{name}");
        assert!(page.contains(".SH EXAMPLES"), "{name}");
    }
    for shell in [clap_complete::Shell::Bash, clap_complete::Shell::Zsh] {
        let script = vdc::cli::completion_script(shell);
        assert!(!script.contains("parse-only"), "{shell}");
    }
}

/// The plain kubectl commands of docs/input-format.md must dump every Gloo kind vdc reads, as
/// `vdc snapshot --gloo` does: a kind left out of them is config the render silently lacks.
#[test]
fn input_format_dump_commands_name_every_gloo_kind() {
    let doc = std::fs::read_to_string("docs/input-format.md").unwrap();
    let list = doc
        .lines()
        .find_map(|line| line.strip_prefix("gloo="))
        .expect("docs/input-format.md: a `gloo=` line listing the Gloo kinds to dump");
    let mut documented: Vec<&str> = list.split(',').collect();
    documented.sort_unstable();
    let mut read: Vec<String> = vdc::model::kinds::GlooKind::ALL
        .iter()
        .map(|k| k.resource())
        .collect();
    read.sort_unstable();
    assert_eq!(documented, read);
}

/// The synopsis at the top of docs/cli.md (one or more `vdc <command> …` lines per command) must
/// show every flag of each command, as `--help` does.
#[test]
fn cli_reference_synopsis_shows_every_flag() {
    let doc = std::fs::read_to_string("docs/cli.md").unwrap();
    let synopsis = doc.split("```").nth(1).unwrap();
    let mut cmd = vdc::cli::Cli::command();
    cmd.build();
    let mut missing = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name();
        let lines: Vec<&str> = synopsis
            .lines()
            .filter(|l| l.split_whitespace().take(2).eq(["vdc", name]))
            .collect();
        for arg in sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set())
        {
            let Some(long) = arg.get_long() else { continue };
            let flag = format!("--{long}");
            // `--gloo` must not be found in `--gloo-context`.
            let shown = |l: &&str| {
                l.match_indices(&flag).any(|(at, _)| {
                    let next = l[at + flag.len()..].chars().next();
                    !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                })
            };
            if long != "help" && !lines.iter().any(shown) {
                missing.push(format!("vdc {name} {flag}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/cli.md's synopsis lacks: {missing:?}"
    );
}

/// `--help` and the man pages say what the code does, as docs/cli.md does: a `--gloo-context`
/// also given as `--context` is accepted (and read once), `explain` takes a VD as
/// CLUSTER/NAMESPACE/NAME too and an object as CLUSTER/KIND/NAMESPACE/NAME, and vdc(1)'s exit status 1 covers `trace` and
/// `render --exit-code`.
#[test]
fn help_and_man_pages_agree_with_the_code() {
    let help = |args: &[&str]| {
        let out = vdc().args(args).arg("--help").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let snapshot = help(&["snapshot"]);
    assert!(!snapshot.contains("not also a --context"), "{snapshot}");
    assert!(snapshot.contains("read once"), "{snapshot}");
    let explain = help(&["explain"]);
    assert!(explain.contains("CLUSTER/NAMESPACE/NAME"), "{explain}");
    assert!(explain.contains("--object <REF>"), "{explain}");
    assert!(explain.contains("CLUSTER/KIND/NAMESPACE/NAME"), "{explain}");
    let pages = vdc::cli::man_pages().unwrap();
    let (_, vdc1) = pages.iter().find(|(name, _)| name == "vdc.1").unwrap();
    let status = vdc1.split(".SH \"EXIT STATUS\"").nth(1).unwrap();
    let one = status.split(".TP\n2\n").next().unwrap();
    assert!(one.contains("(trace)"), "{one}");
    assert!(one.contains("exit\\-code"), "{one}");
}
