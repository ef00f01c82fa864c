//! VirtualGateway listeners as Gateway servers: `allowedRouteTables` deciding which RouteTables
//! (and which of their hosts) each server serves, and the servers istiod would drop when
//! Gateways on one workload and port cannot merge. On testdata/check/route-table-not-allowed
//! and testdata/check/gateway-server-conflict, edited.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
use common::copy_tree;
use serde_json::{Value, json};
use std::path::Path;

struct Compiled {
    /// "CODE field" per diagnostic.
    codes: Vec<String>,
    /// Messages of the diagnostics.
    messages: Vec<String>,
    /// cluster1's VirtualServices and Gateways: (kind, name, spec).
    objects: Vec<(String, String, Value)>,
}

/// The fixture `case` of testdata/check with `edit` applied to its file `file`, compiled.
fn compile(case: &str, file: &str, edit: impl Fn(&str) -> String) -> Compiled {
    let tmp = tempfile::TempDir::new().unwrap();
    copy_tree(&Path::new("testdata/check").join(case), tmp.path());
    let path = tmp.path().join("clusters/cluster1/gloo").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    std::fs::write(&path, edited).unwrap();
    let c = vdc::compile(tmp.path()).unwrap();
    let field = |d: &vdc::diagnostic::Diagnostic| d.field.clone().unwrap_or_default();
    Compiled {
        codes: (c.diagnostics.iter())
            .map(|d| format!("{} {}", d.code.as_str(), field(d)))
            .collect(),
        messages: c.diagnostics.iter().map(|d| d.message.clone()).collect(),
        objects: (c.outputs.iter())
            .filter(|o| o.cluster == "cluster1")
            .filter(|o| matches!(o.object.kind, "VirtualService" | "Gateway"))
            .map(|o| {
                let spec = serde_json::to_value(&o.object.spec).unwrap();
                let kind = o.object.kind.to_owned();
                (kind, o.object.metadata.name.clone(), spec)
            })
            .collect(),
    }
}

impl Compiled {
    fn names(&self, kind: &str) -> Vec<&str> {
        (self.objects.iter())
            .filter(|(k, _, _)| k == kind)
            .map(|(_, n, _)| n.as_str())
            .collect()
    }

    /// The servers of the one Gateway whose name starts with `prefix`: (port name, hosts).
    fn servers(&self, prefix: &str) -> Vec<(String, Value)> {
        let (_, _, spec) = (self.objects.iter())
            .find(|(k, n, _)| k == "Gateway" && n.starts_with(prefix))
            .expect(prefix);
        (spec["servers"].as_array().unwrap().iter())
            .map(|s| {
                (
                    s["port"]["name"].as_str().unwrap().to_owned(),
                    s["hosts"].clone(),
                )
            })
            .collect()
    }
}

const GATEWAY: &str = "gateway.yaml";
const NORTH_SOUTH: &str = "virtualgateway-north-south-gw";

#[test]
fn a_table_no_listener_allows_is_left_off_the_gateway_with_a_warning() {
    let c = compile("route-table-not-allowed", GATEWAY, str::to_owned);
    assert_eq!(c.codes, ["VDC714 spec.virtualGateways"]);
    assert_eq!(
        c.names("VirtualService"),
        ["routetable-productpage-bookinfo-frontends-cluster1-bookinfo"]
    );
    assert_eq!(
        c.servers(NORTH_SOUTH),
        [("http-80".to_owned(), json!(["bookinfo.example.com"]))]
    );
}

#[test]
fn a_wildcard_entry_admits_every_table() {
    let c = compile("route-table-not-allowed", GATEWAY, |t| {
        t.replace("- host: bookinfo.example.com", "- host: '*'")
    });
    assert_eq!(c.codes, Vec::<String>::new());
    assert_eq!(c.names("VirtualService").len(), 2);
    assert_eq!(
        c.servers(NORTH_SOUTH),
        [(
            "http-80".to_owned(),
            json!(["admin.example.com", "bookinfo.example.com"])
        )]
    );
}

