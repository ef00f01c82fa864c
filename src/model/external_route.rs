//! A RouteTable destination of `kind: EXTERNAL_SERVICE`, resolved to the host of the
//! ExternalService's ServiceEntry.

use super::World;
use super::external_resolve::ExternalIndex;
use super::routing::Destination;
use super::types::*;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};

fn diag(rt: &RouteTable, code: Code, pos: crate::load::node::Pos, message: String) -> Diagnostic {
    Diagnostic::new(code, message)
        .at(&rt.meta.file, pos)
        .object(rt.meta.object_ref())
}

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
            diags.push(
                diag(rt, Code::UnknownDestination, d.pos, format!(
                    "route `{}` forwards to ExternalService {namespace}/{} in cluster `{cluster}`, which the input does not define",
                    route.name, d.reference.name
                ))
                .field(field.to_owned())
                .help("check the destination's `ref` name, namespace and cluster"),
            );
        }
        return None;
    };
    if !es.consumers.contains(rt_ws) {
        diags.push(
            diag(rt, Code::DestinationNotVisible, d.pos, format!(
                "route `{}` forwards to ExternalService {namespace}/{}, which workspace `{rt_ws}` of the RouteTable cannot see (owner `{}` does not export it there, or `{rt_ws}` does not import it)",
                route.name, d.reference.name, es.owner
            ))
            .field(field.to_owned())
            .help(format!("export the ExternalService (kind EXTERNAL_SERVICE) from `{}` and import it into `{rt_ws}`", es.owner)),
        );
        return None;
    }
    let numbers: Vec<u32> = es.es.ports.iter().map(|p| p.number).collect();
    let port = match d.port.as_ref().map(|p| (&p.value, p.pos)) {
        None if numbers.len() <= 1 => numbers.first().copied(),
        None => {
            diags.push(
                diag(rt, Code::DestinationPortRequired, d.pos, format!(
                    "ExternalService {namespace}/{} has ports {numbers:?}, so route `{}` must say which with `port: {{number: …}}`",
                    d.reference.name, route.name
                ))
                .field(field.to_owned())
                .help(format!("add `port: {{number: {}}}`", numbers[0])),
            );
            return None;
        }
        Some((PortRef::Number(n), _)) if numbers.contains(n) => Some(*n),
        Some((PortRef::Name(n), _)) if es.es.ports.iter().any(|p| p.name == *n) => {
            es.es.ports.iter().find(|p| p.name == *n).map(|p| p.number)
        }
        Some((p, pos)) => {
            diags.push(
                diag(rt, Code::UnknownDestinationPort, pos, format!(
                    "route `{}` asks for port {p} of ExternalService {namespace}/{}, which serves {numbers:?}",
                    route.name, d.reference.name
                ))
                .field(format!("{field}.port"))
                .help("use one of the ExternalService's port numbers"),
            );
            return None;
        }
    };
    let Some(host) = es.hosts.iter().find(|h| !h.contains('*')) else {
        diags.push(
            diag(rt, Code::UnknownDestination, d.pos, format!(
                "route `{}` forwards to ExternalService {namespace}/{}, whose hosts are all wildcards: a route needs one host to send to",
                route.name, d.reference.name
            ))
            .field(field.to_owned())
            .help("give the ExternalService a host without `*`"),
        );
        return None;
    };
    Some(Destination {
        host: host.clone(),
        port,
        subset: None,
        weight: d.weight,
    })
}
