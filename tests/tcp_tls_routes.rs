//! RouteTable `tcp` and `tls` routes on testdata/tcp-tls-routes (a TCP and a TLS passthrough
//! VirtualGateway, and sidecar routes), edited: where Istio would never apply them, and SNI
//! hosts within wildcard hosts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::{code_and_field, compile_with_routing_edit, copy_tree};

/// An edit of one Gloo file of testdata/tcp-tls-routes: its name and what the text becomes.
type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// testdata/tcp-tls-routes with `edits` applied to its Gloo files in turn, compiled. Each edit
/// must change its file.
fn compile_with_edits(edits: &[Edit]) -> vdc::Compilation {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(std::path::Path::new(INPUT), tmp.path());
    let gloo = tmp.path().join("clusters/cluster1/gloo");
    for (file, edit) in edits {
        let text = std::fs::read_to_string(gloo.join(file)).unwrap();
        let edited = edit(&text);
        assert_ne!(edited, text, "{file}");
        std::fs::write(gloo.join(file), edited).unwrap();
    }
    vdc::compile(tmp.path()).unwrap()
}

/// testdata/tcp-tls-routes with `edit` applied to its VirtualGateways, compiled.
fn compile_with_gateways_edit(edit: impl Fn(&str) -> String) -> vdc::Compilation {
    compile_with_edits(&[("gateways.yaml", &edit)])
}

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

#[test]
fn a_tcp_route_s_rewrite_is_refused_unless_it_asks_for_nothing() {
    let with = |field: &'static str| {
        move |text: &str| {
            let forward =
                "    forwardTo:\n      destinations:\n      - ref:\n          name: postgres\n";
            text.replacen(forward, &format!("    forwardTo:\n{field}\n      destinations:\n      - ref:\n          name: postgres\n"), 1)
        }
    };
    let refused = compile_with_routing_edit(INPUT, with("      pathRewrite: /db"));
    assert_eq!(
        code_and_field(&refused),
        ["VDC733 spec.tcp[0].forwardTo.pathRewrite"]
    );
    for nothing in ["      autoHostRewrite: false", "      hostRewrite: \"\""] {
        let c = compile_with_routing_edit(INPUT, with(nothing));
        assert!(
            code_and_field(&c).is_empty(),
            "{nothing}: {:?}",
            code_and_field(&c)
        );
    }
}

#[test]
fn a_sidecar_tls_route_for_a_tcp_port_is_refused() {
    // backends-mesh's tls route, moved to postgres.global, whose only port (5432) is TCP.
    let c = compile_with_routing_edit(INPUT, |text| {
        text.replacen(
            "    - sniHosts:\n      - secure-app.global\n      port: 443\n",
            "    - sniHosts:\n      - postgres.global\n      port: 5432\n",
            1,
        )
    });
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC735 spec.tls[0]"], "{codes:?}");
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("postgres.global on port 5432 (TCP)"),
        "{message}"
    );
}

#[test]
fn a_sidecar_tcp_route_for_a_port_no_virtual_destination_has_is_refused() {
    // backends-mesh's tcp route on port 9999: postgres.global listens on 5432 only and
    // secure-app.global on 443, so no sidecar listener would ever use the route.
    let c = compile_with_routing_edit(INPUT, |text| {
        let mesh_route = "  tcp:\n  - matchers:\n    - port: 5432\n    forwardTo:\n      destinations:\n      - ref:\n          name: postgres\n          namespace: bookinfo-backends\n        kind: VIRTUAL_DESTINATION\n";
        let edited = text.replacen(mesh_route, &mesh_route.replace("5432", "9999"), 1);
        assert_ne!(edited, text);
        edited
    });
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC734 spec.tcp[0].matchers"], "{codes:?}");
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("only port 9999")
            && message.contains("postgres.global on port 5432; secure-app.global on port 443"),
        "{message}"
    );
}

#[test]
fn a_sidecar_tcp_route_for_a_port_of_another_host_is_not_judged_by_it() {
    // A tcp route without matchers: all ports of both hosts, and postgres's 5432 carries it.
    let c = compile_with_routing_edit(INPUT, |text| {
        let edited = text.replacen("  tcp:\n  - matchers:\n    - port: 5432\n    forwardTo:\n      destinations:\n      - ref:\n          name: postgres\n          namespace: bookinfo-backends\n        kind: VIRTUAL_DESTINATION\n", "  tcp:\n  - forwardTo:\n      destinations:\n      - ref:\n          name: postgres\n          namespace: bookinfo-backends\n        kind: VIRTUAL_DESTINATION\n", 1);
        assert_ne!(edited, text);
        edited
    });
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
}

