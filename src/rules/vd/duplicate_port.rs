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

use crate::diagnostic::Code;

pub const CODE: Code = Code::DuplicatePort;
