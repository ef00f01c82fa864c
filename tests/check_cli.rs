//! `vdc check` as a user runs it, on `testdata/check/<case>/`: one small input per diagnostic
//! code, each a trimmed copy of testdata/bookinfo with exactly one problem introduced. Every
//! case's human output is a snapshot; a few also have JSON and SARIF snapshots. Also: the exit
//! status in every format, `--deny-warnings`, a clean input, a new user's first mistakes, the
//! wrong folder, and the options that silence or select diagnostics. What GitHub code scanning
//! requires of the SARIF log is in `sarif_code_scanning.rs`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{Run, check_input, copy_tree, vdc};
use serde_json::Value;
use std::fs;
use std::path::Path;
use vdc::diagnostic::{Code, Severity};

/// The cases that also have JSON and SARIF snapshots.
const MACHINE_CASES: &[&str] = &["unknown-field", "invalid-host", "missing-target-port"];

fn code(id: &str) -> Code {
    *Code::ALL
        .iter()
        .find(|c| c.as_str() == id)
        .unwrap_or_else(|| panic!("{id} is not a code of vdc::diagnostic::Code"))
}

fn case_dir(case: &str) -> String {
    format!("testdata/check/{case}")
}

/// `vdc check testdata/check/<case> --color never …`, run from the crate root so paths in the
/// output are relative and the snapshots hold on every machine.
fn check(case: &str, extra: &[&str]) -> Run {
    check_input(&case_dir(case), extra)
}

/// Each code's fixture: the human output is its snapshot, it names the code, and the exit status
/// is 1 exactly when the code is an error (warnings and notes leave it at 0).
fn check_fixture(code: Code) {
    let case = code.slug();
    let id = code.as_str();
    let run = check(case, &[]);
    insta::assert_snapshot!(format!("check_{case}"), run.stdout);
    assert!(
        run.stdout.contains(&format!("[{id}]: ")),
        "{case}: expected {id} in\n{}",
        run.stdout
    );
    let expected = if code.severity() == Severity::Error {
        1
    } else {
        0
    };
    assert_eq!(run.status, expected, "{case}: exit status\n{}", run.stdout);
    assert!(
        run.stderr.is_empty(),
        "{case}: check writes its report to stdout, nothing to stderr"
    );
    // Every message is followed by the summary line.
    assert!(
        run.stdout.lines().last().unwrap().starts_with("vdc: "),
        "{case}: {}",
        run.stdout
    );
}

