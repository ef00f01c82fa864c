//! WorkspaceSettings `options.serviceIsolation` (VDC614): on in either field is refused, off in
//! both reads as Gloo reads it, with nothing to say. On testdata/check/service-isolation, the
//! workshops' "Zero trust" settings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::{code_and_field, copy_tree};
use std::fs;
use std::path::Path;

const FIXTURE: &str = "testdata/check/service-isolation";
const SETTINGS: &str = "clusters/cluster1/gloo/settings.yaml";

/// The fixture with its two switches set to `enabled` and `trim`, compiled: each diagnostic as
/// "CODE field".
fn with_switches(enabled: bool, trim: bool) -> Vec<String> {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new(FIXTURE), tmp.path());
    let path = tmp.path().join(SETTINGS);
    let text = fs::read_to_string(&path).unwrap();
    let switched = text
        .replace("enabled: true", &format!("enabled: {enabled}"))
        .replace("trimProxyConfig: true", &format!("trimProxyConfig: {trim}"));
    assert_eq!(switched == text, enabled && trim, "the edit applies");
    fs::write(&path, switched).unwrap();
    code_and_field(&vdc::compile(tmp.path()).unwrap())
}

#[test]
fn isolation_on_is_refused_at_enabled() {
    assert_eq!(
        with_switches(true, true),
        ["VDC614 spec.options.serviceIsolation.enabled"]
    );
    assert_eq!(
        with_switches(true, false),
        ["VDC614 spec.options.serviceIsolation.enabled"]
    );
}

/// Whether Gloo trims proxies without isolation is not documented: refused too.
#[test]
fn proxy_trimming_alone_is_refused_at_its_own_field() {
    assert_eq!(
        with_switches(false, true),
        ["VDC614 spec.options.serviceIsolation.trimProxyConfig"]
    );
}

#[test]
fn isolation_off_says_nothing() {
    assert_eq!(with_switches(false, false), Vec::<String>::new());
}
