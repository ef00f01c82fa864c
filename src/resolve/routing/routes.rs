//! A RouteTable's routes, each destination resolved to the host Istio routes to and the weights
//! completed to 100.

use super::destination::{DestinationAt, Refused, ServedPort, Target, destination_port};
use super::names;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::routing_types::*;
use crate::model::types::*;
use crate::resolve::resolved::{
    Destination, ExternalIndex, ResolvedAction, ResolvedVd, Route, RouteAt, RouteSubset,
    ServiceOrigin, ServiceRef,
};
use crate::resolve::weights::complete_weights;
use crate::rules::policy::invalid_weights;
use crate::rules::routing::{destination_not_visible, subset_not_served, unknown_destination};
use std::collections::HashMap;

/// What a RouteTable's destinations can resolve to: the VirtualDestinations that resolved and
/// the ExternalServices.
pub(super) struct Targets<'a, 'w> {
    pub vds: &'a [ResolvedVd<'w>],
    /// (cluster, namespace, name) of each VirtualDestination in `vds` → its index: a fleet has
    /// tens of thousands, and every route destination looks one up.
    pub vd_index: HashMap<(&'a str, &'a str, &'a str), usize>,
    pub external: &'a ExternalIndex<'w>,
    /// The route policies, to find those of each route.
    pub policies: &'a super::policies::RoutePolicyIndex<'w>,
}

/// [`Targets::vd_index`] of `vds`: the first of each identity, as a scan in order finds it.
pub(super) fn vd_index<'a>(vds: &'a [ResolvedVd]) -> HashMap<(&'a str, &'a str, &'a str), usize> {
    let mut index = HashMap::new();
    for (i, v) in vds.iter().enumerate() {
        let m = &v.vd.meta;
        index
            .entry((m.cluster.as_str(), m.namespace.as_str(), m.name.as_str()))
            .or_insert(i);
    }
    index
}

/// The routes of a RouteTable, resolved, its delegations not yet followed.
pub(super) struct TableRoutes<'w> {
    /// Its workspace.
    pub workspace: String,
    /// Its routes in order: resolved, or delegating.
    pub entries: Vec<Entry<'w>>,
    /// Whether every destination resolved.
    pub complete: bool,
    /// The VirtualDestination subsets its destinations route to, resolved or not.
    pub subsets: Vec<RouteSubset>,
}

/// A route of a table: resolved, or delegating to other tables.
pub(super) enum Entry<'w> {
    /// Boxed: a resolved route is ten times the size of a delegating one.
    Route(Box<Route<'w>>),
    Delegate(DelegateAt<'w>),
}

/// A route of a table that delegates: where it is, and to what.
pub(super) struct DelegateAt<'w> {
    pub index: usize,
    pub route: &'w HttpRoute,
    pub delegate: &'w Delegate,
}

/// The routes of a RouteTable with every destination resolved.
pub(super) fn resolve_routes<'w>(
    world: &'w World,
    rt: &'w RouteTable,
    rt_ws: &str,
    targets: &Targets<'_, 'w>,
    diags: &mut Diagnostics,
) -> TableRoutes<'w> {
    let mut complete = true;
    let mut entries = Vec::new();
    let mut subsets = Vec::new();
    let mut forward = |index, route: &'w HttpRoute, rewrite, diags: &mut Diagnostics| {
        let at = (index, route, rewrite);
        let resolved = resolve_route(world, rt, rt_ws, at, targets, diags);
        complete &= resolved.complete;
        subsets.extend(resolved.subsets);
        resolved.route.map(|r| Entry::Route(Box::new(r)))
    };
    for (index, route) in rt.http.iter().enumerate() {
        let action = match &route.action {
            RouteAction::Forward { rewrite, .. } => {
                entries.extend(forward(index, route, rewrite, diags));
                continue;
            }
            RouteAction::Redirect(r) => ResolvedAction::Redirect(r),
            RouteAction::DirectResponse(r) => ResolvedAction::DirectResponse(r),
            RouteAction::Delegate(delegate) => {
                let at = DelegateAt {
                    index,
                    route,
                    delegate,
                };
                entries.push(Entry::Delegate(at));
                continue;
            }
            // A route with no action Istio can carry out has its diagnostic (VDC711, or
            // VDC203 for one vdc does not translate).
            RouteAction::Unwritable => continue,
        };
        let resolved = route_of(rt, rt_ws, route, action, targets, diags);
        entries.push(Entry::Route(Box::new(resolved)));
    }
    // A table without hosts is delegated to, which carries http routes only (VDC734).
    let l4 = [&rt.tcp, &rt.tls]
        .into_iter()
        .filter(|_| !rt.hosts.is_empty());
    for (index, route) in l4.flat_map(|routes| routes.iter().enumerate()) {
        // Anything but a forward is reported (VDC733, VDC734, a missing field).
        if let RouteAction::Forward { rewrite, .. } = &route.action {
            let resolved = forward(index, route, rewrite, diags);
            entries.extend(resolved);
        }
    }
    TableRoutes {
        workspace: rt_ws.to_owned(),
        entries,
        complete,
        subsets,
    }
}

