//! Problems in the user's input, as values: collected across the whole run and reported together.

mod capped;

use crate::span::Pos;
pub use capped::{MAX_PER_FILE, MAX_PER_RUN, limit_run};
use capped::{bounded, bounded_object};
use std::{collections::HashSet, fmt, sync::Arc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

macro_rules! codes {
    (@emit ($d:tt) $($variant:ident = $code:literal, $family:ident :: $rule:ident, $slug:literal, $sev:ident, $summary:literal;)*) => {
        /// Every diagnostic vdc can report. Codes are stable: never renumber or reuse one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code users see and silence, such as `VDC407`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The code named by `VDC413` (any case) or by its slug.
            pub fn parse(name: &str) -> Option<Code> {
                Code::ALL
                    .iter()
                    .copied()
                    .find(|c| c.as_str().eq_ignore_ascii_case(name) || c.slug() == name)
            }

            /// A kebab-case name, the way ruff names its rules.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// One sentence: what the rule catches.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }

            /// The file that holds the rule: its doc, its message, its check.
            pub fn rule_file(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!("src/rules/", stringify!($family), "/", stringify!($rule), ".rs"),)*
                }
            }
        }

        /// `for_each_code!(m)` calls `m! { (Variant, "VDC101", family, rule_module, "slug") … }`
        /// with every row of the registry, so a test can derive one case per code.
        #[macro_export]
        macro_rules! for_each_code {
            ($d m:ident) => { $d m! { $( ($variant, $code, $family, $rule, $slug) )* } };
        }
    };
    ($($rows:tt)*) => { codes!(@emit ($) $($rows)*); };
}

