//! One mistake, one message: a field that failed to decode (unknown, mistyped, not one of its
//! values) is reported once, and nothing vdc concludes from the missing or emptied value is
//! reported beside it. A suggestion is made only for a likely typo, never for a value that
//! means something else (`OPTIONAL_MUTUAL` is not a misspelt `MUTUAL`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{copy_tree, vdc};
use std::fs;
use std::path::Path;

/// A probe: a copy of `base` with `from` replaced by `to` (once) in the file `rel`.
struct Probe {
    name: &'static str,
    base: &'static str,
    rel: &'static str,
    from: &'static str,
    to: &'static str,
    /// The one headline expected, as its beginning (`error[VDC201]: …`).
    headline: &'static str,
    says: &'static [&'static str],
    never: &'static [&'static str],
}

const BOOKINFO_VD: &str = "clusters/cluster1/gloo/bookinfo.yaml";
const WORKSHOP_GATEWAYS: &str = "clusters/cluster1/gloo/gateways.yaml";

const PROBES: &[Probe] = &[
    // A YAML syntax error loses the whole file (the WorkspaceSettings and the VirtualDestination
    // beside it): the route to the VirtualDestination and the table's gateway must not be
    // reported as missing or unexported, since the file defines both.
    Probe {
        name: "yaml-syntax-error-in-one-file",
        base: "testdata/bookinfo",
        rel: BOOKINFO_VD,
        from: "  hosts:\n  - productpage.global\n",
        to: "  hosts: [\n  - productpage.global\n",
        headline: "error[VDC101]: invalid YAML",
        says: &["bookinfo.yaml:36:3"],
        never: &["VDC701", "VDC737"],
    },
    // A VirtualDestination without a namespace is refused (VDC205): the route to it must not
    // say the input does not define it, since the input does and the refusal says why it is
    // not used.
    Probe {
        name: "refused-virtual-destination",
        base: "testdata/bookinfo",
        rel: BOOKINFO_VD,
        from: "  name: productpage\n  namespace: bookinfo-frontends\n  labels:\n",
        to: "  name: productpage\n  labels:\n",
        headline: "error[VDC205]: `metadata.namespace` is required",
        says: &["bookinfo.yaml:26:1"],
        never: &["VDC701", "does not define"],
    },
    // The selector loses its labels and so matches every Service: VDC412 must not follow.
    Probe {
        name: "misspelt-selector-key",
        base: "testdata/bookinfo",
        rel: BOOKINFO_VD,
        from: "  services:\n  - labels:\n      app: productpage\n",
        to: "  services:\n  - lables:\n      app: productpage\n",
        headline: "error[VDC201]: unknown field `spec.services[0].lables`",
        says: &["did you mean `labels`?"],
        never: &["VDC412"],
    },
    // The hosts are refused, not absent: VDC416 "has no hosts" must not come first.
    Probe {
        name: "hosts-a-string",
        base: "testdata/bookinfo",
        rel: BOOKINFO_VD,
        from: "  hosts:\n  - productpage.global\n",
        to: "  hosts: productpage.global\n",
        headline: "error[VDC202]: `spec.hosts` must be a list, found a string",
        says: &[],
        never: &["VDC416"],
    },
    // A field vdc does not read, of the wrong type: the type error alone, no VDC203.
    Probe {
        name: "untranslated-field-mistyped",
        base: "testdata/bookinfo",
        rel: "gloo/clusters.yaml",
        from: "  clusterDomain: cluster.local\n",
        to: "  clusterDomain: cluster.local\n  skipWarming: \"true\"\n",
        headline: "error[VDC202]: `spec.skipWarming` must be a boolean, found a string",
        says: &[],
        never: &["VDC203"],
    },
    // A different TLS mode is not a typo of `MUTUAL`.
    Probe {
        name: "tls-mode-of-another-api",
        base: "testdata/workshop-manifests",
        rel: WORKSHOP_GATEWAYS,
        from: "      mode: SIMPLE\n",
        to: "      mode: OPTIONAL_MUTUAL\n",
        headline: "error[VDC207]: `spec.listeners[1].tls.mode` is `OPTIONAL_MUTUAL`",
        says: &["use one of"],
        never: &["did you mean"],
    },
    // A transposition is a typo, and gets its suggestion.
    Probe {
        name: "tls-mode-typo",
        base: "testdata/workshop-manifests",
        rel: WORKSHOP_GATEWAYS,
        from: "      mode: SIMPLE\n",
        to: "      mode: SIMPEL\n",
        headline: "error[VDC207]: `spec.listeners[1].tls.mode` is `SIMPEL`",
        says: &["did you mean `SIMPLE`?"],
        never: &[],
    },
];

