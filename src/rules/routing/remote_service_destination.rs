//! **VDC722 remote-service-destination** (error): A route forwards to a Kubernetes Service in another cluster than the one its VirtualService is written to.
//!
//! ## What it does
//!
//! A RouteTable destination of kind `SERVICE` (the default) whose `ref.cluster` names a cluster
//! other than one the route's VirtualService is written to (a cluster whose gateway the RouteTable
//! attaches to, or whose workloads its `workloadSelectors` pick).
//!
//! ## Why is this bad?
//!
//! Gloo reaches a Service of another cluster only through workspace federation, under the
//! federated host `<name>.<namespace>.svc.<cluster>.global`, which vdc does not generate. Written
//! as is, the route would name the local cluster's Service of the same name, a different backend
//! that may not run the subset or version the route asks for (or may not exist at all).
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
//!           cluster: cluster2        # the route is written to cluster1's sidecars
//! ```
//!
//! ## Fix
//!
//! Route to a VirtualDestination that selects the Service (`kind: VIRTUAL_DESTINATION`): vdc
//! makes it reachable from every client cluster through the east-west gateways. Or leave
//! `ref.cluster` out to route each cluster's sidecars to their own cluster's Service.
//!
//! Fixture: `testdata/check/remote-service-destination/`. Long form: `docs/diagnostics.md#vdc722`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::RemoteServiceDestination;

/// Where a route to Service `namespace/name` of cluster `service_cluster` is written:
/// `client_cluster`.
pub struct Remote<'a> {
    pub route: &'a str,
    pub namespace: &'a str,
    pub name: &'a str,
    pub service_cluster: &'a str,
    pub client_cluster: &'a str,
    /// The destination's path in its RouteTable.
    pub field: &'a str,
}

/// A route to a Service of another cluster than the one its VirtualService is written to.
pub fn diagnostic(site: Site, r: &Remote) -> Diagnostic {
    let (ns, name, there) = (r.namespace, r.name, r.service_cluster);
    Diagnostic::new_at(CODE, site, format!(
        "route `{}` forwards to Service {ns}/{name} of cluster `{there}`, but its VirtualService is written to cluster `{}`: Gloo reaches another cluster's Service only through workspace federation (`{name}.{ns}.svc.{there}.global`), which vdc does not generate, and the local Service of that name is another backend",
        r.route, r.client_cluster
    ))
    .field(r.field.to_owned())
    .help("route to a VirtualDestination that selects the Service (kind: VIRTUAL_DESTINATION), or leave out `ref.cluster` to use each cluster's own Service")
}
