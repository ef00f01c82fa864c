//! `vdc diff OLD NEW --trace FROM TO`: the same trace question asked of both sides, and what
//! moved — priorities, the serving priority, the outcome and the object at fault — in words, in
//! JSON and in a pull-request comment, with diff's exit statuses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc_diff_text as diff;
use common::{copy_tree, vdc};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A copy of testdata/`input` with `edit` applied to the text of its file `file`.
fn edited(tmp: &TempDir, input: &str, file: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let copy = tmp.path().join(input);
    copy_tree(&Path::new("testdata").join(input), &copy);
    let path = copy.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit changed nothing in {file}");
    fs::write(&path, changed).unwrap();
    copy
}

/// testdata/client-only, whose FailoverPolicy gains Gloo's `localityMappings` (the shape of
/// Gloo's FailoverPolicy reference, docs.solo.io): clients in us-central-1 (cluster3) fail over
/// to us-west-1 (cluster1) first, where proximity had both remote clusters at priority 0.
fn client_only_with_a_locality_mapping(tmp: &TempDir) -> PathBuf {
    edited(
        tmp,
        "client-only",
        "clusters/cluster1/gloo/policies.yaml",
        |text| {
            text.replacen(
                "        failover: \"true\"\n---",
                "        failover: \"true\"\n  config:\n    localityMappings:\n    - from:\n        \
                 region: us-central-1\n      to:\n      - region: us-west-1\n---",
                1,
            )
        },
    )
}

const CLUSTER3_TO_PRODUCTPAGE: [&str; 3] = [
    "--trace",
    "cluster3/bookinfo-frontends",
    "productpage.global",
];

#[test]
fn the_same_question_on_unchanged_input_moves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("bookinfo");
    copy_tree(Path::new("testdata/bookinfo"), &copy);
    let questions = [
        "--trace",
        "cluster1/bookinfo-frontends",
        "productpage.global",
        "--trace",
        "cluster2/bookinfo-frontends",
        "productpage.global:9080",
        "--fail",
        "cluster:cluster1",
    ];
    let original = Path::new("testdata/bookinfo");
    let (code, out, err) = diff(original, &copy, &questions);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("diff_trace_unchanged_human", out);
    let (code, json, _) = diff(original, &copy, &[&questions[..], &["-o", "json"]].concat());
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|d| d["moves"] == Value::Array(vec![]))
    );
    // With --fail, the JSON holds both answers as `vdc trace` gives them: cluster2's own pod.
    assert_eq!(json[1]["new"]["destinations"][0]["serving"], 0);
    let (code, quiet, _) = diff(original, &copy, &[&questions[..], &["--quiet"]].concat());
    assert_eq!((code, quiet.as_str()), (0, ""));
}

#[test]
fn a_locality_mapping_moves_the_priorities() {
    let tmp = tempfile::tempdir().unwrap();
    let new = client_only_with_a_locality_mapping(&tmp);
    let old = Path::new("testdata/client-only");
    let (code, out, err) = diff(old, &new, &CLUSTER3_TO_PRODUCTPAGE);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("diff_trace_locality_mapping_human", out);
    assert!(
        out.contains(
            "priority 1 was none, now cluster2 (us-east-1, via east-west gateway, weight 1)"
        ),
        "{out}"
    );
    let (code, json, _) = diff(
        old,
        &new,
        &[&CLUSTER3_TO_PRODUCTPAGE[..], &["-o", "json"]].concat(),
    );
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&json).unwrap();
    insta::assert_json_snapshot!("diff_trace_locality_mapping_moves", json[0]["moves"]);
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&json[0]), ["from", "moves", "new", "old", "to"]);
    assert_eq!(
        keys(&json[0]["moves"][0]),
        ["destination", "new", "old", "priority", "what"]
    );
    // Each side is the answer `vdc trace` gives: the same contract.
    assert_eq!(json[0]["old"]["destinations"][0]["localityLb"], "proximity");
    assert_eq!(json[0]["new"]["destinations"][0]["localityLb"], "failover");
    let (code, md, _) = diff(
        old,
        &new,
        &[&CLUSTER3_TO_PRODUCTPAGE[..], &["-o", "markdown"]].concat(),
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("diff_trace_locality_mapping_markdown", md);
    // A comment kept short leaves the traces out, says so, and keeps what moved.
    let short = [
        &CLUSTER3_TO_PRODUCTPAGE[..],
        &["-o", "markdown", "--max-chars", "1000"],
    ]
    .concat();
    let (code, cut, _) = diff(old, &new, &short);
    assert_eq!(code, 1);
    assert!(cut.len() <= 1000, "{}", cut.len());
    assert!(!cut.contains("<details>"), "{cut}");
    assert!(cut.contains("Some traces are left out"), "{cut}");
    assert!(
        cut.contains("- priority 1 was none, now <code>cluster2</code>"),
        "{cut}"
    );
}