codes! {
    YamlSyntax = "VDC101", load::yaml_syntax, "yaml-syntax", Error, "A file is not valid YAML or JSON, or breaks a parsing budget.";
    NotAnObject = "VDC102", load::not_a_kubernetes_object, "not-a-kubernetes-object", Error, "A document is not a Kubernetes object (apiVersion, kind, metadata.name).";
    UnreadableFile = "VDC103", load::unreadable_file, "unreadable-file", Error, "A file cannot be read: binary, not UTF-8, too large, or unreadable.";
    StateOutsideClusters = "VDC104", load::cluster_state_outside_clusters, "cluster-state-outside-clusters", Error, "Cluster state found outside clusters/<cluster>/.";
    DuplicateObject = "VDC105", load::duplicate_object, "duplicate-object", Error, "The same object (cluster, kind, namespace, name) is defined twice.";
    InvalidClusterName = "VDC106", load::invalid_cluster_name, "invalid-cluster-name", Error, "A cluster folder name is not a DNS label.";
    Yaml11Boolean = "VDC107", load::yaml11_boolean, "yaml11-boolean", Warning, "A plain yes/no/on/off/y/n that Kubernetes reads as a boolean.";
    EmptyFile = "VDC108", load::empty_file, "empty-file", Warning, "An input file, or a cluster folder, holds no document.";
    InvalidSettings = "VDC109", load::invalid_settings, "invalid-settings", Error, "vdc.yaml has an unknown key or an invalid value.";
    SymlinkEscape = "VDC110", load::symlink_escape, "symlink-escape", Warning, "A symbolic link leads out of INPUT and is not followed.";
    InvalidNameSkipped = "VDC111", load::invalid_name_skipped, "invalid-name-skipped", Warning, "An object of a kind vdc does not read has an invalid name or namespace; it is skipped.";
    NotAnInput = "VDC112", load::not_an_input, "not-an-input", Error, "INPUT has no clusters/<cluster>/ folder: it is not an INPUT folder.";
    UnknownField = "VDC201", schema::unknown_field, "unknown-field", Error, "A field that the Gloo kind's schema does not have.";
    WrongType = "VDC202", schema::wrong_type, "wrong-type", Error, "A field has the wrong type.";
    UntranslatedField = "VDC203", schema::untranslated_field, "untranslated-field", Warning, "A real Gloo field that vdc does not translate yet.";
    UntranslatedKind = "VDC204", schema::untranslated_kind, "untranslated-kind", Warning, "A Gloo kind that vdc does not translate yet.";
    MissingField = "VDC205", schema::missing_field, "missing-field", Error, "A required field is missing.";
    InvalidName = "VDC206", schema::invalid_name, "invalid-name", Error, "An object name or namespace is not a valid DNS name.";
    InvalidValue = "VDC207", schema::invalid_value, "invalid-value", Error, "A field has a value outside what its schema allows.";
    NamespaceInTwoWorkspaces = "VDC301", workspace::namespace_in_two_workspaces, "namespace-in-two-workspaces", Error, "A namespace is claimed by two workspaces.";
    ImplicitGlobalWorkspace = "VDC302", workspace::implicit_global_workspace, "implicit-global-workspace", Info, "No Workspace is defined; everything forms the implicit global workspace.";
    NoWorkspace = "VDC303", workspace::object_in_no_workspace, "object-in-no-workspace", Error, "An object lives in a namespace that no workspace holds.";
    DuplicateWorkspaceSettings = "VDC304", workspace::duplicate_workspace_settings, "duplicate-workspace-settings", Error, "A workspace has more than one WorkspaceSettings.";
    UnknownCluster = "VDC305", workspace::unknown_cluster, "unknown-cluster", Warning, "A KubernetesCluster names a cluster with no folder.";
    ConfigNotRead = "VDC306", workspace::config_not_read, "config-not-read", Info, "A Gloo object is not read: its workspace sets `configEnabled: false` where it is applied.";
    GlobalWorkspaceSettings = "VDC307", workspace::global_workspace_settings, "global-workspace-settings", Error, "The global WorkspaceSettings imports or exports, which vdc does not apply.";
    NoPorts = "VDC401", vd::no_ports, "no-ports", Error, "A VirtualDestination has no ports.";
    PortOutOfRange = "VDC402", vd::port_out_of_range, "port-out-of-range", Error, "A port number outside 1-65535.";
    DuplicatePort = "VDC403", vd::duplicate_port, "duplicate-port", Error, "A VirtualDestination lists a port number twice.";
    InvalidProtocol = "VDC404", vd::invalid_protocol, "invalid-protocol", Error, "A VirtualDestination port protocol is not one Gloo accepts.";
    TargetPortWithoutBacking = "VDC405", vd::target_port_without_backing, "target-port-without-backing", Error, "A targetPort on a VirtualDestination without backing selectors.";
    NothingToServe = "VDC406", vd::nothing_to_serve, "nothing-to-serve", Error, "A VirtualDestination has no hosts and no backing selectors.";
    InvalidHost = "VDC407", vd::invalid_host, "invalid-host", Error, "A VirtualDestination host is not a valid DNS name.";
    DuplicateHost = "VDC408", vd::duplicate_host, "duplicate-host", Error, "A VirtualDestination lists a host twice.";
    HostConflict = "VDC409", vd::host_conflict, "host-conflict", Error, "Two VirtualDestinations serve one host in one cluster.";
    MissingTargetPort = "VDC410", vd::missing_target_port, "missing-target-port", Error, "A backing Service lacks the port a VirtualDestination targets.";
    UnresolvedTargetPort = "VDC411", vd::unresolved_target_port, "unresolved-target-port", Error, "A named targetPort matches no container port.";
    SeveralBackingServices = "VDC412", vd::several_backing_services, "several-backing-services", Warning, "Several Services match in one cluster; the oldest wins.";
    SelectorMatchesNothing = "VDC413", vd::selector_matches_nothing, "selector-matches-nothing", Warning, "A backing-service selector matches no Service.";
    HostIsServiceFqdn = "VDC414", vd::host_is_service_fqdn, "host-is-service-fqdn", Warning, "A VirtualDestination host equals a Kubernetes Service FQDN.";
    VipCollision = "VDC415", vd::vip_collision, "vip-collision", Warning, "A VirtualDestination VIP collided and was re-hashed.";
    NoHosts = "VDC416", vd::no_hosts, "no-hosts", Error, "A VirtualDestination has no hosts to name its ServiceEntry.";
    BackingServiceWithoutSelector = "VDC417", vd::backing_service_without_selector, "backing-service-without-selector", Error, "A backing Service has no pod selector.";
    NoBackend = "VDC418", vd::no_backend, "no-backend", Error, "A VirtualDestination has no backend in any cluster.";
    BackingWithoutWorkloads = "VDC419", vd::backing_without_workloads, "backing-without-workloads", Error, "A backing Service has no workload in the dump.";
    TargetPortDiffers = "VDC420", vd::target_port_differs, "target-port-differs", Error, "A named targetPort is a different number on different workloads.";
    NoEastWestGateway = "VDC501", topology::no_east_west_gateway, "no-east-west-gateway", Error, "A backing cluster that remote clients need has no usable east-west gateway.";
    NoLocality = "VDC502", topology::no_locality, "no-locality", Warning, "A cluster's nodes carry no region label.";
    MixedLocality = "VDC503", topology::mixed_locality, "mixed-locality", Warning, "A cluster's nodes are in several regions.";
    DefaultTrustDomain = "VDC504", topology::default_trust_domain, "default-trust-domain", Info, "A cluster's trust domain is not in the dump; cluster.local is used.";
    UserObjectConflict = "VDC505", topology::user_object_conflict, "user-object-conflict", Warning, "A generated object collides with an Istio object already in the cluster.";
    DnsCaptureOff = "VDC506", topology::dns_capture_off, "dns-capture-off", Warning, "A client cluster's mesh config does not turn on DNS capture.";
    EastWestGatewayOverlap = "VDC507", topology::east_west_gateway_overlap, "east-west-gateway-overlap", Warning, "A Gateway in the cluster serves a VD host on the east-west gateway's port.";
    MultiZoneCluster = "VDC508", topology::multi_zone_cluster, "multi-zone-cluster", Info, "A cluster's nodes span zones of one region; its endpoints get the region's locality.";
    GeneratedObjectCollision = "VDC509", topology::generated_object_collision, "generated-object-collision", Error, "Two generated objects have one identity or one output path.";
    ShadowedVirtualService = "VDC510", topology::shadowed_virtual_service, "shadowed-virtual-service", Warning, "Two generated VirtualServices route one host for the same sidecars; istiod uses only one.";
    MeshConfigsDisagree = "VDC511", topology::mesh_configs_disagree, "mesh-configs-disagree", Warning, "A cluster's mesh ConfigMaps of several revisions disagree on a setting vdc reads.";
    MixedGatewayLocality = "VDC512", topology::mixed_gateway_locality, "mixed-gateway-locality", Warning, "An east-west gateway's pods run in several localities; its endpoints get the most common.";
    StaleOutput = "VDC513", topology::stale_output, "stale-output", Warning, "An object vdc wrote earlier is in a cluster's dump, and this render no longer writes it.";
    FailoverWithoutOutlierDetection = "VDC601", policy::failover_without_outlier_detection, "failover-without-outlier-detection", Warning, "A FailoverPolicy without an OutlierDetectionPolicy never fails over.";
    PolicyConflict = "VDC602", policy::policy_conflict, "policy-conflict", Warning, "Two policies of one kind apply to one port or route; the oldest wins.";
    InvalidWeights = "VDC603", policy::invalid_weights, "invalid-weights", Error, "Weights that do not sum to 100.";
    MixedPriorityLabels = "VDC604", policy::mixed_priority_labels, "mixed-priority-labels", Error, "priorityLabels mixes keys and key=value pairs.";
    MappingsAndPriorityLabels = "VDC605", policy::mappings_and_priority_labels, "mappings-and-priority-labels", Warning, "Both localityMappings and priorityLabels; mappings win.";
    ZoneFailover = "VDC606", policy::zone_failover, "zone-failover", Warning, "A zone-level failover mapping without weights; Istio fails over by region.";
    UnsupportedPolicyTarget = "VDC607", policy::unsupported_policy_target, "unsupported-policy-target", Error, "A policy targets a destination kind it does not support.";
    InvalidPolicyValue = "VDC608", policy::invalid_policy_value, "invalid-policy-value", Error, "A policy value that Istio's webhook refuses, or that Istio or Envoy would read differently.";
    PolicySelectsNothing = "VDC609", policy::policy_selects_nothing, "policy-selects-nothing", Warning, "A policy selects no route or destination port.";
    UnresolvedMirror = "VDC610", policy::unresolved_mirror, "unresolved-mirror", Error, "A MirrorPolicy mirrors to a destination vdc cannot route to.";
    RoutePolicyNotApplicable = "VDC611", policy::route_policy_not_applicable, "route-policy-not-applicable", Warning, "A retry, timeout, fault or mirror policy selects a route that redirects or answers directly, where Istio cannot apply it.";
    AuthoritySetTwice = "VDC612", policy::authority_set_twice, "authority-set-twice", Error, "A HeaderManipulationPolicy appends `Host` to a route whose `hostRewrite` already sets it; istiod refuses the VirtualService.";
    OverlappingLocalities = "VDC613", policy::overlapping_localities, "overlapping-localities", Error, "A weighted FailoverPolicy whose localities overlap; Istio refuses the DestinationRule.";
    ServiceIsolation = "VDC614", policy::service_isolation, "service-isolation", Error, "A WorkspaceSettings turns on service isolation or proxy trimming, whose AuthorizationPolicies and Sidecars vdc cannot write as Gloo does.";
    UnknownDestination = "VDC701", routing::unknown_destination, "unknown-destination", Error, "A route forwards to a VirtualDestination, ExternalService or Kubernetes Service that does not exist.";
    DestinationPortRequired = "VDC702", routing::destination_port_required, "destination-port-required", Error, "A route to a multi-port VirtualDestination, ExternalService or Kubernetes Service names no port.";
    UnknownDestinationPort = "VDC703", routing::unknown_destination_port, "unknown-destination-port", Error, "A route names a port its VirtualDestination, ExternalService or Kubernetes Service does not serve.";
    DestinationNotVisible = "VDC705", routing::destination_not_visible, "destination-not-visible", Error, "A route forwards to a VirtualDestination, ExternalService or Kubernetes Service its workspace cannot see.";
    UnknownVirtualGateway = "VDC706", routing::unknown_virtual_gateway, "unknown-virtual-gateway", Error, "A RouteTable attaches to a VirtualGateway that does not exist.";
    RouteTableWithoutHosts = "VDC707", routing::route_table_without_hosts, "route-table-without-hosts", Error, "A RouteTable attached to gateways or workloads has no hosts.";
    GatewaySelectsNothing = "VDC708", routing::gateway_selects_nothing, "gateway-selects-nothing", Warning, "A VirtualGateway selects no gateway Service.";
    InvalidRouteHost = "VDC709", routing::invalid_route_host, "invalid-route-host", Error, "A RouteTable host is not a valid host or wildcard.";
    SubsetNotServed = "VDC710", routing::subset_not_served, "subset-not-served", Warning, "A route's subset matches no pod of any backing cluster.";
    InvalidRouteAction = "VDC711", routing::invalid_route_action, "invalid-route-action", Error, "A route has no action Istio can carry out: none, a forward with no destination, or a redirect to nowhere.";
    DelegationMatchesNothing = "VDC712", routing::delegation_matches_nothing, "delegation-matches-nothing", Error, "A delegating route selects no RouteTable, or a delegated route can match no request the delegating route lets through.";
    DelegationCycle = "VDC713", routing::delegation_cycle, "delegation-cycle", Error, "RouteTables delegate to each other in a cycle.";
    RouteTableNotAllowed = "VDC714", routing::route_table_not_allowed, "route-table-not-allowed", Warning, "A RouteTable's hosts are not allowed on any listener of the VirtualGateway it names.";
    GatewayServerConflict = "VDC715", routing::gateway_server_conflict, "gateway-server-conflict", Error, "Two Gateway servers on one gateway workload and port that istiod cannot merge: it drops the second.";
    InvalidRouteRegex = "VDC716", routing::invalid_route_regex, "invalid-route-regex", Error, "A RouteTable regex (a matcher's path, header or query parameter value, or a regexRewrite pattern) that RE2 or istiod refuses.";
    InvalidMatcherName = "VDC717", routing::invalid_matcher_name, "invalid-matcher-name", Error, "A RouteTable matcher names a header or query parameter that istiod or Envoy refuses.";
    ConflictingMatcherConditions = "VDC718", routing::conflicting_matcher_conditions, "conflicting-matcher-conditions", Error, "A RouteTable matcher lists one header or query parameter twice, with conditions no request meets or one Istio match cannot hold.";
    HttpRouteOnTcpPort = "VDC719", routing::http_route_on_tcp_port, "http-route-on-tcp-port", Warning, "An http route for a host whose port Istio routes as TCP, which it never applies.";
    MeshWildcardHost = "VDC720", routing::mesh_wildcard_host, "mesh-wildcard-host", Warning, "A RouteTable routes for sidecars with the host `*`, which istiod refuses there; its east-west VirtualService is left out.";
    WorkloadSelectorSelectsNothing = "VDC721", routing::workload_selector_selects_nothing, "workload-selector-selects-nothing", Warning, "A RouteTable's workloadSelectors entry picks no workload the table routes for.";
    RemoteServiceDestination = "VDC722", routing::remote_service_destination, "remote-service-destination", Error, "A route forwards to a Kubernetes Service in another cluster than the one its VirtualService is written to.";
    ServiceSubset = "VDC723", routing::service_subset, "service-subset", Error, "A route sends traffic to a subset of a Kubernetes Service whose host a VirtualDestination's DestinationRule already holds.";
    SubsetNameCollision = "VDC724", routing::subset_name_collision, "subset-name-collision", Error, "Two subsets that routes ask of one host get one DestinationRule subset name.";
    TlsTerminationPorts = "VDC725", routing::tls_termination_ports, "tls-termination-ports", Error, "A tlsTermination VirtualDestination whose ports target different Service ports, which its one gateway termination port cannot tell apart.";
    GatewayInOtherWorkspace = "VDC726", routing::gateway_in_other_workspace, "gateway-in-other-workspace", Warning, "A VirtualGateway's workloads selector matches a gateway Service of another workspace, which Gloo does not program.";
    ListenerPortNotOnGateway = "VDC727", routing::listener_port_not_on_gateway, "listener-port-not-on-gateway", Warning, "A VirtualGateway listener's port is not a port of the gateway Service; the listener gets no server there.";
    MirrorSubset = "VDC728", policy::mirror_subset, "mirror-subset", Error, "A MirrorPolicy mirrors to a subset of its destination, which vdc does not translate.";
    DelegatedTableWithHosts = "VDC729", routing::delegated_table_with_hosts, "delegated-table-with-hosts", Warning, "A route delegates to a RouteTable that has hosts or VirtualGateways of its own.";
    ExternalServiceSubset = "VDC730", routing::external_service_subset, "external-service-subset", Error, "A route forwards to a subset of an ExternalService, which vdc does not translate.";
    PathRewriteOnRegexMatch = "VDC731", routing::path_rewrite_on_regex_match, "path-rewrite-on-regex-match", Error, "A route rewrites its path with `pathRewrite` while a matcher matches the path by regex or suffix, which Gloo does not support.";
    AutoHostRewrite = "VDC732", routing::auto_host_rewrite, "auto-host-rewrite", Error, "A route asks for `autoHostRewrite`, which vdc does not translate: the destination would get the client's Host header.";
    TcpTlsRouteField = "VDC733", routing::tcp_tls_route_field, "tcp-tls-route-field", Error, "A `tcp` or `tls` route sets a `forwardTo` field or destination that a TCP or TLS route cannot carry out.";
    TcpTlsRouteUnroutable = "VDC734", routing::tcp_tls_route_unroutable, "tcp-tls-route-unroutable", Error, "A `tcp` or `tls` route that Istio would refuse or never apply and Gloo's documentation gives no meaning: a TLS match without SNI hosts or outside the table's hosts, a gateway with no listener for it, a sidecar port its hosts lack, or a table only used through delegation.";
    TcpTlsRoutePortProtocol = "VDC735", routing::tcp_tls_route_port_protocol, "tcp-tls-route-port-protocol", Error, "A sidecar `tcp` or `tls` route only for VirtualDestination ports of a protocol whose traffic Istio routes by other routes, so it is never used.";
    TcpRoutesShareListener = "VDC736", routing::tcp_routes_share_listener, "tcp-routes-share-listener", Error, "The tcp routes of several RouteTables on one gateway listener that carries tcp routes, where Istio uses only one table's for every connection.";
    RouteTableNotImported = "VDC737", routing::route_table_not_imported, "route-table-not-imported", Error, "A RouteTable names a VirtualGateway of another workspace that does not import it.";
    DestinationNotSeenWhereServed = "VDC738", routing::destination_not_seen_where_served, "destination-not-seen-where-served", Error, "A route forwards to a VirtualDestination, ExternalService or Kubernetes Service that a workspace serving the route (its VirtualGateway's, or a delegating table's) cannot see.";
    ShadowedTlsMatch = "VDC739", routing::shadowed_tls_match, "shadowed-tls-match", Warning, "A tls route matcher of a RouteTable names an SNI host an earlier matcher of the same table takes on a gateway listener, so Istio skips the whole matcher.";
    TlsRoutesShareSniHost = "VDC740", routing::tls_routes_share_sni_host, "tls-routes-share-sni-host", Error, "The tls routes of several RouteTables match one SNI host on the listeners that route by SNI on one port of a gateway workload, where Istio keeps only the first table's.";
    EgressGateway = "VDC741", routing::egress_gateway, "egress-gateway", Error, "An ExternalService port routes through an egress gateway, or a VirtualGateway listener exposes ExternalServices: egress gateways, whose routes vdc cannot write as Gloo does.";
    ExternalHostsAndAddresses = "VDC801", external::external_hosts_and_addresses, "external-hosts-and-addresses", Error, "An ExternalService sets both hosts and addresses, or neither.";
    ExternalPortMissing = "VDC802", external::external_port_missing, "external-port-missing", Error, "A VirtualDestination port that a selected ExternalService does not have.";
    UnknownConnectedCluster = "VDC803", external::unknown_connected_cluster, "unknown-connected-cluster", Error, "An ExternalWorkload is connected to a cluster with no folder.";
    SeveralExternalWorkloads = "VDC804", external::several_external_workloads, "several-external-workloads", Warning, "Several ExternalWorkloads back one VirtualDestination in one cluster; the oldest wins.";
    NoTlsTerminationPort = "VDC805", external::no_tls_termination_port, "no-tls-termination-port", Error, "A tlsTermination VirtualDestination whose backing cluster's gateway has no termination port.";
    MixedBackendTls = "VDC806", external::mixed_backend_tls, "mixed-backend-tls", Warning, "A port with in-mesh and external backends needing different TLS; the external ones are left out.";
    FailoverOnExternalService = "VDC807", external::failover_on_external_service, "failover-on-external-service", Warning, "A FailoverPolicy on a port only ExternalServices back, where Gloo does not support failover.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which object a diagnostic is about: `Kind namespace/name` in a cluster.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObjectRef {
    pub cluster: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)?;
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)?;
        }
        if !self.cluster.is_empty() {
            write!(f, " in cluster {}", self.cluster)?;
        }
        Ok(())
    }
}

