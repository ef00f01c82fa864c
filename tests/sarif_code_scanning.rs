//! `vdc check --format sarif` as GitHub code scanning reads it: the log of every fixture, of an
//! absolute INPUT and of a path with a space has what an upload needs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{check_input, copy_tree};
use serde_json::Value;
use std::path::Path;
use vdc::diagnostic::Code;

fn code(id: &str) -> Code {
    Code::parse(id).unwrap_or_else(|| panic!("{id} is not a code of vdc::diagnostic::Code"))
}

/// A `uri-reference` as RFC 3986 allows it: no spaces, backslashes or other characters that
/// must be percent-encoded, and every `%` followed by two hex digits.
fn is_uri_reference(uri: &str) -> bool {
    let bytes = uri.as_bytes();
    !uri.is_empty()
        && bytes.iter().enumerate().all(|(i, b)| match b {
            b'%' => bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
            _ => b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(b),
        })
}

/// What GitHub code scanning requires of an uploaded SARIF 2.1.0 log (and what the OASIS schema
/// requires of the parts vdc writes), checked on the log of every fixture: version and
/// `$schema`, the driver's name and rules, and per result a known `ruleId`, a `level` of
/// error/warning/note/none, a message, and a location with a `uri` and a region whose line and
/// column are at least 1. Also for an absolute INPUT and a path with a space.
#[test]
fn sarif_logs_have_what_github_code_scanning_requires() {
    let tmp = tempfile::tempdir().unwrap();
    let spaced = tmp.path().join("my mesh");
    copy_tree(Path::new("testdata/check/invalid-host"), &spaced);
    let mut inputs: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("testdata/check/{}", c.slug()))
        .collect();
    inputs.push(spaced.to_str().unwrap().to_owned());
    for input in &inputs {
        let run = check_input(input, &["--format", "sarif"]);
        let log: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(log["version"], "2.1.0", "{input}");
        assert!(
            log["$schema"].as_str().unwrap().starts_with("https://"),
            "$schema is an absolute URI"
        );
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1);
        let driver = &runs[0]["tool"]["driver"];
        assert_eq!(driver["name"], "vdc");
        let rules = driver["rules"].as_array().unwrap();
        for rule in rules {
            assert!(!rule["id"].as_str().unwrap().is_empty());
            assert!(
                !rule["shortDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .is_empty()
            );
            assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
            // helpUri, when present, must be an absolute URI (the schema's `format: uri`).
            if let Some(uri) = rule.get("helpUri") {
                assert!(uri.as_str().unwrap().starts_with("https://"), "{rule:#}");
            }
        }
        let results = runs[0]["results"].as_array().unwrap();
        assert!(!results.is_empty(), "{input}");
        for r in results {
            let id = r["ruleId"].as_str().unwrap();
            assert!(rules.iter().any(|rule| rule["id"] == id), "{id}");
            assert!(
                ["error", "warning", "note", "none"].contains(&r["level"].as_str().unwrap()),
                "{r:#}"
            );
            assert!(!r["message"]["text"].as_str().unwrap().is_empty());
            let locations = r["locations"].as_array().unwrap();
            assert!(
                !locations.is_empty(),
                "GitHub refuses a result without a location"
            );
            for location in locations {
                let physical = &location["physicalLocation"];
                let artifact = &physical["artifactLocation"];
                let uri = artifact["uri"].as_str().unwrap();
                assert!(is_uri_reference(uri), "{input}: not a uri-reference: {uri}");
                if uri.starts_with("file:///") {
                    assert!(artifact.get("uriBaseId").is_none(), "{artifact}");
                } else {
                    assert!(!uri.starts_with('/') && !uri.contains(':'), "{uri}");
                    assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
                }
                // Every diagnostic tied to a file has a region GitHub can show.
                let file_less = [
                    Code::ImplicitGlobalWorkspace,
                    Code::InvalidClusterName,
                    Code::NotAnInput,
                ]
                .contains(&code(id));
                if !file_less {
                    let region = &physical["region"];
                    assert!(region["startLine"].as_u64().unwrap() >= 1, "{r:#}");
                    if let Some(column) = region.get("startColumn") {
                        assert!(column.as_u64().unwrap() >= 1, "{r:#}");
                    }
                }
            }
        }
    }
    // An absolute INPUT gives file:// URIs; a space is percent-encoded.
    let run = check_input(spaced.to_str().unwrap(), &["--format", "sarif"]);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.contains("/my%20mesh/clusters/"),
        "{uri}"
    );
}

/// The first result's `uri` when vdc checks `input` from `cwd`.
fn first_uri(cwd: &Path, input: &str) -> String {
    let out = common::vdc()
        .current_dir(cwd)
        .args(["check", input, "--format", "sarif"])
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let artifact =
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    artifact["uri"].as_str().unwrap().to_owned()
}

/// In `tmp`: a checkout `repo` (a `.git` folder) holding an INPUT at `infra/mesh`, and the same
/// INPUT outside it at `outside`. Returns the checkout's path.
fn checkout_with_mesh(tmp: &Path, outside: &str) -> std::path::PathBuf {
    let repo = tmp.join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for at in [repo.join("infra/mesh"), tmp.join(outside)] {
        copy_tree(Path::new("testdata/check/invalid-host"), &at);
    }
    repo
}

/// GitHub resolves a SARIF `uri` against the repository root: run in a folder of the checkout
/// (`working-directory: infra`), the path starts at the root, not at that folder; an INPUT out
/// of the checkout (`../mesh`) is a `file://` URI, not a path that climbs out of the root.
#[test]
fn sarif_uris_start_at_the_repository_root_wherever_vdc_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = checkout_with_mesh(tmp.path(), "mesh");
    let file = "clusters/cluster1/gloo/productpage.yaml";
    assert_eq!(first_uri(&repo, "infra/mesh"), format!("infra/mesh/{file}"));
    assert_eq!(
        first_uri(&repo.join("infra"), "mesh"),
        format!("infra/mesh/{file}")
    );
    assert_eq!(
        first_uri(&repo.join("infra/mesh"), "."),
        format!("infra/mesh/{file}")
    );
    assert_eq!(
        first_uri(&repo.join("infra"), "../infra/./mesh"),
        format!("infra/mesh/{file}")
    );
    let outside = first_uri(&repo.join("infra"), "../../mesh");
    assert!(
        outside.starts_with("file:///") && outside.ends_with(&format!("/mesh/{file}")),
        "{outside}"
    );
    assert!(!outside.contains(".."), "{outside}");
}

/// Links are resolved before INPUT is named from the root: an absolute INPUT reached through a
/// link to the checkout is still a path from its root, and `..` after a link leads where the
/// file system goes (out of the checkout), not back into it by the letters of the path.
#[cfg(unix)]
#[test]
fn sarif_uris_follow_links_as_the_file_system_does() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = checkout_with_mesh(tmp.path(), "elsewhere/mesh");
    std::fs::create_dir_all(tmp.path().join("elsewhere/sub")).unwrap();
    std::os::unix::fs::symlink(&repo, tmp.path().join("link")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("elsewhere/sub"), repo.join("infra/out")).unwrap();
    let file = "clusters/cluster1/gloo/productpage.yaml";
    let through_link = tmp.path().join("link/infra/mesh");
    assert_eq!(
        first_uri(tmp.path(), through_link.to_str().unwrap()),
        format!("infra/mesh/{file}")
    );
    let after_link = first_uri(&repo, "infra/out/../mesh");
    assert!(
        after_link.starts_with("file:///") && after_link.contains("/elsewhere/mesh/"),
        "{after_link}"
    );
}