/// One test per row of the code registry, named by its rule module, so one failing fixture does
/// not hide the others (`cargo test --test check_cli no_hosts`).
macro_rules! fixture_tests {
    ($( ($variant:ident, $code:literal, $family:ident, $rule:ident, $slug:literal) )*) => {
        $( #[test] fn $rule() { check_fixture(Code::$variant); } )*
    };
}
vdc::for_each_code!(fixture_tests);

/// Warning-only cases have no error line at all: the folder holds exactly one problem.
#[test]
fn warning_and_note_cases_report_no_error() {
    for c in Code::ALL {
        if c.severity() == Severity::Error {
            continue;
        }
        let case = c.slug();
        let run = check(case, &[]);
        assert!(
            !run.stdout.contains("\nerror[") && !run.stdout.starts_with("error["),
            "{case}: {}",
            run.stdout
        );
    }
}

const RECORD_KEYS: &[&str] = &[
    "code", "severity", "message", "file", "line", "column", "cluster", "object", "field", "help",
];

#[test]
fn json_output_has_every_field_of_every_diagnostic() {
    for case in MACHINE_CASES {
        let run = check(case, &["--format", "json"]);
        assert_eq!(run.status, 1, "{case}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{case}: {}", run.stderr);
        let records: Value = serde_json::from_str(&run.stdout).unwrap();
        let records = records.as_array().expect("a JSON array of records");
        assert!(!records.is_empty(), "{case}");
        let id = Code::parse(case).unwrap().as_str();
        assert!(
            records.iter().any(|r| r["code"] == id),
            "{case}: no {id} record"
        );
        for r in records {
            for key in RECORD_KEYS {
                assert!(
                    r.get(key).is_some_and(|v| !v.is_null()),
                    "{case}: record without `{key}`: {r:#}"
                );
            }
            for key in ["kind", "namespace", "name"] {
                assert!(
                    r["object"][key].as_str().is_some_and(|s| !s.is_empty()),
                    "{case}: object without `{key}`: {r:#}"
                );
            }
            let c = code(r["code"].as_str().unwrap());
            assert_eq!(r["severity"], c.severity().to_string(), "{r:#}");
            assert!(r["line"].as_u64().unwrap() >= 1, "{r:#}");
            assert!(r["column"].as_u64().unwrap() >= 1, "{r:#}");
            let file = r["file"].as_str().unwrap();
            assert!(
                file.starts_with(&format!("{}/", case_dir(case))) && Path::new(file).is_file(),
                "{case}: `file` is the path from where vdc ran (INPUT joined with the file): {r:#}"
            );
        }
        insta::assert_snapshot!(format!("check_{case}_json"), run.stdout);
    }
    // A fact about a whole cluster has no object, but names its cluster and dump file.
    let run = check("no-locality", &["--format", "json"]);
    let records: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(records[0]["code"], "VDC502");
    assert_eq!(records[0]["cluster"], "cluster2");
    assert_eq!(records[0]["object"], Value::Null);
    assert_eq!(
        records[0]["file"],
        "testdata/check/no-locality/clusters/cluster2/state.json"
    );
}

#[test]
fn sarif_output_is_a_sarif_2_1_0_log_with_every_rule() {
    for case in MACHINE_CASES {
        let run = check(case, &["--format", "sarif"]);
        assert_eq!(run.status, 1, "{case}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{case}: {}", run.stderr);
        let mut log: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let driver = &log["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "vdc");
        let rules = driver["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(ids, all, "rules lists every code, in order");
        for (rule, c) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule["name"], c.slug());
            assert_eq!(rule["shortDescription"]["text"], c.summary());
            let level = match c.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            assert_eq!(rule["defaultConfiguration"]["level"], level);
            let help = rule["help"]["markdown"].as_str().unwrap();
            assert!(
                help.starts_with(&format!("## {} {}\n", c.as_str(), c.slug())),
                "each rule carries its page of docs/diagnostics.md: {help}"
            );
        }
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{case}");
        let id = Code::parse(case).unwrap().as_str();
        assert!(results.iter().any(|r| r["ruleId"] == id), "{case}");
        for r in results {
            let rule_id = r["ruleId"].as_str().unwrap();
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index]["id"], rule_id, "ruleIndex points at its rule");
            assert!(
                ["error", "warning", "note"].contains(&r["level"].as_str().unwrap()),
                "{r:#}"
            );
            assert!(!r["message"]["text"].as_str().unwrap().is_empty());
            let physical = &r["locations"][0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(
                uri.starts_with(&format!("{}/", case_dir(case))) && Path::new(uri).is_file(),
                "{case}: the uri is the file's path from where vdc ran: {uri}"
            );
            assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        }
        // The rules are checked above; the snapshot shows the results.
        log["runs"][0]["tool"]["driver"]["rules"] =
            Value::String(format!("[{} rules]", rules.len()));
        log["runs"][0]["tool"]["driver"]["version"] = Value::String("[version]".into());
        insta::assert_snapshot!(
            format!("check_{case}_sarif"),
            serde_json::to_string_pretty(&log).unwrap()
        );
    }
}

/// `--format github`: one workflow command per diagnostic, each naming its file (from the
/// repository root), line and column, so GitHub annotates the pull request's files.
#[test]
fn github_output_is_one_workflow_command_per_diagnostic() {
    for case in MACHINE_CASES
        .iter()
        .chain(&["selector-matches-nothing", "implicit-global-workspace"])
    {
        let run = check(case, &["-o", "github"]);
        let json: Vec<Value> =
            serde_json::from_str(&check(case, &["--format", "json"]).stdout).unwrap();
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), json.len(), "{case}: {}", run.stdout);
        for (line, record) in lines.iter().zip(&json) {
            let level = match record["severity"].as_str().unwrap() {
                "info" => "notice",
                other => other,
            };
            assert!(line.starts_with(&format!("::{level} ")), "{line}");
            if let Some(file) = record["file"].as_str() {
                assert!(line.contains(&format!("file={file},")), "{line}");
                assert!(Path::new(file).is_file());
            }
            if let Some(n) = record["line"].as_u64() {
                assert!(line.contains(&format!(",line={n},")), "{line}");
            }
            let (_, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
            assert!(!message.contains('\n') && !message.is_empty());
        }
        insta::assert_snapshot!(format!("check_{case}_github"), run.stdout);
    }
}