#[test]
fn the_namespace_prefix_and_the_selector_must_both_pick_the_table() {
    // `.` is the VirtualGateway's namespace (istio-gateways): the tables are elsewhere.
    let c = compile("route-table-not-allowed", GATEWAY, |t| {
        t.replace(
            "- host: bookinfo.example.com",
            "- host: ./bookinfo.example.com",
        )
    });
    assert_eq!(c.codes.len(), 2, "{:?}", c.messages);
    assert!(c.names("VirtualService").is_empty());
    // Without a table, the server takes the hosts the listener allows, not `*`.
    assert_eq!(
        c.servers(NORTH_SOUTH),
        [("http-80".to_owned(), json!(["bookinfo.example.com"]))]
    );
    let c = compile("route-table-not-allowed", GATEWAY, |t| {
        (t.replace(
            "- host: bookinfo.example.com",
            "- host: bookinfo-frontends/*.example.com",
        ))
        .replace("workspace: bookinfo", "labels: {team: bookinfo}")
    });
    assert_eq!(c.codes.len(), 2, "{:?}", c.messages);
    assert!(
        c.messages[0]
            .contains("`bookinfo-frontends/*.example.com` to RouteTables labelled team=bookinfo"),
        "{}",
        c.messages[0]
    );
}

#[test]
fn a_table_with_some_hosts_allowed_is_served_only_for_those() {
    let c = compile("route-table-not-allowed", "routing.yaml", |t| {
        t.replace(
            "  hosts:\n  - admin.example.com",
            "  hosts:\n  - admin.example.com\n  - bookinfo.example.com",
        )
    });
    assert_eq!(c.codes, ["VDC714 spec.virtualGateways"]);
    assert!(
        c.messages[0].contains("no listener of VirtualGateway istio-gateways/north-south-gw allows its host `admin.example.com`"),
        "{}",
        c.messages[0]
    );
    assert_eq!(c.names("VirtualService").len(), 2);
    assert_eq!(
        c.servers(NORTH_SOUTH),
        [("http-80".to_owned(), json!(["bookinfo.example.com"]))]
    );
}

const TWO_GATEWAYS: &str = "gateways.yaml";

#[test]
fn two_tls_servers_for_one_host_on_one_workload_and_port_are_an_error() {
    let c = compile("gateway-server-conflict", TWO_GATEWAYS, str::to_owned);
    assert_eq!(c.codes, ["VDC715 spec.listeners[0]"]);
    // api-gw's Gateway sorts first, so bookinfo-gw's server is the one istiod drops.
    assert!(
        c.messages[0].contains("VirtualGateway istio-gateways/api-gw's `listeners[0]`"),
        "{}",
        c.messages[0]
    );
}

#[test]
fn tls_servers_with_their_own_hosts_share_the_port() {
    let c = compile("gateway-server-conflict", "routing.yaml", |t| {
        t.replacen("  - '*'", "  - bookinfo.example.com", 1)
    });
    assert_eq!(c.codes, Vec::<String>::new());
    assert_eq!(
        c.servers("virtualgateway-bookinfo-gw"),
        [("https-443".to_owned(), json!(["bookinfo.example.com"]))]
    );
    assert_eq!(
        c.servers("virtualgateway-api-gw"),
        [("https-443".to_owned(), json!(["*"]))]
    );
}

#[test]
fn two_https_redirects_for_one_host_conflict_as_istiod_merges_them() {
    let c = compile("gateway-server-conflict", TWO_GATEWAYS, |t| {
        let redirect = "    port:\n      number: 80\n    httpsRedirect: true";
        (t.replace("    port:\n      number: 443\n    tls:\n      mode: SIMPLE\n      secretName: bookinfo-cert", redirect))
            .replace("    port:\n      number: 443\n    tls:\n      mode: SIMPLE\n      secretName: api-cert", redirect)
    });
    assert_eq!(c.codes, ["VDC715 spec.listeners[0]"]);
}

