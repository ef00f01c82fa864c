//! `.pre-commit-hooks.yaml` run as pre-commit runs it: each hook's `entry` plus the `args` that
//! docs/ci.md's `.pre-commit-config.yaml` examples pass, in a throwaway git repository, on the
//! files pre-commit would select. Every way of leaving the rendered output stale must be refused,
//! a commit that only deletes files included, and a commit that leaves everything current passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::path::Path;
use std::process::{Command, Output};
use vdc::load::node::{Node, Value};

mod common;
use common::vdc_process;

/// One hook of `.pre-commit-hooks.yaml`, with the keys that decide when and how pre-commit runs it.
#[derive(Debug, Clone, PartialEq)]
struct Hook {
    id: String,
    entry: Vec<String>,
    always_run: bool,
    pass_filenames: bool,
    types_or: Vec<String>,
}

fn str_list(node: Option<&Node>) -> Vec<String> {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .iter()
            .map(|i| i.as_str().unwrap().to_owned())
            .collect(),
        None => Vec::new(),
        Some(other) => panic!("expected a list, found {other:?}"),
    }
}

fn flag(node: &Node, key: &str, default: bool) -> bool {
    match node.get(key).map(|n| &n.value) {
        Some(Value::Bool(b)) => *b,
        None => default,
        Some(other) => panic!("{key}: expected a boolean, found {other:?}"),
    }
}

fn hooks() -> Vec<Hook> {
    hooks_of(".pre-commit-hooks.yaml", "rust")
}

/// The hooks of a hooks file whose every hook has `language`.
fn hooks_of(file: &str, language: &str) -> Vec<Hook> {
    let text = std::fs::read_to_string(file).unwrap();
    let docs = vdc::load::parse_documents(&text).unwrap();
    let Value::Seq(hooks) = &docs[0].value else {
        panic!("the hooks file is a list");
    };
    hooks
        .iter()
        .map(|h| {
            let field = |k: &str| h.get(k).and_then(Node::as_str).unwrap().to_owned();
            assert_eq!(field("language"), language, "{file}");
            // The emulation below knows how pre-commit applies these keys, and only these.
            for key in ["files", "exclude", "types", "exclude_types", "stages"] {
                assert!(h.get(key).is_none(), "{key} is not emulated by this test");
            }
            Hook {
                id: field("id"),
                entry: field("entry")
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
                always_run: flag(h, "always_run", false),
                pass_filenames: flag(h, "pass_filenames", true),
                types_or: str_list(h.get("types_or")),
            }
        })
        .collect()
}

/// Every `.pre-commit-config.yaml` example in docs/ci.md, as (hook id, args) lists.
fn documented_configs() -> Vec<Vec<(String, Vec<String>)>> {
    let doc = std::fs::read_to_string("docs/ci.md").unwrap();
    let blocks: Vec<&str> = doc
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .filter(|b| b.starts_with("# .pre-commit-config.yaml"))
        .collect();
    assert!(blocks.len() >= 2, "docs/ci.md shows both hook setups");
    blocks
        .into_iter()
        .map(|block| {
            let docs = vdc::load::parse_documents(block).unwrap();
            let Some(Value::Seq(repos)) = docs[0].get("repos").map(|r| &r.value) else {
                panic!("a config has repos");
            };
            let Some(Value::Seq(hooks)) = repos[0].get("hooks").map(|h| &h.value) else {
                panic!("a repo has hooks");
            };
            hooks
                .iter()
                .map(|h| {
                    let id = h.get("id").and_then(Node::as_str).unwrap().to_owned();
                    (id, str_list(h.get("args")))
                })
                .collect()
        })
        .collect()
}

