//! East-west gateways and cluster localities, found once per cluster and shared by every
//! VirtualDestination.

use super::at_dump;
use super::resolved::*;
use super::workspaces::Workspaces;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::topology::{mixed_gateway_locality, no_east_west_gateway};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Why no east-west gateway of `cluster` is usable (VDC501), from what was found there.
pub(super) fn gateway_problem<'a>(
    found: &'a [EastWestGateway],
    owner: &'a str,
    selected_by: Option<&'a str>,
) -> no_east_west_gateway::Case<'a> {
    use no_east_west_gateway::Case;
    match found.first() {
        None if let Some(settings) = selected_by => Case::NoneSelected { settings },
        None => Case::NoneLabelled { owner },
        Some(g) if g.tls_port == 0 => Case::NoTlsPort {
            owner,
            service: g.service,
        },
        Some(g) => Case::NoAddress {
            owner,
            service: g.service,
        },
    }
}

/// A gateway Service: its cluster, namespace and name.
type GatewayKey = (String, String, String);

/// Per-cluster facts: locality and the problems found deriving it, reported once per cluster.
pub(super) struct Topology<'w> {
    localities: BTreeMap<&'w str, (Locality, Option<Diagnostic>)>,
    // Mutexes, not RefCells: VirtualDestinations resolve in parallel and share these.
    used: std::sync::Mutex<HashSet<String>>,
    gateway_cache: std::sync::Mutex<HashMap<(String, String), Vec<EastWestGateway<'w>>>>,
    /// VDC512 per gateway Service whose pods' localities differ.
    gateway_problems: std::sync::Mutex<BTreeMap<GatewayKey, Diagnostic>>,
}

impl<'w> Topology<'w> {
    pub(super) fn new(world: &'w World) -> Self {
        let mut localities = BTreeMap::new();
        for c in world.clusters.values() {
            let (best, problem) = crate::resolve::locality::of_cluster(c);
            let problem = problem.map(|d| at_dump(d, c));
            localities.insert(c.name.as_str(), (best, problem));
        }
        Topology {
            localities,
            used: Default::default(),
            gateway_cache: Default::default(),
            gateway_problems: Default::default(),
        }
    }

    /// The locality of a gateway: the most common of its pods' nodes' when the dump says (ties:
    /// the first by name; VDC512 when they differ), else the cluster's.
    pub(super) fn locality(&self, world: &World, svc: &Service) -> String {
        let cluster = &world.clusters[&svc.meta.cluster];
        let mut counts: BTreeMap<&Locality, usize> = BTreeMap::new();
        for name in cluster
            .workloads_behind(svc)
            .filter_map(|w| w.node_name.as_deref())
        {
            if let Some(node) = cluster.nodes.iter().find(|n| n.name == name)
                && !node.locality.region.is_empty()
            {
                *counts.entry(&node.locality).or_default() += 1;
            }
        }
        let best = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(l, _)| l.istio());
        if let Some(best) = best {
            if counts.len() > 1 {
                let counted: Vec<(String, usize)> =
                    counts.iter().map(|(l, n)| (l.istio(), *n)).collect();
                let m = &svc.meta;
                let key = (m.cluster.clone(), m.namespace.clone(), m.name.clone());
                let problem = mixed_gateway_locality::diagnostic(svc, &counted, &best);
                lock(&self.gateway_problems).entry(key).or_insert(problem);
            }
            return best;
        }
        lock(&self.used).insert(svc.meta.cluster.clone());
        self.localities
            .get(svc.meta.cluster.as_str())
            .map(|(l, _)| l.istio())
            .unwrap_or_default()
    }

    /// The east-west gateways of `cluster` as the owner workspace's settings choose them,
    /// computed once per (workspace, cluster).
    pub(super) fn gateways(
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
        let selectors = workspaces.east_west_gateways(owner);
        let mut out = Vec::new();
        for svc in &world.clusters[cluster].services {
            let chosen = if selectors.is_empty() {
                (svc.meta.labels.get("istio") == Some("eastwestgateway")).then_some(None)
            } else {
                let ws = workspaces.of(cluster, &svc.meta.namespace);
                selectors
                    .iter()
                    .find(|s| s.selector.matches(&Candidate::of(&svc.meta, ws.as_deref())))
                    .map(Some)
            };
            if let Some(config) = chosen {
                out.push(self.gateway(world, svc, config));
            }
        }
        out
    }

    /// The gateway `svc` makes, configured by the selector that chose it (`None`: chosen by the
    /// `istio: eastwestgateway` label): its passthrough port (`tls` unless configured), its
    /// termination port (`https`) and its addresses. Without the passthrough port it has no
    /// address, and resolution says why.
    fn gateway(
        &self,
        world: &'w World,
        svc: &'w Service,
        config: Option<&EastWestGatewaySelector>,
    ) -> EastWestGateway<'w> {
        let port_ref = config
            .and_then(|c| c.port.clone())
            .unwrap_or(PortRef::Name("tls".into()));
        let termination_ref = config
            .and_then(|c| c.tls_termination_port.clone())
            .unwrap_or(PortRef::Name("https".into()));
        let termination_port = svc.port(&termination_ref).map_or(0, |p| p.port);
        let Some(port) = svc.port(&port_ref) else {
            return EastWestGateway {
                service: svc,
                tls_port: 0,
                tls_termination_port: termination_port,
                addresses: Vec::new(),
            };
        };
        let locality = self.locality(world, svc);
        let address = |address: &str, port: u32| GatewayAddress {
            address: address.to_owned(),
            port,
            termination_port,
            locality: locality.clone(),
        };
        let overrides = config
            .map(|c| c.host_info_overrides.as_slice())
            .unwrap_or_default();
        let addresses: Vec<GatewayAddress> = if !overrides.is_empty() {
            overrides
                .iter()
                .map(|o| address(&o.addr, o.port.unwrap_or(port.port)))
                .collect()
        } else {
            let from = if svc.ingress.is_empty() {
                &svc.external_ips
            } else {
                &svc.ingress
            };
            from.iter().map(|a| address(a, port.port)).collect()
        };
        EastWestGateway {
            service: svc,
            tls_port: port.port,
            tls_termination_port: termination_port,
            addresses,
        }
    }

    /// Locality problems of the clusters whose locality was actually used.
    pub(super) fn report(&self, diags: &mut Diagnostics) {
        for cluster in lock(&self.used).iter() {
            if let Some((_, Some(d))) = self.localities.get(cluster.as_str()) {
                diags.push(d.clone());
            }
        }
        for d in lock(&self.gateway_problems).values() {
            diags.push(d.clone());
        }
    }
}

/// A cache's lock. A panic cannot leave these caches half-written, so poisoning is ignored.
pub(super) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
