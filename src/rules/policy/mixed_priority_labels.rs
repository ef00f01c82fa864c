//! **VDC604 mixed-priority-labels** (error): priorityLabels mixes keys and key=value pairs.
//!
//! ## What it does
//!
//! A FailoverPolicy whose `priorityLabels.labels` mixes plain label keys and `key=value`
//! pairs.
//!
//! ## Why is this bad?
//!
//! Gloo refuses the policy: Istio's failover priority takes either form, not both.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!   config:
//!     priorityLabels:
//!       labels:
//!       - topology.kubernetes.io/region
//!       - topology.kubernetes.io/zone=us-west-1a
//! ```
//!
//! ## Fix
//!
//! Use only keys (`[topology.kubernetes.io/region, topology.kubernetes.io/zone]`) or only
//! `key=value` pairs.
//!
//! Fixture: `testdata/check/mixed-priority-labels/`. Long form: `docs/diagnostics.md#vdc604`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::MixedPriorityLabels;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, failover) in world.failover_policies() {
        let with_value = failover
            .priority_labels
            .iter()
            .filter(|l| l.contains('='))
            .count();
        if with_value != 0 && with_value != failover.priority_labels.len() {
            diags.push(diagnostic(policy.meta.site(policy.meta.pos)));
        }
    }
}

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "`priorityLabels.labels` mixes plain label keys and `key=value` pairs",
    )
    .field("spec.config.priorityLabels.labels")
    .help("use only keys (`[region, zone]`) or only `key=value` pairs")
}
