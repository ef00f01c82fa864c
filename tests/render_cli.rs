//! `vdc render` as a user runs it: snapshots of every testdata render, determinism, the `--out`
//! tree's ownership rules, client-only clusters, and nothing written (to stdout or over a
//! previous `--out` tree) when the input has an error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::vdc;
use predicates::prelude::PredicateBooleanExt;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use vdc::diagnostic::Code;

fn render_stdout(input: &Path) -> String {
    let out = vdc().args(["render"]).arg(input).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn inputs() -> Vec<PathBuf> {
    let mut inputs: Vec<PathBuf> = fs::read_dir("testdata")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("clusters").is_dir())
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn every_testdata_render_matches_its_snapshot() {
    let inputs = inputs();
    assert!(inputs.len() >= 3, "{inputs:?}");
    for input in inputs {
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("render_{name}"), render_stdout(&input));
    }
}

fn copy_tree(from: &Path, to: &Path, rename: &dyn Fn(&str) -> String) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(from)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let target = to.join(rename(&rel));
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(entry.path(), target).unwrap();
    }
}

/// Multi-document files are split and their documents reversed, files renamed and moved into
/// new sub-folders: none of it may change a byte of output.
#[test]
fn renamed_moved_and_shuffled_input_renders_byte_identical_output() {
    let original = render_stdout(Path::new("testdata/bookinfo"));
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path(), &|rel| {
        if rel == "vdc.yaml" {
            return rel.to_owned();
        }
        let mut parts: Vec<&str> = rel.split('/').collect();
        let file = parts.pop().unwrap();
        let renamed = format!(
            "zz-{}",
            file.chars().rev().collect::<String>().replace('.', "_")
        );
        let ext = Path::new(file)
            .extension()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        parts.push("moved/deeper");
        format!("{}/{renamed}.{ext}", parts.join("/"))
    });
    // Reverse the order of documents in every YAML stream.
    for entry in walkdir::WalkDir::new(tmp.path()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(entry.path()).unwrap();
            let mut docs: Vec<&str> = text.split("\n---\n").collect();
            docs.reverse();
            fs::write(entry.path(), docs.join("\n---\n")).unwrap();
        }
    }
    assert_eq!(render_stdout(tmp.path()), original);
}

/// A cluster with the mesh ConfigMaps of two revisions renders the same bytes whichever is read
/// first, with the trust domain of the revision its namespaces name.
#[test]
fn the_mesh_config_of_the_namespaces_revision_is_read_whatever_the_order() {
    let fixture = Path::new("testdata/check/mesh-configs-disagree");
    let original = render_stdout(fixture);
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(fixture, tmp.path(), &|rel| rel.to_owned());
    let state = tmp.path().join("clusters/cluster1/state.yaml");
    let text = fs::read_to_string(&state).unwrap();
    let mut docs: Vec<&str> = text.split("\n---\n").collect();
    docs.reverse();
    fs::write(&state, docs.join("\n---\n")).unwrap();
    assert_eq!(render_stdout(tmp.path()), original);
    assert!(
        original.contains("spiffe://cluster1/ns/bookinfo-frontends/sa/bookinfo-productpage"),
        "{original}"
    );
}

/// An east-west gateway with pods in two zones gets the zone most of them run in, not the
/// first pod's.
#[test]
fn a_gateway_with_pods_in_several_zones_gets_the_most_common() {
    let out = render_stdout(Path::new("testdata/check/mixed-gateway-locality"));
    assert!(out.contains("locality: us-east-1/us-east-1b\n"), "{out}");
    assert!(!out.contains("us-east-1a"), "{out}");
}

