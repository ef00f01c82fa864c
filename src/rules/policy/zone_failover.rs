//! **VDC606 zone-failover** (warning): A zone-level failover mapping without weights; Istio fails over by region.
//!
//! ## What it does
//!
//! A FailoverPolicy locality mapping without weights that names a `zone` or `subZone`.
//!
//! ## Why is this bad?
//!
//! Without weights the mapping becomes Istio `failover` (from/to), which works on regions only:
//! the zones are ignored.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!         zone: us-west-1a
//!       to:
//!       - region: us-west-1
//!         zone: us-west-1b
//! ```
//!
//! ## Fix
//!
//! Give the targets weights (summing to 100) to route by zone with `distribute`, or drop the
//! zones.
//!
//! Fixture: `testdata/check/zone-failover/`. Long form: `docs/diagnostics.md#vdc606`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::ZoneFailover;
