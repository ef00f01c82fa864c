//! **VDC603 invalid-weights** (error): Weights that do not sum to 100.
//!
//! ## What it does
//!
//! Weights that do not add up: in a FailoverPolicy locality mapping's `to` list, or across a
//! route's `forwardTo.destinations`. The weights may not exceed 100; without unweighted entries
//! they must be exactly 100; unweighted entries share what is left and need at least 1 each.
//!
//! ## Why is this bad?
//!
//! Istio requires `distribute` weights, and route weights, to sum to exactly 100 and refuses
//! the DestinationRule or VirtualService otherwise.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!   config:
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!       to:
//!       - region: us-east-1
//!         weight: 80
//!       - region: us-east-2
//!         weight: 30
//! ```
//!
//! ## Fix
//!
//! Make the weights sum to 100 (`80` and `20`), or leave some unweighted to share the rest.
//!
//! Fixture: `testdata/check/invalid-weights/`. Long form: `docs/diagnostics.md#vdc603`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidWeights;
