//! Resolution of external backends: who owns and consumes each ExternalService, which
//! ExternalEndpoints it selects, and what a VirtualDestination's `externalServices` and client
//! mode add to it. Decided here, so translation cannot fail.

pub use super::resolved::{ExtEndpoint, ExternalIndex, PortExternal, ResolvedEs, VdExternal};
use super::workspaces::Workspaces;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::external::{EsPort, EsTls, ExternalEndpoint};
use crate::model::selector::{Candidate, labels_match};
use crate::model::types::*;
use crate::model::{GlooKind, World};
use crate::rules::external::{
    external_port_missing, failover_on_external_service, mixed_backend_tls,
    no_tls_termination_port, several_external_workloads, unknown_connected_cluster,
};
use crate::rules::routing::tls_termination_ports;
use crate::rules::vd::selector_matches_nothing;
use crate::rules::workspace::object_in_no_workspace;
use selector_matches_nothing::ExternalSelectors as Selectors;
use std::collections::BTreeSet;

/// The Gloo resource kind of ExternalServices in import/export selectors.
pub const EXTERNAL_SERVICE: &str = "EXTERNAL_SERVICE";

impl ResolvedEs<'_> {
    /// The port an endpoint receives `port`'s traffic on.
    pub fn endpoint_port(ee: &ExternalEndpoint, port: &EsPort) -> u32 {
        let target = port.target();
        let found = ee.ports.iter().find(|(name, number)| match &target {
            PortRef::Number(n) => number == n,
            PortRef::Name(n) => name == n,
        });
        match (found, &target) {
            (Some((_, n)), _) => *n,
            (None, _) if ee.ports.len() == 1 => ee.ports[0].1,
            (None, PortRef::Number(n)) => *n,
            (None, PortRef::Name(_)) => port.number,
        }
    }

    /// The port number dialled on a host or address when no ExternalEndpoint is selected.
    pub fn direct_port(port: &EsPort) -> u32 {
        match &port.target_port {
            Some(PortRef::Number(n)) => *n,
            _ => port.number,
        }
    }

    /// The ExternalService's endpoints for one of its ports: (address, port, locality).
    pub fn endpoints_for(&self, port: &EsPort) -> Vec<ExtEndpoint> {
        let mut out: Vec<ExtEndpoint> = if self.endpoints.is_empty() {
            self.es
                .hosts
                .iter()
                .map(|h| h.value.clone())
                .filter(|h| !h.contains('*'))
                .chain(
                    self.es
                        .addresses
                        .iter()
                        .map(|a| a.value.clone())
                        .filter(|a| !a.contains('/')),
                )
                .map(|address| ExtEndpoint {
                    address,
                    port: Self::direct_port(port),
                    locality: String::new(),
                })
                .collect()
        } else {
            self.endpoints
                .iter()
                .filter(|ee| !ee.address.is_empty())
                .map(|ee| ExtEndpoint {
                    address: ee.address.clone(),
                    port: Self::endpoint_port(ee, port),
                    locality: ee.locality.as_ref().map(locality).unwrap_or_default(),
                })
                .collect()
        };
        out.sort();
        out.dedup();
        out
    }

    /// The client TLS of `port`, with Gloo's default SNI: the only host, when there is one.
    pub fn tls_for(&self, port: &EsPort) -> Option<EsTls> {
        let mut tls = port.tls.clone()?;
        if let [only] = &self.es.hosts[..]
            && tls.sni.is_none()
            && tls.mode != "ISTIO_MUTUAL"
            && tls.mode != "DISABLE"
            && !only.contains('*')
        {
            tls.sni = Some(only.value.clone());
        }
        Some(tls)
    }
}

fn locality(l: &LocalitySpec) -> String {
    Locality {
        region: l.region.clone(),
        zone: l.zone.clone().unwrap_or_default(),
        subzone: l.sub_zone.clone().unwrap_or_default(),
    }
    .istio()
}

