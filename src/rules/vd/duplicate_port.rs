//! **VDC403 duplicate-port** (error): A VirtualDestination lists a port number twice.
//!
//! ## What it does
//!
//! A VirtualDestination that lists one port `number` twice.
//!
//! ## Why is this bad?
//!
//! Both entries would become ports of one number in the generated ServiceEntry, which Istio
//! refuses.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!   - number: 9080
//!     protocol: HTTP2
//! ```
//!
//! ## Fix
//!
//! Give each entry its own number, or remove the repeat.
//!
//! Fixture: `testdata/check/duplicate-port/`. Long form: `docs/diagnostics.md#vdc403`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use std::collections::HashMap;

pub const CODE: Code = Code::DuplicatePort;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for vd in &world.virtual_destinations {
        let mut seen: HashMap<u32, usize> = HashMap::new();
        for (i, port) in vd.ports.iter().enumerate() {
            if let Some(first) = seen.insert(*port.number, i) {
                diags.push(diagnostic(
                    vd.meta.site(port.number.pos),
                    i,
                    first,
                    *port.number,
                ));
            }
        }
    }
}

/// Port `number`, entry `i` of `spec.ports`, repeats entry `first`.
pub fn diagnostic(site: Site, i: usize, first: usize, number: u32) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("port {number} is listed twice (also `spec.ports[{first}]`)"),
    )
    .field(format!("spec.ports[{i}].number"))
    .help("each VirtualDestination port needs its own number")
}