#[test]
fn tls_routes_on_an_auto_passthrough_listener_are_refused() {
    // An AUTO_PASSTHROUGH server routes by SNI to the clusters and reads no VirtualService
    // (gateway.go, builtAutoPassthroughFilterChains): the tls route would never be used.
    let c = compile_with_gateways_edit(|text| {
        text.replacen(
            "      mode: PASSTHROUGH\n",
            "      mode: AUTO_PASSTHROUGH\n",
            1,
        )
    });
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC734 spec.virtualGateways[0]"], "{codes:?}");
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("`tls` routes") && message.contains("AUTO_PASSTHROUGH"),
        "{message}"
    );
}

#[test]
fn tls_routes_on_an_https_passthrough_listener_are_served() {
    // `http` with `tls: {mode: PASSTHROUGH}` is an HTTPS passthrough server, whose connections
    // Istio routes by the tls routes (gateway.go, createGatewayTCPFilterChainOpts).
    let c = compile_with_gateways_edit(|text| {
        text.replacen(
            "      number: 443\n    tls:\n",
            "      number: 443\n    http: {}\n    tls:\n",
            1,
        )
    });
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
    let vs = (c.outputs.iter())
        .find(|o| (o.object.metadata.name).starts_with("routetable-secure-app-ingress"))
        .unwrap();
    let spec = serde_json::to_value(&vs.object.spec).unwrap();
    assert_eq!(
        spec["tls"][0]["match"][0]["sniHosts"],
        serde_json::json!(["secure.example.com"])
    );
}

#[test]
fn a_gateway_tcp_route_for_a_port_no_listener_has_is_refused() {
    // tcp-gw listens on 5432 only; Istio matches the route's port against the server's.
    let c = compile_with_routing_edit(INPUT, |text| {
        let gateway_route = "  tcp:\n  - matchers:\n    - port: 5432\n    forwardTo:\n      destinations:\n      - ref:\n          name: postgres\n          namespace: bookinfo-backends\n        port:";
        let edited = text.replacen(
            gateway_route,
            &gateway_route.replace("5432\n    for", "5433\n    for"),
            1,
        );
        assert_ne!(edited, text);
        edited
    });
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC734 spec.tcp[0].matchers"], "{codes:?}");
    let message = &c.diagnostics[0].message;
    assert!(
        message.contains("only port 5433") && message.contains("on port 5432"),
        "{message}"
    );
}

#[test]
fn a_sidecar_http_route_is_not_reported_while_another_host_takes_it() {
    // postgres.global's only port is TCP, but productpage.global's 9080 is HTTP: sidecars use
    // the route for productpage.global.
    let c = compile_with_routing_edit(INPUT, |text| {
        format!(
            "{text}---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: mixed-mesh\n  namespace: bookinfo-frontends\nspec:\n  hosts:\n  - postgres.global\n  - productpage.global\n  workloadSelectors:\n  - selector:\n      labels:\n        app: reviews\n  http:\n  - name: pp\n    forwardTo:\n      destinations:\n      - ref:\n          name: productpage\n          namespace: bookinfo-frontends\n        kind: VIRTUAL_DESTINATION\n"
        )
    });
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
}

