//! `vdc diff` as a pre-commit hook and a reviewer run it: INPUT against its own rendered output,
//! a one-field change, shuffled input, formatting noise, and the sides it must refuse.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use common::vdc;
use common::vdc_diff_text as diff;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn render_out(input: &str, tmp: &TempDir, extra: &[&str]) -> PathBuf {
    let out = tmp.path().join(format!("out{}", extra.join("")));
    vdc()
        .args(["render", input, "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    out
}

/// testdata/multi-vd with the `reviews` VirtualDestination's port moved from 8080 to 8081.
fn multi_vd_with_reviews_port_changed(tmp: &TempDir) -> PathBuf {
    let input = tmp.path().join("changed");
    copy_tree(Path::new("testdata/multi-vd"), &input);
    let file = input.join("clusters/cluster1/gloo/reviews.yaml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("number: 8080"));
    fs::write(&file, text.replace("number: 8080", "number: 8081")).unwrap();
    input
}

#[test]
fn input_against_its_rendered_output_has_no_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = render_out("testdata/bookinfo", &tmp, &[]);
    let input = Path::new("testdata/bookinfo");
    for (old, new) in [(input, out.as_path()), (out.as_path(), input)] {
        let (code, stdout, _) = diff(old, new, &[]);
        assert_eq!((code, stdout.as_str()), (0, "No changes.\n"));
        let (code, stdout, _) = diff(old, new, &["--format", "json"]);
        assert_eq!((code, stdout.as_str()), (0, "[]\n"));
    }
    let (code, stdout, _) = diff(input, &out, &["--quiet"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

/// Every object kind vdc writes (VirtualServices and policies included) reads back unchanged.
#[test]
fn every_testdata_input_matches_its_rendered_output() {
    let tmp = tempfile::tempdir().unwrap();
    for entry in fs::read_dir("testdata").unwrap() {
        let input = entry.unwrap().path();
        if !input.join("clusters").is_dir() {
            continue;
        }
        let out = tmp.path().join(input.file_name().unwrap());
        vdc()
            .arg("render")
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let (code, stdout, stderr) = diff(&input, &out, &[]);
        assert_eq!(
            (code, stdout.as_str()),
            (0, "No changes.\n"),
            "{input:?}: {stderr}"
        );
    }
}

/// `diff OUT INPUT` answers what `render INPUT --out OUT` would change: the user's files beside
/// vdc's are none of its business, and a file of vdc's that is missing or was edited (a
/// kustomization line, a comment) is a difference, though no object differs.
#[test]
fn a_rendered_folder_differs_where_render_would_change_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = Path::new("testdata/bookinfo");
    let out = render_out("testdata/bookinfo", &tmp, &[]);
    fs::write(
        out.join("cluster1/mine.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine, namespace: default}\n",
    )
    .unwrap();
    fs::write(out.join("notes.yaml"), "not an object\n").unwrap();
    let (code, stdout, stderr) = diff(&out, input, &[]);
    assert_eq!((code, stdout.as_str()), (0, "No changes.\n"), "{stderr}");

    let kustomization = out.join("cluster1/kustomization.yaml");
    let text = fs::read_to_string(&kustomization).unwrap();
    fs::write(&kustomization, format!("{text}# edited\n")).unwrap();
    let (code, stdout, stderr) = diff(&out, input, &[]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(
        stderr.contains("cluster1/kustomization.yaml was changed after vdc wrote it"),
        "{stderr}"
    );

    fs::write(&kustomization, &text).unwrap();
    fs::remove_file(out.join("cluster2/kustomization.yaml")).unwrap();
    let (code, _, stderr) = diff(&out, input, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cluster2/kustomization.yaml is missing"),
        "{stderr}"
    );
    assert!(!stderr.contains("cluster1/kustomization.yaml"), "{stderr}");

    let manifest = out.join(".vdc-manifest");
    let listed = fs::read_to_string(&manifest).unwrap();
    fs::write(&manifest, format!("{listed}garbage\n")).unwrap();
    let (code, _, stderr) = diff(&out, input, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is damaged"), "{stderr}");
}

/// The command a stale folder's hint prints is one render accepts: none for a folder vdc did not
/// write, or one inside INPUT.
#[test]
fn no_update_command_for_a_folder_render_would_refuse() {
    let input = Path::new("testdata/bookinfo");
    let (code, _, stderr) = diff(&input.join("clusters"), input, &["--stat"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("not a folder `vdc render --out` may write to"),
        "{stderr}"
    );
    assert!(!stderr.contains("vdc render testdata"), "{stderr}");
}

/// Formatting is not content: JSON files, a folder without `.vdc-manifest`, and hand-reordered
/// keys all compare equal to the INPUT they came from.
#[test]
fn formatting_noise_in_a_rendered_folder_shows_no_change() {
    let tmp = tempfile::tempdir().unwrap();
    let json_out = render_out("testdata/bookinfo", &tmp, &["--format", "json"]);
    let (code, stdout, _) = diff(Path::new("testdata/bookinfo"), &json_out, &[]);
    assert_eq!((code, stdout.as_str()), (0, "No changes.\n"));

    let plain = tmp.path().join("plain");
    copy_tree(&render_out("testdata/bookinfo", &tmp, &[]), &plain);
    fs::remove_file(plain.join(".vdc-manifest")).unwrap();
    let se =
        plain.join("cluster1/bookinfo-frontends/serviceentry-vd-productpage-global-bookinfo.yaml");
    let text = fs::read_to_string(&se).unwrap();
    let (head, spec) = text.split_once("spec:\n").unwrap();
    fs::write(&se, format!("---\nspec:\n{spec}{head}")).unwrap();
    let (code, stdout, _) = diff(Path::new("testdata/bookinfo"), &plain, &[]);
    assert_eq!((code, stdout.as_str()), (0, "No changes.\n"));
}

/// Files renamed, moved into new folders and their documents reversed: the same objects.
#[test]
fn reordered_and_renamed_input_files_show_no_change() {
    let tmp = tempfile::tempdir().unwrap();
    let shuffled = tmp.path().join("shuffled");
    for entry in walkdir::WalkDir::new("testdata/multi-vd") {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix("testdata/multi-vd").unwrap();
        let target = if rel == Path::new("vdc.yaml") {
            shuffled.join(rel)
        } else {
            let file = rel.file_name().unwrap().to_string_lossy();
            shuffled
                .join(rel.parent().unwrap())
                .join("moved")
                .join(format!("zz-renamed-{file}"))
        };
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        let text = fs::read_to_string(entry.path()).unwrap();
        let mut docs: Vec<&str> = text.split("\n---\n").collect();
        docs.reverse();
        fs::write(target, docs.join("\n---\n")).unwrap();
    }
    let (code, stdout, stderr) = diff(Path::new("testdata/multi-vd"), &shuffled, &[]);
    assert_eq!((code, stdout.as_str()), (0, "No changes.\n"), "{stderr}");
}

fn touched(records: &Value) -> BTreeSet<(String, String, String)> {
    records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["change"], "change", "{r:#}");
            assert_eq!(r["apiVersion"], "networking.istio.io/v1");
            let field = |k: &str| r[k].as_str().unwrap().to_owned();
            (field("cluster"), field("kind"), field("name"))
        })
        .collect()
}

/// One VD port number changes: exactly that VD's ServiceEntry, WorkloadEntry and
/// DestinationRule in both clusters — its Gateway (keyed on the gateway port) and every object
/// of `productpage` stay as they are. Compared from INPUT and from rendered output alike.
#[test]
fn one_changed_field_shows_exactly_the_objects_it_touches() {
    let tmp = tempfile::tempdir().unwrap();
    let changed = multi_vd_with_reviews_port_changed(&tmp);
    let original = Path::new("testdata/multi-vd");

    let (code, stdout, _) = diff(original, &changed, &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("reviews_port_changed_human", stdout);

    let (code, json, _) = diff(original, &changed, &["--format", "json"]);
    assert_eq!(code, 1);
    let records: Value = serde_json::from_str(&json).unwrap();
    let mut expected = BTreeSet::new();
    for cluster in ["cluster1", "cluster2"] {
        let we = if cluster == "cluster1" {
            "172-23-0-6"
        } else {
            "172-23-0-5"
        };
        for (kind, name) in [
            (
                "DestinationRule",
                "reviews-mesh-internal-virtual-d-db1d2c9775a1c7ba8317c8db74eb80f".to_owned(),
            ),
            (
                "ServiceEntry",
                "vd-reviews-mesh-internal-bookinfo".to_owned(),
            ),
            (
                "WorkloadEntry",
                format!("vd-reviews-mesh-internal-bookinfo-app-reviews-{we}"),
            ),
        ] {
            expected.insert((cluster.to_owned(), kind.to_owned(), name));
        }
    }
    assert_eq!(touched(&records), expected);
    // Each diff is headed by the file `render --out` writes the object to.
    let out = render_out("testdata/multi-vd", &tmp, &[]);
    for r in records.as_array().unwrap() {
        let text = r["diff"].as_str().unwrap();
        assert!(text.contains("-") && text.contains("8081"), "{text}");
        let file = r["file"].as_str().unwrap();
        assert!(out.join(file).is_file(), "{file} is a rendered file");
        assert!(
            text.starts_with(&format!("--- a/{file}\n+++ b/{file}\n")),
            "{text}"
        );
    }

    // The pre-commit form: committed output against changed INPUT.
    let (code, from_out, _) = diff(&out, &changed, &["--format", "json"]);
    assert_eq!((code, from_out), (1, json));

    // --stat: the summary alone; JSON records without `diff`.
    let (code, stat, _) = diff(original, &changed, &["--stat"]);
    assert_eq!(code, 1);
    assert_eq!(
        stat,
        "cluster1: + 0 to add, ~ 3 to change, - 0 to remove\n\
         cluster2: + 0 to add, ~ 3 to change, - 0 to remove\n"
    );
    let (code, stat_json, _) = diff(original, &changed, &["--stat", "--format", "json"]);
    let stat_json: Value = serde_json::from_str(&stat_json).unwrap();
    assert_eq!((code, touched(&stat_json)), (1, expected));
    assert!(stat_json[0].get("diff").is_none());
}

/// `--format markdown`, the pull-request comment: a summary per Gloo object and per cluster, one
/// collapsed diff per change; cut with a note at the top when it would pass `--max-chars`.
#[test]
fn markdown_is_a_pull_request_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let changed = multi_vd_with_reviews_port_changed(&tmp);
    let original = Path::new("testdata/multi-vd");
    let (code, md, _) = diff(original, &changed, &["-o", "markdown"]);
    assert_eq!(code, 1);
    // Six changed objects, four changes: the DestinationRule and the ServiceEntry change alike
    // in both clusters, the WorkloadEntries differ.
    assert_eq!(md.matches("<details>").count(), 4);
    assert_eq!(md.matches("</details>").count(), 4);
    assert_eq!(md.matches("```diff\n").count(), 4);
    insta::assert_snapshot!("reviews_port_changed_markdown", md);

    let (code, cut, _) = diff(
        original,
        &changed,
        &["-o", "markdown", "--max-chars", "2000"],
    );
    assert_eq!(code, 1);
    assert!(cut.chars().count() <= 2000, "{}", cut.len());
    let shown = cut.matches("<details>").count();
    assert!((1..4).contains(&shown), "{cut}");
    // The note comes first, before the tables, so a reader sees it without scrolling.
    assert!(
        cut.starts_with(&format!(
            "### vdc diff\n\n> [!NOTE]\n> Cut at 2000 characters: {} of 4 changes are listed at the end",
            4 - shown
        )),
        "{cut}"
    );
    let listed = cut
        .split("Not shown above:")
        .nth(1)
        .unwrap()
        .matches("\n- ")
        .count();
    assert!(listed == 4 - shown || cut.contains("- … and"), "{cut}");
    insta::assert_snapshot!("reviews_port_changed_markdown_cut", cut);

    let (code, stat, _) = diff(original, &changed, &["-o", "markdown", "--stat"]);
    assert_eq!(code, 1);
    assert!(!stat.contains("<details>") && stat.contains("| <code>cluster2</code> | 0 | 3 | 0 |"));
    let out = render_out("testdata/multi-vd", &tmp, &[]);
    let (code, none, _) = diff(&out, original, &["-o", "markdown"]);
    assert_eq!((code, none.as_str()), (0, "### vdc diff\n\nNo changes.\n"));
}

#[test]
fn context_and_color_flags_shape_the_human_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let changed = multi_vd_with_reviews_port_changed(&tmp);
    let original = Path::new("testdata/multi-vd");
    let (_, plain, _) = diff(original, &changed, &[]);
    assert!(!plain.contains('\u{1b}'), "no colour in a pipe");
    let (_, tight, quiet) = diff(original, &changed, &["-U", "0"]);
    assert!(
        tight.contains("@@ -26 +26 @@\n-        number: 8080\n+        number: 8081\n"),
        "{tight}"
    );
    assert_eq!(quiet, "");
    // The old spelling still works, with a note: --context is a kube context in `snapshot`.
    let (_, old_spelling, note) = diff(original, &changed, &["--context", "0"]);
    assert_eq!(old_spelling, tight);
    assert!(note.contains("is now `--unified N`"), "{note}");
    let (code, colored, _) = diff(original, &changed, &["--color", "always"]);
    assert_eq!(code, 1);
    assert!(
        colored.contains("\u{1b}[32m+        number: 8081"),
        "{colored}"
    );
}

/// A VD added: each of its objects is an addition headed `--- /dev/null`; the reverse removes.
#[test]
fn added_and_removed_objects() {
    let (code, json, _) = diff(
        Path::new("testdata/bookinfo"),
        Path::new("testdata/multi-vd"),
        &["--format", "json"],
    );
    assert_eq!(code, 1);
    let records: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(records.len(), 8, "{json}");
    for r in &records {
        assert_eq!(r["change"], "add");
        assert!(r["name"].as_str().unwrap().contains("reviews"));
        assert!(
            r["diff"]
                .as_str()
                .unwrap()
                .starts_with("--- /dev/null\n+++ b/")
        );
    }
    let (code, human, _) = diff(
        Path::new("testdata/multi-vd"),
        Path::new("testdata/bookinfo"),
        &["--stat"],
    );
    assert_eq!(code, 1);
    assert_eq!(
        human,
        "cluster1: + 0 to add, ~ 0 to change, - 4 to remove\n\
         cluster2: + 0 to add, ~ 0 to change, - 4 to remove\n"
    );
}

/// An INPUT side that fails validation: its diagnostics, exit 2, in every format.
#[test]
fn an_invalid_input_side_exits_2_with_its_diagnostics() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("broken");
    copy_tree(Path::new("testdata/multi-vd"), &broken);
    let file = broken.join("clusters/cluster1/gloo/reviews.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("number: 8080", "number: 70000")).unwrap();
    for format in ["human", "json"] {
        for (old, new) in [
            (broken.as_path(), Path::new("testdata/multi-vd")),
            (Path::new("testdata/multi-vd"), broken.as_path()),
        ] {
            let (code, stdout, stderr) = diff(old, new, &["--format", format]);
            assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
            assert!(
                stderr.contains("error[") && stderr.contains("70000"),
                "{stderr}"
            );
            assert!(stderr.contains("is not valid input"), "{stderr}");
        }
    }
}

/// A path that does not exist, a file instead of a folder, broken YAML or a document that is
/// not an object in a rendered folder: exit 2 with the path, never a partial comparison.
#[test]
fn an_unreadable_side_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let garbage = tmp.path().join("garbage");
    fs::create_dir_all(garbage.join("cluster1")).unwrap();
    fs::write(garbage.join("cluster1/a.yaml"), "kind: [unclosed\n").unwrap();
    let not_object = tmp.path().join("not-object");
    fs::create_dir_all(not_object.join("cluster1")).unwrap();
    fs::write(not_object.join("cluster1/a.yaml"), "just: a mapping\n").unwrap();
    let cases = [
        (tmp.path().join("missing"), "cannot read"),
        (
            PathBuf::from("testdata/bookinfo/vdc.yaml"),
            "is not a folder",
        ),
        (garbage, "invalid YAML"),
        (not_object, "not a Kubernetes object"),
    ];
    for (side, message) in cases {
        for format in ["human", "json"] {
            let (code, stdout, stderr) =
                diff(Path::new("testdata/bookinfo"), &side, &["--format", format]);
            assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
            assert!(stderr.contains(message), "{stderr}");
        }
    }
}

/// `--max-chars` cuts the markdown comment only: given with another format, it would do nothing,
/// so it is a usage error rather than a flag silently ignored.
#[test]
fn max_chars_without_markdown_is_a_usage_error() {
    for format in ["human", "json"] {
        let o = vdc()
            .args([
                "diff",
                "testdata/bookinfo",
                "testdata/bookinfo",
                "-o",
                format,
            ])
            .args(["--max-chars", "100"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(&format!(
                "goes with -o markdown; the {format} output is never cut"
            )),
            "{stderr}"
        );
        assert!(o.stdout.is_empty());
    }
}

/// A valid INPUT side's warnings go to stderr, as `render` prints them: a field vdc leaves out
/// of the output (VDC203) must not hide behind "No changes.", and it leaves the status alone.
#[test]
fn an_input_side_s_warnings_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("graphql");
    copy_tree(Path::new("testdata/bookinfo"), &input);
    fs::copy(
        "testdata/check/untranslated-field/clusters/cluster1/gloo/graphql.yaml",
        input.join("clusters/cluster1/gloo/graphql.yaml"),
    )
    .unwrap();
    let out = render_out("testdata/bookinfo", &tmp, &[]);
    for format in ["human", "json"] {
        let (code, stdout, stderr) = diff(&out, &input, &["--format", format]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(
            stderr.contains("warning[VDC203]") && stderr.contains("graphql.yaml:17:5"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = diff(&input, &out, &["--stat"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning[VDC203]"), "{stderr}");
    // Between two INPUTs, NEW's are reported: a warning both sides have is shown once.
    let (code, _, stderr) = diff(&input, &input, &["--stat"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("warning[VDC203]").count(), 2, "{stderr}");
}

/// The update command is printed only where running it makes OLD what the diff compared it
/// with: not for an empty OLD (a first pull request's base, which nothing rendered), and with
/// the diff's `--cluster` when OLD holds only those clusters. An OLD rendered with a selection
/// the diff does not give gets no command: the selection is written nowhere.
#[test]
fn the_update_command_renders_what_the_diff_compared() {
    let tmp = tempfile::tempdir().unwrap();
    let changed = multi_vd_with_reviews_port_changed(&tmp);
    let run = |old: &Path, extra: &[&str]| {
        let (code, _, stderr) = diff(old, &changed, extra);
        assert_eq!(code, 1, "{stderr}");
        stderr
    };

    // An empty OLD (a first commit's output check) is brought up to date by rendering into it.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let stderr = run(&empty, &["--stat"]);
    assert!(
        stderr.contains(&format!(
            "run: vdc render {} --out {}\n",
            changed.display(),
            empty.display()
        )),
        "{stderr}"
    );
    let all = render_out("testdata/multi-vd", &tmp, &[]);
    let stderr = run(&all, &["--stat"]);
    assert!(
        stderr.contains(&format!(
            "run: vdc render {} --out {}\n",
            changed.display(),
            all.display()
        )),
        "{stderr}"
    );
    // A diff of some clusters is brought up to date by rendering those: the command keeps the
    // diff's --cluster, and that render keeps the other clusters' files.
    let one = render_out("testdata/multi-vd", &tmp, &["--cluster", "cluster1"]);
    for old in [&all, &one] {
        let stderr = run(old, &["--stat", "--cluster", "cluster1"]);
        assert!(
            stderr.contains(&format!(
                "run: vdc render {} --out {} --cluster cluster1\n",
                changed.display(),
                old.display()
            )),
            "{stderr}"
        );
    }
}

/// The output check before the first render (git keeps no empty folder, so a fresh clone has no
/// OUT): still exit 2, as OUT may be a typo, but with the render that creates it.
#[test]
fn a_missing_output_folder_gets_the_render_that_creates_it() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("rendered");
    let (code, _, stderr) = diff(&out, Path::new("testdata/bookinfo"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    let expected = format!("vdc render testdata/bookinfo --out {}", out.display());
    assert!(stderr.contains(&expected), "{stderr}");
}