/// Where in the input a diagnostic points: a path relative to INPUT and a position.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: Arc<str>,
    pub pos: Pos,
}

/// Where a diagnostic points and what it is about, as the stage that found the problem knows
/// it. A rule's constructor takes one, so the place that detects a problem raises it in one line.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub span: Option<Span>,
    pub object: Option<ObjectRef>,
    /// For a fact about a whole cluster (see [`Diagnostic::cluster`]).
    pub cluster: Option<String>,
}

impl Site {
    /// A place in a file, about no object in particular.
    pub fn at(file: &Arc<str>, pos: Pos) -> Self {
        Site {
            span: Some(Span {
                file: file.clone(),
                pos,
            }),
            ..Site::default()
        }
    }

    /// A place in a file, in the object `object`.
    pub fn in_object(file: &Arc<str>, pos: Pos, object: ObjectRef) -> Self {
        Site {
            object: Some(object),
            ..Site::at(file, pos)
        }
    }

    /// A whole cluster, with no place in a file.
    pub fn cluster(cluster: impl Into<String>) -> Self {
        Site {
            cluster: Some(cluster.into()),
            ..Site::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    pub object: Option<ObjectRef>,
    /// Dotted path of the offending field, such as `spec.ports[0].number`.
    pub field: Option<String>,
    pub help: Option<String>,
    /// For an unknown field that looks like a misspelling: the path of the field it was
    /// probably meant to be, such as `spec.hosts` for `spec.hots`. Not shown; it lets the
    /// report drop the follow-ups of one typo (the "missing" `spec.hosts`).
    pub meant: Option<String>,
    /// The cluster of a diagnostic without an object (a cluster-wide fact, such as a locality).
    pub cluster: Option<String>,
    /// For a note standing for diagnostics not shown (see [`MAX_PER_FILE`]): how many; else 0.
    pub omitted: usize,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: bounded(message.into()),
            span: None,
            object: None,
            field: None,
            help: None,
            meant: None,
            cluster: None,
            omitted: 0,
        }
    }

