//! **VDC703 unknown-destination-port** (error): A route names a port the VirtualDestination does not serve.
//!
//! ## What it does
//!
//! A route that asks for a port its VirtualDestination does not serve.
//!
//! ## Why is this bad?
//!
//! The route would send traffic to a port with no listener: requests fail.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!       - ref:
//!           name: productpage        # serves 9080
//!         kind: VIRTUAL_DESTINATION
//!         port:
//!           number: 9081
//! ```
//!
//! ## Fix
//!
//! Use one of the VirtualDestination's port numbers (the message lists them).
//!
//! Fixture: `testdata/check/unknown-destination-port/`. Long form: `docs/diagnostics.md#vdc703`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::UnknownDestinationPort;
