//! VirtualGateways → the ingress Gateways generated for them: one on each gateway Service a
//! VirtualGateway selects.

use super::{gateway_services, names};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::routing_types::*;
use crate::model::types::*;
use crate::resolve::resolved::{GatewayPlacement, GatewayServer};
use crate::resolve::workspaces::Workspaces;
use crate::rules::routing::{
    gateway_in_other_workspace, gateway_selects_nothing, listener_port_not_on_gateway,
    route_table_not_imported,
};
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
        let selected = gateway_services(world, workspaces, vg);
        other_workspaces(vg, workspaces, &selected.elsewhere, diags);
        let services = selected.own;
        // Why it programs nothing is already said: it matches only other workspaces' gateways
        // (VDC726), or it has no `workloads` (VDC205).
        let explained = vg.workloads.is_empty() || !selected.elsewhere.is_empty();
        if services.is_empty() && !explained {
            let site = vg.meta.site(vg.meta.pos);
            diags.push(gateway_selects_nothing::diagnostic(site, &vg.meta.name));
        }
        missing_listener_ports(vg, &services, diags);
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

/// VDC726 for the gateway Services of other workspaces that the selectors match: one per
/// Service name and workspace, naming the clusters where it is.
fn other_workspaces(
    vg: &VirtualGateway,
    workspaces: &Workspaces,
    elsewhere: &[(&Service, Option<String>)],
    diags: &mut Diagnostics,
) {
    let Some(vg_ws) = workspaces.of(&vg.meta.cluster, &vg.meta.namespace) else {
        return;
    };
    let mut by_service: BTreeMap<(String, Option<&str>), Vec<&str>> = BTreeMap::new();
    for (svc, ws) in elsewhere {
        let name = format!("{}/{}", svc.meta.namespace, svc.meta.name);
        let key = (name, ws.as_deref());
        (by_service.entry(key).or_default()).push(&svc.meta.cluster);
    }
    for ((service, ws), clusters) in &by_service {
        let other = gateway_in_other_workspace::Other {
            gateway: &vg.meta.name,
            own: &vg_ws,
            service,
            workspace: *ws,
            clusters,
        };
        let site = vg
            .meta
            .site(vg.workloads.first().map_or(vg.meta.pos, |w| w.pos));
        diags.push(gateway_in_other_workspace::diagnostic(site, &other));
    }
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
/// naming a port the Service lacks gets no server (VDC727).
fn servers<'w>(vg: &'w VirtualGateway, svc: &Service) -> Vec<GatewayServer<'w>> {
    vg.listeners
        .iter()
        .enumerate()
        .filter_map(|(index, listener)| {
            Some(GatewayServer {
                number: svc.port(&listener.port)?.port,
                listener,
                index,
                hosts: BTreeSet::new(),
            })
        })
        .collect()
}

/// VDC727 for each listener whose port a gateway Service lacks: one per listener and Service
/// name and ports, naming the clusters where that Service is so.
fn missing_listener_ports(vg: &VirtualGateway, services: &[&Service], diags: &mut Diagnostics) {
    for (index, listener) in vg.listeners.iter().enumerate() {
        let mut lacking: BTreeMap<(String, Vec<u32>), Vec<&str>> = BTreeMap::new();
        for svc in services.iter().filter(|s| s.port(&listener.port).is_none()) {
            let name = format!("{}/{}", svc.meta.namespace, svc.meta.name);
            let ports = svc.ports.iter().map(|p| p.port).collect();
            (lacking.entry((name, ports)).or_default()).push(&svc.meta.cluster);
        }
        for ((service, ports), clusters) in &lacking {
            let missing = listener_port_not_on_gateway::Missing {
                index,
                port: &listener.port,
                service,
                ports,
                clusters,
            };
            let site = vg.meta.site(listener.pos);
            diags.push(listener_port_not_on_gateway::diagnostic(site, &missing));
        }
    }
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

/// Whether the workspace of `vg` sees `rt` of workspace `rt_ws`: holds it, or imports it from
/// `rt_ws`, which exports it there (route_table.proto applies a table "in the workspace where
/// the route table is deployed or imported"); VDC737 when not. A VirtualGateway in no
/// workspace is refused already (VDC303).
pub(super) fn sees_table(
    rt: &RouteTable,
    (index, reference): (usize, &ObjectReference),
    (rt_ws, workspaces): (&str, &Workspaces),
    vg: &VirtualGateway,
    diags: &mut Diagnostics,
) -> bool {
    let Some(vg_ws) = workspaces.of(&vg.meta.cluster, &vg.meta.namespace) else {
        return true;
    };
    if workspaces.shares(rt_ws, &vg_ws, "ROUTE_TABLE", &rt.meta) {
        return true;
    }
    let gateway = format!("{}/{}", vg.meta.namespace, vg.meta.name);
    let site = rt.meta.site(reference.pos);
    let d =
        route_table_not_imported::diagnostic(site, index, &rt.meta.name, rt_ws, (&gateway, &vg_ws));
    diags.push(d);
    false
}