    /// A diagnostic at `site`: how a rule file builds its diagnostic.
    pub fn new_at(code: Code, site: Site, message: impl Into<String>) -> Self {
        Diagnostic {
            span: site.span,
            object: site.object.map(bounded_object),
            cluster: site.cluster.map(bounded),
            ..Diagnostic::new(code, message)
        }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    pub fn at(mut self, file: &Arc<str>, pos: Pos) -> Self {
        self.span = Some(Span {
            file: file.clone(),
            pos,
        });
        self
    }

    pub fn object(mut self, object: ObjectRef) -> Self {
        self.object = Some(bounded_object(object));
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(bounded(field.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded(help.into()));
        self
    }

    /// The cluster a diagnostic about a whole cluster concerns.
    pub fn cluster(mut self, cluster: impl Into<String>) -> Self {
        self.cluster = Some(cluster.into());
        self
    }

    /// The cluster the diagnostic concerns: its object's, or the one it was given.
    pub fn cluster_name(&self) -> Option<&str> {
        self.object
            .as_ref()
            .map(|o| o.cluster.as_str())
            .filter(|c| !c.is_empty())
            .or(self.cluster.as_deref())
    }

    /// Records the field a misspelt one was probably meant to be (see [`Diagnostic::meant`]).
    pub fn meant(mut self, field: impl Into<String>) -> Self {
        self.meant = Some(field.into());
        self
    }

    /// The order §4 asks for: file, line, then code; diagnostics with no file come last.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.span.is_none(),
            self.span.as_ref().map(|s| (s.file.clone(), s.pos)),
            self.code,
            &self.message,
            self.field.as_deref(),
        )
    }
}

