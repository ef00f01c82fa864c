//! `vdc explain`: why vdc generated what it did for each VirtualDestination — the facts Gloo
//! reports in `VirtualDestinationReport`/`Status`, worked out offline from the same resolution
//! that translation uses, so the explanation cannot drift from the output.

mod human;
mod objects;
mod routes;
mod why;
pub use human::human;
pub use objects::{Asked, ObjectExplanation, human as objects_human};
pub use routes::{GlooRoute, RoutePolicies, RoutedBy, TableRef};
pub use why::Parent;

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model;
use crate::model::GlooKind;
use crate::model::types::PortRef;
use crate::resolve::ResolvedVd;
use crate::translate::Output;
use anyhow::{Result, bail};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;
use std::sync::Arc;
use why::label;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub name: String,
    pub namespace: String,
    pub cluster: String,
    pub owner_workspace: String,
    pub visible_workspaces: Vec<String>,
    pub vip: String,
    pub ports: Vec<Port>,
    pub backing_services: Vec<BackingService>,
    pub passed_over: Vec<PassedOver>,
    pub client_clusters: Vec<String>,
    pub backing_clusters: Vec<String>,
    pub gateways: Vec<Gateway>,
    pub applied_policies: Vec<Policy>,
    /// Routes to the VD that route policies select, with those policies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub route_policies: Vec<RoutePolicies>,
    /// The RouteTable routes that forward to the VD, with the VirtualServices that carry them.
    pub routed_by: Vec<RoutedBy>,
    pub subsets: Vec<Subset>,
    /// `auto`, `sniRouting` or `tlsTermination`, and where it came from.
    pub client_mode: String,
    pub client_mode_source: String,
    pub external_services: Vec<ExternalServiceUse>,
    pub external_workloads: Vec<ExternalWorkloadUse>,
    /// What Gloo reports in the VirtualDestination's `status` (seed 000).
    pub status: Status,
    pub objects: Vec<GeneratedObject>,
}

