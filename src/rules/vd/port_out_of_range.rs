//! **VDC402 port-out-of-range** (error): A port number outside 1-65535.
//!
//! ## What it does
//!
//! A port number outside 1–65535: a VirtualDestination port or `targetPort.number`, a port
//! selector in a policy, route or gateway, a `hostInfoOverrides` port, or a Service or container
//! port in cluster state.
//!
//! ## Why is this bad?
//!
//! It is not a TCP or UDP port: the API server refuses the object.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 70000
//!     protocol: HTTP
//! ```
//!
//! ## Fix
//!
//! Use the port the application listens on, between 1 and 65535: `number: 9080`.
//!
//! Fixture: `testdata/check/port-out-of-range/`. Long form: `docs/diagnostics.md#vdc402`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::PortOutOfRange;

/// `path` holds `n`, not a port number.
pub fn diagnostic(site: Site, path: &str, n: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{path}` is {n}, which is not a port number"),
    )
    .field(path)
    .help("a port number is between 1 and 65535")
}
