//! `.pre-commit-hooks.yaml` runs real vdc commands: each hook's `entry`, given the `args`
//! docs/ci.md tells users to pass, works on testdata and fails when it should.

use assert_cmd::Command;
use std::collections::BTreeMap;

/// Hook id → its `entry`, split into words.
fn hooks() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(".pre-commit-hooks.yaml").unwrap();
    let docs = vdc::load::parse_documents(&text).unwrap();
    let vdc::load::node::Value::Seq(hooks) = &docs[0].value else {
        panic!("the hooks file is a list");
    };
    hooks
        .iter()
        .map(|h| {
            let field = |k: &str| h.get(k).and_then(|v| v.as_str()).unwrap().to_owned();
            assert_eq!(field("language"), "rust");
            let entry = field("entry").split(' ').map(str::to_owned).collect();
            (field("id"), entry)
        })
        .collect()
}

fn run(entry: &[String], args: &[&str]) -> i32 {
    assert_eq!(entry[0], "vdc");
    let out = Command::cargo_bin("vdc")
        .unwrap()
        .args(&entry[1..])
        .args(args)
        .output()
        .unwrap();
    out.status.code().unwrap()
}

#[test]
fn hooks_run_the_documented_commands() {
    let hooks = hooks();
    let ids: Vec<&str> = hooks.keys().map(String::as_str).collect();
    assert_eq!(ids, ["vdc-check", "vdc-output-up-to-date", "vdc-render"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rendered");
    let out = out.to_str().unwrap();

    assert_eq!(run(&hooks["vdc-check"], &["testdata/bookinfo"]), 0);
    assert_eq!(
        run(&hooks["vdc-render"], &["testdata/bookinfo", "--out", out]),
        0
    );
    let up_to_date = &hooks["vdc-output-up-to-date"];
    assert_eq!(run(up_to_date, &["testdata/bookinfo", out]), 0);
    // The input moved on (another VirtualDestination) but the output did not: stale.
    assert_eq!(run(up_to_date, &["testdata/multi-vd", out]), 1);
    // Without the folders it is a usage error, never a silent pass.
    assert_eq!(run(up_to_date, &[]), 2);
}
