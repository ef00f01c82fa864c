//! `ignore:` entries for one object in vdc.yaml: the named object's finding goes, the same
//! finding on any other object (or cluster) stays, and an error can never be ignored.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::{copy_tree, vdc};
use std::path::Path;

/// testdata/check/selector-matches-nothing (one VDC413 warning on VirtualDestination
/// bookinfo-frontends/productpage in cluster1) with `settings` as its vdc.yaml; (exit code,
/// report).
fn check_with(settings: &str) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_tree(Path::new("testdata/check/selector-matches-nothing"), &input);
    std::fs::write(input.join("vdc.yaml"), settings).unwrap();
    let out = vdc()
        .args(["check", "--color", "never"])
        .arg(&input)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_named_objects_finding_goes_and_no_other() {
    let (_, before) = check_with("");
    assert!(before.contains("warning[VDC413]"), "{before}");
    for ignoring in [
        "ignore:\n  - code: VDC413\n    object: VirtualDestination bookinfo-frontends/productpage\n",
        "ignore:\n  - {code: selector-matches-nothing, object: bookinfo-frontends/productpage}\n",
        "ignore:\n  - {code: VDC413, object: bookinfo-frontends/productpage, cluster: cluster1}\n",
    ] {
        let (status, report) = check_with(ignoring);
        assert_eq!(status, 0, "{ignoring}{report}");
        assert!(!report.contains("VDC413"), "{ignoring}{report}");
        assert!(report.contains("no problems found"), "{report}");
    }
    for other in [
        "ignore:\n  - {code: VDC413, object: bookinfo-frontends/reviews}\n",
        "ignore:\n  - {code: VDC413, object: RouteTable bookinfo-frontends/productpage}\n",
        "ignore:\n  - {code: VDC413, object: bookinfo-frontends/productpage, cluster: cluster2}\n",
        "ignore:\n  - {code: VDC412, object: bookinfo-frontends/productpage}\n",
    ] {
        let (_, report) = check_with(other);
        assert!(report.contains("warning[VDC413]"), "{other}{report}");
        assert!(!report.contains("VDC109"), "{other}{report}");
    }
}

#[test]
fn an_error_or_a_malformed_entry_is_an_invalid_setting() {
    for (entry, message) in [
        (
            "{code: VDC409, object: bookinfo-frontends/productpage}",
            "VDC409 is an error, and errors cannot be ignored",
        ),
        (
            "{code: VDC413}",
            "an `ignore` entry for one object needs `code` and `object`",
        ),
        (
            "{code: VDC413, object: 'a b c/d'}",
            "an `ignore` entry for one object needs `code` and `object`",
        ),
        (
            "{code: VDC413, object: ns/name, reason: flaky}",
            "unknown key `reason` in an `ignore` entry",
        ),
        (
            "{code: VDC999, object: ns/name}",
            "not a diagnostic code of vdc",
        ),
    ] {
        let (status, report) = check_with(&format!("ignore:\n  - {entry}\n"));
        assert_eq!(status, 1, "{entry}: {report}");
        assert!(report.contains("error[VDC109]"), "{entry}: {report}");
        assert!(report.contains(message), "{entry}: {report}");
    }
}
