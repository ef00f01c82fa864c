// @generated from the solo-apis protos of Gloo 2.6.5 by tests/gloo_schema.rs; do not edit.
// Regenerate with `UPDATE_GENERATED=1 cargo test --test gloo_schema`.

use super::{Card, Enum, Field, Kind, Message, Ty};

pub static KINDS: &[Kind] = &[
    Kind { group: "admin.gloo.solo.io", version: "v2", kind: "KubernetesCluster", spec: 0 },
    Kind { group: "admin.gloo.solo.io", version: "v2", kind: "Workspace", spec: 9 },
    Kind { group: "admin.gloo.solo.io", version: "v2", kind: "WorkspaceSettings", spec: 1 },
    Kind { group: "networking.gloo.solo.io", version: "v2", kind: "ExternalEndpoint", spec: 40 },
    Kind { group: "networking.gloo.solo.io", version: "v2", kind: "ExternalService", spec: 42 },
    Kind { group: "networking.gloo.solo.io", version: "v2", kind: "RouteTable", spec: 65 },
    Kind { group: "networking.gloo.solo.io", version: "v2", kind: "VirtualDestination", spec: 72 },
    Kind { group: "networking.gloo.solo.io", version: "v2", kind: "VirtualGateway", spec: 74 },
    Kind { group: "networking.gloo.solo.io", version: "v2alpha1", kind: "ExternalWorkload", spec: 46 },
    Kind { group: "resilience.policy.gloo.solo.io", version: "v2", kind: "ConnectionPolicy", spec: 80 },
    Kind { group: "resilience.policy.gloo.solo.io", version: "v2", kind: "FailoverPolicy", spec: 84 },
    Kind { group: "resilience.policy.gloo.solo.io", version: "v2", kind: "FaultInjectionPolicy", spec: 90 },
    Kind { group: "resilience.policy.gloo.solo.io", version: "v2", kind: "OutlierDetectionPolicy", spec: 94 },
    Kind { group: "resilience.policy.gloo.solo.io", version: "v2", kind: "RetryTimeoutPolicy", spec: 96 },
    Kind { group: "security.policy.gloo.solo.io", version: "v2", kind: "CORSPolicy", spec: 99 },
    Kind { group: "trafficcontrol.policy.gloo.solo.io", version: "v2", kind: "HeaderManipulationPolicy", spec: 101 },
    Kind { group: "trafficcontrol.policy.gloo.solo.io", version: "v2", kind: "LoadBalancerPolicy", spec: 103 },
    Kind { group: "trafficcontrol.policy.gloo.solo.io", version: "v2", kind: "MirrorPolicy", spec: 107 },
];