#[test]
fn a_plaintext_port_takes_a_second_server_only_when_both_are_http() {
    let tls = |secret: &str| {
        format!(
            "  - http: {{}}\n    port:\n      number: 443\n    tls:\n      mode: SIMPLE\n      secretName: {secret}"
        )
    };
    let c = compile("gateway-server-conflict", TWO_GATEWAYS, |t| {
        (t.replace(
            &tls("bookinfo-cert"),
            "  - tcp: {}\n    port:\n      number: 80",
        ))
        .replace(
            &tls("api-cert"),
            "  - http: {}\n    port:\n      number: 80",
        )
    });
    // The TCP listener is that gateway's only one: its table's http routes are never used.
    assert_eq!(
        c.codes,
        ["VDC715 spec.listeners[0]", "VDC719 spec.virtualGateways[0]"]
    );
    assert!(
        c.messages[0].contains("(TCP) shares port 80"),
        "{}",
        c.messages[0]
    );
    let c = compile("gateway-server-conflict", TWO_GATEWAYS, |t| {
        (t.replace(
            &tls("bookinfo-cert"),
            "  - http: {}\n    port:\n      number: 80",
        ))
        .replace(
            &tls("api-cert"),
            "  - http: {}\n    port:\n      number: 80",
        )
    });
    assert_eq!(c.codes, Vec::<String>::new());
}

#[test]
fn two_listeners_on_one_port_each_serve_the_hosts_they_allow_under_distinct_port_names() {
    let c = compile("gateway-server-conflict", TWO_GATEWAYS, |t| {
        let first = "      secretName: bookinfo-cert\n";
        t.replace(
            first,
            &format!(
                "{first}    allowedRouteTables:\n    - host: bookinfo.example.com\n  - http: {{}}\n    port:\n      number: 443\n    tls:\n      mode: SIMPLE\n      secretName: shop-cert\n    allowedRouteTables:\n    - host: shop.example.com\n"
            ),
        )
        .replace("secretName: api-cert", "secretName: api-cert\n    allowedRouteTables:\n    - host: api.example.com")
    });
    // The tables serve `*`, which no entry covers: attached nowhere, the servers keep the hosts
    // their listeners allow, and nothing conflicts.
    assert_eq!(c.codes.len(), 2, "{:?}", c.messages);
    assert_eq!(
        c.servers("virtualgateway-bookinfo-gw"),
        [
            ("https-443".to_owned(), json!(["bookinfo.example.com"])),
            ("https-443-1".to_owned(), json!(["shop.example.com"])),
        ]
    );
}

#[test]
fn a_listener_with_neither_http_nor_tcp_is_a_tcp_listener() {
    // virtual_gateway.proto: TCP when "tcp is set, or neither the tcp nor http field is set".
    let c = compile("route-table-not-allowed", GATEWAY, |t| {
        format!("{t}  - port:\n      number: 443\n")
    });
    // The new listener admits every table, so none is left off; but the table the HTTP
    // listener does not allow has only this TCP one, where its http routes are never used.
    assert_eq!(
        c.codes,
        ["VDC719 spec.virtualGateways[0]"],
        "{:?}",
        c.messages
    );
    assert!(c.messages[0].contains("443 (TCP)"), "{}", c.messages[0]);
    let ports: Vec<String> = (c.servers(NORTH_SOUTH).into_iter())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(ports, ["http-80", "tcp-443"]);
    // Its only listener written without `http`: the table's http routes are never used there.
    let c = compile("route-table-not-allowed", GATEWAY, |t| {
        t.replace(
            "  - http: {}\n    port:\n      number: 80\n",
            "  - port:\n      number: 80\n",
        )
    });
    // (the other table stays refused by the listener's allowedRouteTables, VDC714)
    assert_eq!(
        c.codes,
        [
            "VDC719 spec.virtualGateways[0]",
            "VDC714 spec.virtualGateways"
        ],
        "{:?}",
        c.messages
    );
    assert!(c.messages[0].contains("80 (TCP)"), "{}", c.messages[0]);
}

