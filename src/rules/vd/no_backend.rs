//! **VDC418 no-backend** (error): A VirtualDestination has no backend in any cluster.
//!
//! ## What it does
//!
//! A VirtualDestination that nothing backs anywhere: its `services` selectors match no Service in
//! any cluster (or it has none), and no ExternalService or ExternalWorkload backs it either. It
//! replaces VDC413 for that VirtualDestination, with the same hint about the selector.
//!
//! ## Why is this bad?
//!
//! Its ServiceEntry would have no endpoints: every call to its hosts, from a sidecar or through a
//! gateway's route, would fail with 503 (no healthy upstream). vdc refuses to write configuration
//! that routes nowhere, rather than warn and write a ServiceEntry without endpoints.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   services:
//!   - labels:
//!       app: product-page       # the Service is labelled app: productpage
//! ```
//!
//! ## Fix
//!
//! Correct the selector (its labels are the Service's own `metadata.labels`), deploy the Service
//! before the VirtualDestination, or export the Service to the VirtualDestination's workspace.
//!
//! Fixture: `testdata/check/no-backend/`. Long form: `docs/diagnostics.md#vdc418`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::suggest::LabelHint;

pub const CODE: Code = Code::NoBackend;

/// Nothing backs VirtualDestination `vd_name` of workspace `owner`. `selects`: it has
/// `spec.services` selectors, which then match nothing (`hint` names what they probably meant).
pub fn diagnostic(
    site: Site,
    owner: &str,
    vd_name: &str,
    selects: bool,
    hint: Option<LabelHint>,
) -> Diagnostic {
    let (why, help) = if selects {
        (
            format!(
                "no Service in a namespace of workspace `{owner}` (or imported into it) matches its `spec.services` selectors"
            ),
            super::selector_matches_nothing::label_help(hint),
        )
    } else {
        (
            "its `spec.services` selects no Service".to_owned(),
            "select the Services that serve it in `spec.services`, or leave the VirtualDestination out until they exist".to_owned(),
        )
    };
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{vd_name}` has no backend in any cluster: {why}, and no ExternalService or ExternalWorkload backs it; its ServiceEntry would have no endpoints, so every call to it would fail (503)"
    ))
    .field("spec.services")
    .help(help)
}
