//! **VDC605 mappings-and-priority-labels** (warning): Both localityMappings and priorityLabels; mappings win.
//!
//! ## What it does
//!
//! A FailoverPolicy that sets both `localityMappings` and `priorityLabels`.
//!
//! ## Why is this bad?
//!
//! Only one mechanism can drive failover; vdc applies the mappings and ignores the priority
//! labels.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!   config:
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!       to:
//!       - region: us-east-1
//!     priorityLabels:
//!       labels:
//!       - topology.kubernetes.io/region
//! ```
//!
//! ## Fix
//!
//! Remove one of the two.
//!
//! Fixture: `testdata/check/mappings-and-priority-labels/`. Long form: `docs/diagnostics.md#vdc605`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::MappingsAndPriorityLabels;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, failover) in world.failover_policies() {
        if !failover.mappings.is_empty() && !failover.priority_labels.is_empty() {
            diags.push(diagnostic(policy.meta.site(policy.meta.pos)));
        }
    }
}

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "the policy sets both `localityMappings` and `priorityLabels`; only the mappings take effect",
    )
    .field("spec.config")
    .help("remove one of them")
}
