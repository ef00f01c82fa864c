//! The WorkspaceSettings named `global` in Gloo's admin namespace, `gloo-mesh`: Gloo
//! applies it to every workspace, over each one's own (admin/v2/workspace_settings.proto). vdc
//! applies its `options` so; its imports and exports are VDC307. On testdata/bookinfo, whose
//! east-west gateways are relabelled so that only the global settings select them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use std::fs;
use std::path::Path;

/// Gloo's default east-west gateway label, which bookinfo's gateways carry.
const DEFAULT_LABEL: &str = "istio: eastwestgateway\n";

/// Bookinfo with its east-west gateways' `istio` label changed, so that neither Gloo's default
/// labels nor the gateways workspace's selector pick them, and `global` (if any) written
/// beside the Workspaces.
fn bookinfo_with_global(global: Option<&str>) -> vdc::Compilation {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    bookinfo_with_global_in(tmp, global)
}

/// [`bookinfo_with_global`] on a copy of bookinfo already in `tmp`.
fn bookinfo_with_global_in(tmp: tempfile::TempDir, global: Option<&str>) -> vdc::Compilation {
    for (file, from, to) in [
        (
            "clusters/cluster1/state.yaml",
            DEFAULT_LABEL,
            "istio: eastwestgateway-1-20\n",
        ),
        (
            "clusters/cluster2/state.json",
            "\"istio\": \"eastwestgateway\"",
            "\"istio\": \"eastwestgateway-1-20\"",
        ),
    ] {
        let path = tmp.path().join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has the label");
        fs::write(&path, text.replace(from, to)).unwrap();
    }
    if let Some(global) = global {
        fs::write(tmp.path().join("gloo/global-settings.yaml"), global).unwrap();
    }
    vdc::compile(tmp.path()).expect("compiles")
}

fn codes(c: &vdc::Compilation) -> Vec<String> {
    (c.diagnostics.iter())
        .map(|d| format!("{} {}", d.code, d.message))
        .collect()
}

const GLOBAL_OPTIONS: &str = "apiVersion: admin.gloo.solo.io/v2
kind: WorkspaceSettings
metadata:
  name: global
  namespace: gloo-mesh
spec:
  options:
    eastWestGateways:
    - selector:
        labels:
          istio: eastwestgateway-1-20
";

#[test]
fn the_global_settings_choose_every_workspace_s_east_west_gateways() {
    let without = bookinfo_with_global(None);
    assert!(
        codes(&without).iter().any(|c| c.starts_with("VDC501")),
        "without the global settings no gateway is found: {:#?}",
        codes(&without)
    );

    let with = bookinfo_with_global(Some(GLOBAL_OPTIONS));
    assert!(with.diagnostics.is_empty(), "{:#?}", codes(&with));
    let entries: Vec<_> = (with.outputs.iter())
        .filter(|o| o.object.kind == "WorkloadEntry")
        .collect();
    assert!(
        !entries.is_empty(),
        "remote backends are reached through the gateways"
    );
}

#[test]
fn imports_and_exports_of_the_global_settings_are_refused() {
    let global = GLOBAL_OPTIONS.replace(
        "spec:\n",
        "spec:\n  importFrom:\n  - workspaces:\n    - name: '*'\n",
    );
    let c = bookinfo_with_global(Some(&global));
    let said = codes(&c);
    assert!(
        said.iter()
            .any(|c| c.starts_with("VDC307") && c.contains("spec.importFrom")),
        "{said:#?}"
    );
    assert!(!said.iter().any(|c| c.starts_with("VDC303")), "{said:#?}");
}

/// Bookinfo's Workspaces with one more, `admin`, holding `gloo-mesh` in every cluster.
const ADMIN_WORKSPACE: &str = "---
apiVersion: admin.gloo.solo.io/v2
kind: Workspace
metadata:
  name: admin
  namespace: gloo-mesh
spec:
  workloadClusters:
  - name: '*'
    namespaces:
    - name: gloo-mesh
";

#[test]
fn the_global_settings_are_global_whichever_workspace_holds_the_admin_namespace() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(Path::new("testdata/bookinfo"), tmp.path());
    let workspaces = tmp.path().join("gloo/workspaces.yaml");
    let text = fs::read_to_string(&workspaces).unwrap();
    fs::write(&workspaces, format!("{text}{ADMIN_WORKSPACE}")).unwrap();
    let relabelled = bookinfo_with_global_in(tmp, Some(GLOBAL_OPTIONS));
    assert!(
        relabelled.diagnostics.is_empty(),
        "{:#?}",
        codes(&relabelled)
    );
}

#[test]
fn a_settings_object_named_global_elsewhere_is_an_ordinary_one() {
    // Only Gloo's admin namespace holds the global one; elsewhere the name means nothing.
    let elsewhere = GLOBAL_OPTIONS.replace("namespace: gloo-mesh", "namespace: team-x");
    let c = bookinfo_with_global(Some(&elsewhere));
    let said = codes(&c);
    assert!(said.iter().any(|c| c.starts_with("VDC303")), "{said:#?}");
    assert!(said.iter().any(|c| c.starts_with("VDC501")), "{said:#?}");
}
