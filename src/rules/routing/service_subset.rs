//! **VDC723 service-subset** (error): A route sends traffic to a subset of a Kubernetes Service whose host a VirtualDestination's DestinationRule already holds.
//!
//! ## What it does
//!
//! A RouteTable destination of kind `SERVICE` (the default) with a `subset`, in a cluster where a
//! VirtualDestination also has the Service's cluster-local name
//! (`<name>.<namespace>.svc.cluster.local`) among its hosts. For a Service route with a subset vdc
//! writes, as Gloo does, a DestinationRule for the Service's host that defines the subset
//! ([Subsets](translation.md#subsets)); here the VirtualDestination's DestinationRule holds that
//! host already.
//!
//! ## Why is this bad?
//!
//! Istio uses one DestinationRule per host (two for one host are merged in an unspecified order),
//! so vdc cannot add a second one to define the subset, and a route to a subset no DestinationRule
//! defines gets 503 with `NC` (no cluster) for every request it matches.
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
//! ---
//! kind: VirtualDestination
//! metadata:
//!   name: reviews
//!   namespace: bookinfo-backends
//! spec:
//!   hosts:
//!   - reviews.bookinfo-backends.svc.cluster.local
//! ```
//!
//! ## Fix
//!
//! Route to the VirtualDestination (`kind: VIRTUAL_DESTINATION`, with the same `subset`): vdc
//! defines the subset in its DestinationRules. Or give the VirtualDestination a host of its own
//! (VDC414 warns about this one too).
//!
//! Fixture: `testdata/check/service-subset/`. Long form: `docs/diagnostics.md#vdc723`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::ServiceSubset;

/// A subset `subset` of Service `service` (namespace, name), asked by route `route` (empty
/// for a mirror) at `field`, whose `host` VirtualDestination `vd` claims in `cluster`.
pub struct Claimed<'a> {
    pub route: &'a str,
    pub subset: &'a str,
    pub service: (&'a str, &'a str),
    pub host: &'a str,
    pub vd: &'a str,
    pub cluster: &'a str,
    pub field: &'a str,
}

/// The subset cannot be defined: the VirtualDestination's DestinationRule holds the host.
pub fn diagnostic(site: Site, c: &Claimed) -> Diagnostic {
    let (namespace, name) = c.service;
    Diagnostic::new_at(CODE, site, format!(
        "route `{}` sends traffic to subset `{}` of Service {namespace}/{name}, whose host `{}` VirtualDestination {} also claims in cluster `{}`: vdc cannot write the DestinationRule that would define the subset beside the VirtualDestination's own for that host (Istio would use one of the two), and a subset no DestinationRule defines gets 503 (no cluster)",
        c.route, c.subset, c.host, c.vd, c.cluster
    ))
    .field(c.field.to_owned())
    .help("route to the VirtualDestination (kind: VIRTUAL_DESTINATION) with this subset, or give the VirtualDestination a host of its own")
}