/// The failover drill before and after: with cluster1 down, cluster3's clients were served by
/// cluster2 at priority 0 and now are at priority 1, once cluster1 is ejected.
#[test]
fn a_failover_drill_says_which_priority_serves_on_each_side() {
    let tmp = tempfile::tempdir().unwrap();
    let new = client_only_with_a_locality_mapping(&tmp);
    let drill = [
        &CLUSTER3_TO_PRODUCTPAGE[..],
        &["--fail", "cluster:cluster1"],
    ]
    .concat();
    let (code, out, _) = diff(Path::new("testdata/client-only"), &new, &drill);
    assert_eq!(code, 1);
    assert!(
        out.contains("serving was priority 0 (cluster2), now priority 1 (cluster2)"),
        "{out}"
    );
    assert!(out.contains("weight 1, ejected)"), "{out}");
}

/// A change that breaks the new side: the route now asks for a subset no pod carries
/// (testdata/check/subset-not-served is testdata/bookinfo with that RouteTable).
#[test]
fn a_broken_new_side_names_the_object_at_fault() {
    let args = [
        "--trace",
        "cluster1/bookinfo-frontends/productpage-v1",
        "productpage.global",
    ];
    let old = Path::new("testdata/bookinfo");
    let new = Path::new("testdata/check/subset-not-served");
    let (code, out, err) = diff(old, new, &args);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("diff_trace_subset_not_served_human", out);
    let (_, json, _) = diff(old, new, &[&args[..], &["-o", "json"]].concat());
    let json: Value = serde_json::from_str(&json).unwrap();
    let outcome = json[0]["moves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["what"] == "outcome")
        .unwrap();
    assert_eq!(outcome["old"], "ok");
    assert!(
        outcome["new"].as_str().unwrap().starts_with(
            "no-healthy-endpoint (503 UH): DestinationRule \
             bookinfo-frontends/productpage-global-virtual-dest-"
        ),
        "{outcome}"
    );
    assert_eq!(json[0]["new"]["fault"]["kind"], "DestinationRule");
    // Read the other way, the change repairs the route.
    let (code, back, _) = diff(new, old, &args);
    assert_eq!(code, 1);
    assert!(
        back.contains("outcome was no-healthy-endpoint (503 UH)"),
        "{back}"
    );
    assert!(back.contains(", now ok\n"), "{back}");
}

/// A pod label a pull request controls reaches the comment only as escaped inline code, and the
/// traces only inside fences it cannot close.
#[test]
fn markdown_escapes_every_name() {
    let tmp = tempfile::tempdir().unwrap();
    let hostile = "<img src=x onerror=alert(1)>|@reviewers ``` *x*";
    let new = edited(&tmp, "bookinfo", "clusters/cluster1/state.yaml", |text| {
        text.replacen(
                "          app: productpage\n          version: v1\n      spec:",
                &format!(
                    "          app: productpage\n          version: v1\n          team: '{hostile}'\n      spec:"
                ),
                1,
            )
    });
    let args = [
        "--trace",
        "cluster1/bookinfo-frontends/productpage-v1",
        "productpage.global",
        "-o",
        "markdown",
    ];
    let (code, md, err) = diff(Path::new("testdata/bookinfo"), &new, &args);
    assert_eq!(code, 1, "{err}");
    insta::assert_snapshot!("diff_trace_hostile_label_markdown", md);
    let (outside, fenced) = split_fences(&md);
    for raw in ["<img", "@reviewers", "|", "*x*", "```"] {
        assert!(!outside.contains(raw), "{raw} outside a fence:\n{outside}");
    }
    assert!(outside.contains("team&#61;&#60;img&#32;src"), "{outside}");
    assert!(
        fenced.contains(hostile),
        "the trace shows the label as it is"
    );
}

/// The text outside fenced blocks, and inside them; a fence closes only on a line of at least
/// as many backticks as opened it.
fn split_fences(md: &str) -> (String, String) {
    let (mut outside, mut fenced) = (String::new(), String::new());
    let mut open: Option<usize> = None;
    for line in md.lines() {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        match open {
            None if ticks >= 3 => open = Some(ticks),
            Some(n) if ticks >= n && line.trim_matches('`').is_empty() => open = None,
            Some(_) => fenced.push_str(line),
            None => outside.push_str(line),
        }
    }
    assert!(open.is_none(), "a fence is left open");
    (outside, fenced)
}

#[test]
fn a_side_that_cannot_be_traced_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let rendered = tmp.path().join("rendered");
    vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&rendered)
        .assert()
        .success();
    let input = Path::new("testdata/bookinfo");
    let question = [
        "--trace",
        "cluster1/bookinfo-frontends",
        "productpage.global",
    ];
    let (code, out, err) = diff(&rendered, input, &question);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--trace needs an INPUT folder on both sides"),
        "{err}"
    );
    assert!(err.contains("is rendered output"), "{err}");
    // A side with errors: its diagnostics, and nothing traced.
    let broken = edited(&tmp, "bookinfo", "clusters/cluster1/state.yaml", |text| {
        text.replace(
            "topology.kubernetes.io/region: us-west-1",
            "topology.kubernetes.io/region: us-west-1|x",
        )
    });
    let (code, out, err) = diff(input, &broken, &question);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("error[VDC207]"), "{err}");
    assert!(
        err.contains("is not valid input, so nothing was traced"),
        "{err}"
    );
    // A question one side cannot answer.
    let (code, _, err) = diff(
        input,
        input,
        &["--trace", "cluster9/ns", "productpage.global"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("--trace cluster9/ns productpage.global on OLD"),
        "{err}"
    );
    // The request's flags belong to a trace; the object diff's flags do not.
    let (code, _, err) = diff(input, input, &["--fail", "cluster:cluster1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--fail describes the request of a trace"),
        "{err}"
    );
    let (code, _, _) = diff(input, input, &[&question[..], &["--stat"]].concat());
    assert_eq!(code, 2);
    let (code, _, _) = diff(input, input, &["--trace", "cluster1/bookinfo-frontends"]);
    assert_eq!(code, 2);
}