impl<'w> ExternalIndex<'w> {
    pub fn build(world: &'w World, workspaces: &Workspaces, diags: &mut Diagnostics) -> Self {
        let mut services = Vec::new();
        for es in &world.external.services {
            let m = &es.meta;
            let Some(owner) = workspaces.of(&m.cluster, &m.namespace) else {
                let case = object_in_no_workspace::Case::ExternalService { meta: m };
                diags.push(object_in_no_workspace::diagnostic(m.site(m.pos), case));
                continue;
            };
            if es.hosts.is_empty() == es.addresses.is_empty() {
                continue; // VDC801, reported while decoding
            }
            let consumers = workspaces
                .names()
                .into_iter()
                .filter(|w| workspaces.shares(&owner, w, EXTERNAL_SERVICE, m))
                .collect();
            let endpoints = if es.selector.is_empty() {
                Vec::new()
            } else {
                world
                    .external
                    .endpoints
                    .iter()
                    .filter(|ee| {
                        labels_match(&es.selector, &ee.meta.labels)
                            && workspaces
                                .of(&ee.meta.cluster, &ee.meta.namespace)
                                .as_deref()
                                == Some(owner.as_str())
                    })
                    .collect()
            };
            let hosts = if es.hosts.is_empty() {
                vec![format!("{}.{}.external", m.name, m.namespace)]
            } else {
                es.hosts.iter().map(|h| h.value.clone()).collect()
            };
            services.push(ResolvedEs {
                es,
                owner,
                consumers,
                endpoints,
                hosts,
                routed_from: Default::default(),
            });
        }
        ExternalIndex { services }
    }

    /// The ExternalService a route's `ref` names, if it resolved.
    pub fn find(&self, name: &str, namespace: &str, cluster: &str) -> Option<&ResolvedEs<'w>> {
        self.services.iter().find(|r| {
            let m = &r.es.meta;
            m.name == name && m.namespace == namespace && m.cluster == cluster
        })
    }
}

impl VdExternal<'_> {
    pub fn tls_termination(&self) -> bool {
        self.client_mode == ClientMode::TlsTermination
    }
}

fn selects(sel: &ObjectSelector, es: &ResolvedEs) -> bool {
    sel.matches(&Candidate::of(&es.es.meta, Some(&es.owner)))
}

/// The external backends of `vd`; `None` when one of them is an error for it.
pub fn vd_external<'w>(
    index: &ExternalIndex<'w>,
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    in_mesh: bool,
    diags: &mut Diagnostics,
) -> Option<VdExternal<'w>> {
    let (client_mode, client_mode_source) = match (vd.client_mode, workspaces.client_mode(owner)) {
        (Some(m), _) => (m, GlooKind::VirtualDestination.name()),
        (None, Some(m)) => (m, GlooKind::WorkspaceSettings.name()),
        (None, None) => (ClientMode::Auto, "default"),
    };
    let services: Vec<ResolvedEs<'w>> = index
        .services
        .iter()
        .filter(|r| r.consumers.contains(owner))
        .filter(|r| vd.external_services.iter().any(|s| selects(s, r)))
        .cloned()
        .collect();
    if !vd.external_services.is_empty() && services.is_empty() {
        let site = vd.meta.site(vd.external_services[0].pos);
        let d = selector_matches_nothing::external(site, Selectors::Services, owner, &vd.meta.name);
        diags.push(d);
    }
    let mut ok = true;
    let mut ports = Vec::new();
    for (i, port) in vd.ports.iter().enumerate() {
        let mut out = PortExternal::default();
        let target = port.target();
        for r in &services {
            let Some(es_port) = r.es.ports.iter().find(|p| match &target {
                PortRef::Number(n) => p.number == *n,
                PortRef::Name(n) => p.name == *n,
            }) else {
                ok = false;
                diags.push(missing_port(vd, r, i, port));
                continue;
            };
            let tls = r.tls_for(es_port);
            let mode = tls.as_ref().map_or("DISABLE", |t| t.mode.as_str());
            let first_mode = if in_mesh {
                Some("ISTIO_MUTUAL")
            } else if out.endpoints.is_empty() {
                None
            } else {
                Some(out.tls.as_ref().map_or("DISABLE", |t| t.mode.as_str()))
            };
            if let Some(first) = first_mode.filter(|f| *f != mode) {
                diags.push(mixed_tls(vd, r, i, port, first, mode));
                continue;
            }
            if !in_mesh && out.endpoints.is_empty() {
                out.tls = tls;
            }
            out.endpoints.extend(r.endpoints_for(es_port));
            out.subject_alt_names
                .extend(r.es.subject_alt_names.iter().cloned());
        }
        out.endpoints.sort();
        out.endpoints.dedup();
        out.subject_alt_names.sort();
        out.subject_alt_names.dedup();
        ports.push(out);
    }
    ok.then_some(VdExternal {
        client_mode,
        client_mode_source,
        services,
        ports,
    })
}

