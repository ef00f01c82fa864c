//! **VDC730 external-service-subset** (error): A route forwards to a subset of an ExternalService, which vdc does not translate.
//!
//! ## What it does
//!
//! A route destination of `kind: EXTERNAL_SERVICE` with a `subset`: the labels of the
//! ExternalEndpoints the route should reach (`common/v2/references.proto`, `DestinationReference`).
//!
//! ## Why is this bad?
//!
//! vdc writes an ExternalService's ServiceEntry and DestinationRule without subsets, so the route
//! would reach every endpoint of the service: traffic Gloo sends to some of its endpoints would go
//! to all of them. vdc refuses the route rather than send it elsewhere.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! forwardTo:
//!   destinations:
//!   - ref:
//!       name: fraud-api
//!     kind: EXTERNAL_SERVICE
//!     port:
//!       number: 443
//!     subset:
//!       version: v2
//! ```
//!
//! ## Fix
//!
//! Give the endpoints of that subset an ExternalService of their own (its `selector` picks their
//! ExternalEndpoints by label) and route to it without `subset`.
//!
//! Fixture: `testdata/check/external-service-subset/`. Long form: `docs/diagnostics.md#vdc730`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Labels;

pub const CODE: Code = Code::ExternalServiceSubset;

/// Route `route` forwards to ExternalService `namespace/name` at `field`, asking for the
/// subset `labels`.
pub fn diagnostic(
    site: Site,
    route: &str,
    (namespace, name): (&str, &str),
    field: &str,
    labels: &Labels,
) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "route `{route}` forwards to ExternalService {namespace}/{name} asking for subset {}, which vdc does not translate: without it the route would reach every endpoint of the service",
            super::subset_not_served::labels_shown(labels)
        ),
    )
    .field(format!("{field}.subset"))
    .help("give those endpoints an ExternalService of their own (its `selector` picks their ExternalEndpoints) and route to it without `subset`")
}
