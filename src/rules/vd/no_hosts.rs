//! **VDC416 no-hosts** (error): A VirtualDestination has no hosts to name its ServiceEntry.
//!
//! ## What it does
//!
//! A VirtualDestination without `spec.hosts`. Gloo accepts one that only selects backing
//! services, but vdc names and routes the generated ServiceEntry by its first host.
//!
//! ## Why is this bad?
//!
//! vdc cannot generate anything for it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   services:
//!   - labels:
//!       app: productpage
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//! ```
//!
//! ## Fix
//!
//! Add the host clients call: `hosts: [productpage.global]`.
//!
//! Fixture: `testdata/check/no-hosts/`. Long form: `docs/diagnostics.md#vdc416`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NoHosts;

/// VirtualDestination `vd_name` has no hosts.
pub fn diagnostic(site: Site, vd_name: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{vd_name}` has no `spec.hosts`; vdc names and routes its ServiceEntry by its first host"
    ))
    .field("spec.hosts")
    .help("add the host clients should call, such as `hosts: [my-app.mesh.internal]`")
}
