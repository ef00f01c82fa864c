//! Resolution: for each VirtualDestination, who owns it, who sees it, which Services back it,
//! through which gateways remote clusters reach them, and where its objects go in each cluster.
//! Everything translation needs is decided here; translation itself cannot fail.

use super::World;
use super::names;
pub use super::resolved::*;
use super::types::*;
use super::workspaces::Workspaces;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rules::topology::no_east_west_gateway;
use crate::rules::vd::{
    backing_service_without_selector, missing_target_port, no_hosts, selector_matches_nothing,
    several_backing_services, unresolved_target_port, vip_collision,
};
use crate::rules::workspace::object_in_no_workspace;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::Ipv4Addr;

/// The Gloo resource kind names used by import/export selectors.
const VIRTUAL_DESTINATION: &str = "VIRTUAL_DESTINATION";
const SERVICE: &str = "SERVICE";

pub fn resolve(world: &World) -> (Resolved<'_>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let workspaces = Workspaces::build(world, &mut diags);
    let topology = Topology::new(world);
    let index = ServiceIndex::new(world, &workspaces);
    super::applied::check_policy_workspaces(world, &workspaces, &mut diags);
    let external = super::external_resolve::ExternalIndex::build(world, &workspaces, &mut diags);
    super::external_resolve::check_connected_clusters(world, &mut diags);
    // Each VirtualDestination resolves on its own; their diagnostics join in input order.
    let per_vd: Vec<(Option<ResolvedVd>, Diagnostics)> = world
        .virtual_destinations
        .par_iter()
        .map(|vd| {
            let mut vd_diags = Diagnostics::default();
            let r = resolve_vd(
                world,
                (&index, &external),
                &workspaces,
                &topology,
                vd,
                &mut vd_diags,
            );
            (r, vd_diags)
        })
        .collect();
    let mut vds = Vec::new();
    for (r, vd_diags) in per_vd {
        vds.extend(r);
        diags.extend(vd_diags);
    }
    topology.report(&mut diags);
    assign_vips(&mut vds, &mut diags);
    let routing =
        super::routing::resolve_routing(world, &workspaces, &external, &mut vds, &mut diags);
    (
        Resolved {
            world,
            workspaces,
            vds,
            routing,
            external,
        },
        diags,
    )
}

fn selector_matches(sel: &ObjectSelector, svc: &Service, svc_workspace: Option<&str>) -> bool {
    sel.labels
        .iter()
        .all(|(k, v)| svc.meta.labels.get(k) == Some(v))
        && sel.name.as_deref().is_none_or(|n| n == svc.meta.name)
        && sel
            .namespace
            .as_deref()
            .is_none_or(|n| n == svc.meta.namespace)
        && sel.cluster.as_deref().is_none_or(|c| c == svc.meta.cluster)
        && sel
            .workspace
            .as_deref()
            .is_none_or(|w| Some(w) == svc_workspace)
}