/// The headlines (`error[VDC201]: …`) of `vdc check DIR`, run in `cwd`, and its whole output.
fn check(cwd: &Path, dir: &str) -> (Vec<String>, String) {
    let out = vdc()
        .current_dir(cwd)
        .args(["check", dir, "--color", "never"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let headlines = stdout
        .lines()
        .filter(|l| {
            let l = l.trim_start_matches(|c: char| c.is_ascii_lowercase());
            l.starts_with("[VDC")
        })
        .map(str::to_owned)
        .collect();
    (headlines, stdout)
}

#[test]
fn a_field_that_failed_to_decode_is_reported_once_and_feeds_no_other_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for p in PROBES {
        let (before, _) = check(Path::new("."), p.base);
        let dir = tmp.path().join(p.name);
        copy_tree(Path::new(p.base), &dir);
        let file = dir.join(p.rel);
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.contains(p.from),
            "{}: {:?} not in {}",
            p.name,
            p.from,
            p.rel
        );
        fs::write(&file, text.replacen(p.from, p.to, 1)).unwrap();
        let (after, stdout) = check(tmp.path(), p.name);
        // What the base input already says (the workshop's warnings) is not the probe's.
        let new: Vec<&String> = after.iter().filter(|h| !before.contains(h)).collect();
        let ok = new.len() == 1
            && new[0].starts_with(p.headline)
            && p.says.iter().all(|s| stdout.contains(s))
            && !p.never.iter().any(|s| stdout.contains(s));
        if !ok {
            failures.push(format!("{}: new {new:#?}\n{stdout}", p.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A field of an earlier Gloo 2.x release that 2.6 dropped (`graphql.executableSchema`, Gloo
/// 2.1) loads with VDC203, as the fields of every 2.0-2.5 release do, and is not refused as
/// unknown: testdata/check/untranslated-field/…/graphql.yaml.
#[test]
fn a_field_of_an_earlier_gloo_release_is_accepted_with_a_warning() {
    let (headlines, stdout) = check(Path::new("."), "testdata/check/untranslated-field");
    assert!(!stdout.contains("VDC201"), "{stdout}");
    let expected =
        "warning[VDC203]: `spec.http[0].graphql.executableSchema` is a field of Gloo 2.1";
    assert!(
        headlines.iter().any(|h| h.starts_with(expected)),
        "{stdout}"
    );
}

#[test]
fn a_gloo_object_without_a_namespace_is_refused_not_read_into_namespace_nothing() {
    // Kept in git without a namespace and applied with `kubectl apply -n`: vdc cannot know
    // the namespace, and must not invent the empty one (a VIP, names and workspace from it).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("no-namespace");
    copy_tree(Path::new("testdata/bookinfo"), &dir);
    let file = dir.join(BOOKINFO_VD);
    let text = fs::read_to_string(&file).unwrap();
    let vd = "kind: VirtualDestination\nmetadata:\n  name: productpage\n  namespace: bookinfo-frontends\n";
    assert!(text.contains(vd));
    let without = "kind: VirtualDestination\nmetadata:\n  name: productpage\n";
    fs::write(&file, text.replacen(vd, without, 1)).unwrap();
    let (headlines, stdout) = check(tmp.path(), "no-namespace");
    assert!(
        headlines[0].starts_with("error[VDC205]: `metadata.namespace` is required"),
        "{stdout}"
    );
    assert!(stdout.contains("kubectl apply -n"), "{stdout}");
    assert!(
        !stdout.contains("VDC303"),
        "no workspace question follows: {stdout}"
    );
}
