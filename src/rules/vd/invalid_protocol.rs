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

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidProtocol;