/// `--fail` may name what only one side has (cluster3 joins in NEW), but not what neither has.
#[test]
fn a_fail_target_must_be_on_one_side_at_least() {
    let args = |target: &'static str| {
        [
            "--trace",
            "cluster1/bookinfo-frontends",
            "productpage.global",
            "--fail",
            target,
        ]
    };
    let (old, new) = (
        Path::new("testdata/bookinfo"),
        Path::new("testdata/client-only"),
    );
    let (code, _, err) = diff(old, new, &args("cluster:cluster3"));
    assert!(code < 2, "{err}");
    let (code, _, err) = diff(old, new, &args("cluster:cluster4"));
    assert_eq!(code, 2);
    assert!(
        err.contains("--fail cluster:cluster4: the input has no cluster of that name"),
        "{err}"
    );
}

/// A change that labels the ratings route for testdata/traffic-policies' FaultInjectionPolicy
/// and RetryTimeoutPolicy moves no endpoint, but changes what the sidecar does to the request:
/// both are moves, in words, as `vdc trace` says them.
#[test]
fn fault_injection_and_retries_are_moves() {
    let tmp = tempfile::tempdir().unwrap();
    let new = edited(
        &tmp,
        "traffic-policies",
        "clusters/cluster1/gloo/backends.yaml",
        |text| {
            text.replacen(
                "  - name: ratings\n    labels:\n      request_timeout: \"0.5s\"\n",
                "  - name: ratings\n    labels:\n      api: productpage\n      fault_injection: \"true\"\n",
                1,
            )
        },
    );
    let old = Path::new("testdata/traffic-policies");
    let question = [
        "--trace",
        "cluster1/bookinfo-frontends/productpage-v1",
        "ratings.mesh.internal",
    ];
    let (code, out, err) = diff(old, &new, &question);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains(
            "fault injection was none, now delay 2s for 100% of requests, abort with 503 for 12.5% of requests"
        ),
        "{out}"
    );
    assert!(
        out.contains("retries was Istio's default, now 3 attempts · 2s per try · on 5xx,gateway-error,connect-failure,503"),
        "{out}"
    );
    let (_, json, _) = diff(old, &new, &[&question[..], &["-o", "json"]].concat());
    let json: Value = serde_json::from_str(&json).unwrap();
    let whats: Vec<&str> = json[0]["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["what"].as_str().unwrap())
        .collect();
    assert!(
        whats.contains(&"fault") && whats.contains(&"retries"),
        "{whats:?}"
    );
}
