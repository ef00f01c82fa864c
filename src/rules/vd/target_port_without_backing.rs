//! **VDC405 target-port-without-backing** (error): A targetPort on a VirtualDestination without backing selectors.
//!
//! ## What it does
//!
//! A `targetPort` on a port of a VirtualDestination that has no backing selectors (`services`,
//! `externalServices`, `externalWorkloads`).
//!
//! ## Why is this bad?
//!
//! A target port names a port of the backing objects, and there are none. Gloo's CRD refuses
//! the object.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!     targetPort:
//!       number: 9080
//! ```
//!
//! ## Fix
//!
//! Add `services:` selectors for the Services behind the host, or remove the `targetPort`.
//!
//! Fixture: `testdata/check/target-port-without-backing/`. Long form: `docs/diagnostics.md#vdc405`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::TargetPortWithoutBacking;
