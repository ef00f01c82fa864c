//! Problems in the user's input, as values: collected across the whole run and reported together.

use crate::load::node::Pos;
use std::fmt;
use std::sync::Arc;

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
    ($($variant:ident = $code:literal, $slug:literal, $sev:ident;)*) => {
        /// Every diagnostic vdc can report. Codes are stable: never renumber or reuse one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable code users see and silence, such as `VDC407`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A kebab-case name, the way ruff names its rules.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }
        }
    };
}

codes! {
    YamlSyntax = "VDC101", "yaml-syntax", Error;
    NotAnObject = "VDC102", "not-a-kubernetes-object", Error;
    UnreadableFile = "VDC103", "unreadable-file", Error;
    StateOutsideClusters = "VDC104", "cluster-state-outside-clusters", Error;
    DuplicateObject = "VDC105", "duplicate-object", Error;
    InvalidClusterName = "VDC106", "invalid-cluster-name", Error;
    Yaml11Boolean = "VDC107", "yaml11-boolean", Warning;
    EmptyFile = "VDC108", "empty-file", Warning;
    InvalidSettings = "VDC109", "invalid-settings", Error;
    SymlinkEscape = "VDC110", "symlink-escape", Warning;
    UnknownField = "VDC201", "unknown-field", Error;
    WrongType = "VDC202", "wrong-type", Error;
    UntranslatedField = "VDC203", "untranslated-field", Warning;
    UntranslatedKind = "VDC204", "untranslated-kind", Warning;
    MissingField = "VDC205", "missing-field", Error;
    InvalidName = "VDC206", "invalid-name", Error;
    InvalidValue = "VDC207", "invalid-value", Error;
    NamespaceInTwoWorkspaces = "VDC301", "namespace-in-two-workspaces", Error;
    ImplicitGlobalWorkspace = "VDC302", "implicit-global-workspace", Info;
    NoWorkspace = "VDC303", "object-in-no-workspace", Error;
    DuplicateWorkspaceSettings = "VDC304", "duplicate-workspace-settings", Error;
    UnknownCluster = "VDC305", "unknown-cluster", Warning;
    NoPorts = "VDC401", "no-ports", Error;
    PortOutOfRange = "VDC402", "port-out-of-range", Error;
    DuplicatePort = "VDC403", "duplicate-port", Error;
    InvalidProtocol = "VDC404", "invalid-protocol", Error;
    TargetPortWithoutBacking = "VDC405", "target-port-without-backing", Error;
    NothingToServe = "VDC406", "nothing-to-serve", Error;
    InvalidHost = "VDC407", "invalid-host", Error;
    DuplicateHost = "VDC408", "duplicate-host", Error;
    HostConflict = "VDC409", "host-conflict", Error;
    MissingTargetPort = "VDC410", "missing-target-port", Error;
    UnresolvedTargetPort = "VDC411", "unresolved-target-port", Error;
    SeveralBackingServices = "VDC412", "several-backing-services", Warning;
    SelectorMatchesNothing = "VDC413", "selector-matches-nothing", Warning;
    HostIsServiceFqdn = "VDC414", "host-is-service-fqdn", Warning;
    VipCollision = "VDC415", "vip-collision", Warning;
    NoHosts = "VDC416", "no-hosts", Error;
    BackingServiceWithoutSelector = "VDC417", "backing-service-without-selector", Error;
    NoEastWestGateway = "VDC501", "no-east-west-gateway", Error;
    NoLocality = "VDC502", "no-locality", Warning;
    MixedLocality = "VDC503", "mixed-locality", Warning;
    DefaultTrustDomain = "VDC504", "default-trust-domain", Info;
    UserObjectConflict = "VDC505", "user-object-conflict", Warning;
    FailoverWithoutOutlierDetection = "VDC601", "failover-without-outlier-detection", Warning;
    PolicyConflict = "VDC602", "policy-conflict", Warning;
    InvalidWeights = "VDC603", "invalid-weights", Error;
    MixedPriorityLabels = "VDC604", "mixed-priority-labels", Error;
    MappingsAndPriorityLabels = "VDC605", "mappings-and-priority-labels", Warning;
    ZoneFailover = "VDC606", "zone-failover", Warning;
    UnsupportedPolicyTarget = "VDC607", "unsupported-policy-target", Error;
    UnknownDestination = "VDC701", "unknown-destination", Error;
    DestinationPortRequired = "VDC702", "destination-port-required", Error;
    UnknownDestinationPort = "VDC703", "unknown-destination-port", Error;
    DelegationNotTranslated = "VDC704", "delegation-not-translated", Warning;
    DestinationNotVisible = "VDC705", "destination-not-visible", Error;
    UnknownVirtualGateway = "VDC706", "unknown-virtual-gateway", Error;
    RouteTableWithoutHosts = "VDC707", "route-table-without-hosts", Error;
    GatewaySelectsNothing = "VDC708", "gateway-selects-nothing", Warning;
    InvalidRouteHost = "VDC709", "invalid-route-host", Error;
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub span: Option<Span>,
    pub object: Option<ObjectRef>,
    /// Dotted path of the offending field, such as `spec.ports[0].number`.
    pub field: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span: None,
            object: None,
            field: None,
            help: None,
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
        self.object = Some(object);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
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

/// The diagnostics of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity() == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity() == severity)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted and free of exact repeats, ready to show.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }
}
