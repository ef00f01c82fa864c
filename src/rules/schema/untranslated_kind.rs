//! **VDC204 untranslated-kind** (warning): A Gloo kind that vdc does not translate yet.
//!
//! ## What it does
//!
//! A document of a Gloo API group (`*.solo.io`) whose kind vdc does not translate: any kind
//! other than KubernetesCluster, Workspace, WorkspaceSettings, VirtualDestination, RouteTable,
//! VirtualGateway, ExternalService, ExternalEndpoint, ExternalWorkload, FailoverPolicy,
//! OutlierDetectionPolicy, RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy, ConnectionPolicy and LoadBalancerPolicy (for example
//! AccessPolicy).
//!
//! ## Why is this bad?
//!
//! Under Gloo the object would change how traffic flows; vdc generates nothing for it. The
//! warning makes sure that is known.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! apiVersion: security.policy.gloo.solo.io/v2
//! kind: AccessPolicy
//! metadata:
//!   name: productpage-access
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Nothing, if the object is there for Gloo only. Otherwise express the behaviour with kinds
//! vdc translates, or remove the object.
//!
//! Fixture: `testdata/check/untranslated-kind/`. Long form: `docs/diagnostics.md#vdc204`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UntranslatedKind;

/// A `kind` named `name` that vdc does not translate.
pub fn diagnostic(site: Site, kind: &str, name: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{kind} is a Gloo kind vdc does not translate yet; `{name}` has no effect on the output"
        ),
    )
    .field("kind")
}
