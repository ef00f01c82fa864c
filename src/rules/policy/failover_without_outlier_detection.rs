//! **VDC601 failover-without-outlier-detection** (warning): A FailoverPolicy without an OutlierDetectionPolicy never fails over.
//!
//! ## What it does
//!
//! A FailoverPolicy that applies to a port of a VirtualDestination that no
//! OutlierDetectionPolicy applies to.
//!
//! ## Why is this bad?
//!
//! Istio only fails over when outlier detection ejects the unhealthy endpoints; without it the
//! failover settings never take effect.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: FailoverPolicy
//! metadata:
//!   name: failover
//!   namespace: bookinfo-frontends
//! spec:
//!   applyToDestinations:
//!   - kind: VIRTUAL_DESTINATION
//!     selector:
//!       name: productpage
//! ```
//!
//! ## Fix
//!
//! Add an OutlierDetectionPolicy that selects the same VirtualDestination.
//!
//! Fixture: `testdata/check/failover-without-outlier-detection/`. Long form: `docs/diagnostics.md#vdc601`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::FailoverWithoutOutlierDetection;

/// FailoverPolicy `failover` applies to `port` of VirtualDestination `vd` alone.
pub fn diagnostic(site: Site, failover: &Meta, port: u32, vd: &Meta) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "FailoverPolicy `{}` applies to port {} of VirtualDestination {}/{}, but no OutlierDetectionPolicy does: Istio never fails over without outlier detection",
            failover.name, port, vd.namespace, vd.name
        ),
    )
    .help("add an OutlierDetectionPolicy that selects the same VirtualDestination")
}
