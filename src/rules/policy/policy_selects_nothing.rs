//! **VDC609 policy-selects-nothing** (warning): A policy selects no route or destination port.
//!
//! ## What it does
//!
//! A route policy (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy) whose `applyToRoutes` matches no route of a
//! RouteTable in its workspace, or a destination policy (FailoverPolicy,
//! OutlierDetectionPolicy, ConnectionPolicy, LoadBalancerPolicy) whose `applyToDestinations`
//! matches no port of a VirtualDestination its workspace owns.
//!
//! ## Why is this bad?
//!
//! The policy changes nothing: usually a label on the route (`http[].labels`) or on the
//! VirtualDestination is missing or misspelt, and the retries, timeouts or limits its author
//! counts on are not there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: RetryTimeoutPolicy
//! spec:
//!   applyToRoutes:
//!   - route:
//!       labels:
//!         request_timeout: "0.5s"
//! ```
//!
//! ## Fix
//!
//! Add the labels to the routes the policy is meant for (`http[].labels` of the RouteTable), or
//! correct the selector.
//!
//! Fixture: `testdata/check/policy-selects-nothing/`. Long form: `docs/diagnostics.md#vdc609`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::policy::PolicyTarget;
use crate::model::types::Meta;

pub const CODE: Code = Code::PolicySelectsNothing;

/// `policy` selects nothing of what it applies to.
pub fn diagnostic(site: Site, policy: &Meta, target: PolicyTarget) -> Diagnostic {
    let (what, field, help) = match target {
        PolicyTarget::Routes => (
            "no route of a RouteTable in its workspace",
            "spec.applyToRoutes",
            "label the routes it is meant for (`http[].labels`), or correct its selector",
        ),
        PolicyTarget::Destinations => (
            "no port of a VirtualDestination its workspace owns",
            "spec.applyToDestinations",
            "label the VirtualDestinations it is meant for, or correct its selector",
        ),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} selects {what}, so it changes nothing",
            policy.kind, policy.namespace, policy.name
        ),
    )
    .field(field)
    .help(help)
}