/// A diagnostic's order, total: the report's ([`Diagnostic::sort_key`]), then everything else
/// it holds. Which diagnostics a capped group keeps is decided by it, whatever order they were
/// found in.
fn full_cmp(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    a.sort_key().cmp(&b.sort_key()).then_with(|| {
        (&a.object, &a.help, &a.cluster, &a.meant, a.omitted)
            .cmp(&(&b.object, &b.help, &b.cluster, &b.meant, b.omitted))
    })
}

/// Whether any of `diags` is an error: what keeps vdc from generating anything.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity() == Severity::Error)
}

/// The diagnostics of one run, at most [`MAX_PER_FILE`] of one code kept for each file.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: capped::Buckets,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.iter().any(|d| d.severity() == Severity::Error)
    }

    /// How many of `severity` were found, those not kept included.
    pub fn count(&self, severity: Severity) -> usize {
        let kept = self.iter().filter(|d| d.severity() == severity).count();
        let omitted: usize = (self.items.omitted())
            .filter(|(code, _)| code.severity() == severity)
            .map(|(_, n)| n)
            .sum();
        kept + omitted
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics kept, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted, free of exact repeats and of the follow-ups of a refused field, ready to show;
    /// each group cut to [`MAX_PER_FILE`] with its note.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.drop_followups();
        let mut items = self.items.into_vec();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items.dedup();
        items
    }
}

