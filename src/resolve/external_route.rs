//! A RouteTable destination of `kind: EXTERNAL_SERVICE`, resolved to the host of the
//! ExternalService's ServiceEntry.

use super::external::ExternalIndex;
use super::resolved::{Destination, ResolvedEs};
use super::routing::destination::{DestinationAt, Refused, ServedPort, Target, destination_port};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::rules::routing::{
    destination_not_visible, external_service_subset, unknown_destination,
};

/// The destination: the ExternalService's first host that is not a wildcard, on the port the
/// route asks for.
pub(super) fn destination(
    world: &World,
    external: &ExternalIndex,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<Destination, Refused> {
    let es = visible_service(world, external, at, diags)?;
    if !at.destination.subset.is_empty() {
        diags.push(external_service_subset::diagnostic(
            at.site(),
            &at.route.name,
            (&at.namespace, at.name()),
            &at.field,
            &at.destination.subset,
        ));
        return Err(Refused);
    }
    let port = port(es, at, diags)?;
    let host = routable_host(es, at, diags)?;
    Ok(Destination {
        host: host.clone(),
        port,
        subset: None,
        weight: at.destination.weight,
        service: None,
        seen_by: at.seen_by("ExternalService", &es.owner, &es.consumers),
    })
}

/// The resolved ExternalService the destination names, when the RouteTable's workspace may use
/// it: VDC701 when it is not defined (one that is but failed to resolve has its own errors),
/// VDC705 when it is not shared with the RouteTable's workspace.
fn visible_service<'e, 'w>(
    world: &World,
    external: &'e ExternalIndex<'w>,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<&'e ResolvedEs<'w>, Refused> {
    let Some(es) = external.find(at.name(), &at.namespace, &at.cluster) else {
        if !world.external.services.iter().any(|e| at.names(&e.meta)) {
            let why = unknown_destination::External::Undefined {
                cluster: &at.cluster,
            };
            diags.push(unknown_destination::external_service(
                at.site(),
                &at.route.name,
                &at.namespace,
                at.name(),
                &at.field,
                why,
            ));
        }
        return Err(Refused);
    };
    if !es.consumers.contains(at.rt_ws) {
        diags.push(destination_not_visible::diagnostic(
            at.site(),
            Target::ExternalService,
            &at.route.name,
            &at.namespace,
            at.name(),
            at.rt_ws,
            &es.owner,
            &at.field,
        ));
        return Err(Refused);
    }
    Ok(es)
}

/// The ExternalService port the route asks for, by number or name, or its only port when it
/// asks for none.
fn port(
    es: &ResolvedEs,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<Option<u32>, Refused> {
    let ports: Vec<ServedPort> = (es.es.ports.iter())
        .map(|p| ServedPort {
            number: p.number,
            name: Some(&p.name),
        })
        .collect();
    destination_port(at, Target::ExternalService, &ports, diags)
}

/// The ExternalService's first host that is not a wildcard, which Istio can route to; VDC701
/// when all are wildcards.
fn routable_host<'e>(
    es: &'e ResolvedEs,
    at: &DestinationAt,
    diags: &mut Diagnostics,
) -> Result<&'e String, Refused> {
    let Some(host) = es.hosts.iter().find(|h| !h.contains('*')) else {
        diags.push(unknown_destination::external_service(
            at.site(),
            &at.route.name,
            &at.namespace,
            at.name(),
            &at.field,
            unknown_destination::External::OnlyWildcardHosts,
        ));
        return Err(Refused);
    };
    Ok(host)
}
