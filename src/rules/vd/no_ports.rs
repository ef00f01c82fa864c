//! **VDC401 no-ports** (error): A VirtualDestination has no ports.
//!
//! ## What it does
//!
//! A VirtualDestination without `spec.ports`, or with an empty list.
//!
//! ## Why is this bad?
//!
//! The CRD requires at least one port, and the generated ServiceEntry needs one to route
//! anything.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   services:
//!   - labels:
//!       app: productpage
//!   # no ports
//! ```
//!
//! ## Fix
//!
//! Add the ports clients call: `ports: [{number: 9080, protocol: HTTP}]`.
//!
//! Fixture: `testdata/check/no-ports/`. Long form: `docs/diagnostics.md#vdc401`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NoPorts;

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "a VirtualDestination needs at least one port in `spec.ports`",
    )
    .field("spec.ports")
    .help("add `ports: [{number: 8080, protocol: HTTP}]`")
}
