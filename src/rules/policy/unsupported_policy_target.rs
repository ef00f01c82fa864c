//! **VDC607 unsupported-policy-target** (error): A policy targets a destination kind it does not support.
//!
//! ## What it does
//!
//! A FailoverPolicy whose `applyToDestinations` has `kind: EXTERNAL_SERVICE`.
//!
//! ## Why is this bad?
//!
//! Gloo does not support failover for external services; the policy would do nothing there.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: FailoverPolicy
//! spec:
//!   applyToDestinations:
//!   - kind: EXTERNAL_SERVICE
//!     selector:
//!       name: productpage
//! ```
//!
//! ## Fix
//!
//! Apply the policy to the VirtualDestination in front of the external service
//! (`kind: VIRTUAL_DESTINATION`).
//!
//! Fixture: `testdata/check/unsupported-policy-target/`. Long form: `docs/diagnostics.md#vdc607`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::UnsupportedPolicyTarget;