fn git(repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=vdc", "-c", "user.email=vdc@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.hooksPath=/dev/null",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The files pre-commit hands to hooks on `git commit`: staged, and added, copied, modified,
/// renamed or of changed type — never deleted (pre-commit's `--diff-filter=ACMRTUXB`).
fn staged_files(repo: &Path) -> Vec<String> {
    git(
        repo,
        &["diff", "--staged", "--name-only", "--diff-filter=ACMRTUXB"],
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

/// The files of `staged` that pre-commit would give `hook`; `None` when it skips the hook
/// ("(no files to check) Skipped").
fn selected(hook: &Hook, staged: &[String]) -> Option<Vec<String>> {
    let typed = |f: &String| {
        let ext = Path::new(f).extension().and_then(|e| e.to_str());
        hook.types_or.is_empty()
            || hook.types_or.iter().any(|t| match t.as_str() {
                "yaml" => matches!(ext, Some("yaml" | "yml")),
                "json" => ext == Some("json"),
                other => panic!("type {other} is not emulated"),
            })
    };
    let files: Vec<String> = staged.iter().filter(|f| typed(f)).cloned().collect();
    (hook.always_run || !files.is_empty()).then_some(files)
}

/// Runs `hook` as pre-commit does, in `repo`: entry, then args, then (unless
/// `pass_filenames: false`) the files. It fails on a non-zero exit or when it changed tracked
/// files ("files were modified by this hook"). `None` when pre-commit would skip it.
fn run_hook(repo: &Path, hook: &Hook, args: &[String]) -> Option<Output> {
    let files = selected(hook, &staged_files(repo))?;
    assert_eq!(hook.entry[0], "vdc");
    let before = git(repo, &["diff"]);
    let mut cmd = vdc_process();
    cmd.args(&hook.entry[1..]).args(args).current_dir(repo);
    if hook.pass_filenames {
        cmd.args(files);
    }
    let mut out = cmd.output().unwrap();
    if out.status.success() && git(repo, &["diff"]) != before {
        out.status = Command::new("false").status().unwrap();
    }
    Some(out)
}

/// The hooks of `config` in order, as pre-commit runs them: with the changes not staged set
/// aside first (pre-commit checks what is staged: it stashes the rest and restores it after,
/// dropping a hook's own changes where they conflict). `Err` with the refusing hooks' ids and
/// output when the commit is refused.
fn commit_allowed(
    repo: &Path,
    hooks: &[Hook],
    config: &[(String, Vec<String>)],
) -> Result<(), String> {
    let unstaged = git(repo, &["diff", "--binary", "--no-color", "--no-ext-diff"]);
    if unstaged.is_empty() {
        return run_hooks(repo, hooks, config);
    }
    let patch = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(patch.path(), &unstaged).unwrap();
    git(repo, &["checkout", "--", "."]);
    let result = run_hooks(repo, hooks, config);
    let apply = |repo: &Path| {
        Command::new("git")
            .args(["apply", "--whitespace=nowarn"])
            .arg(patch.path())
            .current_dir(repo)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    if !apply(repo) {
        git(repo, &["checkout", "--", "."]);
        assert!(apply(repo), "the unstaged changes come back");
    }
    result
}

fn run_hooks(repo: &Path, hooks: &[Hook], config: &[(String, Vec<String>)]) -> Result<(), String> {
    let mut refused = Vec::new();
    for (id, args) in config {
        let hook = hooks.iter().find(|h| &h.id == id).expect("a defined hook");
        if let Some(out) = run_hook(repo, hook, args)
            && !out.status.success()
        {
            refused.push(format!(
                "{id}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    if refused.is_empty() {
        Ok(())
    } else {
        Err(refused.join("\n"))
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} holds {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

const VD_FILE: &str = "mesh/clusters/cluster1/gloo/bookinfo.yaml";
const SE_FILE: &str =
    "rendered/cluster1/bookinfo-frontends/serviceentry-vd-productpage-global-bookinfo.yaml";

/// Makes a change in the repository and stages it.
type Change = fn(&Path);

/// Ways a commit can leave `rendered/` stale or `mesh/` invalid, each staged as `git commit -a`
/// (or `git rm`) would.
fn stale_states() -> Vec<(&'static str, Change)> {
    vec![
        ("input changed, not re-rendered", |r| {
            edit(&r.join(VD_FILE), "protocol: HTTP", "protocol: GRPC");
            git(r, &["add", "-A"]);
        }),
        ("output edited by hand", |r| {
            edit(&r.join(SE_FILE), "number: 9080", "number: 9081");
            git(r, &["add", "-A"]);
        }),
        ("an output file deleted, and nothing else", |r| {
            git(r, &["rm", "-q", SE_FILE]);
        }),
        ("a cluster's output deleted, and nothing else", |r| {
            git(r, &["rm", "-q", "-r", "rendered/cluster2"]);
        }),
        ("an input file deleted, and nothing else", |r| {
            git(
                r,
                &["rm", "-q", "mesh/clusters/cluster1/gloo/policies.yaml"],
            );
        }),
        ("input made invalid", |r| {
            edit(&r.join(VD_FILE), "protocol: HTTP", "protocol: SMTP");
            git(r, &["add", "-A"]);
        }),
    ]
}

/// States a commit can be refused in that the user meets on the way to fixing it: output
/// re-rendered but not staged (pre-commit checks the staged files, so it fails again).
fn unstaged_states() -> Vec<(&'static str, Change)> {
    vec![(
        "input changed and staged, output re-rendered but not staged",
        |r| {
            edit(&r.join(VD_FILE), "protocol: HTTP", "protocol: GRPC");
            git(r, &["add", "-A", "mesh"]);
            let status = vdc_process()
                .args(["-q", "render", "mesh", "--out", "rendered"])
                .current_dir(r)
                .status()
                .unwrap();
            assert!(status.success());
        },
    )]
}

/// The commands a refusal prints to run (`…, run: COMMAND`), in order.
fn printed_hints(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| {
            l.rsplit_once(", run: ")
                .map(|(_, command)| command.to_owned())
        })
        .collect()
}

/// A git repository holding testdata/bookinfo as `mesh/` and its rendering as `rendered/`.
fn gitops_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    common::copy_tree(Path::new("testdata/bookinfo"), &repo.join("mesh"));
    std::fs::write(repo.join("README.md"), "GitOps\n").unwrap();
    let status = vdc_process()
        .args(["-q", "render", "mesh", "--out", "rendered"])
        .current_dir(repo)
        .status()
        .unwrap();
    assert!(status.success());
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "initial"]);
    tmp
}

fn reset(repo: &Path) {
    git(repo, &["reset", "-q", "--hard"]);
    git(repo, &["clean", "-q", "-f", "-d", "-x"]);
}

#[test]
fn every_documented_setup_refuses_every_stale_state() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["vdc-check", "vdc-output-up-to-date", "vdc-render"]);
    let tmp = gitops_repo();
    let repo = tmp.path();
    for config in documented_configs() {
        reset(repo);
        edit(&repo.join("README.md"), "GitOps", "GitOps repository");
        git(repo, &["add", "-A"]);
        commit_allowed(repo, &hooks, &config)
            .unwrap_or_else(|e| panic!("{config:?} refused an unrelated commit:\n{e}"));

        for (state, make) in stale_states() {
            reset(repo);
            make(repo);
            assert!(
                commit_allowed(repo, &hooks, &config).is_err(),
                "{config:?} let a commit through: {state}"
            );
        }

        // The same input change, re-rendered and added, goes through.
        reset(repo);
        edit(&repo.join(VD_FILE), "protocol: HTTP", "protocol: GRPC");
        let status = vdc_process()
            .args(["-q", "render", "mesh", "--out", "rendered"])
            .current_dir(repo)
            .status()
            .unwrap();
        assert!(status.success());
        git(repo, &["add", "-A"]);
        commit_allowed(repo, &hooks, &config)
            .unwrap_or_else(|e| panic!("{config:?} refused a current commit:\n{e}"));
    }
}

#[test]
fn the_up_to_date_hook_shows_the_change_forwards_and_how_to_fix_it() {
    let hooks = hooks();
    let hook = hooks
        .iter()
        .find(|h| h.id == "vdc-output-up-to-date")
        .unwrap();
    let config = documented_configs().remove(0);
    let (_, args) = config.iter().find(|(id, _)| id == &hook.id).unwrap();
    assert_eq!(args, &["rendered", "mesh"], "args: [OUT, INPUT]");
    let tmp = gitops_repo();
    let repo = tmp.path();
    edit(&repo.join(VD_FILE), "protocol: HTTP", "protocol: GRPC");
    git(repo, &["add", "-A"]);
    let out = run_hook(repo, hook, args).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    // Old → new: from the committed output to what the input now renders to.
    assert!(stdout.contains("\n-  - name: http-9080\n"), "{stdout}");
    assert!(stdout.contains("\n+  - name: grpc-9080\n"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("run: vdc render mesh --out rendered"),
        "{stderr}"
    );
}

#[test]
fn a_file_filter_would_skip_a_deletion_only_commit() {
    // Why the hooks use `always_run`: the selection pre-commit makes hands a filtered hook no
    // files on a commit that only deletes, and skips it.
    let tmp = gitops_repo();
    let repo = tmp.path();
    git(repo, &["rm", "-q", SE_FILE]);
    let filtered = Hook {
        id: "filtered".into(),
        entry: vec!["vdc".into()],
        always_run: false,
        pass_filenames: false,
        types_or: vec!["yaml".into(), "json".into()],
    };
    assert_eq!(selected(&filtered, &staged_files(repo)), None);
    for hook in hooks() {
        assert!(hook.always_run, "{} runs on every commit", hook.id);
        assert!(!hook.pass_filenames, "{} reads its folders itself", hook.id);
    }
}

#[test]
fn hooks_without_their_folders_are_a_usage_error() {
    for hook in hooks() {
        let out = vdc_process().args(&hook.entry[1..]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", hook.id);
    }
}

/// The wheel-based hooks (pre-commit-wheel/, published as vdc-pre-commit) are the compiled ones
/// installed from PyPI: the same ids, entries and run conditions, and a pin on the wheel of the
/// version this checkout builds, so a release tag installs what it names.
#[test]
fn the_wheel_hooks_are_the_compiled_hooks_at_this_version() {
    assert_eq!(
        hooks_of("pre-commit-wheel/.pre-commit-hooks.yaml", "python"),
        hooks()
    );
    let cargo = std::fs::read_to_string("Cargo.toml").unwrap();
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .unwrap()
        .trim_matches('"');
    // PyPI's `vdc` is an unrelated project: a pin on it would install someone else's code.
    let wheel = std::fs::read_to_string("pyproject.toml").unwrap();
    assert!(wheel.contains("\nname = \"vdc-mesh\"\n"), "{wheel}");
    let project = std::fs::read_to_string("pre-commit-wheel/pyproject.toml").unwrap();
    assert!(
        project.contains(&format!("\nversion = \"{version}\"\n")),
        "{project}"
    );
    assert!(
        project.contains(&format!("dependencies = [\"vdc-mesh=={version}\"]")),
        "{project}"
    );
}

/// Every refusal of a fixable state prints what to run, and running exactly that (as a user
/// pastes it into a shell) lets the same commit through: a hand-edited output file (which
/// render refuses to overwrite), output re-rendered but not staged, a deletion-only commit. An
/// input made invalid has no command to print: its diagnostics say what to change.
#[cfg(unix)]
#[test]
fn following_each_printed_hint_makes_the_hooks_pass() {
    let hooks = hooks();
    let tmp = gitops_repo();
    let repo = tmp.path();
    let bin = common::vdc_path();
    let mut path = vec![bin.parent().unwrap().to_path_buf()];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let path = std::env::join_paths(path).unwrap();
    for config in documented_configs() {
        for (state, make) in stale_states().into_iter().chain(unstaged_states()) {
            reset(repo);
            make(repo);
            let refusal = commit_allowed(repo, &hooks, &config)
                .expect_err(&format!("{config:?} let a commit through: {state}"));
            let hints = printed_hints(&refusal);
            if state == "input made invalid" {
                assert!(hints.is_empty(), "{state}: {refusal}");
                continue;
            }
            assert!(
                !hints.is_empty(),
                "{config:?}, {state}: no command to run in\n{refusal}"
            );
            for hint in &hints {
                let out = Command::new("sh")
                    .args(["-c", hint])
                    .env("PATH", &path)
                    .current_dir(repo)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{state}: `{hint}` failed: {out:?}");
            }
            commit_allowed(repo, &hooks, &config).unwrap_or_else(|e| {
                panic!("{config:?}, {state}: still refused after running {hints:?}:\n{e}")
            });
        }
    }
}

/// vdc's lock beside the rendered folder lives in `.rendered.vdc/`, whose `.gitignore` makes git
/// ignore it whole: `git add -A` in a GitOps repository never commits it.
#[test]
fn git_add_all_never_commits_the_lock() {
    let tmp = gitops_repo();
    let repo = tmp.path();
    assert!(repo.join(".rendered.vdc/lock").is_file());
    let tracked = git(repo, &["ls-files"]);
    assert!(!tracked.contains("vdc/"), "{tracked}");
    assert!(!tracked.contains("lock"), "{tracked}");
    assert!(tracked.contains("rendered/.vdc-manifest"), "{tracked}");
    let status = vdc_process()
        .args(["-q", "render", "mesh", "--out", "rendered"])
        .current_dir(repo)
        .status()
        .unwrap();
    assert!(status.success());
    git(repo, &["add", "-A"]);
    assert_eq!(git(repo, &["status", "--porcelain"]), "");
}
