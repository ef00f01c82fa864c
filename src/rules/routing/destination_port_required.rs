//! **VDC702 destination-port-required** (error): A route to a multi-port VirtualDestination names no port.
//!
//! ## What it does
//!
//! A route to a VirtualDestination with several ports that does not say which one.
//!
//! ## Why is this bad?
//!
//! The generated VirtualService must route to one port of the host; vdc does not guess
//! which.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!       destinations:
//!       - ref:
//!           name: productpage        # serves ports 9080 and 80
//!         kind: VIRTUAL_DESTINATION
//!         # no port
//! ```
//!
//! ## Fix
//!
//! Add the port: `port: {number: 9080}`.
//!
//! Fixture: `testdata/check/destination-port-required/`. Long form: `docs/diagnostics.md#vdc702`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::DestinationPortRequired;