fn resolve_vd<'w>(
    world: &'w World,
    (index, external): (
        &ServiceIndex<'w>,
        &super::external_resolve::ExternalIndex<'w>,
    ),
    workspaces: &Workspaces<'w>,
    topology: &Topology<'w>,
    vd: &'w VirtualDestination,
    diags: &mut Diagnostics,
) -> Option<ResolvedVd<'w>> {
    let meta = &vd.meta;
    let Some(owner) = workspaces.of(&meta.cluster, &meta.namespace) else {
        let case = object_in_no_workspace::Case::VirtualDestination { meta };
        diags.push(object_in_no_workspace::diagnostic(
            meta.site(meta.pos),
            case,
        ));
        return None;
    };
    if vd.hosts.is_empty() || vd.ports.is_empty() {
        // Without services either, VDC406 nothing-to-serve already says it all.
        if vd.hosts.is_empty() && !vd.services.is_empty() {
            diags.push(no_hosts::diagnostic(meta.site(vd.spec_pos), &meta.name));
        }
        return None;
    }

    let (mut port_policies, policies) =
        super::applied::policies_of(world, workspaces, vd, &owner, diags);
    let visible: BTreeSet<String> = workspaces
        .names()
        .into_iter()
        .filter(|w| workspaces.shares(&owner, w, VIRTUAL_DESTINATION, meta))
        .collect();

    // Backing services: matching Services in namespaces the owner may use.
    let mut candidates: BTreeMap<&str, Vec<&'w Service>> = BTreeMap::new();
    for (svc, svc_ws) in index.candidates(&vd.services) {
        let usable = svc_ws.is_some_and(|w| workspaces.shares(w, &owner, SERVICE, &svc.meta));
        if usable && vd.services.iter().any(|s| selector_matches(s, svc, svc_ws)) {
            candidates.entry(&svc.meta.cluster).or_default().push(svc);
        }
    }
    for services in candidates.values_mut() {
        services.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name))
        });
        services.dedup_by(|a, b| std::ptr::eq(*a, *b));
    }
    if !vd.services.is_empty() && candidates.is_empty() {
        let help = super::suggest::selector_help(world, &vd.services);
        let site = meta.site(vd.services[0].pos);
        diags.push(selector_matches_nothing::diagnostic(
            site, &owner, &meta.name, help,
        ));
    }

    let mut ok = true;
    let mut backing = BTreeMap::new();
    let mut passed_over = Vec::new();
    let mut missing_ports = Vec::new();
    for (cluster, mut services) in candidates {
        services.sort_by(|a, b| {
            (&a.meta.creation_timestamp, &a.meta.namespace, &a.meta.name).cmp(&(
                &b.meta.creation_timestamp,
                &b.meta.namespace,
                &b.meta.name,
            ))
        });
        let chosen = services[0];
        if services.len() > 1 {
            let others: Vec<String> = services[1..]
                .iter()
                .map(|s| format!("{}/{}", s.meta.namespace, s.meta.name))
                .collect();
            for s in &services[1..] {
                passed_over.push(PassedOver {
                    cluster: cluster.to_owned(),
                    namespace: s.meta.namespace.clone(),
                    name: s.meta.name.clone(),
                    reason: format!(
                        "{}/{} is older and wins",
                        chosen.meta.namespace, chosen.meta.name
                    ),
                });
            }
            let chosen_name = format!("{}/{}", chosen.meta.namespace, chosen.meta.name);
            diags.push(several_backing_services::diagnostic(
                meta.site(vd.services[0].pos),
                &meta.name,
                services.len(),
                cluster,
                &chosen_name,
                &others,
            ));
        }
        match backing_of(world, vd, chosen, &mut missing_ports, diags) {
            Some(b) => {
                backing.insert(cluster.to_owned(), b);
            }
            None => ok = false,
        }
    }

    let clusters_backed: BTreeSet<String> = backing.keys().cloned().collect();
    let backed = |c: &str| clusters_backed.contains(c);
    for svc in
        super::external_resolve::workload_backings(world, workspaces, vd, &owner, &backed, diags)
    {
        match backing_of(world, vd, svc, &mut missing_ports, diags) {
            Some(mut b) => {
                b.identities
                    .extend(super::external_resolve::vm_identities(world, svc));
                backing.insert(svc.meta.cluster.clone(), b);
            }
            None => ok = false,
        }
    }
    report_missing_ports(vd, missing_ports, diags);
    let external = super::external_resolve::vd_external(
        external,
        workspaces,
        vd,
        &owner,
        !backing.is_empty(),
        diags,
    );

    // Clients: clusters with a namespace in a visible workspace.
    let clients: BTreeSet<String> = visible
        .iter()
        .flat_map(|w| workspaces.clusters_holding(w))
        .map(str::to_owned)
        .collect();
    let receivers: BTreeSet<&String> = clients.iter().chain(backing.keys()).collect();

    let mut gateways = BTreeMap::new();
    for cluster in backing.keys() {
        let found = topology.gateways(world, workspaces, &owner, cluster);
        let needed = receivers.iter().any(|c| *c != cluster);
        if needed && found.iter().all(|g| g.addresses.is_empty()) {
            ok = false;
            let selected_by_settings = workspaces
                .settings(&owner)
                .is_some_and(|s| !s.east_west_gateways.is_empty());
            let (why, help) = gateway_problem(&found, &owner, cluster, selected_by_settings);
            let site = meta.site(vd.services.first().map_or(meta.pos, |s| s.pos));
            let d = no_east_west_gateway::diagnostic(site, cluster, &meta.name, &why, help);
            diags.push(d);
        }
        gateways.insert(cluster.clone(), found);
    }
    let external = external?;
    super::external_resolve::drop_external_failover(
        vd,
        &external,
        !backing.is_empty(),
        &mut port_policies,
        diags,
    );
    super::external_resolve::check_termination_ports(vd, &external, &gateways, &receivers, diags)?;
    if !ok {
        return None;
    }

    let mut placements = BTreeMap::new();
    for cluster in receivers {
        let mut export_to: BTreeSet<String> = visible
            .iter()
            .flat_map(|w| workspaces.namespaces_in(cluster, w))
            .map(str::to_owned)
            .collect();
        let home = if let Some(b) = backing.get(cluster) {
            for gw in gateways.get(cluster).into_iter().flatten() {
                export_to.insert(gw.service.meta.namespace.clone());
            }
            b.service.meta.namespace.clone()
        } else {
            let own: Vec<&str> = workspaces.namespaces_in(cluster, &owner).collect();
            if own.contains(&meta.namespace.as_str()) {
                meta.namespace.clone()
            } else if let Some(first) = own.first() {
                (*first).to_owned()
            } else {
                export_to
                    .iter()
                    .next()
                    .cloned()
                    .unwrap_or_else(|| meta.namespace.clone())
            }
        };
        placements.insert(
            cluster.clone(),
            Placement {
                home_namespace: home,
                export_to: export_to.into_iter().collect(),
            },
        );
    }

    Some(ResolvedVd {
        vd,
        owner,
        visible,
        vip: Ipv4Addr::UNSPECIFIED,
        backing,
        passed_over,
        clients,
        gateways,
        placements,
        policies,
        port_policies,
        subsets: BTreeMap::new(),
        external,
    })
}