impl Diagnostics {
    /// One mistake is one message. When `spec.hots` is an unknown field that was probably meant
    /// to be `spec.hosts`, the object then "lacks" `spec.hosts` too, and saying so again only
    /// hides the real message. And a field that failed to decode (unknown, mistyped, not one of
    /// its values) was read as absent or empty: what a later rule says of it, of what it holds
    /// or of the list it belongs to (an emptied selector "matching every Service") is a
    /// consequence, not a second problem. Such follow-ups on the same object are dropped.
    fn drop_followups(&mut self) {
        let meant: HashSet<(&ObjectRef, &str)> = self
            .items
            .iter()
            .filter(|d| d.code == Code::UnknownField)
            .filter_map(|d| Some((d.object.as_ref()?, d.meant.as_deref()?)))
            .collect();
        let refused: HashSet<(&ObjectRef, &str)> = self
            .items
            .iter()
            .filter(|d| refuses_its_field(d.code))
            .filter_map(|d| Some((d.object.as_ref()?, d.field.as_deref()?)))
            .collect();
        let present: HashSet<(Code, &ObjectRef)> = (self.items.iter())
            .filter_map(|d| Some((d.code, d.object.as_ref()?)))
            .collect();
        let superseded = |code: Code, object: &ObjectRef| {
            SUPERSEDED
                .iter()
                .any(|(dropped, by)| *dropped == code && present.contains(&(*by, object)))
        };
        let followup = |d: &Diagnostic| {
            let (Some(object), Some(field)) = (&d.object, d.field.as_deref()) else {
                return false;
            };
            if superseded(d.code, object) {
                return true;
            }
            let of_refused = is_followup_code(d.code)
                && refused
                    .iter()
                    .any(|(o, path)| *o == object && fields_overlap(field, path));
            of_refused || is_typo_followup(d.code, field, |f| meant.contains(&(object, f)))
        };
        let drop: HashSet<*const Diagnostic> = (self.items.iter())
            .filter(|d| followup(d))
            .map(|d| d as *const Diagnostic)
            .collect();
        if !drop.is_empty() {
            self.items
                .retain(|d| !drop.contains(&(d as *const Diagnostic)));
        }
    }
}