/// One route, resolved.
struct RouteResolution<'w> {
    /// `None` when none of its destinations resolved, or its weights do not add up.
    route: Option<Route<'w>>,
    /// Whether every destination resolved and the weights add up.
    complete: bool,
    /// The VirtualDestination subsets of the destinations that resolved.
    subsets: Vec<RouteSubset>,
}

/// A route with its destinations resolved and their weights completed (VDC603 when they
/// cannot sum to 100), named `<route>-<RouteTable>` (the RouteTable's name when it has none).
fn resolve_route<'w>(
    world: &'w World,
    rt: &'w RouteTable,
    rt_ws: &str,
    (index, route, rewrite): (usize, &'w HttpRoute, &'w Rewrite),
    targets: &Targets<'_, 'w>,
    diags: &mut Diagnostics,
) -> RouteResolution<'w> {
    let mut complete = true;
    let mut destinations = Vec::new();
    let mut subsets = Vec::new();
    for d in route.destinations().iter().enumerate() {
        let at = DestinationAt::new(rt, rt_ws, (index, route), d);
        match destination(world, &at, targets, diags) {
            Ok(routed) => {
                destinations.push(routed.destination);
                subsets.extend(routed.subset);
            }
            Err(Refused) => complete = false,
        }
    }
    if destinations.is_empty() {
        return RouteResolution {
            route: None,
            complete,
            subsets,
        };
    }
    let Some(destinations) = weighted(destinations) else {
        let case = invalid_weights::Case::Route {
            section: route.layer.section(),
            index,
            name: &route.name,
        };
        diags.push(invalid_weights::diagnostic(rt.meta.site(route.pos), case));
        return RouteResolution {
            route: None,
            complete: false,
            subsets,
        };
    };
    let action = ResolvedAction::Forward {
        destinations,
        rewrite: std::borrow::Cow::Borrowed(rewrite),
    };
    let route = route_of(rt, rt_ws, route, action, targets, diags);
    RouteResolution {
        route: Some(route),
        complete,
        subsets,
    }
}

/// `route` of `rt` (in workspace `rt_ws`) with its action resolved and its route policies,
/// named `<route>-<RouteTable>`.
fn route_of<'w>(
    rt: &'w RouteTable,
    rt_ws: &str,
    route: &'w HttpRoute,
    action: ResolvedAction<'w>,
    targets: &Targets<'_, 'w>,
    diags: &mut Diagnostics,
) -> Route<'w> {
    let at = RouteAt::new(rt, rt_ws, route);
    // Route policies shape http routes: a tcp or tls route takes none.
    let policies = match route.layer {
        RouteLayer::Http => targets.policies.for_route(&at, diags),
        RouteLayer::Tcp | RouteLayer::Tls => Default::default(),
    };
    Route {
        name: names::route(route, rt),
        matchers: std::borrow::Cow::Borrowed(&route.matchers),
        action,
        policies,
        at,
    }
}

/// The destinations of a route that splits traffic with their weights completed to 100, and a
/// single destination without one; `None` when the weights cannot sum to 100.
fn weighted(mut destinations: Vec<Destination>) -> Option<Vec<Destination>> {
    if destinations.len() < 2 {
        destinations.iter_mut().for_each(|d| d.weight = None);
        return Some(destinations);
    }
    let given: Vec<Option<u32>> = destinations.iter().map(|d| d.weight).collect();
    let weights = complete_weights(&given);
    if weights.problem.is_some() {
        return None;
    }
    for (d, w) in destinations.iter_mut().zip(weights.completed) {
        d.weight = Some(w);
    }
    Some(destinations)
}

/// A destination resolved, with the VirtualDestination subset it routes to.
struct Routed {
    destination: Destination,
    subset: Option<RouteSubset>,
}

/// A destination resolved by its kind: `EXTERNAL_SERVICE`, `VIRTUAL_DESTINATION`, or else a
/// Kubernetes Service.
fn destination(
    world: &World,
    at: &DestinationAt,
    targets: &Targets,
    diags: &mut Diagnostics,
) -> Result<Routed, Refused> {
    let destination = match at.destination.kind.as_str() {
        "EXTERNAL_SERVICE" => {
            crate::resolve::external_route::destination(world, targets.external, at, diags)?
        }
        "VIRTUAL_DESTINATION" => return virtual_destination(world, targets, at, diags),
        _ => kube_service(world, at),
    };
    Ok(Routed {
        destination,
        subset: None,
    })
}

