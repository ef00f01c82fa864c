//! **VDC702 destination-port-required** (error): A route to a multi-port VirtualDestination, ExternalService or Kubernetes Service names no port.
//!
//! ## What it does
//!
//! A route to a VirtualDestination, ExternalService or Kubernetes Service with several ports that
//! does not say which one. A Service is looked up in each cluster the route is written to: Gloo
//! needs the port "if the object provides more than one port" (`DestinationReference.port`).
//!
//! ## Why is this bad?
//!
//! The generated VirtualService must route to one port of the host; vdc does not guess
//! which.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!       destinations:
//!       - ref:
//!           name: productpage        # serves ports 9080 and 80
//!         kind: VIRTUAL_DESTINATION
//!         # no port
//! ```
//!
//! ## Fix
//!
//! Add the port: `port: {number: 9080}`.
//!
//! Fixture: `testdata/check/destination-port-required/`. Long form: `docs/diagnostics.md#vdc702`.

use super::Target;
use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::DestinationPortRequired;

/// Route `route` names no port of the `target` `namespace/name`, which has `numbers`; `field`
/// is the destination's path.
pub fn diagnostic(
    site: Site,
    target: Target,
    route: &str,
    namespace: &str,
    name: &str,
    numbers: &[u32],
    field: &str,
) -> Diagnostic {
    let kind = target.kind();
    Diagnostic::new_at(CODE, site, format!(
        "{kind} {namespace}/{name} has ports {numbers:?}, so route `{route}` must say which with `port: {{number: …}}`"
    ))
    .field(field)
    .help(format!("add `port: {{number: {}}}`", numbers[0]))
}

/// Route `route` names no port of Service `namespace/name`, which has `numbers` in `cluster`,
/// where the route is written; `field` is the destination's path.
pub fn of_service(
    site: Site,
    route: &str,
    (namespace, name): (&str, &str),
    cluster: &str,
    numbers: &[u32],
    field: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "Service {namespace}/{name} has ports {numbers:?} in cluster `{cluster}`, so route `{route}` must say which with `port: {{number: …}}` or `port: {{name: …}}`"
    ))
    .field(field)
    .help(format!("add `port: {{number: {}}}`", numbers[0]))
}