#[test]
fn client_only_cluster_gets_inline_endpoints_and_no_selector() {
    let c = vdc::compile(Path::new("testdata/client-only")).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let se = c
        .outputs
        .iter()
        .find(|o| o.cluster == "cluster3" && o.object.kind == "ServiceEntry")
        .expect("cluster3 consumes productpage");
    let spec = serde_json::to_value(&se.object.spec).unwrap();
    assert!(spec.get("workloadSelector").is_none(), "{spec:#}");
    let endpoints = spec["endpoints"].as_array().expect("inline endpoints");
    let addresses: Vec<&str> = endpoints
        .iter()
        .map(|e| e["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, ["172.23.0.5", "172.23.0.6"]);
    for e in endpoints {
        assert_eq!(e["ports"]["http-9080"], 15443);
        assert_eq!(e["labels"]["app"], "productpage");
    }
    // A client-only cluster gets no WorkloadEntry and no east-west Gateway.
    assert!(
        !c.outputs.iter().any(
            |o| o.cluster == "cluster3" && matches!(o.object.kind, "WorkloadEntry" | "Gateway")
        )
    );
}

/// A copy of testdata/multi-vd at `tmp/in`, and where its output goes, `tmp/out`.
fn multi_vd_copy(tmp: &Path) -> (PathBuf, PathBuf) {
    let input = tmp.join("in");
    copy_tree(Path::new("testdata/multi-vd"), &input, &|rel| {
        rel.to_owned()
    });
    (input, tmp.join("out"))
}

/// One VD change in multi-vd: reviews' port 8080 becomes 8081.
fn move_reviews_port(input: &Path) {
    let reviews = input.join("clusters/cluster1/gloo/reviews.yaml");
    let text = fs::read_to_string(&reviews).unwrap();
    assert!(text.contains("number: 8080"), "{text}");
    fs::write(&reviews, text.replace("number: 8080", "number: 8081")).unwrap();
}

/// `vdc render INPUT --out OUT`, which must succeed.
fn render_out(input: &Path, out: &Path) -> assert_cmd::assert::Assert {
    vdc()
        .arg("render")
        .arg(input)
        .arg("--out")
        .arg(out)
        .assert()
        .success()
}

fn files_below(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    files
}

#[test]
fn out_tree_has_one_file_per_object_a_kustomization_and_a_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_out(Path::new("testdata/bookinfo"), &out);
    let files = files_below(&out);
    assert!(files.contains(&".vdc-manifest".to_owned()));
    assert!(files.contains(&"cluster1/kustomization.yaml".to_owned()));
    assert!(files.contains(
        &"cluster1/bookinfo-frontends/serviceentry-vd-productpage-global-bookinfo.yaml".to_owned()
    ));
    let kustomization = fs::read_to_string(out.join("cluster1/kustomization.yaml")).unwrap();
    for file in files
        .iter()
        .filter(|f| f.starts_with("cluster1/") && !f.ends_with("kustomization.yaml"))
    {
        let rel = file.strip_prefix("cluster1/").unwrap();
        assert!(
            kustomization.contains(rel),
            "{rel} missing from {kustomization}"
        );
    }
    // A second render changes nothing.
    let before: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|f| (f.clone(), fs::read(out.join(f)).unwrap()))
        .collect();
    render_out(Path::new("testdata/bookinfo"), &out);
    let after: Vec<(String, Vec<u8>)> = files_below(&out)
        .iter()
        .map(|f| (f.clone(), fs::read(out.join(f)).unwrap()))
        .collect();
    assert_eq!(before, after);
}

/// `--out --format json`: the same tree as YAML, each object a `.json` file holding what its
/// `.yaml` twin holds, and the kustomizations list the `.json` files.
#[test]
fn out_in_json_holds_the_objects_of_the_yaml_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let (yaml, json) = (tmp.path().join("yaml"), tmp.path().join("json"));
    let input = Path::new("testdata/bookinfo");
    render_out(input, &yaml);
    vdc()
        .arg("render")
        .arg(input)
        .args(["--format", "json", "--out"])
        .arg(&json)
        .assert()
        .success();
    let objects = |dir: &Path, ext: &str| -> Vec<String> {
        files_below(dir)
            .into_iter()
            .filter(|f| f.ends_with(ext) && !f.ends_with("kustomization.yaml"))
            .map(|f| f.strip_suffix(ext).unwrap().to_owned())
            .collect()
    };
    let stems = objects(&yaml, ".yaml");
    assert!(stems.len() > 10, "{stems:?}");
    assert_eq!(objects(&json, ".json"), stems);
    for stem in &stems {
        let as_yaml: serde_json::Value =
            serde_saphyr::from_str(&fs::read_to_string(yaml.join(format!("{stem}.yaml"))).unwrap())
                .unwrap();
        let as_json: serde_json::Value =
            serde_json::from_slice(&fs::read(json.join(format!("{stem}.json"))).unwrap()).unwrap();
        assert_eq!(as_json, as_yaml, "{stem}");
    }
    let kustomization = fs::read_to_string(json.join("cluster1/kustomization.yaml")).unwrap();
    assert!(
        kustomization.contains("serviceentry-vd-productpage-global-bookinfo.json"),
        "{kustomization}"
    );
}

