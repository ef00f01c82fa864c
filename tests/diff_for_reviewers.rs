//! `vdc diff` for the people who review a change: a policy change across twelve clusters reads as
//! one change per object, clusters in natural order, the Gloo object behind each named; and the
//! markdown comment, which lands on a pull request, is made of no name a pull request controls.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{copy_tree, vdc, vdc_diff};
use std::fs;
use std::path::{Path, PathBuf};

/// Runs `vdc diff OLD NEW <extra>`; returns (exit code, stdout).
fn diff(old: &Path, new: &Path, extra: &[&str]) -> (i32, String) {
    let out = vdc_diff(old, new, extra);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// Every file below `dir` with `from` replaced by `to`.
fn replace_everywhere(dir: &Path, from: &str, to: &str) {
    for entry in walkdir::WalkDir::new(dir) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replace(from, to)).unwrap();
        }
    }
}

/// testdata/bookinfo's rendering with cluster1's output copied to clusters c0 … c11, before and
/// after the outlier-detection policy's `baseEjectionTime` changes from 30s to 45s: the shape of
/// a policy change on a twelve-cluster fleet.
fn twelve_clusters(tmp: &Path) -> (PathBuf, PathBuf) {
    let rendered = tmp.join("rendered");
    vdc()
        .args(["-q", "render", "testdata/bookinfo", "--out"])
        .arg(&rendered)
        .assert()
        .success();
    let (old, new) = (tmp.join("old"), tmp.join("new"));
    for i in 0..12 {
        copy_tree(&rendered.join("cluster1"), &old.join(format!("c{i}")));
    }
    copy_tree(&old, &new);
    replace_everywhere(&new, "baseEjectionTime: 30s", "baseEjectionTime: 45s");
    (old, new)
}

