//! ExternalService, ExternalEndpoint and ExternalWorkload go through the Gloo schema check like
//! every other kind vdc translates: the fields vdc reads pass, the ones it does not read earn
//! VDC203 once each, a misspelt one VDC201, and decoding them never trips the debug check that
//! every field a decoder reads is listed in model/schema/read.rs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use std::path::Path;

/// testdata/external-backends with `edit` applied to one of its Gloo files: the codes and
/// fields of the diagnostics.
fn with_edit(file: &str, edit: impl FnOnce(&str) -> String) -> Vec<(String, String)> {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/external-backends"), tmp.path());
    let path = tmp.path().join("clusters/cluster1/gloo").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit applies");
    std::fs::write(&path, edited).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    c.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str().to_owned(),
                d.field.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(c, f)| ((*c).to_owned(), (*f).to_owned()))
        .collect()
}

/// Routes through an egress gateway are refused, not dropped with a warning: the traffic would
/// leave from each sidecar, past the gateway.
#[test]
fn egress_gateway_routes_are_refused() {
    let got = with_edit("egress.yaml", |t| {
        t.replacen(
            "    clientsideTls:\n      mode: SIMPLE\n",
            "    clientsideTls:\n      mode: SIMPLE\n    egressGatewayRoutes:\n      portMatch: 80\n",
            1,
        )
    });
    assert_eq!(
        got,
        pairs(&[("VDC741", "spec.ports[0].egressGatewayRoutes")])
    );
}

#[test]
fn fields_vdc_does_not_read_warn_once_each() {
    let got = with_edit("inventory.yaml", |t| {
        t.replacen(
            "  connectedClusters:\n",
            "  identitySelector:\n    joinToken:\n      enable: true\n  connectedClusters:\n",
            1,
        )
    });
    assert_eq!(got, pairs(&[("VDC203", "spec.identitySelector")]));
}

#[test]
fn a_misspelt_or_mistyped_field_is_an_error() {
    let got = with_edit("payments.yaml", |t| {
        t.replacen("  subjectAltNames:\n", "  subjectAltName:\n", 1)
    });
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0],
        ("VDC201".to_owned(), "spec.subjectAltName".to_owned())
    );

    let got = with_edit("payments.yaml", |t| {
        t.replacen("      mode: ISTIO_MUTUAL\n", "      mode: ISTIO_MUTAL\n", 1)
    });
    assert!(
        got.contains(&(
            "VDC207".to_owned(),
            "spec.ports[0].clientsideTls.mode".to_owned()
        )),
        "{got:?}"
    );
}

/// A connected namespace becomes the namespace (and output path) of the WorkloadGroup and of
/// the VirtualDestination's objects there: one that is not a DNS label is refused at the input,
/// never turned into a path.
#[test]
fn a_connected_namespace_that_is_not_a_dns_label_is_an_error() {
    let got = with_edit("inventory.yaml", |t| {
        t.replacen("    cluster2: vm-apps\n", "    cluster2: ../../etc\n", 1)
    });
    assert!(
        got.contains(&(
            "VDC206".to_owned(),
            "spec.connectedClusters.cluster2".to_owned()
        )),
        "{got:?}"
    );
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(Path::new("testdata/external-backends"), tmp.path());
    let path = tmp.path().join("clusters/cluster1/gloo/inventory.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("cluster2: vm-apps", "cluster2: ../../etc"),
    )
    .unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    assert!(c.has_errors());
    assert!(
        c.outputs
            .iter()
            .all(|o| vdc::dns::is_dns_label(&o.object.metadata.namespace)),
        "every output namespace is a DNS label"
    );
}