/// Why no east-west gateway of `cluster` is usable, and how to fix it: `(why, help)`.
fn gateway_problem(
    found: &[EastWestGateway],
    owner: &str,
    cluster: &str,
    selected_by_settings: bool,
) -> (String, String) {
    if found.is_empty() {
        return if selected_by_settings {
            (
                format!(
                    "no Service in it matches the `eastWestGateways` selector of workspace `{owner}`'s WorkspaceSettings"
                ),
                format!(
                    "add the east-west gateway's Service to the dump in `clusters/{cluster}/`, or fix the selector in `options.eastWestGateways`"
                ),
            )
        } else {
            (
                "it has no east-west gateway: no Service in it is labelled `istio: eastwestgateway`".to_owned(),
                format!("add the east-west gateway's Service (with its `tls` port and its `status`) to the dump in `clusters/{cluster}/`, or choose it with `options.eastWestGateways` in workspace `{owner}`'s WorkspaceSettings"),
            )
        };
    }
    let g = found[0].service;
    let name = format!("{}/{}", g.meta.namespace, g.meta.name);
    if found[0].tls_port == 0 {
        let ports: Vec<String> = g
            .ports
            .iter()
            .map(|p| {
                if p.name.is_empty() {
                    p.port.to_string()
                } else {
                    format!("{} (`{}`)", p.port, p.name)
                }
            })
            .collect();
        (
            format!(
                "its east-west gateway Service {name} has no `tls` port (its ports: {})",
                if ports.is_empty() {
                    "none".to_owned()
                } else {
                    ports.join(", ")
                }
            ),
            format!(
                "name the gateway's TLS passthrough port `tls` (Istio's east-west gateway uses 15443), or pick it with `options.eastWestGateways[].port` in workspace `{owner}`'s WorkspaceSettings"
            ),
        )
    } else {
        (
            format!(
                "its east-west gateway Service {name} has no address: no `status.loadBalancer.ingress` and no `spec.externalIPs`"
            ),
            format!(
                "dump the Service with its status (`kubectl get service -o yaml` includes it), or give the address in `options.eastWestGateways[].hostInfoOverrides` of workspace `{owner}`'s WorkspaceSettings"
            ),
        )
    }
}

/// A VirtualDestination port that a backing Service lacks, in one cluster.
struct MissingPort {
    /// Index of the VD port, the field and position at fault.
    index: usize,
    field: String,
    pos: crate::load::node::Pos,
    /// What was looked up, and the VD port it serves.
    target: PortRef,
    vd_port: u32,
    /// The Service (namespace/name), its ports as the help lists them, and its cluster.
    service: String,
    have: Vec<(u32, String)>,
    cluster: String,
}