pub static MESSAGES: &[Message] = &[
    // 0
    Message {
        name: "admin.gloo.solo.io.KubernetesClusterSpec",
        fields: &[
            Field { name: "clusterDomain", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "skipWarming", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 1
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec",
        fields: &[
            Field { name: "importFrom", ty: Ty::Message(7), card: Card::Repeated, oneof: None },
            Field { name: "exportTo", ty: Ty::Message(7), card: Card::Repeated, oneof: None },
            Field { name: "options", ty: Ty::Message(2), card: Card::One, oneof: None },
        ],
    },
    // 2
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.Options",
        fields: &[
            Field { name: "serviceIsolation", ty: Ty::Message(6), card: Card::One, oneof: None },
            Field { name: "federation", ty: Ty::Message(5), card: Card::One, oneof: None },
            Field { name: "eastWestGateways", ty: Ty::Message(3), card: Card::Repeated, oneof: None },
            Field { name: "virtualDestClientMode", ty: Ty::Message(12), card: Card::One, oneof: None },
            Field { name: "trimAllProxyConfig", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 3
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.Options.EastWestGatewaySelector",
        fields: &[
            Field { name: "selector", ty: Ty::Message(25), card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::Message(26), card: Card::One, oneof: None },
            Field { name: "tlsTerminationPort", ty: Ty::Message(26), card: Card::One, oneof: None },
            Field { name: "hostInfoOverrides", ty: Ty::Message(4), card: Card::Repeated, oneof: None },
        ],
    },
    // 4
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.Options.EastWestGatewaySelector.HostInfo",
        fields: &[
            Field { name: "addr", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 5
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.Options.Federation",
        fields: &[
            Field { name: "enabled", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "hostSuffix", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "serviceSelector", ty: Ty::Message(25), card: Card::Repeated, oneof: None },
            Field { name: "ports", ty: Ty::Message(26), card: Card::Repeated, oneof: None },
        ],
    },
    // 6
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.Options.ServiceIsolation",
        fields: &[
            Field { name: "enabled", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "trimProxyConfig", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "enforcementLayers", ty: Ty::Message(18), card: Card::One, oneof: None },
        ],
    },
    // 7
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector",
        fields: &[
            Field { name: "workspaces", ty: Ty::Message(37), card: Card::Repeated, oneof: None },
            Field { name: "resources", ty: Ty::Message(8), card: Card::Repeated, oneof: None },
        ],
    },
    // 8
    Message {
        name: "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector",
        fields: &[
            Field { name: "kind", ty: Ty::Enum(0), card: Card::One, oneof: None },
            Field { name: "labels", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "namespace", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "cluster", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 9
    Message {
        name: "admin.gloo.solo.io.WorkspaceSpec",
        fields: &[
            Field { name: "workloadClusters", ty: Ty::Message(14), card: Card::Repeated, oneof: None },
        ],
    },
    // 10
    Message {
        name: "common.gloo.solo.io.AWSFilterOptions",
        fields: &[
            Field { name: "accountIds", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "iamRoles", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "regions", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "lambdaFunctions", ty: Ty::String, card: Card::Repeated, oneof: None },
        ],
    },
    // 11
    Message {
        name: "common.gloo.solo.io.AWSLambdaReference",
        fields: &[
            Field { name: "cloudProvider", ty: Ty::Message(24), card: Card::One, oneof: None },
            Field { name: "function", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "qualifier", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "options", ty: Ty::Message(22), card: Card::One, oneof: None },
        ],
    },
    // 12
    Message {
        name: "common.gloo.solo.io.ClientMode",
        fields: &[
            Field { name: "auto", ty: Ty::Empty, card: Card::One, oneof: Some("clientMode") },
            Field { name: "sniRouting", ty: Ty::Empty, card: Card::One, oneof: Some("clientMode") },
            Field { name: "tlsTermination", ty: Ty::Empty, card: Card::One, oneof: Some("clientMode") },
        ],
    },
    // 13
    Message {
        name: "common.gloo.solo.io.CloudProviderFilterOptions",
        fields: &[
            Field { name: "aws", ty: Ty::Message(10), card: Card::One, oneof: Some("providerOptions") },
        ],
    },
    // 14
    Message {
        name: "common.gloo.solo.io.ClusterSelector",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "selector", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "namespaces", ty: Ty::Message(15), card: Card::Repeated, oneof: None },
            Field { name: "configEnabled", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 15
    Message {
        name: "common.gloo.solo.io.ClusterSelector.NamespaceSelector",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "configEnabled", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "labels", ty: Ty::String, card: Card::Map, oneof: None },
        ],
    },
    // 16
    Message {
        name: "common.gloo.solo.io.DestinationReference",
        fields: &[
            Field { name: "ref", ty: Ty::Message(24), card: Card::One, oneof: Some("refKind") },
            Field { name: "awsLambda", ty: Ty::Message(11), card: Card::One, oneof: Some("refKind") },
            Field { name: "kind", ty: Ty::Enum(1), card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::Message(26), card: Card::One, oneof: None },
            Field { name: "subset", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "weight", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 17
    Message {
        name: "common.gloo.solo.io.DestinationSelector",
        fields: &[
            Field { name: "selector", ty: Ty::Message(25), card: Card::One, oneof: None },
            Field { name: "kind", ty: Ty::Enum(1), card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::Message(26), card: Card::One, oneof: None },
        ],
    },
    // 18
    Message {
        name: "common.gloo.solo.io.EnforcementLayers",
        fields: &[
            Field { name: "cni", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "mesh", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 19
    Message {
        name: "common.gloo.solo.io.HTTPRequestMatcher",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "uri", ty: Ty::Message(32), card: Card::One, oneof: None },
            Field { name: "headers", ty: Ty::Message(21), card: Card::Repeated, oneof: None },
            Field { name: "queryParameters", ty: Ty::Message(20), card: Card::Repeated, oneof: None },
            Field { name: "method", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 20
    Message {
        name: "common.gloo.solo.io.HTTPRequestMatcher.QueryParameterMatcher",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "value", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "regex", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 21
    Message {
        name: "common.gloo.solo.io.HeaderMatcher",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "value", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "regex", ty: Ty::Bool, card: Card::One, oneof: None },
            Field { name: "invertMatch", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 22
    Message {
        name: "common.gloo.solo.io.LambdaOptions",
        fields: &[
            Field { name: "requestTransformation", ty: Ty::Enum(3), card: Card::One, oneof: None },
            Field { name: "responseTransformation", ty: Ty::Enum(4), card: Card::One, oneof: None },
            Field { name: "invocationStyle", ty: Ty::Enum(2), card: Card::One, oneof: None },
        ],
    },
    // 23
    Message {
        name: "common.gloo.solo.io.Locality",
        fields: &[
            Field { name: "region", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "zone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "subZone", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 24
    Message {
        name: "common.gloo.solo.io.ObjectReference",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "namespace", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "cluster", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 25
    Message {
        name: "common.gloo.solo.io.ObjectSelector",
        fields: &[
            Field { name: "labels", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "namespace", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "cluster", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "workspace", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 26
    Message {
        name: "common.gloo.solo.io.PortSelector",
        fields: &[
            Field { name: "number", ty: Ty::UInt32, card: Card::One, oneof: Some("specifier") },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: Some("specifier") },
        ],
    },
    // 27
    Message {
        name: "common.gloo.solo.io.PortalMetadata",
        fields: &[
            Field { name: "apiProductId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "apiProductDisplayName", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "apiVersion", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "title", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "description", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "termsOfService", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "contact", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "license", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "lifecycle", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "customMetadata", ty: Ty::String, card: Card::Map, oneof: None },
        ],
    },
    // 28
    Message {
        name: "common.gloo.solo.io.RouteDestinationSelector",
        fields: &[
            Field { name: "route", ty: Ty::Message(30), card: Card::One, oneof: None },
            Field { name: "onDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
        ],
    },
    // 29
    Message {
        name: "common.gloo.solo.io.RouteFilter",
        fields: &[
            Field { name: "cloudProvider", ty: Ty::Message(13), card: Card::One, oneof: None },
        ],
    },
    // 30
    Message {
        name: "common.gloo.solo.io.RouteLabelSelector",
        fields: &[
            Field { name: "labels", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "namespace", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "cluster", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "workspace", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 31
    Message {
        name: "common.gloo.solo.io.RouteSelector",
        fields: &[
            Field { name: "route", ty: Ty::Message(30), card: Card::One, oneof: Some("selectorType") },
            Field { name: "withDestinations", ty: Ty::Message(17), card: Card::One, oneof: Some("selectorType") },
        ],
    },
    // 32
    Message {
        name: "common.gloo.solo.io.StringMatch",
        fields: &[
            Field { name: "exact", ty: Ty::String, card: Card::One, oneof: Some("matchType") },
            Field { name: "prefix", ty: Ty::String, card: Card::One, oneof: Some("matchType") },
            Field { name: "regex", ty: Ty::String, card: Card::One, oneof: Some("matchType") },
            Field { name: "suffix", ty: Ty::String, card: Card::One, oneof: Some("matchType") },
            Field { name: "ignoreCase", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 33
    Message {
        name: "common.gloo.solo.io.TCPKeepalive",
        fields: &[
            Field { name: "probes", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "time", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "interval", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 34
    Message {
        name: "common.gloo.solo.io.TCPRequestMatcher",
        fields: &[
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 35
    Message {
        name: "common.gloo.solo.io.TLSRequestMatcher",
        fields: &[
            Field { name: "sniHosts", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 36
    Message {
        name: "common.gloo.solo.io.WorkloadSelector",
        fields: &[
            Field { name: "selector", ty: Ty::Message(25), card: Card::One, oneof: None },
            Field { name: "kind", ty: Ty::Enum(5), card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::Message(26), card: Card::One, oneof: None },
        ],
    },
    // 37
    Message {
        name: "common.gloo.solo.io.WorkspaceSelector",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "selector", ty: Ty::String, card: Card::Map, oneof: None },
        ],
    },
    // 38
    Message {
        name: "networking.gloo.solo.io.DelegateAction",
        fields: &[
            Field { name: "routeTables", ty: Ty::Message(25), card: Card::Repeated, oneof: None },
            Field { name: "allowedRoutes", ty: Ty::Message(29), card: Card::Repeated, oneof: None },
            Field { name: "sortMethod", ty: Ty::Enum(6), card: Card::One, oneof: None },
        ],
    },
    // 39
    Message {
        name: "networking.gloo.solo.io.DirectResponseAction",
        fields: &[
            Field { name: "status", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "body", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 40
    Message {
        name: "networking.gloo.solo.io.ExternalEndpointSpec",
        fields: &[
            Field { name: "address", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "ports", ty: Ty::Message(41), card: Card::Repeated, oneof: None },
            Field { name: "locality", ty: Ty::Message(23), card: Card::One, oneof: None },
        ],
    },
    // 41
    Message {
        name: "networking.gloo.solo.io.ExternalEndpointSpec.Port",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "number", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 42
    Message {
        name: "networking.gloo.solo.io.ExternalServiceSpec",
        fields: &[
            Field { name: "hosts", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "addresses", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "ports", ty: Ty::Message(43), card: Card::Repeated, oneof: None },
            Field { name: "selector", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "subjectAltNames", ty: Ty::String, card: Card::Repeated, oneof: None },
        ],
    },
    // 43
    Message {
        name: "networking.gloo.solo.io.ExternalServiceSpec.Port",
        fields: &[
            Field { name: "number", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "targetPort", ty: Ty::Message(26), card: Card::One, oneof: None },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "protocol", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "clientsideTls", ty: Ty::Message(45), card: Card::One, oneof: None },
            Field { name: "egressGatewayRoutes", ty: Ty::Message(44), card: Card::One, oneof: None },
        ],
    },
    // 44
    Message {
        name: "networking.gloo.solo.io.ExternalServiceSpec.Port.EgressGatewayRoutes",
        fields: &[
            Field { name: "portMatch", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "virtualGatewayRefs", ty: Ty::Message(24), card: Card::Repeated, oneof: None },
        ],
    },
    // 45
    Message {
        name: "networking.gloo.solo.io.ExternalServiceSpec.Port.TlsConfig",
        fields: &[
            Field { name: "sni", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "mode", ty: Ty::Enum(7), card: Card::One, oneof: None },
            Field { name: "clientCertificate", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "privateKey", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "caCertificates", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "credentialName", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "insecureSkipVerify", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 46
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec",
        fields: &[
            Field { name: "ports", ty: Ty::Message(54), card: Card::Repeated, oneof: None },
            Field { name: "identitySelector", ty: Ty::Message(47), card: Card::One, oneof: None },
            Field { name: "connectedClusters", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "readinessProbe", ty: Ty::Message(55), card: Card::One, oneof: None },
        ],
    },
    // 47
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector",
        fields: &[
            Field { name: "aws", ty: Ty::Message(48), card: Card::Repeated, oneof: None },
            Field { name: "gcp", ty: Ty::Message(51), card: Card::Repeated, oneof: None },
            Field { name: "azure", ty: Ty::Message(50), card: Card::Repeated, oneof: None },
            Field { name: "joinToken", ty: Ty::Message(53), card: Card::One, oneof: None },
        ],
    },
    // 48
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.AWS",
        fields: &[
            Field { name: "iamRole", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "securityGroupName", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "securityGroupId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "imageId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "instanceId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "zone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "region", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "tag", ty: Ty::Message(49), card: Card::One, oneof: None },
        ],
    },
    // 49
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.AWS.Tag",
        fields: &[
            Field { name: "key", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "value", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 50
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.Azure",
        fields: &[
            Field { name: "subscriptionId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "securityGroup", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "virtualNetwork", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "subnet", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "resourceGroup", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 51
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.GCP",
        fields: &[
            Field { name: "serviceAccount", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "tag", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "projectId", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "zone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "label", ty: Ty::Message(52), card: Card::One, oneof: None },
        ],
    },
    // 52
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.GCP.Label",
        fields: &[
            Field { name: "key", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "value", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 53
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector.JoinToken",
        fields: &[
            Field { name: "enable", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 54
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Port",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "protocol", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "number", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 55
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe",
        fields: &[
            Field { name: "initialDelaySeconds", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "timeoutSeconds", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "periodSeconds", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "successThreshold", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "failureThreshold", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "httpGet", ty: Ty::Message(57), card: Card::One, oneof: Some("handler") },
            Field { name: "tcpSocket", ty: Ty::Message(59), card: Card::One, oneof: Some("handler") },
            Field { name: "exec", ty: Ty::Message(56), card: Card::One, oneof: Some("handler") },
        ],
    },
    // 56
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe.ExecConfig",
        fields: &[
            Field { name: "command", ty: Ty::String, card: Card::Repeated, oneof: None },
        ],
    },
    // 57
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe.HTTPGetConfig",
        fields: &[
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "path", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "scheme", ty: Ty::Enum(8), card: Card::One, oneof: None },
            Field { name: "httpHeaders", ty: Ty::Message(58), card: Card::Repeated, oneof: None },
        ],
    },
    // 58
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe.HTTPHeader",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "value", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 59
    Message {
        name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe.TCPSocketConfig",
        fields: &[
            Field { name: "host", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "port", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 60
    Message {
        name: "networking.gloo.solo.io.ForwardToAction",
        fields: &[
            Field { name: "destinations", ty: Ty::Message(16), card: Card::Repeated, oneof: None },
            Field { name: "pathRewrite", ty: Ty::String, card: Card::One, oneof: Some("pathRewriteSpecifier") },
            Field { name: "regexRewrite", ty: Ty::External("envoy.type.matcher.v3.RegexMatchAndSubstitute"), card: Card::One, oneof: Some("pathRewriteSpecifier") },
            Field { name: "hostRewrite", ty: Ty::String, card: Card::One, oneof: Some("hostRewriteSpecifier") },
            Field { name: "autoHostRewrite", ty: Ty::Bool, card: Card::One, oneof: Some("hostRewriteSpecifier") },
        ],
    },
    // 61
    Message {
        name: "networking.gloo.solo.io.GraphQLAction",
        fields: &[
            Field { name: "schema", ty: Ty::External("core.skv2.solo.io.ClusterObjectRef"), card: Card::One, oneof: Some("graphqlSchema") },
            Field { name: "stitchedSchema", ty: Ty::External("core.skv2.solo.io.ClusterObjectRef"), card: Card::One, oneof: Some("graphqlSchema") },
            Field { name: "options", ty: Ty::Message(62), card: Card::One, oneof: None },
        ],
    },
    // 62
    Message {
        name: "networking.gloo.solo.io.GraphQLAction.Options",
        fields: &[
            Field { name: "logSensitiveInfo", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 63
    Message {
        name: "networking.gloo.solo.io.HTTPRoute",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "labels", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "matchers", ty: Ty::Message(19), card: Card::Repeated, oneof: None },
            Field { name: "forwardTo", ty: Ty::Message(60), card: Card::One, oneof: Some("actionType") },
            Field { name: "delegate", ty: Ty::Message(38), card: Card::One, oneof: Some("actionType") },
            Field { name: "redirect", ty: Ty::Message(64), card: Card::One, oneof: Some("actionType") },
            Field { name: "directResponse", ty: Ty::Message(39), card: Card::One, oneof: Some("actionType") },
            Field { name: "graphql", ty: Ty::Message(61), card: Card::One, oneof: Some("actionType") },
        ],
    },
    // 64
    Message {
        name: "networking.gloo.solo.io.RedirectAction",
        fields: &[
            Field { name: "hostRedirect", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "pathRedirect", ty: Ty::String, card: Card::One, oneof: Some("pathRewriteSpecifier") },
            Field { name: "responseCode", ty: Ty::Enum(9), card: Card::One, oneof: None },
        ],
    },
    // 65
    Message {
        name: "networking.gloo.solo.io.RouteTableSpec",
        fields: &[
            Field { name: "hosts", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "virtualGateways", ty: Ty::Message(24), card: Card::Repeated, oneof: None },
            Field { name: "workloadSelectors", ty: Ty::Message(36), card: Card::Repeated, oneof: None },
            Field { name: "applyToDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
            Field { name: "defaultDestination", ty: Ty::Message(16), card: Card::One, oneof: None },
            Field { name: "http", ty: Ty::Message(63), card: Card::Repeated, oneof: None },
            Field { name: "tcp", ty: Ty::Message(66), card: Card::Repeated, oneof: None },
            Field { name: "tls", ty: Ty::Message(70), card: Card::Repeated, oneof: None },
            Field { name: "weight", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "portalMetadata", ty: Ty::Message(27), card: Card::One, oneof: None },
            Field { name: "failureMode", ty: Ty::Enum(10), card: Card::One, oneof: None },
            Field { name: "virtualServiceAnnotations", ty: Ty::String, card: Card::Map, oneof: None },
        ],
    },
    // 66
    Message {
        name: "networking.gloo.solo.io.TCPRoute",
        fields: &[
            Field { name: "matchers", ty: Ty::Message(34), card: Card::Repeated, oneof: None },
            Field { name: "forwardTo", ty: Ty::Message(60), card: Card::One, oneof: Some("actionType") },
        ],
    },
    // 67
    Message {
        name: "networking.gloo.solo.io.TLSConfig",
        fields: &[
            Field { name: "secretName", ty: Ty::String, card: Card::One, oneof: Some("certificates") },
            Field { name: "files", ty: Ty::Message(68), card: Card::One, oneof: Some("certificates") },
            Field { name: "verifySubjectAltName", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "parameters", ty: Ty::Message(69), card: Card::One, oneof: None },
            Field { name: "mode", ty: Ty::Enum(12), card: Card::One, oneof: None },
        ],
    },
    // 68
    Message {
        name: "networking.gloo.solo.io.TLSConfig.Files",
        fields: &[
            Field { name: "serverCert", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "privateKey", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "caCerts", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 69
    Message {
        name: "networking.gloo.solo.io.TLSConfig.Parameters",
        fields: &[
            Field { name: "minimumProtocolVersion", ty: Ty::Enum(11), card: Card::One, oneof: None },
            Field { name: "maximumProtocolVersion", ty: Ty::Enum(11), card: Card::One, oneof: None },
            Field { name: "cipherSuites", ty: Ty::String, card: Card::Repeated, oneof: None },
        ],
    },
    // 70
    Message {
        name: "networking.gloo.solo.io.TLSRoute",
        fields: &[
            Field { name: "matchers", ty: Ty::Message(35), card: Card::Repeated, oneof: None },
            Field { name: "forwardTo", ty: Ty::Message(71), card: Card::One, oneof: Some("actionType") },
        ],
    },
    // 71
    Message {
        name: "networking.gloo.solo.io.TLSRoute.TLSForwardToAction",
        fields: &[
            Field { name: "destinations", ty: Ty::Message(16), card: Card::Repeated, oneof: None },
        ],
    },
    // 72
    Message {
        name: "networking.gloo.solo.io.VirtualDestinationSpec",
        fields: &[
            Field { name: "hosts", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "services", ty: Ty::Message(25), card: Card::Repeated, oneof: None },
            Field { name: "externalServices", ty: Ty::Message(25), card: Card::Repeated, oneof: None },
            Field { name: "externalWorkloads", ty: Ty::Message(25), card: Card::Repeated, oneof: None },
            Field { name: "ports", ty: Ty::Message(73), card: Card::Repeated, oneof: None },
            Field { name: "clientMode", ty: Ty::Message(12), card: Card::One, oneof: None },
        ],
    },
    // 73
    Message {
        name: "networking.gloo.solo.io.VirtualDestinationSpec.PortMapping",
        fields: &[
            Field { name: "number", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "protocol", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "targetPort", ty: Ty::Message(26), card: Card::One, oneof: None },
        ],
    },
    // 74
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec",
        fields: &[
            Field { name: "workloads", ty: Ty::Message(36), card: Card::Repeated, oneof: None },
            Field { name: "listeners", ty: Ty::Message(75), card: Card::Repeated, oneof: None },
        ],
    },
    // 75
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec.Listener",
        fields: &[
            Field { name: "port", ty: Ty::Message(26), card: Card::One, oneof: None },
            Field { name: "tls", ty: Ty::Message(67), card: Card::One, oneof: Some("tlsSettings") },
            Field { name: "httpsRedirect", ty: Ty::Bool, card: Card::One, oneof: Some("tlsSettings") },
            Field { name: "http", ty: Ty::Message(77), card: Card::One, oneof: Some("listenerType") },
            Field { name: "tcp", ty: Ty::Message(79), card: Card::One, oneof: Some("listenerType") },
            Field { name: "allowedRouteTables", ty: Ty::Message(78), card: Card::Repeated, oneof: None },
            Field { name: "exposedExternalServices", ty: Ty::Message(76), card: Card::Repeated, oneof: None },
            Field { name: "appProtocol", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 76
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec.Listener.ExternalServiceFilter",
        fields: &[
            Field { name: "host", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "selector", ty: Ty::Message(25), card: Card::One, oneof: None },
        ],
    },
    // 77
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec.Listener.HTTPServer",
        fields: &[
        ],
    },
    // 78
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec.Listener.RouteTableFilter",
        fields: &[
            Field { name: "host", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "selector", ty: Ty::Message(25), card: Card::One, oneof: None },
            Field { name: "allowedRoutes", ty: Ty::Message(29), card: Card::Repeated, oneof: None },
        ],
    },
    // 79
    Message {
        name: "networking.gloo.solo.io.VirtualGatewaySpec.Listener.TCPServer",
        fields: &[
        ],
    },
    // 80
    Message {
        name: "resilience.policy.gloo.solo.io.ConnectionPolicySpec",
        fields: &[
            Field { name: "applyToDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(81), card: Card::One, oneof: None },
        ],
    },
    // 81
    Message {
        name: "resilience.policy.gloo.solo.io.ConnectionPolicySpec.Config",
        fields: &[
            Field { name: "tcp", ty: Ty::Message(83), card: Card::One, oneof: None },
            Field { name: "http", ty: Ty::Message(82), card: Card::One, oneof: None },
        ],
    },
    // 82
    Message {
        name: "resilience.policy.gloo.solo.io.ConnectionPolicySpec.Config.HTTPConfig",
        fields: &[
            Field { name: "maxRequestsPerConnection", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "maxRetries", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "maxRequests", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "maxPendingRequests", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "idleTimeout", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 83
    Message {
        name: "resilience.policy.gloo.solo.io.ConnectionPolicySpec.Config.TCPConfig",
        fields: &[
            Field { name: "tcpKeepalive", ty: Ty::Message(33), card: Card::One, oneof: None },
            Field { name: "maxConnections", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "connectTimeout", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 84
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec",
        fields: &[
            Field { name: "applyToDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(85), card: Card::One, oneof: None },
        ],
    },
    // 85
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec.Config",
        fields: &[
            Field { name: "localityMappings", ty: Ty::Message(86), card: Card::Repeated, oneof: None },
            Field { name: "priorityLabels", ty: Ty::Message(89), card: Card::One, oneof: Some("priorityLevels") },
        ],
    },
    // 86
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec.Config.LocalityMappings",
        fields: &[
            Field { name: "from", ty: Ty::Message(88), card: Card::One, oneof: None },
            Field { name: "to", ty: Ty::Message(87), card: Card::Repeated, oneof: None },
        ],
    },
    // 87
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec.Config.LocalityMappings.DestinationLocality",
        fields: &[
            Field { name: "region", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "zone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "subZone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "weight", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 88
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec.Config.LocalityMappings.OriginatingLocality",
        fields: &[
            Field { name: "region", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "zone", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "subZone", ty: Ty::String, card: Card::One, oneof: None },
        ],
    },
    // 89
    Message {
        name: "resilience.policy.gloo.solo.io.FailoverPolicySpec.Config.PriorityLabels",
        fields: &[
            Field { name: "labels", ty: Ty::String, card: Card::Repeated, oneof: None },
        ],
    },
    // 90
    Message {
        name: "resilience.policy.gloo.solo.io.FaultInjectionPolicySpec",
        fields: &[
            Field { name: "applyToRoutes", ty: Ty::Message(31), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(91), card: Card::One, oneof: None },
        ],
    },
    // 91
    Message {
        name: "resilience.policy.gloo.solo.io.FaultInjectionPolicySpec.Config",
        fields: &[
            Field { name: "delay", ty: Ty::Message(93), card: Card::One, oneof: None },
            Field { name: "abort", ty: Ty::Message(92), card: Card::One, oneof: None },
        ],
    },
    // 92
    Message {
        name: "resilience.policy.gloo.solo.io.FaultInjectionPolicySpec.Config.Abort",
        fields: &[
            Field { name: "httpStatus", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "percentage", ty: Ty::Double, card: Card::One, oneof: None },
        ],
    },
    // 93
    Message {
        name: "resilience.policy.gloo.solo.io.FaultInjectionPolicySpec.Config.Delay",
        fields: &[
            Field { name: "fixedDelay", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "percentage", ty: Ty::Double, card: Card::One, oneof: None },
        ],
    },
    // 94
    Message {
        name: "resilience.policy.gloo.solo.io.OutlierDetectionPolicySpec",
        fields: &[
            Field { name: "applyToDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(95), card: Card::One, oneof: None },
        ],
    },
    // 95
    Message {
        name: "resilience.policy.gloo.solo.io.OutlierDetectionPolicySpec.Config",
        fields: &[
            Field { name: "consecutiveErrors", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "interval", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "baseEjectionTime", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "maxEjectionPercent", ty: Ty::UInt32, card: Card::One, oneof: None },
            Field { name: "consecutiveGatewayErrors", ty: Ty::UInt32, card: Card::One, oneof: None },
        ],
    },
    // 96
    Message {
        name: "resilience.policy.gloo.solo.io.RetryTimeoutPolicySpec",
        fields: &[
            Field { name: "applyToRoutes", ty: Ty::Message(31), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(97), card: Card::One, oneof: None },
        ],
    },
    // 97
    Message {
        name: "resilience.policy.gloo.solo.io.RetryTimeoutPolicySpec.Config",
        fields: &[
            Field { name: "retries", ty: Ty::Message(98), card: Card::One, oneof: None },
            Field { name: "requestTimeout", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 98
    Message {
        name: "resilience.policy.gloo.solo.io.RetryTimeoutPolicySpec.Config.RetryPolicy",
        fields: &[
            Field { name: "attempts", ty: Ty::Int32, card: Card::One, oneof: None },
            Field { name: "perTryTimeout", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "retryOn", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "retryRemoteLocalities", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 99
    Message {
        name: "security.policy.gloo.solo.io.CORSPolicySpec",
        fields: &[
            Field { name: "applyToRoutes", ty: Ty::Message(31), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(100), card: Card::One, oneof: None },
        ],
    },
    // 100
    Message {
        name: "security.policy.gloo.solo.io.CORSPolicySpec.Config",
        fields: &[
            Field { name: "allowOrigins", ty: Ty::Message(32), card: Card::Repeated, oneof: None },
            Field { name: "allowMethods", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "allowHeaders", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "exposeHeaders", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "maxAge", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "allowCredentials", ty: Ty::Bool, card: Card::One, oneof: None },
        ],
    },
    // 101
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.HeaderManipulationPolicySpec",
        fields: &[
            Field { name: "applyToRoutes", ty: Ty::Message(31), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(102), card: Card::One, oneof: None },
            Field { name: "applyToRouteDestinations", ty: Ty::Message(28), card: Card::Repeated, oneof: None },
        ],
    },
    // 102
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.HeaderManipulationPolicySpec.Config",
        fields: &[
            Field { name: "removeResponseHeaders", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "appendResponseHeaders", ty: Ty::String, card: Card::Map, oneof: None },
            Field { name: "removeRequestHeaders", ty: Ty::String, card: Card::Repeated, oneof: None },
            Field { name: "appendRequestHeaders", ty: Ty::String, card: Card::Map, oneof: None },
        ],
    },
    // 103
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec",
        fields: &[
            Field { name: "applyToDestinations", ty: Ty::Message(17), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(104), card: Card::One, oneof: None },
        ],
    },
    // 104
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec.Config",
        fields: &[
            Field { name: "simple", ty: Ty::Enum(13), card: Card::One, oneof: Some("lbPolicy") },
            Field { name: "consistentHash", ty: Ty::Message(105), card: Card::One, oneof: Some("lbPolicy") },
            Field { name: "warmupDurationSecs", ty: Ty::Duration, card: Card::One, oneof: None },
            Field { name: "healthyPanicThreshold", ty: Ty::Double, card: Card::One, oneof: None },
            Field { name: "updateMergeWindow", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 105
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec.Config.ConsistentHashLB",
        fields: &[
            Field { name: "httpHeaderName", ty: Ty::String, card: Card::One, oneof: Some("hashKey") },
            Field { name: "httpCookie", ty: Ty::Message(106), card: Card::One, oneof: Some("hashKey") },
            Field { name: "useSourceIp", ty: Ty::Bool, card: Card::One, oneof: Some("hashKey") },
            Field { name: "httpQueryParameterName", ty: Ty::String, card: Card::One, oneof: Some("hashKey") },
        ],
    },
    // 106
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec.Config.ConsistentHashLB.HTTPCookie",
        fields: &[
            Field { name: "name", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "path", ty: Ty::String, card: Card::One, oneof: None },
            Field { name: "ttl", ty: Ty::Duration, card: Card::One, oneof: None },
        ],
    },
    // 107
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.MirrorPolicySpec",
        fields: &[
            Field { name: "applyToRoutes", ty: Ty::Message(31), card: Card::Repeated, oneof: None },
            Field { name: "config", ty: Ty::Message(108), card: Card::One, oneof: None },
        ],
    },
    // 108
    Message {
        name: "trafficcontrol.policy.gloo.solo.io.MirrorPolicySpec.Config",
        fields: &[
            Field { name: "destination", ty: Ty::Message(16), card: Card::One, oneof: None },
            Field { name: "percentage", ty: Ty::Double, card: Card::One, oneof: None },
        ],
    },
];

pub static ENUMS: &[Enum] = &[
    // 0
    Enum { name: "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind", values: &["ALL", "ROUTE_TABLE", "SERVICE", "VIRTUAL_DESTINATION", "EXTERNAL_SERVICE", "API_DOC", "GRAPHQL_RESOLVER_MAP", "GRAPHQL_SCHEMA", "GRAPHQL_STITCHED_SCHEMA", "EXTERNAL_WORKLOAD"] },
    // 1
    Enum { name: "common.gloo.solo.io.DestinationKind", values: &["SERVICE", "VIRTUAL_DESTINATION", "EXTERNAL_SERVICE"] },
    // 2
    Enum { name: "common.gloo.solo.io.LambdaOptions.InvocationStyle", values: &["SYNC", "ASYNC"] },
    // 3
    Enum { name: "common.gloo.solo.io.LambdaOptions.RequestTransformation", values: &["REQUEST_DEFAULT", "REQUEST_DISABLE"] },
    // 4
    Enum { name: "common.gloo.solo.io.LambdaOptions.ResponseTransformation", values: &["RESPONSE_DEFAULT", "RESPONSE_DISABLE"] },
    // 5
    Enum { name: "common.gloo.solo.io.WorkloadSelector.WorkloadKind", values: &["KUBE", "VM"] },
    // 6
    Enum { name: "networking.gloo.solo.io.DelegateAction.SortMethod", values: &["TABLE_WEIGHT", "ROUTE_SPECIFICITY"] },
    // 7
    Enum { name: "networking.gloo.solo.io.ExternalServiceSpec.Port.TlsConfig.TLSMode", values: &["SIMPLE", "DISABLE", "MUTUAL", "ISTIO_MUTUAL"] },
    // 8
    Enum { name: "networking.gloo.solo.io.ExternalWorkloadSpec.Probe.HTTPGetConfig.Scheme", values: &["HTTP", "HTTPS"] },
    // 9
    Enum { name: "networking.gloo.solo.io.RedirectAction.RedirectResponseCode", values: &["MOVED_PERMANENTLY", "FOUND", "SEE_OTHER", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT"] },
    // 10
    Enum { name: "networking.gloo.solo.io.RouteTableSpec.FailureMode", values: &["ROUTE_REPLACEMENT", "FREEZE_CONFIG"] },
    // 11
    Enum { name: "networking.gloo.solo.io.TLSConfig.Parameters.ProtocolVersion", values: &["TLS_AUTO", "TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"] },
    // 12
    Enum { name: "networking.gloo.solo.io.TLSConfig.TLSMode", values: &["PASSTHROUGH", "SIMPLE", "MUTUAL", "AUTO_PASSTHROUGH", "ISTIO_MUTUAL"] },
    // 13
    Enum { name: "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec.Config.SimpleLB", values: &["UNSPECIFIED", "RANDOM", "PASSTHROUGH", "ROUND_ROBIN", "LEAST_REQUEST"] },
];