#[test]
fn a_listener_port_the_gateway_service_lacks_is_reported_and_gets_no_server() {
    let c = compile("listener-port-not-on-gateway", GATEWAY, str::to_owned);
    assert_eq!(c.codes, ["VDC727 spec.listeners[1].port"]);
    assert_eq!(
        c.servers(NORTH_SOUTH),
        [("http-80".to_owned(), json!(["*"]))]
    );
    // A port name the Service lacks, likewise; one it has gives that port's number.
    let c = compile("listener-port-not-on-gateway", GATEWAY, |t| {
        t.replace("number: 15000", "name: admin")
    });
    assert_eq!(c.codes, ["VDC727 spec.listeners[1].port"]);
    assert!(c.messages[0].contains("port `admin`"), "{}", c.messages[0]);
    let c = compile("listener-port-not-on-gateway", GATEWAY, |t| {
        t.replace("number: 15000", "name: https")
    });
    assert_eq!(c.codes, Vec::<String>::new());
    let ports: Vec<String> = (c.servers(NORTH_SOUTH).into_iter())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(ports, ["http-80", "tcp-443"]);
}

#[test]
fn a_virtual_gateway_programs_only_the_gateways_of_its_own_workspace() {
    let c = compile("gateway-in-other-workspace", GATEWAY, str::to_owned);
    assert_eq!(c.codes, ["VDC726 spec.workloads"]);
    assert!(c.names("Gateway").is_empty(), "{:?}", c.objects);
    assert!(c.names("VirtualService").is_empty(), "{:?}", c.objects);
    // The gateway's namespace in the VirtualGateway's workspace: it is programmed.
    let c = compile(
        "gateway-in-other-workspace",
        "../../../gloo/workspaces.yaml",
        |t| {
            (t.replace("- name: istio-gateways", "- name: other")).replace(
                "- name: bookinfo-frontends",
                "- name: bookinfo-frontends\n    - name: istio-gateways",
            )
        },
    );
    assert_eq!(c.codes, Vec::<String>::new(), "{:?}", c.messages);
    assert_eq!(
        c.names("Gateway"),
        ["virtualgateway-north-south-gw-bookinfo-frontends-cluster1"]
    );
    // The gateway's namespace in no workspace: not the VirtualGateway's either.
    let c = compile(
        "gateway-in-other-workspace",
        "../../../gloo/workspaces.yaml",
        |t| t.replace("- name: istio-gateways", "- name: other"),
    );
    assert_eq!(c.codes, ["VDC726 spec.workloads"]);
    assert!(c.messages[0].contains("in a namespace no workspace holds"));
    assert!(c.names("Gateway").is_empty(), "{:?}", c.objects);
}

#[test]
fn a_virtual_gateway_without_workloads_is_refused_with_what_gloo_would_do() {
    // Gloo applies it to every gateway workload, which a dump does not tell: an error, not
    // "selects no gateway Service" (VDC708).
    // An entry whose selector sets nothing selects every gateway workload too.
    let cases = [
        ("", "VDC205 spec.workloads"),
        ("  workloads: []\n", "VDC205 spec.workloads"),
        (
            "  workloads:\n  - selector: {}\n",
            "VDC205 spec.workloads[0].selector",
        ),
        (
            "  workloads:\n  - {}\n",
            "VDC205 spec.workloads[0].selector",
        ),
    ];
    for (workloads, said) in cases {
        let c = compile("listener-port-not-on-gateway", GATEWAY, |t| {
            let i = t.find("  workloads:").unwrap();
            let j = t.find("  listeners:").unwrap();
            format!("{}{workloads}{}", &t[..i], &t[j..])
        });
        assert_eq!(c.codes, [said], "{:?}", c.messages);
        assert!(
            c.messages[0].contains("every gateway workload of its workspace"),
            "{}",
            c.messages[0]
        );
    }
}

