//! Why a generated object is in its cluster, from the resolution that placed it there: per kind
//! of Gloo parent, what put it in the cluster (placement, consuming workspace, connected
//! cluster, gateway Service and listeners, route table binding).

use crate::model::GlooKind;
use crate::model::types::Meta;
use crate::resolve::{Resolved, ResolvedVd};
use crate::translate::Output;
use crate::translate::istio::Spec;
use serde::Serialize;

/// A Gloo object of the input, and where it is written.
#[derive(Debug, Clone, Serialize)]
pub struct Parent {
    pub kind: String,
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// The file that holds it, under INPUT, and the line of its document.
    pub file: Option<String>,
    pub line: Option<u32>,
}

impl Parent {
    pub(super) fn of(meta: &Meta) -> Parent {
        Parent {
            kind: meta.kind.clone(),
            cluster: meta.cluster.clone(),
            namespace: meta.namespace.clone(),
            name: meta.name.clone(),
            file: (!meta.file.is_empty()).then(|| meta.file.to_string()),
            line: (meta.pos.line != 0).then_some(meta.pos.line),
        }
    }
}

pub(super) fn label<'o>(o: &'o Output, key: &str) -> Option<&'o str> {
    o.object.metadata.labels.get(key).map(|v| v.as_ref())
}

/// What [`why`] found: the Gloo objects behind the object (its parent first), the reasons it
/// is in its cluster, and the VirtualDestination it belongs to, if any.
pub(super) struct Why<'w> {
    pub parents: Vec<Parent>,
    pub reasons: Vec<String>,
    pub vd: Option<&'w Meta>,
}

fn list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| s.as_ref().to_owned()).collect();
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

pub(super) fn why<'w>(resolved: &Resolved<'w>, o: &Output, parent: &'w Meta) -> Why<'w> {
    let mut why = Why {
        parents: vec![Parent::of(parent)],
        reasons: Vec::new(),
        vd: None,
    };
    match GlooKind::named(&parent.kind) {
        Some(GlooKind::VirtualDestination) => {
            if let Some(r) = resolved.vds.iter().find(|r| r.vd.meta == *parent) {
                why.vd = Some(&r.vd.meta);
                vd_reasons(resolved, r, o, &mut why);
            }
        }
        Some(GlooKind::ExternalService) => external_service(resolved, o, parent, &mut why),
        Some(GlooKind::ExternalWorkload) => external_workload(resolved, o, parent, &mut why),
        Some(GlooKind::VirtualGateway) => virtual_gateway(resolved, o, &mut why),
        Some(GlooKind::RouteTable) => route_table(resolved, o, &mut why),
        _ => {}
    }
    why
}

/// A VirtualDestination's object: what it is for, then whether the cluster is a client or a
/// backing cluster of the VD, and why.
fn vd_reasons(resolved: &Resolved, r: &ResolvedVd, o: &Output, why: &mut Why) {
    let cluster = o.cluster.as_str();
    let hosts = list(r.vd.hosts.iter().map(|h| h.value.as_str()));
    let what = match &o.object.spec {
        Spec::ServiceEntry(_) => format!(
            "it gives the VirtualDestination's hosts ({hosts}) their VIP {} and endpoints for the clients in this cluster",
            r.vip
        ),
        Spec::DestinationRule(rule) => format!(
            "it holds the traffic policy (mTLS, applied policies, subsets) of host {}",
            rule.host
        ),
        Spec::WorkloadEntry(we) => workload_entry(r, cluster, &we.address),
        Spec::Gateway(_) => east_west_gateway(r, cluster),
        Spec::VirtualService(_) => format!(
            "client mode tlsTermination (from {}) routes the VirtualDestination's hosts through the east-west gateway",
            r.external.client_mode_source
        ),
        Spec::WorkloadGroup(_) => String::new(),
    };
    why.reasons.extend((!what.is_empty()).then_some(what));
    // The external backends whose endpoints it carries.
    if matches!(
        o.object.spec,
        Spec::ServiceEntry(_) | Spec::WorkloadEntry(_)
    ) {
        let ew = (r.backing.values())
            .filter(|b| b.service.meta.kind == GlooKind::ExternalWorkload.name());
        why.parents.extend(ew.map(|b| Parent::of(&b.service.meta)));
        why.parents
            .extend(r.external.services.iter().map(|es| Parent::of(&es.es.meta)));
    }
    // The east-west Gateway and its VirtualService are the backing cluster's, in the gateway's
    // namespace: clients and the VirtualDestination's namespace are not why they are here.
    let east_west = matches!(o.object.spec, Spec::Gateway(_) | Spec::VirtualService(_));
    if !east_west {
        why.reasons.extend(client_cluster(resolved, r, cluster));
    }
    if let Some(b) = r.backing.get(cluster) {
        let m = &b.service.meta;
        let kind = if m.kind == GlooKind::ExternalWorkload.name() {
            "ExternalWorkload"
        } else {
            "Service"
        };
        why.reasons.push(format!(
            "{cluster} is a backing cluster: {kind} {}/{} backs the VirtualDestination here",
            m.namespace, m.name
        ));
    }
    let home = r.placements.get(cluster);
    if let Some(p) = home.filter(|p| *p.home_namespace == *o.object.metadata.namespace) {
        why.reasons.push(format!(
            "its objects here go to namespace {} (exported to {})",
            p.home_namespace,
            list(p.export_to.iter())
        ));
    }
}