#[test]
fn out_refuses_a_foreign_folder_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("vdc did not write it"));
    assert_eq!(files_below(&out), ["notes.txt"]);
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    // Nothing beside it either: no lock folder is made for a run that is refused.
    assert_eq!(listing(tmp.path()), ["out"]);
}

#[test]
fn out_refuses_a_file_or_a_link_and_leaves_nothing_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("a-file"), "mine").unwrap();
    fs::create_dir(tmp.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", tmp.path().join("a-link")).unwrap();
    for (out, why) in [
        ("a-file", "is not a folder"),
        ("a-link", "is a symbolic link"),
    ] {
        vdc()
            .args(["render", "testdata/bookinfo", "--out"])
            .arg(tmp.path().join(out))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(why));
    }
    assert_eq!(listing(tmp.path()), ["a-file", "a-link", "real"]);
    assert!(listing(&tmp.path().join("real")).is_empty());
}

#[test]
fn out_refuses_to_overwrite_a_file_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_out(Path::new("testdata/bookinfo"), &out);
    // Someone replaces vdc's manifest entry for a file with their own file of the same path.
    let manifest = fs::read_to_string(out.join(".vdc-manifest")).unwrap();
    let victim = "cluster1/kustomization.yaml";
    let kept: String = manifest
        .lines()
        .filter(|l| !l.ends_with(victim))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(out.join(".vdc-manifest"), kept).unwrap();
    fs::write(out.join(victim), "mine\n").unwrap();
    let before = files_below(&out);
    vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(files_below(&out), before);
    assert_eq!(fs::read_to_string(out.join(victim)).unwrap(), "mine\n");
}

/// A file vdc wrote and someone edited since is neither overwritten nor removed; with several,
/// the first by path is the one named, however the check is spread over threads.
#[test]
fn out_refuses_to_overwrite_a_file_edited_since_it_wrote_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_out(Path::new("testdata/bookinfo"), &out);
    let edited = ["cluster1/kustomization.yaml", "cluster2/kustomization.yaml"];
    for file in edited {
        let mut text = fs::read_to_string(out.join(file)).unwrap();
        text.push_str("# mine\n");
        fs::write(out.join(file), text).unwrap();
    }
    let before: Vec<(String, Vec<u8>)> = files_below(&out)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "{}/{} was changed after vdc wrote it",
            out.display(),
            edited[0]
        )));
    let after: Vec<(String, Vec<u8>)> = files_below(&out)
        .into_iter()
        .map(|f| {
            let bytes = fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect();
    assert_eq!(after, before);
}

/// The command a refused render prints to discard the edits renders the clusters this run
/// renders: the same `--cluster` or `--shard`, not every cluster.
#[test]
fn the_discard_command_keeps_the_cluster_selection() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for selection in [["--cluster", "cluster1"], ["--shard", "1/1"]] {
        vdc()
            .args(["render", "testdata/bookinfo", "--out"])
            .arg(&out)
            .args(selection)
            .assert()
            .success();
        let file = out.join("cluster1/kustomization.yaml");
        let text = fs::read_to_string(&file).unwrap();
        fs::write(&file, format!("{text}# mine\n")).unwrap();
        vdc()
            .args(["render", "testdata/bookinfo", "--out"])
            .arg(&out)
            .args(selection)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "vdc render testdata/bookinfo --out {} {} {}",
                out.display(),
                selection[0],
                selection[1]
            )));
        fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn deleting_a_virtual_destination_removes_exactly_its_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = multi_vd_copy(tmp.path());
    render_out(&input, &out);
    fs::write(out.join("README.md"), "kept: vdc did not write it\n").unwrap();
    let before = files_below(&out);
    let reviews_files: Vec<&String> = before
        .iter()
        .filter(|f| f.contains("reviews-mesh-internal"))
        .collect();
    assert!(!reviews_files.is_empty(), "{before:#?}");

    fs::remove_file(input.join("clusters/cluster1/gloo/reviews.yaml")).unwrap();
    render_out(&input, &out);
    let after = files_below(&out);
    let expected: Vec<String> = before
        .iter()
        .filter(|f| !f.contains("reviews-mesh-internal"))
        .cloned()
        .collect();
    assert_eq!(after, expected);
    assert_eq!(
        fs::read_to_string(out.join("README.md")).unwrap(),
        "kept: vdc did not write it\n"
    );
}

