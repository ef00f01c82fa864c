//! RouteTable `tcp` and `tls` routes on testdata/tcp-tls-routes (a TCP and a TLS passthrough
//! VirtualGateway, and sidecar routes), edited: where Istio would never apply them, and SNI
//! hosts within wildcard hosts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::{code_and_field, compile_with_routing_edit};

const INPUT: &str = "testdata/tcp-tls-routes";

#[test]
fn tcp_routes_on_a_gateway_with_only_a_tls_passthrough_listener_are_refused() {
    let c = compile_with_routing_edit(INPUT, |text| {
        text.replacen("  - name: tcp-gw\n", "  - name: tls-gw\n", 1)
    });
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC734 spec.virtualGateways[0]"], "{codes:?}");
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("`tcp` routes") && message.contains("`tls-gw`"),
        "{message}"
    );
}

#[test]
fn an_sni_host_within_a_wildcard_host_is_served() {
    let c = compile_with_routing_edit(INPUT, |text| {
        text.replacen(
            "  hosts:\n  - secure.example.com\n",
            "  hosts:\n  - '*.example.com'\n",
            1,
        )
    });
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
    let vs = (c.outputs.iter())
        .find(|o| {
            o.object
                .metadata
                .name
                .starts_with("routetable-secure-app-ingress")
        })
        .unwrap();
    let spec = serde_json::to_value(&vs.object.spec).unwrap();
    assert_eq!(spec["hosts"], serde_json::json!(["*.example.com"]));
    assert_eq!(
        spec["tls"][0]["match"][0]["sniHosts"],
        serde_json::json!(["secure.example.com"])
    );
}
