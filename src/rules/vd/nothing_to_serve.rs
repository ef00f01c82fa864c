//! **VDC406 nothing-to-serve** (error): A VirtualDestination has no hosts and no backing selectors.
//!
//! ## What it does
//!
//! A VirtualDestination with none of `hosts`, `services`, `externalServices` and
//! `externalWorkloads`.
//!
//! ## Why is this bad?
//!
//! It serves nothing; Gloo's CRD refuses it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//! ```
//!
//! ## Fix
//!
//! Add the host clients call and `services:` selectors for the Services behind it.
//!
//! Fixture: `testdata/check/nothing-to-serve/`. Long form: `docs/diagnostics.md#vdc406`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::NothingToServe;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for vd in &world.virtual_destinations {
        let has_backing = !vd.services.is_empty()
            || !vd.external_services.is_empty()
            || !vd.external_workloads.is_empty();
        if vd.hosts.is_empty() && !has_backing {
            diags.push(diagnostic(vd.meta.site(vd.spec_pos)));
        }
    }
}

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "a VirtualDestination needs at least one of `hosts`, `services`, `externalServices` or `externalWorkloads`",
    )
    .field("spec")
    .help("add the host it serves and `services:` selectors for the Services behind it")
}
