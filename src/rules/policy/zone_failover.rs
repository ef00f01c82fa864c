//! **VDC606 zone-failover** (warning): A zone-level failover mapping without weights; Istio fails over by region.
//!
//! ## What it does
//!
//! A FailoverPolicy locality mapping without weights that names a `zone` or `subZone`.
//!
//! ## Why is this bad?
//!
//! Without weights the mapping becomes Istio `failover` (from/to), which works on regions only:
//! the zones are ignored.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!         zone: us-west-1a
//!       to:
//!       - region: us-west-1
//!         zone: us-west-1b
//! ```
//!
//! ## Fix
//!
//! Give the targets weights (summing to 100) to route by zone with `distribute`, or drop the
//! zones.
//!
//! Fixture: `testdata/check/zone-failover/`. Long form: `docs/diagnostics.md#vdc606`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::ZoneFailover;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, failover) in world.failover_policies() {
        for (i, m) in failover.mappings.iter().enumerate() {
            let weighted = m.to.iter().any(|t| t.weight.is_some());
            let names_a_zone = m.from.zone.is_some()
                || m.from.sub_zone.is_some()
                || m.to
                    .iter()
                    .any(|t| t.locality.zone.is_some() || t.locality.sub_zone.is_some());
            if !weighted && names_a_zone {
                diags.push(diagnostic(policy.meta.site(m.pos), i));
            }
        }
    }
}

/// Entry `i` of a FailoverPolicy's `spec.config.localityMappings`.
pub fn diagnostic(site: Site, i: usize) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "this mapping names a zone or subZone, but Istio fails over by region only: the zones are ignored",
    )
    .field(format!("spec.config.localityMappings[{i}]"))
    .help("give the targets weights to route by zone with `distribute`, or drop the zones")
}