/// (dropped, by): on one object, the second says all the first says. VDC418 "no backend" says
/// what VDC413 "the selector matches nothing" says, and what it leads to; VDC405 already says a
/// VirtualDestination with a `targetPort` selects no backend.
const SUPERSEDED: &[(Code, Code)] = &[
    (Code::SelectorMatchesNothing, Code::NoBackend),
    (Code::NoBackend, Code::TargetPortWithoutBacking),
];

/// The codes that refuse the value of their field: the decoders read it as absent.
fn refuses_its_field(code: Code) -> bool {
    matches!(
        code,
        Code::UnknownField
            | Code::WrongType
            | Code::InvalidValue
            | Code::PortOutOfRange
            | Code::InvalidProtocol
    )
}

/// Whether a diagnostic of `code` on a refused field can be its follow-up: not another refusal
/// (each is a mistake of its own), nor VDC107, which says why a `yes` was refused.
fn is_followup_code(code: Code) -> bool {
    !refuses_its_field(code) && code != Code::Yaml11Boolean
}

/// Whether a diagnostic about `field` concerns the refused field `refused`: the same field, a
/// field inside it, or a list or mapping holding it (but not the whole `spec`).
fn fields_overlap(field: &str, refused: &str) -> bool {
    let below = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    };
    field == refused || below(field, refused) || (field.contains('.') && below(refused, field))
}

/// Whether a diagnostic saying `field` is missing follows from a misspelling of it
/// (`is_meant`: whether the field was probably meant by a misspelt one).
fn is_typo_followup(code: Code, field: &str, is_meant: impl Fn(&str) -> bool) -> bool {
    match code {
        Code::MissingField | Code::NoHosts | Code::NoPorts | Code::RouteTableWithoutHosts => {
            is_meant(field)
        }
        // "needs one of hosts, services, …": any one of them misspelt.
        Code::NothingToServe => [
            "spec.hosts",
            "spec.services",
            "spec.externalServices",
            "spec.externalWorkloads",
        ]
        .into_iter()
        .any(is_meant),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
