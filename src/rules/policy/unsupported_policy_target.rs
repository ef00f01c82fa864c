//! **VDC607 unsupported-policy-target** (error): A policy targets a destination kind it does not support.
//!
//! ## What it does
//!
//! A FailoverPolicy whose `applyToDestinations` has `kind: EXTERNAL_SERVICE`.
//!
//! ## Why is this bad?
//!
//! Gloo does not support failover for external services; the policy would do nothing there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: FailoverPolicy
//! spec:
//!   applyToDestinations:
//!   - kind: EXTERNAL_SERVICE
//!     selector:
//!       name: productpage
//! ```
//!
//! ## Fix
//!
//! Apply the policy to the VirtualDestination in front of the external service
//! (`kind: VIRTUAL_DESTINATION`).
//!
//! Fixture: `testdata/check/unsupported-policy-target/`. Long form: `docs/diagnostics.md#vdc607`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::UnsupportedPolicyTarget;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, _) in world.failover_policies() {
        for (i, d) in policy.apply_to_destinations.iter().enumerate() {
            if d.kind == "EXTERNAL_SERVICE" {
                diags.push(diagnostic(policy.meta.site(d.selector.pos), i));
            }
        }
    }
}

/// Entry `i` of a FailoverPolicy's `spec.applyToDestinations`.
pub fn diagnostic(site: Site, i: usize) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "a FailoverPolicy cannot apply to EXTERNAL_SERVICE destinations",
    )
    .field(format!("spec.applyToDestinations[{i}].kind"))
    .help("apply it to the VirtualDestination in front of the external service")
}
