//! A RouteTable destination of `kind: EXTERNAL_SERVICE`, resolved to the host of the
//! ExternalService's ServiceEntry.

use super::external::ExternalIndex;
use super::resolved::Destination;
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::types::*;
use crate::rules::routing::{
    destination_not_visible, destination_port_required, unknown_destination,
    unknown_destination_port,
};

/// The destination, or `None` with the reason reported.
#[allow(clippy::too_many_arguments)]
pub(super) fn destination(
    world: &World,
    external: &ExternalIndex,
    rt: &RouteTable,
    rt_ws: &str,
    route: &HttpRoute,
    d: &RouteDestination,
    field: &str,
    diags: &mut Diagnostics,
) -> Option<Destination> {
    let namespace = d
        .reference
        .namespace
        .clone()
        .unwrap_or_else(|| rt.meta.namespace.clone());
    let cluster = d
        .reference
        .cluster
        .clone()
        .unwrap_or_else(|| rt.meta.cluster.clone());
    let Some(es) = external.find(&d.reference.name, &namespace, &cluster) else {
        let exists = world.external.services.iter().any(|e| {
            e.meta.name == d.reference.name
                && e.meta.namespace == namespace
                && e.meta.cluster == cluster
        });
        if !exists {
            let why = unknown_destination::External::Undefined { cluster: &cluster };
            diags.push(unknown_destination::external_service(
                rt.meta.site(d.pos),
                &route.name,
                &namespace,
                &d.reference.name,
                field,
                why,
            ));
        }
        return None;
    };
    if !es.consumers.contains(rt_ws) {
        diags.push(destination_not_visible::external_service(
            rt.meta.site(d.pos),
            &route.name,
            &namespace,
            &d.reference.name,
            rt_ws,
            &es.owner,
            field,
        ));
        return None;
    }
    let numbers: Vec<u32> = es.es.ports.iter().map(|p| p.number).collect();
    let port = match d.port.as_ref().map(|p| (&p.value, p.pos)) {
        None if numbers.len() <= 1 => numbers.first().copied(),
        None => {
            diags.push(destination_port_required::external_service(
                rt.meta.site(d.pos),
                &route.name,
                &namespace,
                &d.reference.name,
                &numbers,
                field,
            ));
            return None;
        }
        Some((PortRef::Number(n), _)) if numbers.contains(n) => Some(*n),
        Some((PortRef::Name(n), _)) if es.es.ports.iter().any(|p| p.name == *n) => {
            es.es.ports.iter().find(|p| p.name == *n).map(|p| p.number)
        }
        Some((p, pos)) => {
            diags.push(unknown_destination_port::external_service(
                rt.meta.site(pos),
                &route.name,
                p,
                &namespace,
                &d.reference.name,
                &numbers,
                field,
            ));
            return None;
        }
    };
    let Some(host) = es.hosts.iter().find(|h| !h.contains('*')) else {
        diags.push(unknown_destination::external_service(
            rt.meta.site(d.pos),
            &route.name,
            &namespace,
            &d.reference.name,
            field,
            unknown_destination::External::OnlyWildcardHosts,
        ));
        return None;
    };
    Some(Destination {
        host: host.clone(),
        port,
        subset: None,
        weight: d.weight,
    })
}
