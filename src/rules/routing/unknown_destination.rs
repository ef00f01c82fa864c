//! **VDC701 unknown-destination** (error): A route forwards to a VirtualDestination, ExternalService or Kubernetes Service that does not exist.
//!
//! ## What it does
//!
//! A RouteTable destination of kind `VIRTUAL_DESTINATION` or `EXTERNAL_SERVICE` whose `ref` (name;
//! namespace and cluster default to the RouteTable's) names no such object, or one that has errors
//! of its own; and a destination of kind `SERVICE` (the default) naming a Service that the dump of
//! a cluster the route is written to does not hold (the cluster `ref.cluster` names, or, without
//! it, every cluster whose sidecars or gateways get the route; see
//! [VirtualService destinations](translation.md#destinations)).
//!
//! ## Why is this bad?
//!
//! The route would forward to nothing: requests matching it fail (Istio answers 503).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: product-page       # the VirtualDestination is productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! Correct the `ref` (name, namespace, cluster). If the VirtualDestination exists, fix the
//! errors reported for it first. A Service must exist in every cluster the route is written to;
//! to reach one that runs elsewhere, route to a VirtualDestination that selects it.
//!
//! Fixture: `testdata/check/unknown-destination/`. Long form: `docs/diagnostics.md#vdc701`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnknownDestination;

/// Route `route` forwards to VirtualDestination `namespace/name` in `cluster`; `field` is the
/// destination's path.
pub fn diagnostic(
    site: Site,
    route: &str,
    namespace: &str,
    name: &str,
    cluster: &str,
    field: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` forwards to VirtualDestination {namespace}/{name} in cluster `{cluster}`, which the input does not define"
    ))
    .field(field)
    .help("check the destination's `ref` name, namespace and cluster")
}

/// Why a route's ExternalService destination `namespace/name` cannot be routed to.
pub enum External<'a> {
    /// It is not defined in `cluster`.
    Undefined { cluster: &'a str },
    /// Its hosts are all wildcards.
    OnlyWildcardHosts,
}

/// Route `route` forwards to ExternalService `namespace/name`; `field` is the destination's path.
pub fn external_service(
    site: Site,
    route: &str,
    namespace: &str,
    name: &str,
    field: &str,
    why: External,
) -> Diagnostic {
    match why {
        External::Undefined { cluster } => Diagnostic::new_at(CODE, site, format!(
            "route `{route}` forwards to ExternalService {namespace}/{name} in cluster `{cluster}`, which the input does not define"
        ))
        .field(field.to_owned())
        .help("check the destination's `ref` name, namespace and cluster"),
        External::OnlyWildcardHosts => Diagnostic::new_at(CODE, site, format!(
            "route `{route}` forwards to ExternalService {namespace}/{name}, whose hosts are all wildcards: a route needs one host to send to"
        ))
        .field(field.to_owned())
        .help("give the ExternalService a host without `*`"),
    }
}

/// Route `route` forwards to Service `namespace/name`, which the dump of `cluster` (a cluster the
/// route is written to) does not hold; `field` is the destination's path.
pub fn service(
    site: Site,
    route: &str,
    namespace: &str,
    name: &str,
    cluster: &str,
    field: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` forwards to Service {namespace}/{name}, which cluster `{cluster}` (where the route is written) does not have: requests matching it would get 503"
    ))
    .field(field.to_owned())
    .help("check the destination's `ref` name and namespace; to reach a Service that runs in another cluster, route to a VirtualDestination that selects it")
}