/// One VDC410 per VD port and Service: the same Service (same ports) missing the port in
/// several clusters is one mistake in the VirtualDestination, said once with every cluster.
fn report_missing_ports(
    vd: &VirtualDestination,
    missing: Vec<MissingPort>,
    diags: &mut Diagnostics,
) {
    type Key = (usize, String, Vec<(u32, String)>);
    let mut groups: BTreeMap<Key, Vec<MissingPort>> = BTreeMap::new();
    for m in missing {
        groups
            .entry((m.index, m.service.clone(), m.have.clone()))
            .or_default()
            .push(m);
    }
    for ((_, service, have), group) in groups {
        let clusters: Vec<&str> = group.iter().map(|m| m.cluster.as_str()).collect();
        let m = &group[0];
        let clusters_phrase = names::clusters_phrase(&clusters);
        let missing = missing_target_port::Missing {
            service: &service,
            clusters_phrase: &clusters_phrase,
            target: &m.target,
            vd_port: m.vd_port,
            field: &m.field,
            have: &have,
        };
        diags.push(missing_target_port::diagnostic(
            vd.meta.site(m.pos),
            missing,
        ));
    }
}

/// Port mapping and identities of one backing Service. Ports the Service lacks are collected
/// in `missing`, to be reported once for every cluster.
fn backing_of<'w>(
    world: &'w World,
    vd: &VirtualDestination,
    svc: &'w Service,
    missing: &mut Vec<MissingPort>,
    diags: &mut Diagnostics,
) -> Option<Backing<'w>> {
    let cluster = &world.clusters[&svc.meta.cluster];
    if svc.selector.is_empty() {
        let site = vd
            .meta
            .site(vd.services.first().map_or(vd.meta.pos, |s| s.pos));
        let d = backing_service_without_selector::diagnostic(site, &vd.meta.name, &svc.meta);
        diags.push(d);
        return None;
    }
    let workloads: Vec<&Workload> = cluster.workloads_behind(svc).collect();
    let mut ok = true;
    let mut workload_ports = Vec::new();
    for (i, port) in vd.ports.iter().enumerate() {
        let field = match port.target_port.as_ref().map(|t| &t.value) {
            Some(PortRef::Number(_)) => format!("spec.ports[{i}].targetPort.number"),
            Some(PortRef::Name(_)) => format!("spec.ports[{i}].targetPort.name"),
            None => format!("spec.ports[{i}].number"),
        };
        let target = port.target();
        let svc_port = svc.ports.iter().find(|p| match &target {
            PortRef::Number(n) => p.port == *n,
            PortRef::Name(name) => &p.name == name,
        });
        let pos = port.target_port.as_ref().map_or(port.number.pos, |t| t.pos);
        let Some(svc_port) = svc_port else {
            ok = false;
            let have = svc.ports.iter().map(|p| (p.port, p.name.clone())).collect();
            missing.push(MissingPort {
                index: i,
                field: field.clone(),
                pos,
                target: target.clone(),
                vd_port: *port.number,
                service: format!("{}/{}", svc.meta.namespace, svc.meta.name),
                have,
                cluster: svc.meta.cluster.clone(),
            });
            continue;
        };
        let workload_port = match &svc_port.target_port {
            None => Some(svc_port.port),
            Some(PortRef::Number(n)) => Some(*n),
            Some(PortRef::Name(name)) => workloads
                .iter()
                .flat_map(|w| &w.container_ports)
                .find(|(n, _)| n == name)
                .map(|(_, number)| *number),
        };
        match workload_port {
            Some(n) => workload_ports.push(n),
            None => {
                ok = false;
                let name = match &svc_port.target_port {
                    Some(PortRef::Name(n)) => n.as_str(),
                    _ => "",
                };
                let site = vd.meta.site(pos);
                let d = unresolved_target_port::diagnostic(
                    site,
                    &svc.meta,
                    svc_port.port,
                    name,
                    &field,
                );
                diags.push(d);
            }
        }
    }
    let trust_domain = cluster.trust_domain.as_deref().unwrap_or("cluster.local");
    let identities = workloads
        .iter()
        .map(|w| {
            format!(
                "spiffe://{trust_domain}/ns/{}/sa/{}",
                w.meta.namespace, w.service_account
            )
        })
        .collect();
    ok.then_some(Backing {
        service: svc,
        workload_ports,
        identities,
        pod_labels: workloads.iter().map(|w| w.pod_labels.clone()).collect(),
    })
}