#[test]
fn unreadable_input_exits_2() {
    vdc().args(["render", "does/not/exist"]).assert().code(2);
}

#[test]
fn out_dash_is_refused_not_a_folder_named_dash() {
    let tmp = tempfile::tempdir().unwrap();
    let input = std::env::current_dir().unwrap().join("testdata/bookinfo");
    vdc()
        .current_dir(tmp.path())
        .arg("render")
        .arg(&input)
        .args(["--out", "-"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--out takes a folder"));
    assert!(listing(tmp.path()).is_empty());
}

#[test]
fn a_cluster_typo_exits_2_before_any_work_and_names_the_likely_cluster() {
    // invalid-host's error (VDC407) is found after reading, while resolving: the typo is
    // reported first, and alone, rather than after the checks of every cluster.
    for command in ["render", "check"] {
        vdc()
            .args([command, "testdata/check/invalid-host", "--cluster", "clustr1"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(
                "--cluster clustr1: the input has no cluster of that name (did you mean `cluster1`? it has cluster1)",
            ))
            .stderr(predicates::str::contains("VDC407").not());
    }
}

#[test]
fn json_of_several_clusters_on_stdout_exits_2_before_any_work() {
    // no-east-west-gateway's error (VDC501) is found while resolving, after the arguments are
    // checked against the two clusters INPUT has.
    vdc()
        .args([
            "render",
            "testdata/check/no-east-west-gateway",
            "--format",
            "json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("one List"))
        .stderr(predicates::str::contains("VDC501").not());
}

#[test]
fn a_cluster_refused_while_reading_gets_its_diagnostic_before_the_typo_error() {
    // `Cluster_2` is a folder whose name is not a cluster name (VDC106): that is what the user
    // needs to read first, then that the input has no such cluster. The same in every command
    // that takes --cluster.
    for command in ["render", "check", "explain"] {
        let out = vdc()
            .args([
                command,
                "testdata/check/invalid-cluster-name",
                "--cluster",
                "Cluster_2",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command}");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let diagnostic = all.find("VDC106").expect(&all);
        let typo = all.find("no cluster of that name").expect(&all);
        assert!(diagnostic < typo, "{command}: {all}");
    }
}

#[test]
fn broken_yaml_is_a_diagnostic_with_file_and_line_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(Path::new("testdata/bookinfo"), &input, &|rel| {
        rel.to_owned()
    });
    fs::write(
        input.join("clusters/cluster1/gloo/broken.yaml"),
        "apiVersion: v1\nkind: [Service\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    vdc()
        .args(["render"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("error[VDC101]"))
        .stderr(predicates::str::contains(
            "clusters/cluster1/gloo/broken.yaml:2:",
        ));
    assert!(!out.exists());
}

/// A re-render keeps each unchanged file as it is (the same file, linked into the new tree, not
/// a copy) and writes only what changed; the swapped-in tree holds one link per file.
#[test]
fn re_render_keeps_unchanged_files_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = multi_vd_copy(tmp.path());
    let render = || render_out(&input, &out);
    render();
    let inodes = |out: &Path| -> BTreeMap<String, (u64, u64, Vec<u8>)> {
        files_below(out)
            .into_iter()
            .map(|f| {
                let meta = fs::metadata(out.join(&f)).unwrap();
                let bytes = fs::read(out.join(&f)).unwrap();
                (f, (meta.ino(), meta.nlink(), bytes))
            })
            .collect()
    };
    let before = inodes(&out);
    let summary = render().get_output().stderr.clone();
    let summary = String::from_utf8(summary).unwrap();
    assert!(
        summary.contains(&format!("0 written, {} unchanged", before.len() - 1)),
        "{summary}"
    );
    let again = inodes(&out);
    // The tree the run swapped out is kept as the spare (`.out.vdc/spare`), whose unchanged
    // files are these very files: no other link is allowed.
    let spare = tmp.path().join(".out.vdc/spare");
    for (file, (ino, links, bytes)) in &again {
        let in_spare = fs::metadata(spare.join(file)).map(|m| m.ino());
        let shared_with_spare = in_spare.is_ok_and(|i| i == *ino);
        assert_eq!(*links, 1 + u64::from(shared_with_spare), "{file}");
        if file != ".vdc-manifest" {
            assert_eq!((ino, bytes), (&before[file].0, &before[file].2), "{file}");
        }
    }

    move_reviews_port(&input);
    render();
    let after = inodes(&out);
    let mut rewritten = 0;
    for (file, (ino, _, bytes)) in after.iter().filter(|(f, _)| *f != ".vdc-manifest") {
        let (old_ino, _, old_bytes) = &again[file];
        if bytes == old_bytes {
            assert_eq!(
                ino, old_ino,
                "{file} is unchanged and must be the same file"
            );
        } else {
            assert_ne!(ino, old_ino, "{file} changed and must be written anew");
            rewritten += 1;
        }
    }
    assert!(rewritten > 0);
}

/// A file of the tree replaced by a symbolic link to the same bytes is not vdc's file to link
/// into the new tree: the re-render writes a regular file in its place.
#[test]
fn a_file_linked_from_elsewhere_is_copied_again_yet_counts_as_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_out(Path::new("testdata/bookinfo"), &out).success();
    let file = out.join("cluster1/kustomization.yaml");
    fs::hard_link(&file, tmp.path().join("backup.yaml")).unwrap();
    vdc()
        .args(["render", "testdata/bookinfo", "--exit-code", "--out"])
        .arg(&out)
        .assert()
        .code(0)
        .stderr(predicates::str::contains("0 written"));
    // Written again rather than linked: an edit of the backup must not reach the output.
    use std::os::unix::fs::MetadataExt;
    assert_eq!(fs::metadata(&file).unwrap().nlink(), 1);
}

#[test]
fn re_render_writes_a_regular_file_over_a_symlinked_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let render = || render_out(Path::new("testdata/bookinfo"), &out);
    render();
    let file = out.join("cluster1/kustomization.yaml");
    let copy = tmp.path().join("copy.yaml");
    fs::copy(&file, &copy).unwrap();
    fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&copy, &file).unwrap();
    render();
    let meta = fs::symlink_metadata(&file).unwrap();
    assert!(meta.file_type().is_file(), "{meta:?}");
    assert_eq!(fs::read(&file).unwrap(), fs::read(&copy).unwrap());
}

/// Every file below `dir` (hidden ones included) and its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `render --out DIR` of an input with an error leaves a previous good render exactly as it was:
/// no file written, changed or removed, no stray folder beside it.
#[test]
fn render_with_an_error_leaves_the_previous_out_tree_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    vdc()
        .args(["render", "testdata/bookinfo", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before = tree(&out);
    assert!(before.contains_key(".vdc-manifest"), "{:?}", before.keys());
    assert!(before.len() > 5, "{:?}", before.keys());
    let beside = listing(tmp.path());

    for case in ["missing-target-port", "yaml-syntax", "no-east-west-gateway"] {
        let rendered = vdc()
            .args([
                "render",
                &format!("testdata/check/{case}"),
                "--color",
                "never",
                "--out",
            ])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(rendered.status.code(), Some(1), "{case}");
        let stderr = String::from_utf8(rendered.stderr).unwrap();
        let id = Code::parse(case).unwrap().as_str();
        assert!(stderr.contains(&format!("error[{id}]")), "{case}: {stderr}");
        assert!(rendered.stdout.is_empty(), "{case}");
        assert!(tree(&out) == before, "{case}: the --out tree changed");
        assert_eq!(
            listing(tmp.path()),
            beside,
            "{case}: something was left beside DIR"
        );
    }

    // Without --out, nothing reaches stdout either.
    let rendered = vdc()
        .args(["render", "testdata/check/missing-target-port"])
        .output()
        .unwrap();
    assert_eq!(rendered.status.code(), Some(1));
    assert!(rendered.stdout.is_empty());
}

/// `--out .` (or any DIR that holds the folder vdc runs in) is refused before anything is
/// touched: the new tree is renamed into DIR's place, which would leave the shell in the old
/// tree. The message says how to name DIR instead.
#[test]
fn out_around_the_working_folder_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let here = tmp.path().join("here");
    fs::create_dir(&here).unwrap();
    let input = std::env::current_dir().unwrap().join("testdata/bookinfo");
    for out in [".", "./", ".."] {
        let o = vdc()
            .current_dir(&here)
            .args(["render"])
            .arg(&input)
            .args(["--out", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains("is the folder vdc runs in, or holds it"),
            "{stderr}"
        );
        assert!(stderr.contains(" && vdc render … --out "), "{stderr}");
    }
    assert_eq!(
        fs::read_dir(&here).unwrap().count(),
        0,
        "nothing written in DIR"
    );
    let beside: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["here"], "no lock folder beside it");
}

/// `vdc diff . INPUT` run inside an out-of-date OUT names no `render --out .` to fix it: render
/// refuses that, so the hint would not work.
#[test]
fn diff_run_inside_out_prints_no_render_it_would_refuse() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = multi_vd_copy(tmp.path());
    render_out(&input, &out);
    move_reviews_port(&input);
    let o = vdc()
        .current_dir(&out)
        .args(["diff", "."])
        .arg(&input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("to update it, run"), "{stderr}");
    assert!(
        stderr.contains("not a folder `vdc render --out` may write to"),
        "{stderr}"
    );
}

/// A backing Service whose only endpoint in the dump is a WorkloadEntry (a VM) that names its
/// service account: that account is the identity the DestinationRule accepts. Without the
/// WorkloadEntry the same input is VDC419.
#[test]
fn a_workload_entry_behind_a_backing_service_gives_its_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(
        Path::new("testdata/check/backing-without-workloads"),
        &input,
        &|rel| rel.to_owned(),
    );
    let c = vdc::compile(&input).unwrap();
    let codes: Vec<Code> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::BackingWithoutWorkloads]);
    let vm = "apiVersion: networking.istio.io/v1beta1\nkind: WorkloadEntry\nmetadata:\n  name: productpage-vm\n  namespace: bookinfo-frontends\nspec:\n  address: 10.0.0.5\n  labels:\n    app: productpage\n  serviceAccount: productpage-vm\n";
    fs::write(input.join("clusters/cluster1/vms.yaml"), vm).unwrap();
    let out = render_stdout(&input);
    assert!(
        out.contains("- spiffe://cluster1/ns/bookinfo-frontends/sa/productpage-vm"),
        "{out}"
    );
}

