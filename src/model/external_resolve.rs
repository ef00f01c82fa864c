//! Resolution of external backends: who owns and consumes each ExternalService, which
//! ExternalEndpoints it selects, and what a VirtualDestination's `externalServices` and client
//! mode add to it. Decided here, so translation cannot fail.

use super::World;
use super::external::{EsPort, EsTls, ExternalEndpoint, ExternalService};
use super::types::*;
use super::workspaces::Workspaces;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use std::collections::BTreeSet;

/// The Gloo resource kind of ExternalServices in import/export selectors.
pub const EXTERNAL_SERVICE: &str = "EXTERNAL_SERVICE";

/// One ExternalService, resolved.
#[derive(Debug, Clone)]
pub struct ResolvedEs<'w> {
    pub es: &'w ExternalService,
    pub owner: String,
    /// The owner and every workspace it shares the ExternalService with, sorted.
    pub consumers: BTreeSet<String>,
    /// Selected ExternalEndpoints, sorted by (namespace, name).
    pub endpoints: Vec<&'w ExternalEndpoint>,
    /// The hosts of its ServiceEntry: `hosts`, or for an `addresses` ExternalService a name
    /// vdc makes up, `<name>.<namespace>.external` (Istio needs one).
    pub hosts: Vec<String>,
}

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

/// An endpoint outside the mesh: an ExternalEndpoint, or a host or address dialled directly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExtEndpoint {
    pub address: String,
    pub port: u32,
    pub locality: String,
}

/// Every ExternalService that resolved.
#[derive(Debug, Default)]
pub struct ExternalIndex<'w> {
    pub services: Vec<ResolvedEs<'w>>,
}

