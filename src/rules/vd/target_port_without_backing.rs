//! **VDC405 target-port-without-backing** (error): A targetPort on a VirtualDestination without backing selectors.
//!
//! ## What it does
//!
//! A `targetPort` on a port of a VirtualDestination that has no backing selectors (`services`,
//! `externalServices`, `externalWorkloads`).
//!
//! ## Why is this bad?
//!
//! A target port names a port of the backing objects, and there are none. Gloo's CRD refuses
//! the object.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!     targetPort:
//!       number: 9080
//! ```
//!
//! ## Fix
//!
//! Add `services:` selectors for the Services behind the host, or remove the `targetPort`.
//!
//! Fixture: `testdata/check/target-port-without-backing/`. Long form: `docs/diagnostics.md#vdc405`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::TargetPortWithoutBacking;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for vd in &world.virtual_destinations {
        let has_backing = !vd.services.is_empty()
            || !vd.external_services.is_empty()
            || !vd.external_workloads.is_empty();
        if has_backing {
            continue;
        }
        for (i, port) in vd.ports.iter().enumerate() {
            if let Some(target) = &port.target_port {
                diags.push(diagnostic(vd.meta.site(target.pos), i));
            }
        }
    }
}

/// The `targetPort` of entry `i` of `spec.ports`.
pub fn diagnostic(site: Site, i: usize) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "`targetPort` needs backing objects, but this VirtualDestination selects none",
    )
    .field(format!("spec.ports[{i}].targetPort"))
    .help("add `services:` selectors, or remove the `targetPort`")
}