/// VIPs in (namespace, name, cluster) order; a VIP already taken in a cluster the VD reaches
/// re-hashes with `#1`, `#2`, … so adding a VD never moves an older one's address.
fn assign_vips(vds: &mut [ResolvedVd], diags: &mut Diagnostics) {
    let mut taken: HashMap<String, HashMap<Ipv4Addr, String>> = HashMap::new();
    for r in vds.iter_mut() {
        let m = &r.vd.meta;
        let clusters: Vec<String> = r.placements.keys().cloned().collect();
        let mut attempt = 0u32;
        let vip = loop {
            let suffix = if attempt == 0 {
                String::new()
            } else {
                format!("#{attempt}")
            };
            let candidate = names::vip(&m.name, &m.namespace, &m.cluster, &suffix);
            let holder = clusters
                .iter()
                .find_map(|c| taken.get(c).and_then(|t| t.get(&candidate)));
            if candidate != Ipv4Addr::BROADCAST && holder.is_none() {
                break candidate;
            }
            if candidate == Ipv4Addr::BROADCAST {
                let case = vip_collision::Case::Broadcast { vd: &m.name };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            if let Some(holder) = holder {
                let case = vip_collision::Case::Taken {
                    vd: &m.name,
                    vip: candidate,
                    holder,
                };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            attempt += 1;
        };
        for c in clusters {
            taken
                .entry(c)
                .or_default()
                .insert(vip, format!("{}/{}", m.namespace, m.name));
        }
        r.vip = vip;
    }
}

/// A fact about a whole cluster points at the cluster's dump file (no line), when it has one.
pub fn at_dump(d: Diagnostic, cluster: &Cluster) -> Diagnostic {
    let d = d.cluster(&cluster.name);
    match &cluster.dump {
        Some(file) => d.at(file, crate::load::node::Pos::default()),
        None => d,
    }
}

/// Per-cluster facts: locality and the problems found deriving it, reported once per cluster.
struct Topology<'w> {
    localities: BTreeMap<&'w str, (Locality, Option<Diagnostic>)>,
    // Mutexes, not RefCells: VirtualDestinations resolve in parallel and share these.
    used: std::sync::Mutex<HashSet<String>>,
    gateway_cache: std::sync::Mutex<HashMap<(String, String), Vec<EastWestGateway<'w>>>>,
}

impl<'w> Topology<'w> {
    fn new(world: &'w World) -> Self {
        let mut localities = BTreeMap::new();
        for c in world.clusters.values() {
            let (best, problem) = super::locality::of_cluster(c);
            let problem = problem.map(|d| at_dump(d, c));
            localities.insert(c.name.as_str(), (best, problem));
        }
        Topology {
            localities,
            used: Default::default(),
            gateway_cache: Default::default(),
        }
    }

    /// The locality of a gateway: its pods' node when the dump says, else the cluster's.
    fn locality(&self, world: &World, svc: &Service) -> String {
        let cluster = &world.clusters[&svc.meta.cluster];
        let node = cluster
            .workloads_behind(svc)
            .find_map(|w| w.node_name.as_deref())
            .and_then(|name| cluster.nodes.iter().find(|n| n.name == name))
            .filter(|n| !n.locality.region.is_empty());
        if let Some(node) = node {
            return node.locality.istio();
        }
        lock(&self.used).insert(svc.meta.cluster.clone());
        self.localities
            .get(svc.meta.cluster.as_str())
            .map(|(l, _)| l.istio())
            .unwrap_or_default()
    }

    /// The east-west gateways of `cluster` as the owner workspace's settings choose them,
    /// computed once per (workspace, cluster).
    fn gateways(
        &self,
        world: &'w World,
        workspaces: &Workspaces,
        owner: &str,
        cluster: &str,
    ) -> Vec<EastWestGateway<'w>> {
        let key = (owner.to_owned(), cluster.to_owned());
        if let Some(found) = lock(&self.gateway_cache).get(&key) {
            return found.clone();
        }
        let found = self.find_gateways(world, workspaces, owner, cluster);
        lock(&self.gateway_cache).insert(key, found.clone());
        found
    }

    fn find_gateways(
        &self,
        world: &'w World,
        workspaces: &Workspaces,
        owner: &str,
        cluster: &str,
    ) -> Vec<EastWestGateway<'w>> {
        let c = &world.clusters[cluster];
        let selectors = workspaces
            .settings(owner)
            .map(|s| s.east_west_gateways.as_slice())
            .unwrap_or_default();
        let mut out = Vec::new();
        for svc in &c.services {
            let chosen: Option<Option<&EastWestGatewaySelector>> = if selectors.is_empty() {
                (svc.meta.labels.get("istio").map(String::as_str) == Some("eastwestgateway"))
                    .then_some(None)
            } else {
                let ws = workspaces.of(cluster, &svc.meta.namespace);
                selectors
                    .iter()
                    .find(|s| selector_matches(&s.selector, svc, ws.as_deref()))
                    .map(Some)
            };
            let Some(config) = chosen else { continue };
            let port_ref = config
                .and_then(|c| c.port.clone())
                .unwrap_or(PortRef::Name("tls".into()));
            let termination_ref = config
                .and_then(|c| c.tls_termination_port.clone())
                .unwrap_or(PortRef::Name("https".into()));
            let termination_port = svc
                .ports
                .iter()
                .find(|p| match &termination_ref {
                    PortRef::Number(n) => p.port == *n,
                    PortRef::Name(n) => &p.name == n,
                })
                .map_or(0, |p| p.port);
            let Some(port) = svc.ports.iter().find(|p| match &port_ref {
                PortRef::Number(n) => p.port == *n,
                PortRef::Name(n) => &p.name == n,
            }) else {
                out.push(EastWestGateway {
                    service: svc,
                    tls_port: 0,
                    tls_termination_port: termination_port,
                    addresses: Vec::new(),
                });
                continue;
            };
            let locality = self.locality(world, svc);
            let overrides = config
                .map(|c| c.host_info_overrides.as_slice())
                .unwrap_or_default();
            let addresses: Vec<GatewayAddress> = if !overrides.is_empty() {
                overrides
                    .iter()
                    .map(|o| GatewayAddress {
                        address: o.addr.clone(),
                        port: o.port.unwrap_or(port.port),
                        termination_port,
                        locality: locality.clone(),
                    })
                    .collect()
            } else {
                let from = if svc.ingress.is_empty() {
                    &svc.external_ips
                } else {
                    &svc.ingress
                };
                from.iter()
                    .map(|a| GatewayAddress {
                        address: a.clone(),
                        port: port.port,
                        termination_port,
                        locality: locality.clone(),
                    })
                    .collect()
            };
            out.push(EastWestGateway {
                service: svc,
                tls_port: port.port,
                tls_termination_port: termination_port,
                addresses,
            });
        }
        out
    }

    /// Locality problems of the clusters whose locality was actually used.
    fn report(&self, diags: &mut Diagnostics) {
        for cluster in lock(&self.used).iter() {
            if let Some((_, Some(d))) = self.localities.get(cluster.as_str()) {
                diags.push(d.clone());
            }
        }
    }
}

