//! **VDC408 duplicate-host** (error): A VirtualDestination lists a host twice.
//!
//! ## What it does
//!
//! A VirtualDestination that lists one host twice (compared without regard to case).
//!
//! ## Why is this bad?
//!
//! The ServiceEntry would list the host twice; it is a copy-paste slip that hides what was
//! meant.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   hosts:
//!   - productpage.global
//!   - productpage.global
//! ```
//!
//! ## Fix
//!
//! Remove the repeat.
//!
//! Fixture: `testdata/check/duplicate-host/`. Long form: `docs/diagnostics.md#vdc408`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use std::collections::HashSet;

pub const CODE: Code = Code::DuplicateHost;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for vd in &world.virtual_destinations {
        let mut seen = HashSet::new();
        for (i, host) in vd.hosts.iter().enumerate() {
            if !seen.insert(host.value.to_ascii_lowercase()) {
                diags.push(diagnostic(vd.meta.site(host.pos), i, host));
            }
        }
    }
}

/// Entry `i` of `spec.hosts`, `host`, repeats an earlier one.
pub fn diagnostic(site: Site, i: usize, host: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!("host `{host}` is listed twice"))
        .field(format!("spec.hosts[{i}]"))
        .help("remove the repeat")
}
