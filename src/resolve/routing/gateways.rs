//! VirtualGateways → the ingress Gateways generated for them: one on each gateway Service a
//! VirtualGateway selects.

use super::{gateway_services, names};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::routing_types::*;
use crate::model::types::*;
use crate::resolve::resolved::{GatewayPlacement, GatewayServer};
use crate::resolve::workspaces::Workspaces;
use crate::rules::routing::gateway_selects_nothing;
use std::collections::{BTreeMap, BTreeSet};

/// A VirtualGateway as RouteTables reference it; ordered by cluster, namespace, then name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct VirtualGatewayId {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
}

/// The ingress Gateways of every VirtualGateway.
#[derive(Default)]
pub(super) struct IngressGateways<'w> {
    pub placements: Vec<GatewayPlacement<'w>>,
    /// Every VirtualGateway, with the indices of its placements in `placements`.
    pub by_gateway: BTreeMap<VirtualGatewayId, (&'w VirtualGateway, Vec<usize>)>,
}

/// Every VirtualGateway placed on the gateway Services it selects (VDC708 when it selects
/// none), with no hosts yet: the RouteTables attached to it add them.
pub(super) fn place_gateways<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    diags: &mut Diagnostics,
) -> IngressGateways<'w> {
    let mut out = IngressGateways::default();
    for vg in &world.virtual_gateways {
        let services = gateway_services(world, workspaces, vg);
        if services.is_empty() {
            let site = vg.meta.site(vg.meta.pos);
            diags.push(gateway_selects_nothing::diagnostic(site, &vg.meta.name));
        }
        let first = out.placements.len();
        out.placements.extend(placements_of(vg, &services));
        let id = VirtualGatewayId {
            cluster: vg.meta.cluster.clone(),
            namespace: vg.meta.namespace.clone(),
            name: vg.meta.name.clone(),
        };
        out.by_gateway
            .insert(id, (vg, (first..out.placements.len()).collect()));
    }
    out
}

/// One Gateway per gateway Service, named for the VirtualGateway.
fn placements_of<'w>(
    vg: &'w VirtualGateway,
    services: &[&'w Service],
) -> Vec<GatewayPlacement<'w>> {
    let name = names::virtual_gateway(&vg.meta);
    // Gateway Services per (cluster, namespace): when several share one, each Gateway takes
    // its Service's name too, or they would be one object written twice.
    let mut sharing: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for svc in services {
        *sharing
            .entry((&svc.meta.cluster, &svc.meta.namespace))
            .or_default() += 1;
    }
    services
        .iter()
        .map(|svc| {
            let shared = sharing[&(svc.meta.cluster.as_str(), svc.meta.namespace.as_str())] > 1;
            let name = if shared {
                names::shared_gateway(&name, &svc.meta)
            } else {
                name.clone()
            };
            GatewayPlacement {
                gateway: vg,
                cluster: svc.meta.cluster.clone(),
                namespace: svc.meta.namespace.clone(),
                name,
                selector: svc.selector.clone(),
                servers: servers(vg, svc),
            }
        })
        .collect()
}

/// A server per listener whose port the gateway Service has, with no hosts yet: a listener
/// naming a port the Service lacks gets no server.
fn servers<'w>(vg: &'w VirtualGateway, svc: &Service) -> Vec<GatewayServer<'w>> {
    vg.listeners
        .iter()
        .enumerate()
        .filter_map(|(index, listener)| {
            let number = match &listener.port {
                PortRef::Number(n) => *n,
                PortRef::Name(n) => svc.ports.iter().find(|p| &p.name == n)?.port,
            };
            Some(GatewayServer {
                number,
                listener,
                index,
                hosts: BTreeSet::new(),
            })
        })
        .collect()
}

/// The hosts of a server no RouteTable attached to: those its listener's `allowedRouteTables`
/// name (so it takes no table it does not allow), else `*`.
pub(super) fn default_hosts(placements: &mut [GatewayPlacement]) {
    for server in placements.iter_mut().flat_map(|p| &mut p.servers) {
        if server.hosts.is_empty() {
            let filters = &server.listener.allowed_route_tables;
            server.hosts = filters.iter().map(|f| f.host.clone()).collect();
        }
        if server.hosts.is_empty() {
            server.hosts.insert("*".to_owned());
        }
    }
}
