//! **VDC417 backing-service-without-selector** (error): A backing Service has no pod selector.
//!
//! ## What it does
//!
//! A backing Service without `spec.selector` (its endpoints are managed by hand or by another
//! controller).
//!
//! ## Why is this bad?
//!
//! vdc derives the ServiceEntry's `workloadSelector` and the backends' SPIFFE identities from
//! the Service's pod selector. Without one, the selector would be empty and match every pod of the
//! namespace.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - kind: Service
//!   metadata:
//!     name: productpage
//!     labels:
//!       app: productpage
//!   spec:                      # no selector
//!     ports:
//!     - name: http
//!       port: 9080
//! ```
//!
//! ## Fix
//!
//! Back the VirtualDestination with a Service that selects its pods (`selector: {app:
//! productpage}`), or narrow the VirtualDestination's `services` selector so it does not match the
//! selector-less Service.
//!
//! Fixture: `testdata/check/backing-service-without-selector/`. Long form: `docs/diagnostics.md#vdc417`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::BackingServiceWithoutSelector;

/// VirtualDestination `vd_name` selects the Service `svc`, which has no pod selector.
pub fn diagnostic(site: Site, vd_name: &str, svc: &Meta) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{vd_name}` selects Service {}/{} in cluster `{}`, which has no `spec.selector`: a ServiceEntry cannot select its workloads",
        svc.namespace, svc.name, svc.cluster
    ))
    .field("spec.services")
    .help("select a Service that has a pod selector, or narrow the selector so it skips this one")
}