/// WorkspaceSettings of the fixture route-table-not-imported's two workspaces, as the
/// solo-io/workshops gloo-mesh/ READMEs write them: bookinfo exports what is labelled
/// `expose: "true"` (the RouteTable, labelled so) and its VirtualDestinations to gateways, which
/// imports them.
fn shared(routing: &str, export: &str, import: &str) -> String {
    let labelled = routing.replace(
        "  namespace: bookinfo-frontends\nspec:",
        "  namespace: bookinfo-frontends\n  labels:\n    expose: \"true\"\nspec:",
    );
    format!(
        "{labelled}---
apiVersion: admin.gloo.solo.io/v2
kind: WorkspaceSettings
metadata:
  name: bookinfo
  namespace: bookinfo-frontends
spec:
  exportTo:
  - workspaces:
    - name: gateways
    resources:
    - kind: {export}
      labels:
        expose: \"true\"
    - kind: VIRTUAL_DESTINATION
---
apiVersion: admin.gloo.solo.io/v2
kind: WorkspaceSettings
metadata:
  name: gateways
  namespace: istio-gateways
spec:
  importFrom:
  - workspaces:
    - name: {import}
    resources:
    - kind: ALL
      labels:
        expose: \"true\"
    - kind: VIRTUAL_DESTINATION
"
    )
}

#[test]
fn a_table_the_gateways_workspace_does_not_import_is_refused() {
    let c = compile("route-table-not-imported", "routing.yaml", str::to_owned);
    assert_eq!(c.codes, ["VDC737 spec.virtualGateways[0]"]);
    assert!(c.names("VirtualService").is_empty(), "{:?}", c.objects);
    // Exported but not imported, or imported but not exported: still not shared.
    for (export, import) in [("ALL", "other"), ("SERVICE", "bookinfo")] {
        let c = compile("route-table-not-imported", "routing.yaml", |t| {
            shared(t, export, import)
        });
        assert_eq!(
            c.codes,
            ["VDC737 spec.virtualGateways[0]"],
            "{export} {import}"
        );
    }
}

#[test]
fn a_table_exported_to_and_imported_by_the_gateways_workspace_is_attached() {
    for export in ["ALL", "ROUTE_TABLE"] {
        let c = compile("route-table-not-imported", "routing.yaml", |t| {
            shared(t, export, "bookinfo")
        });
        assert!(
            !c.codes.iter().any(|c| c.starts_with("VDC737")),
            "{:?}",
            c.messages
        );
        assert_eq!(
            c.names("VirtualService"),
            ["routetable-productpage-bookinfo-frontends-cluster1-gateways"],
            "{export}"
        );
    }
}

/// The fixture destination-not-seen-where-served's VirtualDestination, labelled so that
/// workspace bookinfo exports it to gateways, which imports it.
fn exposed_destination(text: &str) -> String {
    text.replace(
        "  namespace: bookinfo-frontends\nspec:",
        "  namespace: bookinfo-frontends\n  labels:\n    expose: \"true\"\nspec:",
    )
}

#[test]
fn a_gateway_route_to_a_destination_the_gateways_workspace_does_not_see_is_refused() {
    let case = "destination-not-seen-where-served";
    let c = compile(case, "routing.yaml", str::to_owned);
    assert_eq!(c.codes, ["VDC738 spec.http[0].forwardTo.destinations[0]"]);
    assert!(c.messages[0].contains("which workspace `gateways` does not see"));
    assert!(
        (c.messages[0]).contains("(through its VirtualGateway istio-gateways/north-south-gw)"),
        "{}",
        c.messages[0]
    );
    let c = compile(case, "productpage.yaml", exposed_destination);
    assert_eq!(c.codes, Vec::<String>::new(), "{:?}", c.messages);
    assert_eq!(
        c.names("VirtualService"),
        ["routetable-productpage-bookinfo-frontends-cluster1-gateways"]
    );
}