fn labels_match(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn meta_diag(meta: &Meta, code: Code, pos: crate::load::node::Pos, message: String) -> Diagnostic {
    Diagnostic::new(code, message)
        .at(&meta.file, pos)
        .object(meta.object_ref())
}

impl<'w> ExternalIndex<'w> {
    pub fn build(world: &'w World, workspaces: &Workspaces, diags: &mut Diagnostics) -> Self {
        let mut services = Vec::new();
        for es in &world.external.services {
            let m = &es.meta;
            let Some(owner) = workspaces.of(&m.cluster, &m.namespace) else {
                diags.push(
                    meta_diag(m, Code::NoWorkspace, m.pos, format!(
                        "ExternalService `{}` is in namespace `{}` of cluster `{}`, which no workspace holds, so no workload can reach it",
                        m.name, m.namespace, m.cluster
                    ))
                    .field("metadata.namespace")
                    .help("add the namespace to a Workspace, or move the ExternalService into one"),
                );
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

/// The external backends of one VD port.
#[derive(Debug, Clone, Default)]
pub struct PortExternal {
    pub endpoints: Vec<ExtEndpoint>,
    /// The port's client TLS when external backends decide it (none back it in the mesh).
    pub tls: Option<EsTls>,
    /// SANs the ExternalServices add (`subjectAltNames`).
    pub subject_alt_names: Vec<String>,
}

/// What a VirtualDestination's external backends and client mode add to it.
#[derive(Debug, Clone, Default)]
pub struct VdExternal<'w> {
    pub client_mode: ClientMode,
    /// Where the client mode came from: `VirtualDestination`, `WorkspaceSettings` or `default`.
    pub client_mode_source: &'static str,
    pub services: Vec<ResolvedEs<'w>>,
    /// Per VD port, in order.
    pub ports: Vec<PortExternal>,
}

impl VdExternal<'_> {
    pub fn tls_termination(&self) -> bool {
        self.client_mode == ClientMode::TlsTermination
    }
}

fn selects(sel: &ObjectSelector, es: &ResolvedEs) -> bool {
    let m = &es.es.meta;
    labels_match(&sel.labels, &m.labels)
        && sel.name.as_deref().is_none_or(|n| n == m.name)
        && sel.namespace.as_deref().is_none_or(|n| n == m.namespace)
        && sel.cluster.as_deref().is_none_or(|c| c == m.cluster)
        && sel.workspace.as_deref().is_none_or(|w| w == es.owner)
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
    let (client_mode, client_mode_source) = match (
        vd.client_mode,
        workspaces.settings(owner).and_then(|s| s.client_mode),
    ) {
        (Some(m), _) => (m, "VirtualDestination"),
        (None, Some(m)) => (m, "WorkspaceSettings"),
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
        diags.push(
            meta_diag(&vd.meta, Code::SelectorMatchesNothing, vd.external_services[0].pos, format!(
                "no ExternalService of workspace `{owner}` (or imported into it) matches the `spec.externalServices` selectors of VirtualDestination `{}`",
                vd.meta.name
            ))
            .field("spec.externalServices")
            .help("check the selector's labels against the ExternalServices' metadata labels"),
        );
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
    gateways: &std::collections::BTreeMap<String, Vec<super::resolve::EastWestGateway>>,
    receivers: &BTreeSet<&String>,
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
        diags.push(
            meta_diag(&vd.meta, Code::NoTlsTerminationPort, vd.services.first().map_or(vd.meta.pos, |s| s.pos), format!(
                "VirtualDestination `{}` uses client mode tlsTermination ({}), but the east-west gateway {}/{} of backing cluster `{cluster}` has no `https` port to terminate mTLS on (its ports: {})",
                vd.meta.name,
                external.client_mode_source,
                g.meta.namespace,
                g.meta.name,
                if ports.is_empty() { "none".to_owned() } else { ports.join(", ") }
            ))
            .field("spec.clientMode")
            .help("add a port named `https` to the gateway Service (Istio's east-west gateway uses 15443 for `tls`; 16443 is common for `https`), or pick it with `options.eastWestGateways[].tlsTerminationPort`"),
        );
    }
    ok.then_some(())
}

/// The Gloo resource kind of ExternalWorkloads in import/export selectors.
pub const EXTERNAL_WORKLOAD: &str = "EXTERNAL_WORKLOAD";

/// **VDC803 unknown-connected-cluster**: an ExternalWorkload registers in clusters by name;
/// one without a folder cannot be written to.
pub fn check_connected_clusters(world: &World, diags: &mut Diagnostics) {
    for w in &world.external.workloads {
        for (cluster, ns) in &w.connected_clusters {
            if !world.clusters.contains_key(cluster) {
                diags.push(
                    meta_diag(&w.meta, Code::UnknownConnectedCluster, ns.pos, format!(
                        "ExternalWorkload `{}` is connected to cluster `{cluster}`, which has no folder `clusters/{cluster}/`; vdc cannot register it there",
                        w.meta.name
                    ))
                    .field(format!("spec.connectedClusters.{cluster}"))
                    .help("add the cluster's state dump under that folder, or fix the cluster name"),
                );
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
        let picked = vd.external_workloads.iter().any(|sel| {
            labels_match(&sel.labels, &m.labels)
                && sel.name.as_deref().is_none_or(|n| n == m.name)
                && sel
                    .namespace
                    .as_deref()
                    .is_none_or(|n| n == source.meta.namespace)
                && sel
                    .cluster
                    .as_deref()
                    .is_none_or(|c| c == source.meta.cluster)
                && sel.workspace.as_deref().is_none_or(|w| w == ew_owner)
        });
        if visible && picked && world.clusters.contains_key(&m.cluster) {
            per_cluster.entry(&m.cluster).or_default().push(svc);
        }
    }
    if per_cluster.is_empty() {
        diags.push(
            meta_diag(&vd.meta, Code::SelectorMatchesNothing, vd.external_workloads[0].pos, format!(
                "no ExternalWorkload of workspace `{owner}` (or imported into it) matches the `spec.externalWorkloads` selectors of VirtualDestination `{}`",
                vd.meta.name
            ))
            .field("spec.externalWorkloads")
            .help("check the selector's labels against the ExternalWorkloads' metadata labels"),
        );
    }
    let mut out = Vec::new();
    for (cluster, mut found) in per_cluster {
        found.sort_by(|a, b| {
            (&a.meta.creation_timestamp, &a.meta.namespace, &a.meta.name).cmp(&(
                &b.meta.creation_timestamp,
                &b.meta.namespace,
                &b.meta.name,
            ))
        });
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
    meta_diag(&vd.meta, Code::SeveralExternalWorkloads, vd.external_workloads[0].pos, format!(
        "VirtualDestination `{}` selects more ExternalWorkloads in cluster `{cluster}` than can back it (one per cluster): {why} {}",
        vd.meta.name,
        others.join(", ")
    ))
    .field("spec.externalWorkloads")
    .help("narrow the selector so it matches one ExternalWorkload per cluster")
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
    port_policies: &mut [super::applied::PortPolicies],
    diags: &mut Diagnostics,
) {
    if in_mesh {
        return;
    }
    for ((port, ext), policies) in vd.ports.iter().zip(&external.ports).zip(port_policies) {
        let Some(f) = policies.failover else { continue };
        if ext.endpoints.is_empty() {
            continue;
        }
        policies.failover = None;
        diags.push(
            meta_diag(&f.meta, Code::FailoverOnExternalService, f.meta.pos, format!(
                "FailoverPolicy `{}` applies to port {} of VirtualDestination {}/{}, which only ExternalServices back; Gloo does not fail over between ExternalServices, so vdc leaves the policy out of that port",
                f.meta.name, *port.number, vd.meta.namespace, vd.meta.name
            ))
            .field("spec.applyToDestinations")
            .help("give the ExternalServices' endpoints localities and let Istio prefer the nearest, or back the VirtualDestination with a Service as well"),
        );
    }
}

/// VDC802 for a VD port that an ExternalService lacks.
fn missing_port(vd: &VirtualDestination, r: &ResolvedEs, i: usize, port: &VdPort) -> Diagnostic {
    let have: Vec<String> =
        r.es.ports
            .iter()
            .map(|p| {
                if p.name.is_empty() {
                    p.number.to_string()
                } else {
                    format!("{} (`{}`)", p.number, p.name)
                }
            })
            .collect();
    let pos = port.target_port.as_ref().map_or(port.number.pos, |t| t.pos);
    let field = if port.target_port.is_some() {
        format!("spec.ports[{i}].targetPort")
    } else {
        format!("spec.ports[{i}].number")
    };
    let help = if have.is_empty() {
        "give the ExternalService a port".to_owned()
    } else {
        format!(
            "the ExternalService's ports are {}; set `targetPort` to one of them",
            have.join(", ")
        )
    };
    meta_diag(
        &vd.meta,
        Code::ExternalPortMissing,
        pos,
        format!(
            "ExternalService {}/{} has no port {} for VirtualDestination port {}",
            r.es.meta.namespace,
            r.es.meta.name,
            port.target(),
            *port.number
        ),
    )
    .field(field)
    .help(help)
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
    let say = |m: &str| {
        if m == "DISABLE" {
            "no client TLS".to_owned()
        } else {
            format!("client TLS {m}")
        }
    };
    meta_diag(&vd.meta, Code::MixedBackendTls, port.number.pos, format!(
        "port {} of VirtualDestination `{}` has backends that need {} and ExternalService {}/{} needs {}; one port has one TLS mode, so vdc leaves the ExternalService out of this port",
        *port.number, vd.meta.name, say(first), r.es.meta.namespace, r.es.meta.name, say(mode)
    ))
    .field(format!("spec.ports[{i}]"))
    .help("serve the external backend on a VirtualDestination of its own, or give its port `clientsideTls: {mode: ISTIO_MUTUAL}` if it speaks mesh mTLS")
}