/// **VDC805 no-tls-termination-port**: in `tlsTermination` mode remote clients reach a backing
/// cluster on its east-west gateway's termination port; a gateway without one cannot serve them.
pub fn check_termination_ports(
    vd: &VirtualDestination,
    external: &VdExternal,
    gateways: &std::collections::BTreeMap<String, Vec<super::resolved::EastWestGateway>>,
    receivers: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Option<()> {
    if !external.tls_termination() {
        return Some(());
    }
    let mut ok = true;
    for (cluster, found) in gateways {
        let needed = receivers.iter().any(|c| *c != cluster);
        if !needed || found.is_empty() || found.iter().any(|g| g.tls_termination_port != 0) {
            continue;
        }
        ok = false;
        let g = found[0].service;
        let ports: Vec<String> = g
            .ports
            .iter()
            .map(|p| format!("{} (`{}`)", p.port, p.name))
            .collect();
        diags.push(no_tls_termination_port::diagnostic(
            vd.meta
                .site(vd.services.first().map_or(vd.meta.pos, |s| s.pos)),
            &vd.meta.name,
            &external.client_mode_source,
            (&g.meta.namespace, &g.meta.name),
            cluster,
            &ports,
        ));
    }
    ok.then_some(())
}

/// **VDC725 tls-termination-ports**: in `tlsTermination` mode a backing cluster's gateway
/// forwards everything it terminates for the VD to one Service port; a VD whose ports reach
/// different ports of a backing Service that remote clients need cannot be served so.
pub fn check_termination_targets(
    vd: &VirtualDestination,
    external: &VdExternal,
    backing: &std::collections::BTreeMap<String, super::resolved::Backing>,
    receivers: &BTreeSet<&str>,
    diags: &mut Diagnostics,
) -> Option<()> {
    if !external.tls_termination() || vd.ports.len() < 2 {
        return Some(());
    }
    for (cluster, b) in backing {
        if !receivers.iter().any(|c| *c != cluster) {
            continue;
        }
        let targets: Vec<Option<u32>> = (vd.ports.iter())
            .map(|p| b.service.port(&p.target()).map(|sp| sp.port))
            .collect();
        let distinct: BTreeSet<u32> = targets.iter().flatten().copied().collect();
        if distinct.len() < 2 {
            continue;
        }
        let shown: Vec<String> = (vd.ports.iter().zip(&targets))
            .map(|(p, t)| match t {
                Some(t) => format!("{}/{} → {t}", *p.number, p.protocol),
                None => format!("{}/{}", *p.number, p.protocol),
            })
            .collect();
        // The first port that reaches another Service port than the first port does.
        let other = (targets.iter())
            .position(|t| t.is_some() && *t != targets[0])
            .unwrap_or(1);
        let meta = &b.service.meta;
        diags.push(tls_termination_ports::diagnostic(
            vd.meta.site(vd.ports[other].pos),
            &vd.meta.name,
            &external.client_mode_source,
            &shown,
            (&meta.namespace, &meta.name),
            cluster,
        ));
        return None;
    }
    Some(())
}

/// The Gloo resource kind of ExternalWorkloads in import/export selectors.
pub const EXTERNAL_WORKLOAD: &str = "EXTERNAL_WORKLOAD";

/// **VDC803 unknown-connected-cluster**: an ExternalWorkload registers in clusters by name;
/// one without a folder cannot be written to.
pub fn check_connected_clusters(world: &World, diags: &mut Diagnostics) {
    for w in &world.external.workloads {
        for (cluster, ns) in &w.connected_clusters {
            if !world.clusters.contains_key(cluster) {
                let site = w.meta.site(ns.pos);
                diags.push(unknown_connected_cluster::diagnostic(
                    site,
                    &w.meta.name,
                    cluster,
                ));
            }
        }
    }
}

/// The stand-ins of the ExternalWorkloads that back `vd`, at most one per cluster (the oldest;
/// VDC804 names the others), in clusters no Service backs already.
pub fn workload_backings<'w>(
    world: &'w World,
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    backed: &dyn Fn(&str) -> bool,
    diags: &mut Diagnostics,
) -> Vec<&'w Service> {
    if vd.external_workloads.is_empty() {
        return Vec::new();
    }
    let mut per_cluster: std::collections::BTreeMap<&str, Vec<&'w Service>> = Default::default();
    for svc in &world.external.workload_services {
        let m = &svc.meta;
        // Where the ExternalWorkload object itself lives decides who owns it.
        let source = world
            .external
            .workloads
            .iter()
            .find(|w| w.meta.file == m.file && w.meta.pos == m.pos && w.meta.name == m.name);
        let Some(source) = source else { continue };
        let Some(ew_owner) = workspaces.of(&source.meta.cluster, &source.meta.namespace) else {
            continue;
        };
        let visible = workspaces.shares(&ew_owner, owner, EXTERNAL_WORKLOAD, &source.meta);
        // Its labels and name, in the namespace and cluster where it was declared.
        let workload = Candidate {
            labels: &m.labels,
            name: Some(&m.name),
            namespace: &source.meta.namespace,
            cluster: &source.meta.cluster,
            workspace: Some(&ew_owner),
        };
        let picked = vd
            .external_workloads
            .iter()
            .any(|sel| sel.matches(&workload));
        if visible && picked && world.clusters.contains_key(&m.cluster) {
            per_cluster.entry(&m.cluster).or_default().push(svc);
        }
    }
    if per_cluster.is_empty() {
        let site = vd.meta.site(vd.external_workloads[0].pos);
        let d =
            selector_matches_nothing::external(site, Selectors::Workloads, owner, &vd.meta.name);
        diags.push(d);
    }
    let mut out = Vec::new();
    for (cluster, mut found) in per_cluster {
        found.sort_by(|a, b| a.meta.age_key().cmp(&b.meta.age_key()));
        let losers: Vec<String> = found[1..].iter().map(|s| s.meta.name.clone()).collect();
        if backed(cluster) {
            let all: Vec<String> = found.iter().map(|s| s.meta.name.clone()).collect();
            diags.push(several(
                vd,
                cluster,
                "a Service already backs it there; the Service wins over",
                &all,
            ));
            continue;
        }
        if !losers.is_empty() {
            diags.push(several(
                vd,
                cluster,
                &format!("the oldest, `{}`, wins over", found[0].meta.name),
                &losers,
            ));
        }
        out.push(found[0]);
    }
    out
}

