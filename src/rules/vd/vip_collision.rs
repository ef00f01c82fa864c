//! **VDC415 vip-collision** (warning): A VirtualDestination VIP collided and was re-hashed.
//!
//! ## What it does
//!
//! A VirtualDestination whose virtual IP (a hash of its name, namespace and cluster into
//! 240.0.0.0/4) is already taken by another VirtualDestination in a cluster where both generate
//! objects, or is 255.255.255.255. vdc re-hashes to the next free address.
//!
//! ## Why is this bad?
//!
//! Nothing breaks: the new address is stable for as long as both VirtualDestinations exist. The
//! warning explains why the VIP differs from the plain hash, and that it moves back if the older
//! one is deleted.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! kind: VirtualDestination
//! metadata:
//!   name: reviews-22249
//! ---
//! kind: VirtualDestination
//! metadata:
//!   name: reviews-52699      # hashes to the same VIP, 253.37.48.199
//! ```
//!
//! ## Fix
//!
//! Nothing to fix. Rename one of the two if you want each VIP to depend only on its own
//! VirtualDestination.
//!
//! Fixture: `testdata/check/vip-collision/`. Long form: `docs/diagnostics.md#vdc415`.

use crate::diagnostic::{Code, Diagnostic, Site};
use std::net::Ipv4Addr;

pub const CODE: Code = Code::VipCollision;

/// Why the VIP of VirtualDestination `vd` was re-hashed.
pub enum Case<'a> {
    /// It hashed to 255.255.255.255.
    Broadcast { vd: &'a str },
    /// `vip` is held by `holder` (`namespace/name`).
    Taken {
        vd: &'a str,
        vip: Ipv4Addr,
        holder: &'a str,
    },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::Broadcast { vd } => Diagnostic::new_at(CODE, site, format!(
            "the VIP of VirtualDestination `{vd}` hashes to the broadcast address 255.255.255.255; vdc assigns the next one"
        ))
        .help("nothing to fix: the address is stable"),
        Case::Taken { vd, vip, holder } => Diagnostic::new_at(CODE, site, format!(
            "the VIP {vip} of VirtualDestination `{vd}` is already taken by {holder}; vdc assigns the next free one"
        ))
        .help("nothing to fix: the address is stable as long as both VirtualDestinations exist"),
    }
}