#[test]
fn a_named_port_is_resolved_on_what_runs_not_on_an_old_replica_set() {
    // testdata/check/target-port-differs with its second Deployment turned into an old
    // ReplicaSet of the first (a rollout that moved `http` from 9090 to 9080): the Deployment
    // stands for its pods, and the ReplicaSet left behind does not count.
    let tmp = tempfile::tempdir().unwrap();
    let same = |name: &str| name.to_owned();
    copy_tree(
        Path::new("testdata/check/target-port-differs"),
        tmp.path(),
        &same,
    );
    let state = tmp.path().join("clusters/cluster1/state.yaml");
    let text = std::fs::read_to_string(&state).unwrap();
    let old = "  kind: Deployment\n  metadata:\n    name: productpage-v2\n";
    assert!(text.contains(old));
    let edited = text
        .replace(
            old,
            "  kind: ReplicaSet\n  metadata:\n    name: productpage-v1-5f9a6b\n",
        )
        .replace("version: v2", "version: v1");
    std::fs::write(&state, edited).unwrap();
    let out = vdc().args(["check"]).arg(tmp.path()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("VDC420"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

/// `-o` is `--format`; one who typed `-o out` for an output folder is told about `--out DIR`,
/// still as a usage error (exit 2).
#[test]
fn o_with_a_folder_name_points_to_out() {
    let out = vdc()
        .args(["render", "testdata/bookinfo", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    insta::assert_snapshot!("render_o_with_a_folder_name", stderr);

    // A global flag before the subcommand does not hide it.
    let out = vdc()
        .args(["-q", "render", "testdata/bookinfo", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), stderr);
}
