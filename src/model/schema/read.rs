//! The one hand-kept list of Gloo fields: those vdc reads, per kind, as schema paths below the
//! document (`spec.listeners.tls.mode`). Every other field of the schema that a document sets
//! earns a VDC203 warning; each path here is documented in docs/translation.md, and a test
//! checks that each names a field of the schema.

const OBJECT_SELECTOR: &[&str] = &["labels", "name", "namespace", "cluster", "workspace"];
const PORT_SELECTOR: &[&str] = &["number", "name"];
const ROUTE_SELECTOR: &[&str] = &["labels", "namespace", "cluster", "workspace"];
const CLIENT_MODE: &[&str] = &["auto", "sniRouting", "tlsTermination"];

/// (kind, path prefix, the fields read below it). A field listed here is read as a whole:
/// nothing below it warns.
pub const READ: &[(&str, &str, &[&str])] = &[
    ("KubernetesCluster", "spec", &["clusterDomain"]),
    (
        "Workspace",
        "spec.workloadClusters",
        &["name", "selector", "configEnabled"],
    ),
    (
        "Workspace",
        "spec.workloadClusters.namespaces",
        &["name", "labels", "configEnabled"],
    ),
    (
        "WorkspaceSettings",
        "spec.importFrom.workspaces",
        &["name", "selector"],
    ),
    (
        "WorkspaceSettings",
        "spec.exportTo.workspaces",
        &["name", "selector"],
    ),
    (
        "WorkspaceSettings",
        "spec.importFrom.resources",
        &["kind", "labels", "name", "namespace", "cluster"],
    ),
    (
        "WorkspaceSettings",
        "spec.exportTo.resources",
        &["kind", "labels", "name", "namespace", "cluster"],
    ),
    (
        "WorkspaceSettings",
        "spec.options.eastWestGateways.selector",
        OBJECT_SELECTOR,
    ),
    (
        "WorkspaceSettings",
        "spec.options.eastWestGateways.port",
        PORT_SELECTOR,
    ),
    (
        "WorkspaceSettings",
        "spec.options.eastWestGateways.tlsTerminationPort",
        PORT_SELECTOR,
    ),
    (
        "WorkspaceSettings",
        "spec.options.eastWestGateways.hostInfoOverrides",
        &["addr", "port"],
    ),
    (
        "WorkspaceSettings",
        "spec.options.virtualDestClientMode",
        CLIENT_MODE,
    ),
    // Read to be refused when on (VDC614); `enforcementLayers` only matters then.
    (
        "WorkspaceSettings",
        "spec.options.serviceIsolation",
        &["enabled", "trimProxyConfig", "enforcementLayers"],
    ),
    ("VirtualDestination", "spec", &["hosts"]),
    ("VirtualDestination", "spec.services", OBJECT_SELECTOR),
    (
        "VirtualDestination",
        "spec.externalServices",
        OBJECT_SELECTOR,
    ),
    (
        "VirtualDestination",
        "spec.externalWorkloads",
        OBJECT_SELECTOR,
    ),
    ("VirtualDestination", "spec.ports", &["number", "protocol"]),
    ("VirtualDestination", "spec.ports.targetPort", PORT_SELECTOR),
    ("VirtualDestination", "spec.clientMode", CLIENT_MODE),
    (
        "ExternalService",
        "spec",
        &["hosts", "addresses", "selector", "subjectAltNames"],
    ),
    (
        "ExternalService",
        "spec.ports",
        &["number", "name", "protocol"],
    ),
    // Read to be refused (VDC741): egress gateways are not translated.
    (
        "ExternalService",
        "spec.ports.egressGatewayRoutes",
        &["portMatch"],
    ),
    (
        "ExternalService",
        "spec.ports.egressGatewayRoutes.virtualGatewayRefs",
        &["name", "namespace", "cluster"],
    ),
    ("ExternalService", "spec.ports.targetPort", PORT_SELECTOR),
    (
        "ExternalService",
        "spec.ports.clientsideTls",
        &[
            "sni",
            "mode",
            "clientCertificate",
            "privateKey",
            "caCertificates",
            "credentialName",
            "insecureSkipVerify",
        ],
    ),
    ("ExternalEndpoint", "spec", &["address"]),
    ("ExternalEndpoint", "spec.ports", &["name", "number"]),
    (
        "ExternalEndpoint",
        "spec.locality",
        &["region", "zone", "subZone"],
    ),
    ("ExternalWorkload", "spec", &["connectedClusters"]),
    (
        "ExternalWorkload",
        "spec.ports",
        &["name", "protocol", "number"],
    ),
    ("FailoverPolicy", "spec.applyToDestinations", &["kind"]),
    (
        "FailoverPolicy",
        "spec.applyToDestinations.selector",
        OBJECT_SELECTOR,
    ),
    (
        "FailoverPolicy",
        "spec.applyToDestinations.port",
        PORT_SELECTOR,
    ),
    (
        "FailoverPolicy",
        "spec.config.localityMappings.from",
        &["region", "zone", "subZone"],
    ),
    (
        "FailoverPolicy",
        "spec.config.localityMappings.to",
        &["region", "zone", "subZone", "weight"],
    ),
    ("FailoverPolicy", "spec.config.priorityLabels", &["labels"]),
    (
        "OutlierDetectionPolicy",
        "spec.applyToDestinations",
        &["kind"],
    ),
    (
        "OutlierDetectionPolicy",
        "spec.applyToDestinations.selector",
        OBJECT_SELECTOR,
    ),
    (
        "OutlierDetectionPolicy",
        "spec.applyToDestinations.port",
        PORT_SELECTOR,
    ),
    (
        "OutlierDetectionPolicy",
        "spec.config",
        &[
            "consecutiveErrors",
            "interval",
            "baseEjectionTime",
            "maxEjectionPercent",
            "consecutiveGatewayErrors",
        ],
    ),
    (
        "RouteTable",
        "spec",
        &["hosts", "defaultDestination", "weight"],
    ),
    (
        "RouteTable",
        "spec.virtualGateways",
        &["name", "namespace", "cluster"],
    ),
    ("RouteTable", "spec.workloadSelectors", &["kind"]),
    (
        "RouteTable",
        "spec.workloadSelectors.selector",
        OBJECT_SELECTOR,
    ),
    // `labels` select the route for route policies (`applyToRoutes`).
    (
        "RouteTable",
        "spec.http",
        &["name", "labels", "redirect", "directResponse"],
    ),
    (
        "RouteTable",
        "spec.http.delegate",
        &["sortMethod", "allowedRoutes"],
    ),
    (
        "RouteTable",
        "spec.http.delegate.routeTables",
        OBJECT_SELECTOR,
    ),
    (
        "RouteTable",
        "spec.http.forwardTo",
        &[
            "pathRewrite",
            "regexRewrite",
            "hostRewrite",
            "autoHostRewrite",
        ],
    ),
    ("RouteTable", "spec.http.matchers", &["method", "port"]),
    (
        "RouteTable",
        "spec.http.matchers.uri",
        &["exact", "prefix", "regex", "suffix", "ignoreCase"],
    ),
    (
        "RouteTable",
        "spec.http.matchers.headers",
        &["name", "value", "regex", "invertMatch"],
    ),
    (
        "RouteTable",
        "spec.http.matchers.queryParameters",
        &["name", "value", "regex"],
    ),
    (
        "RouteTable",
        "spec.http.forwardTo.destinations",
        &["kind", "subset", "weight"],
    ),
    (
        "RouteTable",
        "spec.http.forwardTo.destinations.ref",
        &["name", "namespace", "cluster"],
    ),
    (
        "RouteTable",
        "spec.http.forwardTo.destinations.port",
        PORT_SELECTOR,
    ),
    // `tcp` and `tls` routes; a tcp route's rewrites are read to be refused (VDC733).
    ("RouteTable", "spec.tcp.matchers", &["port"]),
    (
        "RouteTable",
        "spec.tcp.forwardTo",
        &[
            "pathRewrite",
            "regexRewrite",
            "hostRewrite",
            "autoHostRewrite",
        ],
    ),
    (
        "RouteTable",
        "spec.tcp.forwardTo.destinations",
        &["kind", "subset", "weight"],
    ),
    (
        "RouteTable",
        "spec.tcp.forwardTo.destinations.ref",
        &["name", "namespace", "cluster"],
    ),
    (
        "RouteTable",
        "spec.tcp.forwardTo.destinations.port",
        PORT_SELECTOR,
    ),
    ("RouteTable", "spec.tls.matchers", &["sniHosts", "port"]),
    (
        "RouteTable",
        "spec.tls.forwardTo.destinations",
        &["kind", "subset", "weight"],
    ),
    (
        "RouteTable",
        "spec.tls.forwardTo.destinations.ref",
        &["name", "namespace", "cluster"],
    ),
    (
        "RouteTable",
        "spec.tls.forwardTo.destinations.port",
        PORT_SELECTOR,
    ),
    (
        "RetryTimeoutPolicy",
        "spec.applyToRoutes.route",
        ROUTE_SELECTOR,
    ),
    ("RetryTimeoutPolicy", "spec.config", &["requestTimeout"]),
    (
        "RetryTimeoutPolicy",
        "spec.config.retries",
        &[
            "attempts",
            "perTryTimeout",
            "retryOn",
            "retryRemoteLocalities",
        ],
    ),
    (
        "FaultInjectionPolicy",
        "spec.applyToRoutes.route",
        ROUTE_SELECTOR,
    ),
    (
        "FaultInjectionPolicy",
        "spec.config.delay",
        &["fixedDelay", "percentage"],
    ),
    (
        "FaultInjectionPolicy",
        "spec.config.abort",
        &["httpStatus", "percentage"],
    ),
    ("CORSPolicy", "spec.applyToRoutes.route", ROUTE_SELECTOR),
    (
        "CORSPolicy",
        "spec.config",
        &[
            "allowOrigins",
            "allowMethods",
            "allowHeaders",
            "exposeHeaders",
            "maxAge",
            "allowCredentials",
        ],
    ),
    (
        "HeaderManipulationPolicy",
        "spec.applyToRoutes.route",
        ROUTE_SELECTOR,
    ),
    (
        "HeaderManipulationPolicy",
        "spec.config",
        &[
            "removeResponseHeaders",
            "appendResponseHeaders",
            "removeRequestHeaders",
            "appendRequestHeaders",
        ],
    ),
    ("MirrorPolicy", "spec.applyToRoutes.route", ROUTE_SELECTOR),
    ("MirrorPolicy", "spec.config", &["percentage"]),
    (
        "MirrorPolicy",
        "spec.config.destination",
        &["kind", "subset"],
    ),
    (
        "MirrorPolicy",
        "spec.config.destination.ref",
        &["name", "namespace", "cluster"],
    ),
    (
        "MirrorPolicy",
        "spec.config.destination.port",
        PORT_SELECTOR,
    ),
    ("ConnectionPolicy", "spec.applyToDestinations", &["kind"]),
    (
        "ConnectionPolicy",
        "spec.applyToDestinations.selector",
        OBJECT_SELECTOR,
    ),
    (
        "ConnectionPolicy",
        "spec.applyToDestinations.port",
        PORT_SELECTOR,
    ),
    (
        "ConnectionPolicy",
        "spec.config.tcp",
        &["maxConnections", "connectTimeout", "tcpKeepalive"],
    ),
    (
        "ConnectionPolicy",
        "spec.config.http",
        &[
            "maxRequestsPerConnection",
            "maxRetries",
            "maxRequests",
            "maxPendingRequests",
            "idleTimeout",
        ],
    ),
    ("LoadBalancerPolicy", "spec.applyToDestinations", &["kind"]),
    (
        "LoadBalancerPolicy",
        "spec.applyToDestinations.selector",
        OBJECT_SELECTOR,
    ),
    (
        "LoadBalancerPolicy",
        "spec.applyToDestinations.port",
        PORT_SELECTOR,
    ),
    (
        "LoadBalancerPolicy",
        "spec.config",
        &["simple", "consistentHash", "warmupDurationSecs"],
    ),
    ("VirtualGateway", "spec.workloads", &["kind"]),
    ("VirtualGateway", "spec.workloads.selector", OBJECT_SELECTOR),
    (
        "VirtualGateway",
        "spec.listeners",
        &["http", "tcp", "httpsRedirect"],
    ),
    // Read to be refused (VDC741): an egress listener is not translated.
    (
        "VirtualGateway",
        "spec.listeners.exposedExternalServices",
        &["host"],
    ),
    (
        "VirtualGateway",
        "spec.listeners.exposedExternalServices.selector",
        OBJECT_SELECTOR,
    ),
    (
        "VirtualGateway",
        "spec.listeners.allowedRouteTables",
        &["host", "allowedRoutes"],
    ),
    (
        "VirtualGateway",
        "spec.listeners.allowedRouteTables.selector",
        OBJECT_SELECTOR,
    ),
    ("VirtualGateway", "spec.listeners.port", PORT_SELECTOR),
    (
        "VirtualGateway",
        "spec.listeners.tls",
        &["secretName", "mode", "verifySubjectAltName"],
    ),
    (
        "VirtualGateway",
        "spec.listeners.tls.parameters",
        &[
            "minimumProtocolVersion",
            "maximumProtocolVersion",
            "cipherSuites",
        ],
    ),
];