fn several(vd: &VirtualDestination, cluster: &str, why: &str, others: &[String]) -> Diagnostic {
    let site = vd.meta.site(vd.external_workloads[0].pos);
    several_external_workloads::diagnostic(site, &vd.meta.name, cluster, why, others)
}

/// The SPIFFE identities of the VMs registered for a stand-in: the WorkloadEntries of its
/// namespace whose labels it selects (their service account, else the workload's name).
pub fn vm_identities(world: &World, svc: &Service) -> Vec<String> {
    let Some(cluster) = world.clusters.get(&svc.meta.cluster) else {
        return Vec::new();
    };
    let domain = cluster.trust_domain.as_deref().unwrap_or("cluster.local");
    let ns = &svc.meta.namespace;
    let mut out: BTreeSet<String> = cluster
        .workload_entries
        .iter()
        .filter(|e| e.meta.namespace == *ns && labels_match(&svc.selector, &e.labels))
        .map(|e| {
            let sa = if e.service_account.is_empty() {
                &svc.meta.name
            } else {
                &e.service_account
            };
            format!("spiffe://{domain}/ns/{ns}/sa/{sa}")
        })
        .collect();
    if out.is_empty() {
        out.insert(format!("spiffe://{domain}/ns/{ns}/sa/{}", svc.meta.name));
    }
    out.into_iter().collect()
}

/// **VDC807 failover-on-external-service**: Gloo does not apply FailoverPolicies to
/// ExternalServices, so on a port that only ExternalServices back, vdc leaves the policy out
/// as Gloo does, and says so.
pub fn drop_external_failover(
    vd: &VirtualDestination,
    external: &VdExternal,
    in_mesh: bool,
    port_policies: &mut [super::resolved::PortPolicies],
    diags: &mut Diagnostics,
) {
    if in_mesh {
        return;
    }
    for ((port, ext), policies) in vd.ports.iter().zip(&external.ports).zip(port_policies) {
        if ext.endpoints.is_empty() {
            continue;
        }
        let Some(f) = policies.remove(GlooKind::FailoverPolicy) else {
            continue;
        };
        let site = f.meta.site(f.meta.pos);
        let d = failover_on_external_service::diagnostic(site, &f.meta, *port.number, &vd.meta);
        diags.push(d);
    }
}

/// VDC802 for a VD port that an ExternalService lacks.
fn missing_port(vd: &VirtualDestination, r: &ResolvedEs, i: usize, port: &VdPort) -> Diagnostic {
    let pos = port.target_port.as_ref().map_or(port.number.pos, |t| t.pos);
    external_port_missing::diagnostic(vd.meta.site(pos), r.es, i, port)
}

/// VDC806 for an ExternalService whose client TLS differs from the port's.
fn mixed_tls(
    vd: &VirtualDestination,
    r: &ResolvedEs,
    i: usize,
    port: &VdPort,
    first: &str,
    mode: &str,
) -> Diagnostic {
    let site = vd.meta.site(port.number.pos);
    mixed_backend_tls::diagnostic(site, &vd.meta.name, (i, *port.number), r.es, first, mode)
}
