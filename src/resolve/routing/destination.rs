//! One route destination as every kind of destination is resolved: which RouteTable route holds
//! it, what it names, and where its diagnostics point.

use crate::diagnostic::Site;
use crate::model::types::{HttpRoute, Meta, RouteDestination, RouteTable};

/// A destination vdc cannot route to; its diagnostic is already reported.
pub struct Refused;

/// One destination of one route of a RouteTable.
pub struct DestinationAt<'a> {
    pub rt: &'a RouteTable,
    /// The RouteTable's workspace.
    pub rt_ws: &'a str,
    pub route: &'a HttpRoute,
    pub destination: &'a RouteDestination,
    /// The namespace it names: its reference's, else the RouteTable's.
    pub namespace: String,
    /// The cluster it names: its reference's, else the RouteTable's.
    pub cluster: String,
    /// Its path in the RouteTable: `spec.http[i].forwardTo.destinations[j]`.
    pub field: String,
}

impl<'a> DestinationAt<'a> {
    /// Destination `index` of route `route_index`, with the RouteTable's namespace and cluster
    /// where its reference names none.
    pub fn new(
        rt: &'a RouteTable,
        rt_ws: &'a str,
        (route_index, route): (usize, &'a HttpRoute),
        (index, destination): (usize, &'a RouteDestination),
    ) -> Self {
        let reference = &destination.reference;
        DestinationAt {
            rt,
            rt_ws,
            route,
            destination,
            namespace: reference
                .namespace
                .clone()
                .unwrap_or_else(|| rt.meta.namespace.clone()),
            cluster: reference
                .cluster
                .clone()
                .unwrap_or_else(|| rt.meta.cluster.clone()),
            field: format!("spec.http[{route_index}].forwardTo.destinations[{index}]"),
        }
    }

    /// The name the destination's reference gives.
    pub fn name(&self) -> &'a str {
        &self.destination.reference.name
    }

    /// Whether `meta` is the object the destination names.
    pub fn names(&self, meta: &Meta) -> bool {
        meta.name == *self.name()
            && meta.namespace == self.namespace
            && meta.cluster == self.cluster
    }

    /// The destination in its RouteTable's file.
    pub fn site(&self) -> Site {
        self.rt.meta.site(self.destination.pos)
    }
}