/// Whether vdc reads the field at `path` of `kind`: a listed field, a field below one
/// (`spec.http.delegate.routeTables`), or a message on the way to one (`spec.listeners.tls` is
/// read because `spec.listeners.tls.mode` is).
pub fn is_read(kind: &str, path: &str) -> bool {
    // Runs for every field of every Gloo document: compares without building the paths.
    let path = path.as_bytes();
    READ.iter()
        .filter(|(k, _, _)| *k == kind)
        .flat_map(|(_, prefix, fields)| fields.iter().map(move |f| (*prefix, *f)))
        .any(|(prefix, field)| {
            let listed = prefix.bytes().chain(*b".").chain(field.bytes());
            let listed_len = prefix.len() + 1 + field.len();
            let same = path
                .iter()
                .zip(listed.clone())
                .take_while(|(a, b)| *a == b)
                .count();
            let boundary = |longer: Option<u8>| longer == Some(b'.');
            match same {
                n if n == path.len() && n == listed_len => true,
                n if n == path.len() => boundary(listed.clone().nth(n)),
                n if n == listed_len => boundary(path.get(n).copied()),
                _ => false,
            }
        })
}

/// `path` with its list indices dropped: `spec.ports[0].number` → `spec.ports.number`.
pub fn schema_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_paths_drop_indices() {
        assert_eq!(schema_path("spec.ports[0].number"), "spec.ports.number");
        assert_eq!(
            schema_path("spec.http[2].matchers[10]"),
            "spec.http.matchers"
        );
    }
    use super::*;

    /// Every read path of `kind`, in the order of [`READ`].
    fn read_paths(kind: &str) -> impl Iterator<Item = String> + '_ {
        READ.iter()
            .filter(move |(k, _, _)| *k == kind)
            .flat_map(|(_, prefix, fields)| fields.iter().map(move |f| format!("{prefix}.{f}")))
    }

    #[test]
    fn every_read_path_is_a_field_of_the_schema() {
        for kind in super::super::KINDS {
            let paths = super::super::paths(kind);
            for read in read_paths(kind.kind) {
                assert!(paths.contains(&read), "{} has no field {read}", kind.kind);
            }
        }
        for (kind, _, _) in READ {
            assert!(
                super::super::KINDS.iter().any(|k| k.kind == *kind),
                "{kind}"
            );
        }
    }

    #[test]
    fn every_read_path_is_documented_in_translation_md() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/translation.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let section = &doc[doc.find("## Fields vdc reads").expect("the section")..];
        for (kind, _, _) in READ {
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| {kind} |")))
                .unwrap_or_else(|| panic!("docs/translation.md has no row for {kind}"));
            for read in read_paths(kind) {
                assert!(
                    row.contains(&format!("`{read}`")),
                    "docs/translation.md does not list {kind} `{read}`"
                );
            }
        }
    }

    #[test]
    fn messages_on_the_way_to_a_read_field_are_read() {
        assert!(is_read("VirtualGateway", "spec.listeners.tls"));
        assert!(is_read("VirtualGateway", "spec.listeners.tls.mode"));
        assert!(!is_read("VirtualGateway", "spec.listeners.tls.files"));
        assert!(!is_read("VirtualGateway", "spec.listeners.t"));
        assert!(is_read("RouteTable", "spec.http.delegate.routeTables"));
        assert!(is_read(
            "RouteTable",
            "spec.http.forwardTo.regexRewrite.pattern.regex"
        ));
        assert!(is_read("RouteTable", "spec.http.forwardTo.autoHostRewrite"));
        assert!(!is_read(
            "RouteTable",
            "spec.http.forwardTo.destinations.function"
        ));
    }
}
