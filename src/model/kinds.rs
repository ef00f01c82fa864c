//! The Gloo kinds vdc knows, one row each: the one place a kind's group, version, CRD plural,
//! role and translation status are written. Every stage that needs to tell kinds apart matches
//! on [`GlooKind`], and those matches are exhaustive: a kind added here without a decoder, a
//! place in the world or a translation does not compile.

/// What a Gloo kind is to vdc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindRole {
    /// Configuration: clusters, workspaces, destinations, routing, external backends.
    Config,
    /// A policy: it selects destinations (or routes) and changes what is generated for them.
    Policy,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRow {
    pub group: &'static str,
    /// The version vdc writes in provenance labels (it reads any).
    pub version: &'static str,
    /// The CRD's plural, as `kubectl get` names it with the group.
    pub plural: &'static str,
    pub role: KindRole,
    /// Read and translated; an untranslated kind is schema-checked and reported (VDC204).
    pub translated: bool,
}

const ADMIN: &str = "admin.gloo.solo.io";
const NETWORKING: &str = "networking.gloo.solo.io";
const RESILIENCE: &str = "resilience.policy.gloo.solo.io";
const SECURITY: &str = "security.policy.gloo.solo.io";
const TRAFFIC_CONTROL: &str = "trafficcontrol.policy.gloo.solo.io";

/// Declares [`GlooKind`] and its table at once, so each variant has exactly one row and its
/// name is the variant's own.
macro_rules! gloo_kinds {
    ($($kind:ident => $group:ident, $version:literal, $plural:literal, $role:ident, $translated:literal;)*) => {
        /// A Gloo kind vdc knows.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum GlooKind {
            $($kind,)*
        }

        impl GlooKind {
            /// Every kind, in the order of the table.
            pub const ALL: &[GlooKind] = &[$(GlooKind::$kind,)*];

            /// The kind's name, as documents spell it.
            pub const fn name(self) -> &'static str {
                match self {
                    $(GlooKind::$kind => stringify!($kind),)*
                }
            }

            pub const fn row(self) -> KindRow {
                match self {
                    $(GlooKind::$kind => KindRow {
                        group: $group,
                        version: $version,
                        plural: $plural,
                        role: KindRole::$role,
                        translated: $translated,
                    },)*
                }
            }
        }
    };
}

gloo_kinds! {
    KubernetesCluster => ADMIN, "v2", "kubernetesclusters", Config, true;
    Workspace => ADMIN, "v2", "workspaces", Config, true;
    WorkspaceSettings => ADMIN, "v2", "workspacesettings", Config, true;
    VirtualDestination => NETWORKING, "v2", "virtualdestinations", Config, true;
    RouteTable => NETWORKING, "v2", "routetables", Config, true;
    VirtualGateway => NETWORKING, "v2", "virtualgateways", Config, true;
    ExternalService => NETWORKING, "v2", "externalservices", Config, true;
    ExternalEndpoint => NETWORKING, "v2", "externalendpoints", Config, true;
    ExternalWorkload => NETWORKING, "v2alpha1", "externalworkloads", Config, true;
    FailoverPolicy => RESILIENCE, "v2", "failoverpolicies", Policy, true;
    OutlierDetectionPolicy => RESILIENCE, "v2", "outlierdetectionpolicies", Policy, true;
    ConnectionPolicy => RESILIENCE, "v2", "connectionpolicies", Policy, true;
    LoadBalancerPolicy => TRAFFIC_CONTROL, "v2", "loadbalancerpolicies", Policy, true;
    RetryTimeoutPolicy => RESILIENCE, "v2", "retrytimeoutpolicies", Policy, true;
    FaultInjectionPolicy => RESILIENCE, "v2", "faultinjectionpolicies", Policy, true;
    CORSPolicy => SECURITY, "v2", "corspolicies", Policy, true;
    HeaderManipulationPolicy => TRAFFIC_CONTROL, "v2", "headermanipulationpolicies", Policy, true;
    MirrorPolicy => TRAFFIC_CONTROL, "v2", "mirrorpolicies", Policy, true;
}

impl GlooKind {
    /// The kind named `kind` in API group `group`, if vdc knows it.
    pub fn find(group: &str, kind: &str) -> Option<GlooKind> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.name() == kind && k.row().group == group)
    }

    /// The kind named `kind`, whatever its group (names are unique among Gloo's kinds).
    pub fn named(kind: &str) -> Option<GlooKind> {
        Self::ALL.iter().copied().find(|k| k.name() == kind)
    }

    pub const fn group(self) -> &'static str {
        self.row().group
    }

    pub const fn version(self) -> &'static str {
        self.row().version
    }

    /// `group/version, Kind=Name`, as Gloo's status keys name a kind.
    pub fn gvk(self) -> String {
        format!("{}/{}, Kind={}", self.group(), self.version(), self.name())
    }

    /// `plural.group`: the resource `kubectl get` fetches.
    pub fn resource(self) -> String {
        format!("{}.{}", self.row().plural, self.group())
    }
}

impl std::fmt::Display for GlooKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_by_group() {
        for k in GlooKind::ALL {
            assert_eq!(GlooKind::find(k.group(), k.name()), Some(*k));
            assert_eq!(GlooKind::named(k.name()), Some(*k));
            assert_eq!(GlooKind::find("example.com", k.name()), None);
        }
        assert_eq!(GlooKind::named("Service"), None);
    }

    #[test]
    fn every_translated_kind_has_a_schema_and_every_schema_a_kind() {
        for k in GlooKind::ALL.iter().filter(|k| k.row().translated) {
            let schema = crate::model::schema::kind(k.group(), k.name());
            assert!(schema.is_some_and(|s| s.version == k.version()), "{k}");
        }
        for s in crate::model::schema::KINDS {
            assert!(GlooKind::find(s.group, s.kind).is_some(), "{}", s.kind);
        }
    }

    #[test]
    fn plurals_are_the_lowercase_plural_of_the_name() {
        for k in GlooKind::ALL {
            let name = k.name().to_ascii_lowercase();
            let plural = k.row().plural;
            // `workspacesettings` is its own plural.
            let plurals = [
                name.clone(),
                format!("{name}s"),
                format!("{}ies", &name[..name.len() - 1]),
            ];
            assert!(plurals.contains(&plural.to_owned()), "{plural}");
        }
        assert_eq!(
            GlooKind::OutlierDetectionPolicy.resource(),
            "outlierdetectionpolicies.resilience.policy.gloo.solo.io"
        );
    }
}
