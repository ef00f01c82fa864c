//! **VDC207 invalid-value** (error): A field has a value outside what its schema allows.
//!
//! ## What it does
//!
//! A value of the right type outside what the schema allows: an integer out of its range
//! (`consecutiveErrors` at least 1, `maxEjectionPercent` 0–100, weights 0–100), a value that is not
//! one of an enum's values (`applyToDestinations[].kind`, WorkspaceSettings `resources[].kind`,
//! a VirtualGateway's `tls.mode`, …), a duration that is not Go style or is below 1ms, a port
//! selector with both `number` and `name`, an OutlierDetectionPolicy that selects `SERVICE`
//! destinations.
//!
//! ## Why is this bad?
//!
//! Gloo refuses such a policy, or Istio refuses the configuration it translates to.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: OutlierDetectionPolicy
//! spec:
//!   config:
//!     consecutiveErrors: 2
//!     maxEjectionPercent: 150
//! ```
//!
//! ## Fix
//!
//! Use a value the message allows: `maxEjectionPercent: 100` (0 also means 100).
//!
//! Fixture: `testdata/check/invalid-value/`. Long form: `docs/diagnostics.md#vdc207`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidValue;
