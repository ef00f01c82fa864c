//! §7: no object name, namespace or cluster name can write outside DIR. Hostile names (`..`,
//! `/`, NUL, a newline, a Cyrillic look-alike, 300 bytes), from Gloo config and from cluster
//! dumps alike, are refused by `check`, and `render --out` writes nothing at all: not outside
//! DIR, not in DIR, not in INPUT.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{HANG, vdc};
use std::fs;
use std::path::{Path, PathBuf};

/// As double-quoted YAML scalars: `\0` and `\n` are YAML escapes.
const HOSTILE: &[&str] = &[
    "istio-gateways/../../../escaped",
    "..",
    "istio\\0gateways",
    "istio\\ngateways",
    "іstio-gateways", // the first letter is Cyrillic
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
];

/// Where a hostile name goes: the file below INPUT and the exact text it replaces (once).
const PLACES: &[(&str, &str, &str)] = &[
    // The east-west gateway Service's namespace, reached by a workspace glob.
    (
        "dump: gateway namespace",
        "clusters/cluster1/state.yaml",
        "    namespace: istio-gateways",
    ),
    // A backing Service's namespace.
    (
        "dump: backing service namespace",
        "clusters/cluster1/state.yaml",
        "    name: productpage\n    namespace: bookinfo-frontends",
    ),
    // A VirtualDestination's namespace and name.
    (
        "gloo: VirtualDestination namespace",
        "clusters/cluster1/gloo/bookinfo.yaml",
        "  namespace: bookinfo-frontends",
    ),
    (
        "gloo: VirtualDestination name",
        "clusters/cluster1/gloo/bookinfo.yaml",
        "  name: productpage",
    ),
];

fn replacement(original: &str, name: &str) -> String {
    let (key_part, _) = original.rsplit_once(':').unwrap();
    format!("{key_part}: \"{name}\"")
}

/// Every path below `root` with its bytes, links not followed.
fn listing(root: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

/// Renders `input` (below `root`) into `root/out/dir`: it must fail with diagnostics and leave
/// everything below `root` as it was, apart from the lock file beside DIR.
fn assert_refused_and_untouched(root: &Path, input: &Path, what: &str) {
    let check = vdc()
        .timeout(HANG)
        .arg("check")
        .arg(input)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(1), "{what}: {report}");
    assert!(
        report.contains("error[VDC206]") || report.contains("error[VDC106]"),
        "{what}: the name itself must be the error: {report}"
    );
    let before = listing(root);
    let out = root.join("out/dir");
    let render = vdc()
        .timeout(HANG)
        .arg("render")
        .arg(input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        render.status.code(),
        Some(1),
        "{what}: {}",
        String::from_utf8_lossy(&render.stderr)
    );
    let after: Vec<_> = listing(root)
        .into_iter()
        .filter(|(p, _)| {
            let lock = [
                "out/.dir.vdc",
                "out/.dir.vdc/lock",
                "out/.dir.vdc/.gitignore",
            ];
            !lock.iter().any(|l| p.ends_with(l)) && !p.ends_with("out")
        })
        .collect();
    assert_eq!(after, before, "{what}: something was written");
    assert!(!out.exists(), "{what}");
    assert!(!root.join("escaped").exists() && !root.parent().unwrap().join("escaped").exists());
}

#[test]
fn hostile_names_from_gloo_config_and_dumps_write_nothing() {
    for (what, file, original) in PLACES {
        for name in HOSTILE {
            let root = tempfile::tempdir().unwrap();
            let input = root.path().join("in");
            common::copy_tree(Path::new("testdata/bookinfo"), &input);
            let path = input.join(file);
            let text = fs::read_to_string(&path).unwrap();
            assert!(text.contains(original), "{what}: {original}");
            fs::write(
                &path,
                text.replacen(original, &replacement(original, name), 1),
            )
            .unwrap();
            // Reach every namespace by glob, as a workspace selecting `istio-*` does.
            let ws = input.join("gloo/workspaces.yaml");
            let globbed = fs::read_to_string(&ws)
                .unwrap()
                .replace("- name: istio-gateways", "- name: 'istio*'")
                .replace("- name: bookinfo-frontends", "- name: 'bookinfo-f*'");
            fs::write(&ws, globbed).unwrap();
            assert_refused_and_untouched(root.path(), &input, &format!("{what} = {name:?}"));
        }
    }
}

/// Cluster names come from folder names: a look-alike, a newline, dots.
#[test]
fn hostile_cluster_folder_names_write_nothing() {
    for name in [
        "clustеr2",
        "cluster\n2",
        "cluster2..",
        "cluster 2",
        "Cluster2",
    ] {
        let root = tempfile::tempdir().unwrap();
        let input = root.path().join("in");
        common::copy_tree(Path::new("testdata/bookinfo"), &input);
        fs::rename(
            input.join("clusters/cluster2"),
            input.join("clusters").join(name),
        )
        .unwrap();
        assert_refused_and_untouched(root.path(), &input, &format!("cluster {name:?}"));
    }
}
