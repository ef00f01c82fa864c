//! One route destination as every kind of destination is resolved: which RouteTable route holds
//! it, what it names, and where its diagnostics point.

use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::model::routing_types::{HttpRoute, RouteDestination, RouteTable};
use crate::model::types::{Meta, PortRef};
use crate::resolve::resolved::SeenBy;
pub use crate::rules::routing::Target;
use crate::rules::routing::{destination_port_required, unknown_destination_port};

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
            field: if destination.from_default {
                "spec.defaultDestination".to_owned()
            } else {
                let section = route.layer.section();
                format!("spec.{section}[{route_index}].forwardTo.destinations[{index}]")
            },
        }
    }

    /// What [`SeenBy`] needs of the destination: the `kind` it names, owned by workspace
    /// `owner` and seen by `workspaces`.
    pub fn seen_by(
        &self,
        kind: &'static str,
        owner: &str,
        workspaces: &std::collections::BTreeSet<String>,
    ) -> Option<std::sync::Arc<SeenBy>> {
        Some(std::sync::Arc::new(SeenBy {
            kind,
            name: format!("{}/{}", self.namespace, self.name()),
            owner: owner.to_owned(),
            workspaces: workspaces.clone(),
            site: self.site(),
            field: self.field.clone(),
            mirrored: false,
        }))
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

/// A port a destination's target serves.
pub struct ServedPort<'a> {
    pub number: u32,
    /// The name a route may ask for it by; `None` when routes name it by number only.
    pub name: Option<&'a str>,
}

/// The port a destination asks for among the ports its target serves: the one it names, by
/// number or name, else the only one (`None` when the target serves none). VDC702 when it
/// names none of several, VDC703 when it names one the target does not serve.
pub fn destination_port(
    at: &DestinationAt,
    target: Target,
    ports: &[ServedPort],
    diags: &mut Diagnostics,
) -> Result<Option<u32>, Refused> {
    let numbers: Vec<u32> = ports.iter().map(|p| p.number).collect();
    let Some(asked) = &at.destination.port else {
        if numbers.len() <= 1 {
            return Ok(numbers.first().copied());
        }
        diags.push(port_required(at, target, &numbers));
        return Err(Refused);
    };
    let served = ports.iter().find(|p| match &asked.value {
        PortRef::Number(n) => p.number == *n,
        PortRef::Name(n) => p.name == Some(n.as_str()),
    });
    match served {
        Some(port) => Ok(Some(port.number)),
        None => {
            let site = at.rt.meta.site(asked.pos);
            diags.push(unknown_port(at, target, site, &asked.value, &numbers));
            Err(Refused)
        }
    }
}

/// VDC702 for a destination that names no port of a target serving `numbers`.
fn port_required(at: &DestinationAt, target: Target, numbers: &[u32]) -> Diagnostic {
    let (route, name) = (&at.route.name, at.name());
    let site = at.site();
    destination_port_required::diagnostic(
        site,
        target,
        route,
        &at.namespace,
        name,
        numbers,
        &at.field,
    )
}

/// VDC703 for a destination that asks for `port`, which its target (serving `numbers`) lacks.
fn unknown_port(
    at: &DestinationAt,
    target: Target,
    site: Site,
    port: &PortRef,
    numbers: &[u32],
) -> Diagnostic {
    let (route, name) = (&at.route.name, at.name());
    let (namespace, field) = (&at.namespace, &at.field);
    unknown_destination_port::diagnostic(site, target, route, port, namespace, name, numbers, field)
}