#[test]
fn http_routes_on_an_https_passthrough_listener_are_reported() {
    // `http` with `tls: {mode: PASSTHROUGH}` is an HTTPS server that does not terminate TLS:
    // Istio builds it a TCP filter chain routed by tls routes (gateway.go,
    // buildGatewayTCPBasedFilterChains), and never reads the table's http routes there.
    let gateways = |t: &str| {
        t.replacen(
            "      number: 443\n    tls:\n",
            "      number: 443\n    http: {}\n    tls:\n",
            1,
        )
    };
    let routing = |t: &str| {
        format!(
            "{t}---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: web-ingress\n  namespace: istio-gateways\nspec:\n  hosts:\n  - web.example.com\n  virtualGateways:\n  - name: tls-gw\n    namespace: istio-gateways\n  workloadSelectors: []\n  http:\n  - name: web\n    forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n          namespace: bookinfo-frontends\n        kind: VIRTUAL_DESTINATION\n        port:\n          number: 443\n"
        )
    };
    let c = compile_with_edits(&[("gateways.yaml", &gateways), ("routing.yaml", &routing)]);
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC719 spec.virtualGateways[0]"], "{codes:?}");
    let d = &c.diagnostics[0];
    assert!(
        d.message.contains("443 (HTTPS PASSTHROUGH)")
            && d.message.contains("HTTPS servers that terminate TLS"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap_or_default();
    assert!(help.contains("terminate TLS on the listener"), "{help}");
}

/// testdata/tcp-tls-routes with a second table of tls routes on the tls-gw listener, for `sni`.
fn second_tls_table(sni: &str) -> vdc::Compilation {
    compile_with_routing_edit(INPUT, |text| {
        format!(
            "{text}---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: secure-app-local\n  namespace: istio-gateways\nspec:\n  hosts:\n  - {sni}\n  virtualGateways:\n  - name: tls-gw\n    namespace: istio-gateways\n  workloadSelectors: []\n  tls:\n  - matchers:\n    - sniHosts:\n      - {sni}\n    forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n          namespace: bookinfo-frontends\n        port:\n          number: 443\n"
        )
    })
}

#[test]
fn two_tables_tls_routes_for_one_sni_host_on_a_listener_are_refused() {
    // Istio keeps the first VirtualService's match for an SNI host and skips the other's
    // (gateway.go, buildGatewayNetworkFiltersFromTLSRoutes, model.CheckDuplicates).
    let c = second_tls_table("secure.example.com");
    let codes = code_and_field(&c);
    assert_eq!(
        codes,
        ["VDC740 spec.tls[0]", "VDC740 spec.tls[0]"],
        "{codes:?}"
    );
    assert!(
        c.diagnostics[0]
            .message
            .contains("istio-gateways/secure-app-local")
            && c.diagnostics[1]
                .message
                .contains("istio-gateways/secure-app-ingress")
            && c.diagnostics[0]
                .message
                .contains("SNI host secure.example.com"),
        "{:?}",
        c.diagnostics
    );
    // Another SNI host on the same listener is a filter chain of its own.
    let c = second_tls_table("other.example.com");
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
}

#[test]
fn a_tcp_route_of_a_table_on_a_gateway_and_sidecars_is_not_judged_by_the_sidecar_ports() {
    // postgres-ingress moved to host productpage.global (only port 9080, HTTP) and bound to
    // reviews' sidecars too: its tcp route without matchers never applies at the sidecars, but
    // the tcp-gw listener (port 5432, allowing productpage.global) uses it.
    let gateways = |t: &str| {
        t.replacen(
            "    - host: db.example.com\n",
            "    - host: productpage.global\n",
            1,
        )
    };
    let routing = |t: &str| {
        t.replacen(
        "  - db.example.com\n  virtualGateways:\n  - name: tcp-gw\n    namespace: istio-gateways\n  workloadSelectors: []\n  tcp:\n  - matchers:\n    - port: 5432\n    forwardTo:",
        "  - productpage.global\n  virtualGateways:\n  - name: tcp-gw\n    namespace: istio-gateways\n  workloadSelectors:\n  - selector:\n      labels:\n        app: reviews\n  tcp:\n  - forwardTo:",
            1,
        )
    };
    let c = compile_with_edits(&[("gateways.yaml", &gateways), ("routing.yaml", &routing)]);
    let codes = code_and_field(&c);
    assert!(!codes.iter().any(|c| c.starts_with("VDC735")), "{codes:?}");
    // The gateway VirtualService carries the route.
    let vs = (c.outputs.iter())
        .find(|o| {
            o.object
                .metadata
                .name
                .starts_with("routetable-postgres-ingress")
        })
        .expect("the table's VirtualService");
    let json = serde_json::to_string(&vs.object).unwrap();
    assert!(json.contains("\"tcp\""), "{json}");
}

#[test]
fn tables_sharing_a_tcp_listener_are_reported_at_the_route_that_matches_its_port() {
    // secure-app-tcp-ingress given a first tcp route for port 9999, which the tcp-gw listener
    // (port 5432) never uses: the route that shares the listener is its second.
    let c = compile_with_routing_edit("testdata/check/tcp-routes-share-listener", |text| {
        let route = "  tcp:\n  - forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n";
        let first = "  tcp:\n  - matchers:\n    - port: 9999\n    forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n          namespace: bookinfo-frontends\n        kind: VIRTUAL_DESTINATION\n        port:\n          number: 443\n";
        let edited = text.replacen(route, &format!("{first}{}", &route[7..]), 1);
        assert_ne!(edited, text);
        edited
    });
    let mut codes = code_and_field(&c);
    codes.sort();
    assert_eq!(
        codes,
        [
            "VDC734 spec.tcp[0].matchers",
            "VDC736 spec.tcp[0]",
            "VDC736 spec.tcp[1]"
        ],
        "{codes:?}"
    );
    let shared = (c.diagnostics.iter())
        .find(|d| d.field.as_deref() == Some("spec.tcp[1]"))
        .unwrap();
    assert!(
        shared
            .message
            .contains("tcp route `spec.tcp[1]` of this RouteTable"),
        "{}",
        shared.message
    );
}

/// testdata/tcp-tls-routes with a second VirtualGateway `tls-gw2` on the same gateway pods and
/// port 443 (PASSTHROUGH, allowing `*.example.com`), and on it a table for `hosts` whose tls
/// route matches SNI host secure.example.com, as secure-app-ingress's on tls-gw does.
fn second_tls_gateway(hosts: &str) -> vdc::Compilation {
    let gateway = |text: &str| {
        format!(
            "{text}---\napiVersion: networking.gloo.solo.io/v2\nkind: VirtualGateway\nmetadata:\n  name: tls-gw2\n  namespace: istio-gateways\nspec:\n  workloads:\n  - selector:\n      labels:\n        istio: ingressgateway\n  listeners:\n  - port:\n      number: 443\n    tls:\n      mode: PASSTHROUGH\n    allowedRouteTables:\n    - host: '*.example.com'\n"
        )
    };
    let table = |text: &str| {
        format!(
            "{text}---\napiVersion: networking.gloo.solo.io/v2\nkind: RouteTable\nmetadata:\n  name: secure-app-local\n  namespace: istio-gateways\nspec:\n  hosts:\n  - {hosts}\n  virtualGateways:\n  - name: tls-gw2\n    namespace: istio-gateways\n  workloadSelectors: []\n  tls:\n  - matchers:\n    - sniHosts:\n      - secure.example.com\n    forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n          namespace: bookinfo-frontends\n        port:\n          number: 443\n"
        )
    };
    compile_with_edits(&[("gateways.yaml", &gateway), ("routing.yaml", &table)])
}

#[test]
fn tls_routes_for_one_sni_host_through_two_gateways_on_one_port_are_refused() {
    // The two servers have different hosts (secure.example.com, *.example.com), so istiod
    // merges them onto the gateway's port 443, and counts the SNI hosts taken per port of the
    // workload (gateway.go, buildGatewayListeners' tlsHostsByPort): the second table's match
    // for secure.example.com is skipped, its connections going to the first's destinations.
    let c = second_tls_gateway("'*.example.com'");
    let codes = code_and_field(&c);
    assert_eq!(
        codes,
        ["VDC740 spec.tls[0]", "VDC740 spec.tls[0]"],
        "{codes:?}"
    );
    let messages: Vec<&str> = c.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        messages[0].contains("VirtualGateway `tls-gw`")
            && messages[0].contains(
                "istio-gateways/secure-app-local (through VirtualGateway istio-gateways/tls-gw2"
            )
            && messages[1].contains("VirtualGateway `tls-gw2`")
            && messages[1].contains(
                "istio-gateways/secure-app-ingress (through VirtualGateway istio-gateways/tls-gw,"
            ),
        "{messages:#?}"
    );
    // With the same host, istiod drops the second server itself.
    let c = second_tls_gateway("secure.example.com");
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC715 spec.listeners[0]"], "{codes:?}");
}

#[test]
fn a_tls_matcher_of_a_table_for_an_sni_host_an_earlier_one_takes_is_reported() {
    // Istio keeps the first match for an SNI host and skips the whole later match
    // (gateway.go, buildGatewayNetworkFiltersFromTLSRoutes, model.CheckDuplicates).
    let second = |sni: &'static str| {
        move |text: &str| {
            text.replacen(
                "        kind: VIRTUAL_DESTINATION\n        port:\n          number: 443\n---\n# East-west",
                &format!("        kind: VIRTUAL_DESTINATION\n        port:\n          number: 443\n  - matchers:\n    - sniHosts:\n      - {sni}\n      - other.example.com\n    forwardTo:\n      destinations:\n      - ref:\n          name: secure-app\n          namespace: bookinfo-frontends\n        port:\n          number: 443\n---\n# East-west"),
                1,
            )
            .replacen(
                "  hosts:\n  - secure.example.com\n  virtualGateways:\n  - name: tls-gw\n",
                "  hosts:\n  - secure.example.com\n  - '*.example.com'\n  virtualGateways:\n  - name: tls-gw\n",
                1,
            )
        }
    };
    let c = compile_with_edits(&[("routing.yaml", &second("secure.example.com"))]);
    let codes = code_and_field(&c);
    assert_eq!(codes, ["VDC739 spec.tls[1].matchers[0]"], "{codes:?}");
    let d = &c.diagnostics[0];
    assert!(!c.has_errors(), "a warning: {:?}", c.diagnostics);
    assert!(
        d.message.contains("SNI host secure.example.com")
            && d.message.contains("`spec.tls[0]` of this RouteTable")
            && d.message.contains("(other.example.com)"),
        "{}",
        d.message
    );
    // A matcher of its own SNI hosts is a filter chain of its own.
    let c = compile_with_edits(&[("routing.yaml", &second("third.example.com"))]);
    assert!(code_and_field(&c).is_empty(), "{:?}", code_and_field(&c));
}