/// The fixture's bookinfo table made the child of a gateways table that delegates to it: the
/// delegating table's workspace serves the child's routes, and must see their destinations.
fn delegated_from_gateways(text: &str) -> String {
    let child = text
        .replace("  hosts:\n  - bookinfo.example.com\n", "")
        .replace(
            "  virtualGateways:\n  - name: north-south-gw\n    namespace: istio-gateways\n    cluster: cluster1\n",
            "",
        );
    let parent = "---
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata:
  name: main
  namespace: istio-gateways
spec:
  hosts:
  - bookinfo.example.com
  virtualGateways:
  - name: north-south-gw
    namespace: istio-gateways
    cluster: cluster1
  http:
  - name: root
    matchers:
    - uri:
        prefix: /
    delegate:
      routeTables:
      - labels:
          expose: \"true\"
        workspace: bookinfo
";
    format!("{child}{parent}")
}

#[test]
fn a_delegated_route_s_destination_must_be_seen_by_the_delegating_table_s_workspace() {
    let case = "destination-not-seen-where-served";
    let c = compile(case, "routing.yaml", delegated_from_gateways);
    assert_eq!(c.codes, ["VDC738 spec.http[0].forwardTo.destinations[0]"]);
    assert!(
        c.messages[0].contains("RouteTable bookinfo-frontends/productpage"),
        "{}",
        c.messages[0]
    );
    assert!(
        (c.messages[0]).contains(
            "(through its VirtualGateway istio-gateways/north-south-gw and delegating RouteTable istio-gateways/main)"
        ),
        "{}",
        c.messages[0]
    );
    // Both workspaces sharing everything, the VirtualDestination too: served.
    let share_all = |t: &str| {
        delegated_from_gateways(t).replace("      labels:\n        expose: \"true\"\n", "")
    };
    let c = compile(case, "routing.yaml", share_all);
    assert_eq!(c.codes, Vec::<String>::new(), "{:?}", c.messages);
    assert_eq!(
        c.names("VirtualService"),
        ["routetable-main-istio-gateways-cluster1-gateways"]
    );
}

/// The fixture destination-not-seen-where-served's route made to forward to the Kubernetes
/// Service productpage (kind SERVICE, the default) rather than its VirtualDestination. The
/// Service carries `app: productpage`, not `expose: "true"`: bookinfo does not export it.
fn to_service(text: &str) -> String {
    text.replace("        kind: VIRTUAL_DESTINATION\n", "")
}

#[test]
fn a_gateway_route_to_a_service_the_gateways_workspace_does_not_see_is_refused() {
    let case = "destination-not-seen-where-served";
    let c = compile(case, "routing.yaml", to_service);
    assert_eq!(c.codes, ["VDC738 spec.http[0].forwardTo.destinations[0]"]);
    assert!(
        c.messages[0].contains(
            "forwards to Service bookinfo-frontends/productpage of cluster cluster1, which \
             workspace `gateways` does not see (owner `bookinfo` does not export it to \
             `gateways`, and `gateways` does not import it from `bookinfo`), and `gateways` \
             serves the route (through its VirtualGateway istio-gateways/north-south-gw)"
        ),
        "{}",
        c.messages[0]
    );
    // Exported by its `app` label, but imported by gateways only when labelled `expose`.
    let exported = |t: &str| {
        to_service(t).replace(
            "    - kind: ALL\n      labels:\n        expose: \"true\"\n---",
            "    - kind: ALL\n      labels:\n        expose: \"true\"\n    - kind: SERVICE\n      labels:\n        app: productpage\n---",
        )
    };
    let c = compile(case, "routing.yaml", exported);
    assert_eq!(c.codes, ["VDC738 spec.http[0].forwardTo.destinations[0]"]);
    assert!(
        c.messages[0].contains("(`gateways` does not import it from `bookinfo`)"),
        "{}",
        c.messages[0]
    );
    // Imported too: served, to the Service's cluster-local host.
    let shared = |t: &str| format!("{}    - kind: SERVICE\n", exported(t));
    let c = compile(case, "routing.yaml", shared);
    assert_eq!(c.codes, Vec::<String>::new(), "{:?}", c.messages);
    let (_, _, spec) = &c.objects.iter().find(|o| o.0 == "VirtualService").unwrap();
    assert!(
        spec.to_string()
            .contains("productpage.bookinfo-frontends.svc.cluster.local"),
        "{spec}"
    );
}

