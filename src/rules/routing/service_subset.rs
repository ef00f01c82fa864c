//! **VDC720 service-subset** (error): A route sends traffic to a subset of a Kubernetes Service, which no DestinationRule vdc writes defines.
//!
//! ## What it does
//!
//! A RouteTable destination of kind `SERVICE` (the default) with a `subset`. vdc writes the
//! route's `subset: <name>`, but makes DestinationRules only for VirtualDestinations, so nothing
//! it writes defines that subset for the Service's host. Gloo generates such a DestinationRule; vdc
//! does not yet.
//!
//! ## Why is this bad?
//!
//! Istio drops a route to a subset no DestinationRule defines: every request it matches gets
//! 503 with `NC` (no cluster), and `vdc trace` says so. The route's whole purpose (send the
//! traffic to one version) turns into an outage.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: reviews
//!           namespace: bookinfo-backends
//!         port:
//!           number: 9080
//!         subset:
//!           version: v2
//! ```
//!
//! ## Fix
//!
//! Route to a VirtualDestination that selects the Service (`kind: VIRTUAL_DESTINATION`, with the
//! same `subset`): vdc defines the subset in the VirtualDestination's DestinationRules and makes
//! it reachable wherever its pods run. Or drop the `subset`.
//!
//! Fixture: `testdata/check/service-subset/`. Long form: `docs/diagnostics.md#vdc720`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::ServiceSubset;

/// Route `route` sends traffic to subset `subset` of Service `namespace/name`; `field` is the
/// destination's path.
pub fn diagnostic(
    site: Site,
    route: &str,
    subset: &str,
    (namespace, name): (&str, &str),
    field: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` sends traffic to subset `{subset}` of Service {namespace}/{name}, but vdc writes no DestinationRule that defines a Service's subsets: Istio would answer every request it matches with 503 (no cluster)"
    ))
    .field(field.to_owned())
    .help("route to a VirtualDestination that selects the Service (kind: VIRTUAL_DESTINATION) with this subset, or drop the `subset`")
}