/// A VirtualDestination destination: its first host, on the port the route asks for, with the
/// subset the route asks for, which the VirtualDestination must then define (VDC710 when no
/// backing pod carries it).
fn virtual_destination(
    world: &World,
    targets: &Targets,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<Routed, Refused> {
    let i = resolved_vd(world, targets, at, diags)?;
    let vd = &targets.vds[i];
    if !vd.visible.contains(at.rt_ws) {
        diags.push(destination_not_visible::diagnostic(
            at.site(),
            Target::VirtualDestination,
            &at.route.name,
            &at.namespace,
            at.name(),
            at.rt_ws,
            &vd.owner,
            &at.field,
        ));
        return Err(Refused);
    }
    let port = vd_port(vd, at, diags)?;
    let subset = names::subset(&at.destination.subset);
    if let Some(name) = &subset
        && !vd
            .backing
            .values()
            .any(|b| b.may_serve(&at.destination.subset))
    {
        diags.push(subset_not_served_at(at, vd, name));
    }
    let destination = Destination {
        host: vd.vd.hosts[0].value.clone(),
        port,
        subset: subset.clone(),
        weight: at.destination.weight,
        service: None,
        seen_by: at.seen_by("VirtualDestination", &vd.owner, &vd.visible),
    };
    let subset = subset.map(|name| RouteSubset {
        vd: i,
        name,
        labels: at.destination.subset.clone(),
        site: at.site(),
        route: at.route.name.clone(),
        field: at.field.clone(),
    });
    Ok(Routed {
        destination,
        subset,
    })
}

/// Which resolved VirtualDestination the destination names; VDC701 when it names none (a
/// VirtualDestination that exists but failed to resolve has its own errors).
fn resolved_vd(
    world: &World,
    targets: &Targets,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<usize, Refused> {
    let key = (at.cluster.as_str(), at.namespace.as_str(), at.name());
    if let Some(&i) = targets.vd_index.get(&key) {
        return Ok(i);
    }
    if !world.virtual_destinations.iter().any(|v| at.names(&v.meta)) {
        diags.push(unknown_destination::diagnostic(
            at.site(),
            &at.route.name,
            &at.namespace,
            at.name(),
            &at.cluster,
            &at.field,
        ));
    }
    Err(Refused)
}

/// The VirtualDestination port the route asks for, by number (its ports have no names to ask
/// for), or its only port when it asks for none.
fn vd_port(
    vd: &ResolvedVd,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<Option<u32>, Refused> {
    let ports: Vec<ServedPort> = (vd.vd.ports.iter())
        .map(|p| ServedPort {
            number: *p.number,
            name: None,
        })
        .collect();
    destination_port(at, Target::VirtualDestination, &ports, diags)
}

/// A Kubernetes Service destination: `<name>.<namespace>.svc.<cluster domain>`, on the port
/// number the route names. Whether the Service exists and serves the port (the one a port name
/// names, or its only one) is checked in each cluster the route is written to
/// (`super::services`), which also defines its subset there.
fn kube_service(world: &World, at: &DestinationAt) -> Destination {
    let domain = world.domain_of(&at.cluster);
    let asked = at.destination.port.as_ref();
    let port = match asked.map(|p| &p.value) {
        Some(PortRef::Number(n)) => Some(*n),
        _ => None,
    };
    Destination {
        host: format!("{}.{}.svc.{domain}", at.name(), at.namespace),
        port,
        subset: names::subset(&at.destination.subset),
        weight: at.destination.weight,
        service: Some(std::sync::Arc::new(ServiceRef {
            namespace: at.namespace.clone(),
            name: at.name().to_owned(),
            cluster: at.destination.reference.cluster.clone(),
            site: at.site(),
            origin: ServiceOrigin::Route {
                route: at.route.name.clone(),
                field: at.field.clone(),
            },
            subset_labels: at.destination.subset.clone(),
            port: asked.map(|p| (p.value.clone(), at.rt.meta.site(p.pos))),
        })),
        seen_by: None,
    }
}

/// VDC710: a subset no backing cluster's pods carry: Istio gives it no endpoint, and the
/// route's share of traffic gets 503.
fn subset_not_served_at(at: &DestinationAt, vd: &ResolvedVd, name: &str) -> Diagnostic {
    let clusters: Vec<&str> = vd.backing.keys().map(String::as_str).collect();
    let clusters_phrase = crate::text::clusters_phrase(&clusters);
    let unserved = subset_not_served::Unserved {
        route: &at.route.name,
        name,
        labels: &at.destination.subset,
        vd_namespace: &vd.vd.meta.namespace,
        vd_name: &vd.vd.meta.name,
        clusters_phrase: &clusters_phrase,
        field: &at.field,
    };
    subset_not_served::diagnostic(at.site(), unserved)
}