/// A subset RouteTables route to, and the backing clusters that serve it: those whose pods
/// carry its labels, or whose dump holds no pod to tell (remote ones are reached through their
/// east-west gateway with the subset's labels on the endpoint).
#[derive(Debug, Clone, Serialize)]
pub struct Subset {
    pub name: String,
    pub labels: std::collections::BTreeMap<String, String>,
    pub clusters: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalServiceUse {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// `address:port` of each endpoint it adds, over every VD port.
    pub endpoints: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExternalWorkloadUse {
    /// The connected cluster it backs the VirtualDestination in, and its namespace there.
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub identities: Vec<String>,
}

/// Gloo's `VirtualDestinationStatus` counters.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// Backing Services and ExternalWorkloads (one per cluster each) plus ExternalServices.
    pub num_selected_backing_services: u32,
    /// Policy GVK (`group/version, Kind=Kind`) → how many policies of that kind apply.
    pub num_applied_destination_policies: std::collections::BTreeMap<String, u32>,
    pub owned_by_workspace: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Port {
    pub number: u32,
    pub protocol: String,
    /// What a backing Service port must match: `targetPort` if given, else `number`.
    pub target_port: TargetPort,
}

#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum TargetPort {
    Number(u32),
    Name(String),
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackingService {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// Per VD port, in order: the container port traffic lands on.
    pub workload_ports: Vec<u32>,
    pub identities: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PassedOver {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

/// An east-west gateway of a backing cluster, as remote clients reach it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Gateway {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub tls_port: u32,
    pub addresses: Vec<GatewayAddress>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GatewayAddress {
    pub address: String,
    pub port: u32,
    pub locality: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    pub kind: String,
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub ports: Vec<u32>,
    /// Which of its selectors picked the VD.
    pub selected_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedObject {
    pub cluster: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// What `explain` found: diagnostics always, explanations only when there is no error.
pub struct Explained {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Vec<Arc<SourceFile>>,
    pub explanations: Vec<Explanation>,
    /// The objects `--object` names, explained (only when some were asked for).
    pub objects: Vec<ObjectExplanation>,
    /// Every cluster of the input, sorted.
    pub clusters: Vec<String>,
}

impl Explained {
    /// Keeps what concerns `clusters`: the VirtualDestinations that take part in one of them
    /// (as client or backing cluster), and of each only that cluster's backing services,
    /// gateways, external backends and objects. The VD's own facts (owner, VIP, ports, status)
    /// stay whole. `Err` names a cluster the input does not have.
    pub fn keep_clusters(&mut self, clusters: &[String]) -> Result<()> {
        if clusters.is_empty() {
            return Ok(());
        }
        for wanted in clusters {
            anyhow::ensure!(
                self.clusters.contains(wanted),
                "--cluster {wanted}: the input has no cluster of that name {}",
                crate::text::unknown_name_hint(wanted, &self.clusters)
            );
        }
        let keep = |cluster: &String| clusters.contains(cluster);
        self.explanations.retain(|e| {
            e.client_clusters
                .iter()
                .chain(&e.backing_clusters)
                .any(keep)
        });
        for e in &mut self.explanations {
            e.backing_services.retain(|b| keep(&b.cluster));
            e.passed_over.retain(|p| keep(&p.cluster));
            e.gateways.retain(|g| keep(&g.cluster));
            e.external_services.retain(|x| keep(&x.cluster));
            e.external_workloads.retain(|x| keep(&x.cluster));
            e.objects.retain(|o| keep(&o.cluster));
            for route in &mut e.routed_by {
                route.virtual_services.retain(|o| keep(&o.cluster));
            }
            e.routed_by.retain(|r| !r.virtual_services.is_empty());
            for route in &mut e.route_policies {
                route.clusters.retain(keep);
            }
            e.route_policies.retain(|r| !r.clusters.is_empty());
        }
        Ok(())
    }

    pub fn has_errors(&self) -> bool {
        crate::diagnostic::has_errors(&self.diagnostics)
    }
}

/// Runs the pipeline as [`crate::compile`] does, keeping the resolution it throws away.
/// `wanted` names VDs as `name` or `namespace/name` (all VDs when empty); a name that matches no
/// VirtualDestination is an `Err`, as a typo must not look like "nothing to explain".
pub fn explain(input: &Path, wanted: &[String]) -> Result<Explained> {
    explain_asked(input, Asked::Vds(wanted))
}

/// [`explain`], for VirtualDestinations or for the objects vdc writes.
pub fn explain_asked(input: &Path, asked: Asked) -> Result<Explained> {
    let wanted = if let Asked::Vds(wanted) = asked {
        wanted
    } else {
        &[]
    };
    let model::ReadInput { world, loaded } = match crate::pipeline::read(input, None)? {
        crate::pipeline::Input::Read(read) => read,
        crate::pipeline::Input::NotAnInput(d) => {
            return Ok(Explained {
                diagnostics: vec![d],
                sources: Vec::new(),
                explanations: Vec::new(),
                objects: Vec::new(),
                clusters: Vec::new(),
            });
        }
    };
    every_wanted_exists(&world, wanted, input)?;
    let compiled = crate::pipeline::compile(
        &world,
        loaded.diagnostics,
        crate::pipeline::Collisions::Ignore,
    );
    let outputs = compiled.outputs();
    let (resolved, diagnostics) = (compiled.resolved, compiled.diagnostics);
    let (mut explanations, mut objects) = (Vec::new(), Vec::new());
    if !diagnostics.has_errors() {
        match asked {
            Asked::Vds(_) => {
                explanations = selected(&resolved.vds, wanted)
                    .into_iter()
                    .map(|r| explanation(r, &resolved.workspaces, &resolved.routing, &outputs))
                    .collect();
            }
            Asked::Objects(refs) => {
                objects = objects::explain_objects(&resolved, &outputs, refs, input)?;
            }
        }
    }
    let diagnostics = crate::pipeline::reported(diagnostics, &loaded.settings);
    Ok(Explained {
        diagnostics,
        sources: loaded.sources,
        explanations,
        objects,
        clusters: world.clusters.keys().cloned().collect(),
    })
}

/// Whether `want` names `vd`: `NAME`, `NAMESPACE/NAME`, or `CLUSTER/NAMESPACE/NAME` for one of
/// two VDs of the same name defined in different clusters' config.
fn is_named(vd: &crate::model::types::VirtualDestination, want: &str) -> bool {
    let m = &vd.meta;
    match want.split('/').collect::<Vec<_>>()[..] {
        [name] => name == m.name,
        [namespace, name] => namespace == m.namespace && name == m.name,
        [cluster, namespace, name] => {
            cluster == m.cluster && namespace == m.namespace && name == m.name
        }
        _ => false,
    }
}

/// `Err` for the first of `wanted` that names no VirtualDestination of the input, listing the
/// ones it has.
fn every_wanted_exists(world: &model::World, wanted: &[String], input: &Path) -> Result<()> {
    let vds = &world.virtual_destinations;
    for want in wanted {
        if !vds.iter().any(|vd| is_named(vd, want)) {
            // The names in the form `want` has, so that a typo meets its likely meaning.
            let mut known: Vec<String> = vds
                .iter()
                .map(|vd| {
                    let m = &vd.meta;
                    match want.split('/').count() {
                        1 => m.name.clone(),
                        2 => format!("{}/{}", m.namespace, m.name),
                        _ => format!("{}/{}/{}", m.cluster, m.namespace, m.name),
                    }
                })
                .collect();
            known.sort();
            known.dedup();
            bail!(
                "no VirtualDestination is named `{want}` in {} {}",
                input.display(),
                crate::text::unknown_name_hint(want, &known)
            );
        }
    }
    Ok(())
}

/// The resolved VirtualDestinations to explain: all of them when `wanted` is empty, else
/// those it names, in the order first named, each once.
fn selected<'r, 'w>(vds: &'r [ResolvedVd<'w>], wanted: &[String]) -> Vec<&'r ResolvedVd<'w>> {
    if wanted.is_empty() {
        return vds.iter().collect();
    }
    let mut selected: Vec<&ResolvedVd> = Vec::new();
    for want in wanted {
        for r in vds.iter().filter(|r| is_named(r.vd, want)) {
            if !selected.iter().any(|s| s.vd.meta == r.vd.meta) {
                selected.push(r);
            }
        }
    }
    selected
}

/// What `explain` says about one resolved VirtualDestination and the objects made for it.
fn explanation(
    r: &ResolvedVd,
    workspaces: &crate::resolve::workspaces::Workspaces,
    routing: &crate::resolve::resolved::Routing,
    outputs: &[Output],
) -> Explanation {
    let m = &r.vd.meta;
    let objects = objects_of(m, outputs);
    let routes_to = routes::routes_to(r, routing);
    Explanation {
        name: m.name.clone(),
        namespace: m.namespace.clone(),
        cluster: m.cluster.clone(),
        owner_workspace: r.owner.clone(),
        visible_workspaces: r.visible.iter().cloned().collect(),
        vip: r.vip.to_string(),
        ports: ports_of(r),
        backing_services: backing_services_of(r),
        passed_over: passed_over_of(r),
        client_clusters: r
            .clients(workspaces)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        backing_clusters: r.backing.keys().cloned().collect(),
        gateways: gateways_of(r),
        applied_policies: policies_of(r),
        route_policies: routes_to.route_policies,
        routed_by: routes_to.routed_by,
        subsets: subsets_of(r),
        client_mode: r.external.client_mode.as_str().to_owned(),
        client_mode_source: r.external.client_mode_source.to_owned(),
        external_services: external_services(r),
        external_workloads: external_workloads_of(r),
        status: status(r),
        objects,
    }
}

/// The Services that back the VD, by cluster (ExternalWorkloads are listed apart).
fn backing_services_of(r: &ResolvedVd) -> Vec<BackingService> {
    r.backing
        .iter()
        .filter(|(_, b)| b.service.meta.kind != GlooKind::ExternalWorkload.name())
        .map(|(cluster, b)| BackingService {
            cluster: cluster.clone(),
            namespace: b.service.meta.namespace.clone(),
            name: b.service.meta.name.clone(),
            workload_ports: b.workload_ports.clone(),
            identities: b.identities.iter().cloned().collect(),
        })
        .collect()
}

/// The Services the VD's selectors matched but resolution left out, with the reason.
fn passed_over_of(r: &ResolvedVd) -> Vec<PassedOver> {
    r.passed_over
        .iter()
        .map(|p| PassedOver {
            cluster: p.cluster.clone(),
            namespace: p.namespace.clone(),
            name: p.name.clone(),
            reason: p.reason.clone(),
        })
        .collect()
}

/// The policies applied to the VD and the ports they apply on: what translation applied, by
/// (kind, namespace, name, cluster), each with the selector that picked its first port.
fn policies_of(r: &ResolvedVd) -> Vec<Policy> {
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut applied: BTreeMap<Key, (Vec<u32>, String)> = BTreeMap::new();
    for (port, policies) in r.vd.ports.iter().zip(&r.port_policies) {
        for p in policies.iter() {
            let m = &p.meta;
            let key = (
                p.kind().name(),
                m.namespace.as_str(),
                m.name.as_str(),
                m.cluster.as_str(),
            );
            let (ports, _) = applied.entry(key).or_insert_with(|| {
                let how = crate::resolve::policies::selected_by(p, r.vd, &r.owner, port);
                (Vec::new(), how.unwrap_or_default())
            });
            ports.push(*port.number);
        }
    }
    applied
        .into_iter()
        .map(
            |((kind, namespace, name, cluster), (ports, selected_by))| Policy {
                kind: kind.to_owned(),
                cluster: cluster.to_owned(),
                namespace: namespace.to_owned(),
                name: name.to_owned(),
                ports,
                selected_by,
            },
        )
        .collect()
}

/// The ExternalWorkloads that back the VD, by the connected cluster they back it in.
fn external_workloads_of(r: &ResolvedVd) -> Vec<ExternalWorkloadUse> {
    r.backing
        .iter()
        .filter(|(_, b)| b.service.meta.kind == GlooKind::ExternalWorkload.name())
        .map(|(cluster, b)| ExternalWorkloadUse {
            cluster: cluster.clone(),
            namespace: b.service.meta.namespace.clone(),
            name: b.service.meta.name.clone(),
            identities: b.identities.iter().cloned().collect(),
        })
        .collect()
}

/// The VD's ports, as `explain` shows them.
fn ports_of(r: &ResolvedVd) -> Vec<Port> {
    r.vd.ports
        .iter()
        .map(|p| Port {
            number: *p.number,
            protocol: p.protocol.clone(),
            target_port: match p.target() {
                PortRef::Number(n) => TargetPort::Number(n),
                PortRef::Name(n) => TargetPort::Name(n),
            },
        })
        .collect()
}

/// The east-west gateways of each backing cluster.
fn gateways_of(r: &ResolvedVd) -> Vec<Gateway> {
    r.gateways
        .iter()
        .flat_map(|(cluster, gws)| {
            gws.iter().map(move |gw| Gateway {
                cluster: cluster.clone(),
                namespace: gw.service.meta.namespace.clone(),
                name: gw.service.meta.name.clone(),
                tls_port: gw.tls_port,
                addresses: gw
                    .addresses
                    .iter()
                    .map(|a| GatewayAddress {
                        address: a.address.clone(),
                        port: a.port,
                        locality: a.locality.clone(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The subsets routes send to, with the backing clusters whose pods may serve each.
fn subsets_of(r: &ResolvedVd) -> Vec<Subset> {
    r.subsets
        .iter()
        .map(|(name, labels)| Subset {
            name: name.clone(),
            labels: labels.to_map(),
            clusters: r
                .backing
                .iter()
                .filter(|(_, b)| b.may_serve(labels))
                .map(|(c, _)| c.clone())
                .collect(),
        })
        .collect()
}

/// The generated objects whose parent labels name the VD `m`.
fn objects_of(m: &crate::model::types::Meta, outputs: &[Output]) -> Vec<GeneratedObject> {
    outputs
        .iter()
        .filter(|o| {
            label(o, "gloo.solo.io/parent_kind") == Some(GlooKind::VirtualDestination.name())
                && label(o, "gloo.solo.io/parent_name") == Some(&m.name)
                && label(o, "gloo.solo.io/parent_namespace") == Some(&m.namespace)
                && label(o, "gloo.solo.io/parent_cluster") == Some(&m.cluster)
        })
        .map(|o| GeneratedObject {
            cluster: o.cluster.clone(),
            kind: o.object.kind.to_owned(),
            namespace: o.object.metadata.namespace.clone(),
            name: o.object.metadata.name.clone(),
        })
        .collect()
}

fn external_services(r: &ResolvedVd) -> Vec<ExternalServiceUse> {
    r.external
        .services
        .iter()
        .map(|es| {
            let mut endpoints: Vec<String> =
                r.vd.ports
                    .iter()
                    .filter_map(|p| {
                        let target = p.target();
                        es.es.ports.iter().find(|e| match &target {
                            PortRef::Number(n) => e.number == *n,
                            PortRef::Name(n) => e.name == *n,
                        })
                    })
                    .flat_map(|port| es.endpoints_for(port))
                    .map(|e| crate::text::address_port(&e.address, e.port))
                    .collect();
            endpoints.sort();
            endpoints.dedup();
            let m = &es.es.meta;
            ExternalServiceUse {
                cluster: m.cluster.clone(),
                namespace: m.namespace.clone(),
                name: m.name.clone(),
                endpoints,
            }
        })
        .collect()
}

fn status(r: &ResolvedVd) -> Status {
    // Each policy applied, counted once per kind, however many ports it applies to.
    let mut applied = BTreeSet::new();
    for p in r.port_policies.iter().flat_map(|p| p.iter()) {
        applied.insert((p.kind(), &p.meta.cluster, &p.meta.namespace, &p.meta.name));
    }
    let mut counts = BTreeMap::new();
    for (kind, ..) in applied {
        *counts.entry(kind.gvk()).or_insert(0) += 1;
    }
    Status {
        num_selected_backing_services: (r.backing.len() + r.external.services.len()) as u32,
        num_applied_destination_policies: counts,
        owned_by_workspace: r.owner.clone(),
    }
}
