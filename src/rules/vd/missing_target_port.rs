//! **VDC410 missing-target-port** (error): A backing Service lacks the port a VirtualDestination targets.
//!
//! ## What it does
//!
//! A backing Service, in some cluster, without the port a VirtualDestination port targets.
//! `targetPort.number` names the Service's `port`, `targetPort.name` the Service port's `name`;
//! without a `targetPort` the VirtualDestination port's own number is looked up. (vdc then follows
//! the Service's own `targetPort` to the container port.)
//!
//! ## Why is this bad?
//!
//! Traffic for that port would be sent to a port nothing listens on in that cluster: requests
//! fail with 503s that are hard to trace back to the config.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!     targetPort:
//!       number: 8080      # the productpage Service has port 9080 only
//! ```
//!
//! ## Fix
//!
//! Target a port the Service has (the help lists them): `targetPort: {number: 9080}` or
//! `targetPort: {name: http}`, or drop `targetPort` when the numbers are equal.
//!
//! Fixture: `testdata/check/missing-target-port/`. Long form: `docs/diagnostics.md#vdc410`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::MissingTargetPort;