/// The runner takes a workflow command's relative `file` as a path from the repository root:
/// run in a folder of the checkout (`working-directory: infra`), or on `../`, the annotation's
/// file still starts at the root, or GitHub would annotate no file.
#[test]
fn github_annotations_name_files_from_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    copy_tree(
        Path::new(&case_dir("invalid-host")),
        &repo.join("infra/mesh"),
    );
    let file = "file=infra/mesh/clusters/cluster1/gloo/productpage.yaml,line=8,";
    for (cwd, input) in [
        ("", "infra/mesh"),
        ("infra", "mesh"),
        ("infra/mesh", "."),
        ("infra/mesh/clusters", "../../mesh"),
    ] {
        let out = vdc()
            .current_dir(repo.join(cwd))
            .args(["check", input, "-o", "github"])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            stdout.starts_with("::error ") && stdout.contains(file),
            "{cwd} {input}: {stdout}"
        );
    }
}

#[test]
fn the_exit_status_is_the_same_in_every_format() {
    for (case, expected) in [
        ("missing-target-port", 1),
        ("selector-matches-nothing", 0),
        ("implicit-global-workspace", 0),
    ] {
        for format in ["human", "json", "sarif", "github"] {
            let run = check(case, &["--format", format]);
            assert_eq!(run.status, expected, "{case} --format {format}");
        }
    }
}

#[test]
fn deny_warnings_fails_on_a_warning_but_not_on_a_note() {
    for format in ["human", "json", "sarif"] {
        let run = check("selector-matches-nothing", &["--format", format]);
        assert_eq!(run.status, 0, "--format {format}");
        let run = check(
            "selector-matches-nothing",
            &["--format", format, "--deny-warnings"],
        );
        assert_eq!(run.status, 1, "--format {format} --deny-warnings");
        // Notes (info) are not warnings.
        let run = check(
            "implicit-global-workspace",
            &["--format", format, "--deny-warnings"],
        );
        assert_eq!(run.status, 0, "--format {format}: a note is not a warning");
    }
    let run = check("selector-matches-nothing", &["--deny-warnings"]);
    assert!(run.stdout.contains("warning[VDC413]"), "{}", run.stdout);
}