/// Services by label and by name, with the workspace of each, so a VirtualDestination's
/// selectors look at the few Services they can match instead of every Service of every cluster.
struct ServiceIndex<'w> {
    all: Vec<(&'w Service, Option<String>)>,
    by_label: HashMap<(&'w str, &'w str), Vec<usize>>,
    by_name: HashMap<&'w str, Vec<usize>>,
}

impl<'w> ServiceIndex<'w> {
    fn new(world: &'w World, workspaces: &Workspaces) -> Self {
        let mut index = ServiceIndex {
            all: Vec::new(),
            by_label: HashMap::new(),
            by_name: HashMap::new(),
        };
        for cluster in world.clusters.values() {
            for svc in &cluster.services {
                let i = index.all.len();
                index
                    .all
                    .push((svc, workspaces.of(&cluster.name, &svc.meta.namespace)));
                for (k, v) in &svc.meta.labels {
                    index
                        .by_label
                        .entry((k.as_str(), v.as_str()))
                        .or_default()
                        .push(i);
                }
                index
                    .by_name
                    .entry(svc.meta.name.as_str())
                    .or_default()
                    .push(i);
            }
        }
        index
    }

    /// Services that may match any of `selectors` (a superset: callers still check each).
    fn candidates<'a>(
        &'a self,
        selectors: &'a [ObjectSelector],
    ) -> impl Iterator<Item = (&'w Service, Option<&'a str>)> + 'a {
        let empty: &[usize] = &[];
        let mut picked: Vec<usize> = Vec::new();
        for s in selectors {
            let narrowest = s
                .labels
                .iter()
                .map(|(k, v)| {
                    self.by_label
                        .get(&(k.as_str(), v.as_str()))
                        .map_or(empty, Vec::as_slice)
                })
                .chain(
                    s.name
                        .as_deref()
                        .map(|n| self.by_name.get(n).map_or(empty, Vec::as_slice)),
                )
                .min_by_key(|list| list.len());
            match narrowest {
                Some(list) => picked.extend_from_slice(list),
                None => picked.extend(0..self.all.len()),
            }
        }
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .map(|i| (self.all[i].0, self.all[i].1.as_deref()))
    }
}

/// A cache's lock. A panic cannot leave these caches half-written, so poisoning is ignored.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