#[test]
fn a_gateways_table_routing_to_another_workspace_s_service_is_refused() {
    // The table moved into the gateways workspace's namespace, routing to bookinfo's Service.
    let in_gateways = |t: &str| {
        to_service(t).replacen(
            "  namespace: bookinfo-frontends\n  labels:",
            "  namespace: istio-gateways\n  labels:",
            1,
        )
    };
    let c = compile(
        "destination-not-seen-where-served",
        "routing.yaml",
        in_gateways,
    );
    assert_eq!(c.codes, ["VDC705 spec.http[0].forwardTo.destinations[0]"]);
    assert!(
        c.messages[0].contains(
            "which workspace `gateways` of the RouteTable cannot see: owner `bookinfo` does not \
             export it to `gateways`, and `gateways` does not import it from `bookinfo`"
        ),
        "{}",
        c.messages[0]
    );
    assert!(c.names("VirtualService").is_empty(), "{:?}", c.objects);
}

#[test]
fn a_delegated_route_to_a_service_names_the_delegating_table_and_the_gateway() {
    let case = "destination-not-seen-where-served";
    let c = compile(case, "routing.yaml", |t| {
        to_service(&delegated_from_gateways(t))
    });
    assert_eq!(c.codes, ["VDC738 spec.http[0].forwardTo.destinations[0]"]);
    assert!(
        (c.messages[0]).contains(
            "forwards to Service bookinfo-frontends/productpage of cluster cluster1, which \
             workspace `gateways` does not see"
        ) && (c.messages[0]).contains(
            "(through its VirtualGateway istio-gateways/north-south-gw and delegating RouteTable istio-gateways/main)"
        ),
        "{}",
        c.messages[0]
    );
}

/// The fixture's table, a Service route, bound to workloads of both workspaces rather than to
/// the VirtualGateway: the gateways workspace imports the table, so its ingress gateway pods'
/// sidecars are routed by it, in a VirtualService written to the table's own namespace.
fn for_sidecars(text: &str) -> String {
    to_service(text).replace(
        "  virtualGateways:\n  - name: north-south-gw\n    namespace: istio-gateways\n    cluster: cluster1\n",
        "  workloadSelectors:\n  - selector:\n      labels:\n        istio: ingressgateway\n  - selector:\n      labels:\n        app: productpage\n",
    )
}

#[test]
fn a_sidecar_route_to_a_service_must_be_seen_by_every_workspace_it_routes_for() {
    let case = "destination-not-seen-where-served";
    let c = compile(case, "routing.yaml", for_sidecars);
    assert_eq!(
        c.codes,
        ["VDC738 spec.http[0].forwardTo.destinations[0]"],
        "{:?}",
        c.messages
    );
    assert!(
        (c.messages[0]).contains(
            "which workspace `gateways` does not see (owner `bookinfo` does not export it to \
             `gateways`, and `gateways` does not import it from `bookinfo`), and `gateways` \
             serves the route (through its workloads' sidecars, which the table routes for)"
        ),
        "{}",
        c.messages[0]
    );
    // Only the bookinfo workloads: no other workspace is routed.
    let own = |t: &str| {
        for_sidecars(t).replace(
            "  - selector:\n      labels:\n        istio: ingressgateway\n",
            "",
        )
    };
    let c = compile(case, "routing.yaml", own);
    assert_eq!(c.codes, Vec::<String>::new(), "{:?}", c.messages);
}