#[test]
fn a_clean_input_prints_only_the_summary_line() {
    let run = check_input("testdata/bookinfo", &[]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "vdc: no problems found\n");
    assert_eq!(run.stderr, "");
    let run = check_input("testdata/bookinfo", &["--deny-warnings"]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    let run = check_input("testdata/bookinfo", &["--format", "json"]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    assert_eq!(
        serde_json::from_str::<Value>(&run.stdout).unwrap(),
        Value::Array(vec![])
    );
}

/// testdata/bookinfo copied to `dir` with `edit` applied to the file at `rel`.
fn bookinfo_with(dir: &Path, rel: &str, edit: impl FnOnce(String) -> String) {
    copy_tree(Path::new("testdata/bookinfo"), dir);
    let file = dir.join(rel);
    let text = fs::read_to_string(&file).unwrap();
    let edited = edit(text.clone());
    assert_ne!(edited, text, "{rel}: the edit changed nothing");
    fs::write(file, edited).unwrap();
}

/// A syntax error in a `.json` dump is worded as JSON (what a JSON reader expected), not as the
/// YAML parser that reads `.json` files too would put it, with its file, line and column.
#[test]
fn a_json_syntax_error_says_invalid_json() {
    let tmp = tempfile::tempdir().unwrap();
    let name = "json-syntax";
    bookinfo_with(
        &tmp.path().join(name),
        "clusters/cluster2/state.json",
        |t| t.replacen("\"items\": [\n", "\"items\": [,\n", 1),
    );
    let out = vdc()
        .current_dir(tmp.path())
        .args(["check", name, "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("YAML"), "{stdout}");
    insta::assert_snapshot!("json_syntax_error", stdout);
}

/// cluster2's dump (a JSON List) with `edit` applied to its east-west gateway Service, or the
/// Service removed when `edit` returns false.
fn edit_cluster2_gateway(text: String, edit: impl Fn(&mut Value) -> bool) -> String {
    let mut list: Value = serde_json::from_str(&text).unwrap();
    let items = list["items"].as_array_mut().unwrap();
    items.retain_mut(|item| {
        let is_gateway =
            item["kind"] == "Service" && item["metadata"]["name"] == "istio-eastwestgateway";
        !is_gateway || edit(item)
    });
    serde_json::to_string_pretty(&list).unwrap()
}

/// The first mistakes a new user makes, each in a copy of testdata/bookinfo: every one gets
/// exactly one diagnostic (no follow-up noise), naming the offending value, whose help says what
/// to write. The snapshots show file:line:col, the underlined token, object and field.
#[test]
fn a_new_users_first_mistakes_each_get_one_message_that_says_how_to_fix_it() {
    const VD: &str = "clusters/cluster1/gloo/bookinfo.yaml";
    const CLUSTER2: &str = "clusters/cluster2/state.json";
    type Edit = Box<dyn FnOnce(String) -> String>;
    let mistakes: Vec<(&str, &str, Edit, &str, &[&str])> = vec![
        (
            "a-field-name-typo",
            VD,
            Box::new(|t| t.replace("  hosts:\n", "  hostz:\n")),
            "VDC201",
            &["`spec.hostz`", "did you mean `hosts`?"],
        ),
        (
            "b-port-70000",
            VD,
            Box::new(|t| t.replace("- number: 9080", "- number: 70000")),
            "VDC402",
            &["70000", "between 1 and 65535"],
        ),
        (
            "c-host-with-underscore",
            VD,
            Box::new(|t| t.replace("- productpage.global", "- product_page.global")),
            "VDC407",
            &["`product_page.global`", "`_`", "`product-page.global`"],
        ),
        (
            "d-target-port-the-service-lacks",
            VD,
            Box::new(|t| t + "    targetPort:\n      number: 9090\n"),
            "VDC410",
            &[
                "9090",
                "clusters `cluster1` and `cluster2`",
                "`targetPort: {number: 9080}`",
            ],
        ),
        (
            "e-namespace-in-two-workspaces",
            "gloo/workspaces.yaml",
            Box::new(|t| t + "    - name: bookinfo-backends\n"),
            "VDC301",
            &[
                "`bookinfo-backends`",
                "`bookinfo` and `gateways`",
                "clusters `cluster1` and `cluster2`",
            ],
        ),
        (
            "f-cluster-without-east-west-gateway",
            CLUSTER2,
            Box::new(|t| edit_cluster2_gateway(t, |_| false)),
            "VDC501",
            &[
                "`cluster2`",
                "`istio: eastwestgateway`",
                "`clusters/cluster2/`",
            ],
        ),
        (
            "f-east-west-gateway-without-tls-port",
            CLUSTER2,
            Box::new(|t| {
                edit_cluster2_gateway(t, |svc| {
                    for port in svc["spec"]["ports"].as_array_mut().unwrap() {
                        if port["name"] == "tls" {
                            port["name"] = "tls-passthrough".into();
                        }
                    }
                    true
                })
            }),
            "VDC501",
            &[
                "istio-gateways/istio-eastwestgateway",
                "`tls-passthrough`",
                "`options.eastWestGateways[].port`",
            ],
        ),
        (
            "f-east-west-gateway-without-address",
            CLUSTER2,
            Box::new(|t| {
                edit_cluster2_gateway(t, |svc| {
                    svc["status"] = serde_json::json!({});
                    true
                })
            }),
            "VDC501",
            &["has no address", "eastWestGateways[].hostInfoOverrides`"],
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    for (name, rel, edit, id, says) in mistakes {
        bookinfo_with(&tmp.path().join(name), rel, edit);
        let out = vdc()
            .current_dir(tmp.path())
            .args(["check", name, "--color", "never"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        let headlines: Vec<&str> = stderr
            .lines()
            .filter(|l| {
                l.starts_with("error[") || l.starts_with("warning[") || l.starts_with("info[")
            })
            .collect();
        assert_eq!(
            headlines.len(),
            1,
            "{name}: one mistake, one message:\n{stderr}"
        );
        assert!(
            headlines[0].starts_with(&format!("error[{id}]: ")),
            "{name}: {stderr}"
        );
        for needle in says {
            assert!(
                stderr.contains(needle),
                "{name}: no {needle:?} in\n{stderr}"
            );
        }
        assert!(
            stderr.contains(&format!(" --> {name}/")),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains("\n   = help: ") || stderr.contains("\n  = help: "),
            "{name}"
        );
        insta::assert_snapshot!(format!("new_user_{name}"), stderr);
    }
}

/// A cluster's folder, the `clusters/` folder, a folder holding INPUT further down, or an empty
/// folder: one VDC112 that names the folder probably meant, never a diagnostic per file, and
/// never a silent empty render.
#[test]
fn the_wrong_folder_gets_one_diagnostic_that_says_where_to_look() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir_all(empty.join("clusters")).unwrap();
    let empty = empty.to_str().unwrap().to_owned();
    let wrapper = tmp.path().join("repo");
    copy_tree(Path::new("testdata/bookinfo"), &wrapper.join("deploy/mesh"));
    let wrapper = wrapper.to_str().unwrap().to_owned();
    for (input, hint) in [
        (
            "testdata/bookinfo/clusters/cluster1",
            "did you mean `testdata/bookinfo`?",
        ),
        (wrapper.as_str(), "/repo/deploy/mesh`? (it has `clusters/`)"),
        (empty.as_str(), "holds no cluster folder"),
        (
            "./testdata/bookinfo/clusters/",
            "looked for `./testdata/bookinfo/clusters/clusters/<cluster>/`",
        ),
        (
            "testdata/bookinfo/clusters",
            "the `clusters/` folder itself; INPUT is the folder that holds it: did you mean `testdata/bookinfo`?",
        ),
        ("testdata", "did you mean `testdata/bookinfo` or"),
    ] {
        let run = check_input(input, &["--format", "json"]);
        assert_eq!(run.status, 1, "{input}");
        let records: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(records.len(), 1, "{input}: {records:#?}");
        assert_eq!(records[0]["code"], "VDC112");
        let text = format!("{} {}", records[0]["message"], records[0]["help"]);
        assert!(text.contains(hint), "{input}: {text}");
    }
    let out = tmp.path().join("out");
    let render = vdc()
        .args(["render", &empty, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(render.status.code(), Some(1));
    assert!(!out.exists());
}

/// --ignore and vdc.yaml's `ignore:` silence warnings (never errors); --fail-on warning is
/// --deny-warnings; --cluster keeps the diagnostics of the clusters named.
#[test]
fn ignore_fail_on_and_cluster_filter_the_report() {
    let case = "selector-matches-nothing";
    assert_eq!(check(case, &[]).status, 0);
    let run = check(case, &["--fail-on", "warning"]);
    assert_eq!(run.status, 1);
    assert!(run.stdout.contains("warning[VDC413]"), "{}", run.stdout);
    for ignore in ["VDC413", "vdc413", "selector-matches-nothing"] {
        let run = check(case, &["--fail-on", "warning", "--ignore", ignore]);
        assert_eq!(run.status, 0, "{ignore}: {}", run.stdout);
        assert!(!run.stdout.contains("VDC413"));
    }
    let run = check("missing-target-port", &["--ignore", "VDC410"]);
    assert_eq!(run.status, 2, "an error cannot be ignored");
    assert!(
        run.stderr.contains("errors cannot be ignored"),
        "{}",
        run.stderr
    );

    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(Path::new(&case_dir(case)), &input);
    fs::write(
        input.join("vdc.yaml"),
        "ignore: [selector-matches-nothing]\n",
    )
    .unwrap();
    let run = check_input(input.to_str().unwrap(), &["--deny-warnings"]);
    assert_eq!(run.status, 0, "{}", run.stdout);
    fs::write(input.join("vdc.yaml"), "ignore: [VDC410, VDC999]\n").unwrap();
    let run = check_input(input.to_str().unwrap(), &[]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stdout.matches("error[VDC109]").count(),
        2,
        "{}",
        run.stdout
    );

    let run = check("missing-target-port", &["--cluster", "cluster1"]);
    assert_eq!(run.status, 1);
    let run = check("missing-target-port", &["--cluster", "nope"]);
    assert_eq!(run.status, 2);
}

/// INPUT that vdc may not read is a folder it could not look into (exit 2), not one that holds
/// no clusters (VDC112). Run as another user when the tests run as root, who may read anything.
#[test]
fn an_input_vdc_may_not_read_exits_2_not_a_diagnostic() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let input = tmp.path().join("in");
    common::copy_tree(Path::new("testdata/bookinfo"), &input);
    let as_someone_else = |args: &[&Path]| {
        let mut command = if rustix::process::geteuid().is_root() {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(common::vdc_path());
            c
        } else {
            std::process::Command::new(common::vdc_path())
        };
        command.args(args).output()
    };
    match as_someone_else(&[Path::new("--version")]) {
        Ok(out) if out.status.success() => {}
        // No other user can run this build (setpriv missing, or its folder closed to them).
        _ => return,
    }
    for (closed, mode) in [(input.join("clusters"), 0o700), (input.clone(), 0o700)] {
        fs::set_permissions(&closed, fs::Permissions::from_mode(mode)).unwrap();
        let out = as_someone_else(&[Path::new("check"), &input]).unwrap();
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o755)).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{closed:?}: {stderr}");
        assert!(stderr.contains("cannot read"), "{stderr}");
        assert!(!stderr.contains("VDC112"), "{stderr}");
    }
}

/// `check --cluster` shows the diagnostics about those clusters, but an error about another
/// still stops `render --cluster` (INPUT renders all or nothing): the check says so and fails.
#[test]
fn a_check_of_some_clusters_fails_on_an_error_elsewhere() {
    let input = "testdata/check/no-east-west-gateway";
    let out = vdc()
        .args(["check", input, "--cluster", "cluster2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 error about other clusters not shown"),
        "{stderr}"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("no problems found"));
    vdc()
        .args(["render", input, "--cluster", "cluster2"])
        .assert()
        .code(1);
}