/// Why `cluster` is a client cluster of the VirtualDestination: the workspaces that see it and
/// hold namespaces there; `None` when it is not one.
fn client_cluster(resolved: &Resolved, r: &ResolvedVd, cluster: &str) -> Option<String> {
    let seeing: Vec<&String> = (r.visible.iter())
        .filter(|w| {
            resolved
                .workspaces
                .clusters_holding(w)
                .any(|c| c == cluster)
        })
        .collect();
    if seeing.is_empty() {
        return None;
    }
    let (noun, verbs) = if seeing.len() == 1 {
        (
            "workspace",
            "sees the VirtualDestination (owned by {}) and holds",
        )
    } else {
        (
            "workspaces",
            "see the VirtualDestination (owned by {}) and hold",
        )
    };
    Some(format!(
        "{cluster} is a client cluster: {noun} {} {} namespaces here",
        list(seeing),
        verbs.replace("{}", &r.owner)
    ))
}

/// A WorkloadEntry: a remote backing cluster's east-west gateway address, or an external
/// backend's endpoint.
fn workload_entry(r: &ResolvedVd, cluster: &str, address: &str) -> String {
    for (remote, gws) in r.gateways.iter().filter(|(remote, _)| *remote != cluster) {
        for gw in gws {
            if gw.addresses.iter().any(|a| a.address == address) {
                let m = &gw.service.meta;
                return format!(
                    "it is the endpoint {address}: the east-west gateway {}/{} of backing cluster {remote}, through which this cluster's clients reach the backends there",
                    m.namespace, m.name
                );
            }
        }
    }
    format!(
        "it is the endpoint {address} of an external backend of the VirtualDestination (an ExternalWorkload or ExternalService)"
    )
}

/// An east-west Gateway: this backing cluster's gateways, which remote clients reach.
fn east_west_gateway(r: &ResolvedVd, cluster: &str) -> String {
    let gateways = (r.gateways.get(cluster).into_iter().flatten())
        .map(|gw| format!("{}/{}", gw.service.meta.namespace, gw.service.meta.name));
    format!(
        "it opens the VirtualDestination's hosts on this backing cluster's east-west gateway Services ({}) to clients in other clusters",
        list(gateways)
    )
}

fn external_service(resolved: &Resolved, o: &Output, parent: &Meta, why: &mut Why) {
    let Some(r) = (resolved.external.services.iter()).find(|r| r.es.meta == *parent) else {
        return;
    };
    why.reasons.push(match &o.object.spec {
        Spec::DestinationRule(rule) => format!("it sets the client TLS to host {}", rule.host),
        _ => format!(
            "it makes the ExternalService's hosts ({}) known to the mesh here",
            list(&r.hosts)
        ),
    });
    let workspace = label(o, "context.mesh.gloo.solo.io/workspace").unwrap_or_default();
    why.reasons.push(format!(
        "workspace {workspace} consumes the ExternalService (owned by {}, consumed by {}) and holds namespace {} in {}",
        r.owner,
        list(&r.consumers),
        o.object.metadata.namespace,
        o.cluster
    ));
    let key = (o.cluster.clone(), workspace.to_owned());
    if let Some(users) = r.routed_from.get(&key) {
        why.reasons.push(format!(
            "routes of workspace {workspace} send to it from namespaces {}",
            list(users)
        ));
    }
}

