//! **VDC606 zone-failover** (warning): A zone-level failover mapping without weights; Istio fails over by region.
//!
//! ## What it does
//!
//! A FailoverPolicy locality mapping without weights that names a `zone` or `subZone`.
//!
//! ## Why is this bad?
//!
//! Without weights the mapping becomes Istio `failover` (from/to), which works on regions only:
//! the zones are ignored. A target in the mapping's own region (here `us-west-1b` for a client in
//! `us-west-1a`) is left out, as Istio's webhook refuses a `failover` entry from a region to
//! itself; Istio prefers every zone of the client's own region before any failover target
//! anyway, so the message says so.
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
    // A weight anywhere makes every mapping a `distribute` entry, zones and all.
    for (policy, failover) in world.failover_policies() {
        for (i, m) in failover.mappings.iter().enumerate() {
            let names_a_zone = m.from.zone.is_some()
                || m.from.sub_zone.is_some()
                || m.to
                    .iter()
                    .any(|t| t.locality.zone.is_some() || t.locality.sub_zone.is_some());
            if !failover.weighted() && names_a_zone {
                let own_region = m.to.iter().any(|t| t.locality.region == m.from.region);
                let own_region = own_region.then_some(m.from.region.as_str());
                diags.push(diagnostic(policy.meta.site(m.pos), i, own_region));
            }
        }
    }
}

/// Entry `i` of a FailoverPolicy's `spec.config.localityMappings`; `own_region` when some of
/// its targets are in the region of its `from`, which vdc leaves out.
pub fn diagnostic(site: Site, i: usize, own_region: Option<&str>) -> Diagnostic {
    let mut message = String::from(
        "this mapping names a zone or subZone, but Istio fails over by region only: the zones are ignored",
    );
    if let Some(region) = own_region {
        message.push_str(&format!(
            ", and the targets in `{region}`, the mapping's own region, are left out: Istio prefers every zone of the client's region before any failover target"
        ));
    }
    Diagnostic::new_at(CODE, site, message)
        .field(format!("spec.config.localityMappings[{i}]"))
        .help("give the targets weights to route by zone with `distribute`, or drop the zones")
}