#[test]
fn a_change_across_twelve_clusters_is_shown_once_in_natural_order() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = twelve_clusters(tmp.path());
    let natural: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();

    let (code, human) = diff(&old, &new, &[]);
    assert_eq!(code, 1);
    let counts: Vec<&str> = human
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(counts, natural);
    // One heading per changed object, naming the object, every cluster and the Gloo object.
    let headings: Vec<&str> = human.lines().filter(|l| l.starts_with("~ ")).collect();
    assert_eq!(headings.len(), 1, "{human}");
    assert_eq!(
        headings[0],
        format!(
            "~ DestinationRule bookinfo-frontends/productpage-global-virtual-dest-bb94cd8441d81804f7882b63c6b7ca2 in {}",
            natural.join(", ")
        )
    );
    assert!(
        human.contains(&format!(
            "{}\n  from VirtualDestination bookinfo-frontends/productpage (cluster1)\n@@",
            headings[0]
        )),
        "{human}"
    );
    assert_eq!(human.matches("+        baseEjectionTime: 45s").count(), 1);

    let (code, md) = diff(&old, &new, &["-o", "markdown"]);
    assert_eq!(code, 1);
    let code_list = |names: &[String]| {
        names
            .iter()
            .map(|c| format!("<code>{c}</code>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The summary leads, per Gloo object: which one changed, in how many clusters, which.
    let summary = md.split("\n\n").nth(1).unwrap();
    assert_eq!(
        summary.lines().nth(2).unwrap(),
        format!(
            "| <code>VirtualDestination</code> <code>bookinfo-frontends/productpage</code> in <code>cluster1</code> | 12: {} | 0 | 12 | 0 |",
            code_list(&natural)
        ),
        "{md}"
    );
    let cluster_rows: Vec<&str> = md
        .lines()
        .filter_map(|l| l.strip_prefix("| <code>c"))
        .map(|l| l.split('<').next().unwrap())
        .collect();
    let numbers: Vec<String> = (0..12).map(|i| i.to_string()).collect();
    assert_eq!(cluster_rows, numbers);
    assert_eq!(md.matches("<details>").count(), 1, "{md}");
    assert!(md.contains(&format!("changed in {}, from", code_list(&natural))));
}

/// `--full-diff FILE` writes every change in the human form, however much the comment is cut,
/// and the comment's note names the file.
#[test]
fn the_full_diff_goes_to_a_file_the_comment_names() {
    let tmp = tempfile::tempdir().unwrap();
    let (old, new) = twelve_clusters(tmp.path());
    let file = tmp.path().join("vdc-diff.txt");
    let (code, md) = diff(
        &old,
        &new,
        &["-o", "markdown", "--max-chars", "1500", "--full-diff"],
    );
    assert_eq!(code, 2, "--full-diff takes a FILE");
    assert_eq!(md, "");
    let (code, md) = diff(
        &old,
        &new,
        &[
            "-o",
            "markdown",
            "--max-chars",
            "1500",
            "--full-diff",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(md.chars().count() <= 1500, "{}", md.len());
    assert!(md.contains("the full diff is in <code>"), "{md}");
    let (_, human) = diff(&old, &new, &[]);
    assert_eq!(fs::read_to_string(&file).unwrap(), human);
    // `--stat` shortens stdout, not the file.
    fs::remove_file(&file).unwrap();
    let (code, stat) = diff(
        &old,
        &new,
        &["--stat", "--full-diff", file.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(!stat.contains("@@"), "{stat}");
    assert_eq!(fs::read_to_string(&file).unwrap(), human);
}

/// A rendered side is a folder a pull request can edit: its cluster folders, object names and
/// provenance labels are the author's text. None of it may become markup in the comment.
#[test]
fn names_from_a_rendered_side_make_no_markup() {
    let tmp = tempfile::tempdir().unwrap();
    let rendered = tmp.path().join("rendered");
    vdc()
        .args(["-q", "render", "testdata/bookinfo", "--out"])
        .arg(&rendered)
        .assert()
        .success();
    let old = tmp.path().join("old");
    copy_tree(&rendered.join("cluster1"), &old.join("cluster1"));
    let new = tmp.path().join("new");
    let hostile_cluster = "<img src=x onerror=alert(1)>";
    copy_tree(&rendered.join("cluster1"), &new.join(hostile_cluster));
    copy_tree(&rendered.join("cluster1"), &new.join("cluster1"));
    let hostile_object = r#"apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: '@octocat [click](https://evil.example) | `x` *y* www.evil.example'
  namespace: '<b>ns</b>'
  labels:
    gloo.solo.io/parent_kind: '<a href="https://evil.example">VirtualDestination</a>'
    gloo.solo.io/parent_name: '<script>alert(1)</script> @admins'
    gloo.solo.io/parent_namespace: '![i](https://evil.example/i.png)'
    gloo.solo.io/parent_cluster: '@everyone'
spec:
  hosts: [evil.example]
"#;
    fs::create_dir_all(new.join("cluster1/x")).unwrap();
    fs::write(new.join("cluster1/x/hostile.yaml"), hostile_object).unwrap();

    let (code, md) = diff(&old, &new, &["-o", "markdown", "--max-chars", "3000"]);
    assert_eq!(code, 1);
    // Inside a fenced block the diff is shown as it is: code, which nothing interprets. The fence
    // is longer than any run of backticks in it, so no line can close it early.
    let outside_fences: String = md.split("\n```").step_by(2).collect::<Vec<_>>().join("\n");
    assert!(
        md.contains("+    gloo.solo.io/parent_name: <script>"),
        "{md}"
    );
    let md = outside_fences;
    for raw in [
        "<img",
        "<script",
        "<a ",
        "<b>",
        "![",
        "@octocat",
        "@admins",
        "@everyone",
        "](",
        "https://",
        "www.evil",
        "`x`",
        "*y*",
    ] {
        assert!(!md.contains(raw), "{raw} reached the comment:\n{md}");
    }
    // No name splits a table row into more cells than the header has.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let cells = line.matches('|').count();
        assert!(cells == 5 || cells == 6, "{line}");
    }
    assert!(md.contains("&#60;img&#32;src&#61;x"), "{md}");
}