fn external_workload(resolved: &Resolved, o: &Output, parent: &Meta, why: &mut Why) {
    let w = (resolved.world.external.workloads.iter()).find(|w| w.meta == *parent);
    let namespace = w.and_then(|w| w.connected_clusters.get(&o.cluster));
    if let Some(namespace) = namespace {
        why.reasons.push(format!(
            "spec.connectedClusters names {} with namespace {}: the template the VM's proxy registers its WorkloadEntry from",
            o.cluster, namespace.value
        ));
    }
}

fn virtual_gateway(resolved: &Resolved, o: &Output, why: &mut Why) {
    let m = &o.object.metadata;
    let Some(p) = (resolved.routing.gateways.iter())
        .find(|p| p.cluster == o.cluster && p.namespace == m.namespace && p.name == m.name)
    else {
        return;
    };
    why.reasons.push(format!(
        "spec.workloads selects gateway pods ({}) in namespace {} of {}",
        list(p.selector.to_map().iter().map(|(k, v)| format!("{k}={v}"))),
        p.namespace,
        p.cluster
    ));
    for s in &p.servers {
        why.reasons.push(format!(
            "listener {} ({} on port {}) serves the hosts of the RouteTables it admits: {}",
            s.index,
            s.listener.protocol,
            s.number,
            list(&s.hosts)
        ));
    }
}

fn route_table(resolved: &Resolved, o: &Output, why: &mut Why) {
    let m = &o.object.metadata;
    let at = |cluster: &str, namespace: &str, name: &str| {
        cluster == o.cluster && namespace == m.namespace && name == m.name
    };
    if let Spec::DestinationRule(rule) = &o.object.spec {
        if let Some(s) = (resolved.routing.service_subsets.iter())
            .find(|s| at(&s.cluster, &s.namespace, &s.name))
        {
            why.reasons.push(format!(
                "routes ask for subsets {} of Service host {} in this cluster; the first RouteTable that asks is its parent",
                list(s.subsets.keys()),
                rule.host
            ));
        }
        return;
    }
    let Some(p) =
        (resolved.routing.virtual_services.iter()).find(|p| at(&p.cluster, &p.namespace, &p.name))
    else {
        return;
    };
    let hosts = list(p.table.hosts.iter().map(|h| h.value.as_str()));
    let bound = (p.gateways.iter()).map(|g| {
        if g == "mesh" {
            "mesh (the sidecars)"
        } else {
            g
        }
    });
    why.reasons.push(format!(
        "it carries the RouteTable's routes for hosts {hosts}, bound to {}",
        list(bound)
    ));
    // The tables routes are delegated to, whose routes it carries too.
    let mut delegated: Vec<&Meta> = Vec::new();
    for route in p.routes.iter().filter(|r| r.at.rt.meta != p.table.meta) {
        if !delegated.contains(&&route.at.rt.meta) {
            delegated.push(&route.at.rt.meta);
        }
    }
    if !delegated.is_empty() {
        why.reasons.push(format!(
            "it carries routes delegated to {}",
            list(
                delegated
                    .iter()
                    .map(|m| format!("RouteTable {}/{}", m.namespace, m.name))
            )
        ));
        why.parents.extend(delegated.into_iter().map(Parent::of));
    }
    for gw in (resolved.routing.gateways.iter()).filter(|gw| {
        gw.cluster == o.cluster
            && (p.gateways.iter())
                .any(|n| *n == gw.name || *n == format!("{}/{}", gw.namespace, gw.name))
    }) {
        let vg = &gw.gateway.meta;
        why.reasons.push(format!(
            "spec.virtualGateways names VirtualGateway {}/{}, whose Gateway {}/{} is in {}",
            vg.namespace, vg.name, gw.namespace, gw.name, o.cluster
        ));
        why.parents.push(Parent::of(vg));
    }
    if p.gateways.iter().any(|g| g == "mesh") {
        why.reasons.push(format!(
            "spec.workloadSelectors (or Gloo's default, every workload) picks sidecars in {}",
            o.cluster
        ));
    }
}
