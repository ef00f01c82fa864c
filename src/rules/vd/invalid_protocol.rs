//! **VDC404 invalid-protocol** (error): A VirtualDestination port protocol is not one Gloo accepts.
//!
//! ## What it does
//!
//! A VirtualDestination port `protocol` that is not one of HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP,
//! TLS (the CRD also accepts their lower-case forms and `gRPC`; vdc emits the upper-case form).
//!
//! ## Why is this bad?
//!
//! The CRD refuses any other value; UDP, for one, is not something a VirtualDestination can
//! carry.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080
//!     protocol: UDP
//! ```
//!
//! ## Fix
//!
//! Use one of the listed protocols: `protocol: HTTP`.
//!
//! Fixture: `testdata/check/invalid-protocol/`. Long form: `docs/diagnostics.md#vdc404`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidProtocol;

/// `path` holds `protocol`.
pub fn diagnostic(site: Site, path: &str, protocol: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{path}` is `{protocol}`, which is not a VirtualDestination protocol"),
    )
    .field(path)
    .help("use one of HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS")
}
