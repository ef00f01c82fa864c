//! **VDC807 failover-on-external-service** (warning): A FailoverPolicy on a port only ExternalServices back, where Gloo does not support failover.
//!
//! ## What it does
//!
//! A FailoverPolicy that applies to a VirtualDestination port whose only backends are
//! ExternalServices.
//!
//! ## Why is this bad?
//!
//! Gloo does not support FailoverPolicies on ExternalServices (its API reference says so for
//! `applyToDestinations`, VDC607). vdc leaves the policy out of that port rather than invent a
//! behaviour Gloo does not have; the outlier detection still applies.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/external.yaml`:
//!
//! ```yaml
//!   applyToDestinations:
//!   - kind: VIRTUAL_DESTINATION
//!     selector:
//!       name: ratings
//! ```
//!
//! ## Fix
//!
//! Give the ExternalEndpoints localities and rely on Istio's locality preference, or back the
//! VirtualDestination with a Service in the mesh as well (then the policy applies).
//!
//! Fixture: `testdata/check/failover-on-external-service/`. Long form: `docs/diagnostics.md#vdc807`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::FailoverOnExternalService;

/// FailoverPolicy `policy` applies to `port` of VirtualDestination `vd`, which only
/// ExternalServices back.
pub fn diagnostic(site: Site, policy: &Meta, port: u32, vd: &Meta) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "FailoverPolicy `{}` applies to port {} of VirtualDestination {}/{}, which only ExternalServices back; Gloo does not fail over between ExternalServices, so vdc leaves the policy out of that port",
        policy.name, port, vd.namespace, vd.name
    ))
    .field("spec.applyToDestinations")
    .help("give the ExternalServices' endpoints localities and let Istio prefer the nearest, or back the VirtualDestination with a Service as well")
}
