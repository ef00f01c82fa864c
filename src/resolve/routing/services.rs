//! The Kubernetes Services route and mirror destinations name, checked in every cluster a
//! VirtualService is written to: the Service must exist there (VDC701, VDC610) and serve the
//! port asked for, and be asked for one when it serves several (VDC703, VDC702, VDC610); a port
//! asked for by name is given its number there. One that
//! `ref.cluster` places in another cluster is refused (VDC722, VDC610), since Gloo reaches it
//! only through workspace federation, which vdc does not generate. And the DestinationRules that
//! define the subsets routes ask of Services, as Gloo writes them.

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::selector::labels_match;
use crate::model::types::{PortRef, Service};
use crate::resolve::resolved::{
    Destination, ResolvedAction, ResolvedVd, ServiceOrigin, ServiceRef, ServiceSubsets,
    VirtualServicePlacement,
};
use crate::rules::policy::unresolved_mirror;
use crate::rules::routing::remote_service_destination::{self, Remote};
use crate::rules::routing::{
    destination_port_required, service_subset, subset_name_collision, subset_not_served,
    unknown_destination, unknown_destination_port,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Every Service of the input by (cluster, namespace, name): routes are checked against it once
/// per placement, and a fleet has thousands of each.
pub(super) struct KnownServices<'w>(HashMap<(&'w str, &'w str, &'w str), &'w Service>);

impl<'w> KnownServices<'w> {
    pub(super) fn new(world: &'w World) -> KnownServices<'w> {
        KnownServices(
            (world.clusters.values())
                .flat_map(|c| c.services.iter().map(move |s| (c.name.as_str(), s)))
                .map(|(c, s)| ((c, s.meta.namespace.as_str(), s.meta.name.as_str()), s))
                .collect(),
        )
    }

    pub(super) fn get(&self, cluster: &str, service: &ServiceRef) -> Option<&'w Service> {
        (self.0)
            .get(&(cluster, service.namespace.as_str(), service.name.as_str()))
            .copied()
    }
}

/// Resolves the Service destinations (and Service mirrors) of `vs` in the cluster it is written
/// to: gives `vs` that cluster's domain, records the number of each Service port they name by
/// name there, and reports a Service or port that is not there.
pub(super) fn resolve_service_destinations(
    world: &World,
    known: &KnownServices,
    vs: &mut VirtualServicePlacement,
    diags: &mut Diagnostics,
) {
    vs.cluster_domain = world.domain_of(&vs.cluster).to_owned();
    let routes = vs.routes.clone();
    for route in routes.iter() {
        if let ResolvedAction::Forward { destinations, .. } = &route.action {
            for d in destinations {
                resolve_service_destination(known, d, vs, diags);
            }
        }
        if let Some(mirror) = &route.policies.mirror_to {
            resolve_service_destination(known, mirror, vs, diags);
        }
    }
}

/// `d`, written to `vs`: nothing to do unless it names a Kubernetes Service, which must be in
/// `vs`'s cluster and serve the port `d` asks for (recorded by number when `d` names it).
fn resolve_service_destination(
    known: &KnownServices,
    d: &Destination,
    vs: &mut VirtualServicePlacement,
    diags: &mut Diagnostics,
) {
    let Some(service) = &d.service else { return };
    let cluster = vs.cluster.as_str();
    if let Some(there) = service.cluster.as_deref()
        && there != cluster
    {
        diags.push(remote(service, there, cluster));
        return;
    }
    let Some(svc) = known.get(cluster, service) else {
        diags.push(missing(service, cluster));
        return;
    };
    match service_port(service, svc, cluster) {
        Ok(Some((port_name, number))) => {
            let key = (service.namespace.clone(), service.name.clone(), port_name);
            vs.service_ports.insert(key, number);
        }
        Ok(None) => {}
        Err(d) => diags.push(*d),
    }
}

/// The port name `service` asks for and its number in `svc`, its Service in `cluster`, when it
/// asks for one by name; VDC702 (VDC610 for a mirror) when it asks for none of several ports,
/// VDC703 (VDC610) when `svc` has no such port. Gloo needs the port when the Service has more
/// than one (`DestinationReference.port`).
fn service_port(
    service: &ServiceRef,
    svc: &Service,
    cluster: &str,
) -> Result<Option<(String, u32)>, Box<crate::diagnostic::Diagnostic>> {
    let Some((asked, site)) = &service.port else {
        if svc.ports.len() <= 1 {
            return Ok(None);
        }
        return Err(Box::new(port_required(service, svc, cluster)));
    };
    match (svc.port(asked), asked) {
        (Some(p), PortRef::Name(name)) => Ok(Some((name.clone(), p.port))),
        (Some(_), PortRef::Number(_)) => Ok(None),
        (None, _) => Err(Box::new(unknown_port(service, (asked, site), svc, cluster))),
    }
}

/// VDC702 (VDC610 for a mirror): `service` names no port of `svc`, which has several.
fn port_required(
    service: &ServiceRef,
    svc: &Service,
    cluster: &str,
) -> crate::diagnostic::Diagnostic {
    let numbers: Vec<u32> = svc.ports.iter().map(|p| p.port).collect();
    let site = service.site.clone();
    match &service.origin {
        ServiceOrigin::Route { route, field } => destination_port_required::of_service(
            site,
            route,
            (&service.namespace, &service.name),
            cluster,
            &numbers,
            field,
        ),
        ServiceOrigin::Mirror { .. } => unresolved_mirror::diagnostic(
            site,
            &format!("Service {}/{}", service.namespace, service.name),
            &format!(
                "serves several ports ({}) in cluster {cluster}, where a route it mirrors is \
                 written, and the policy names none",
                shown(&numbers)
            ),
        ),
    }
}

/// VDC703 (VDC610 for a mirror): `service` asks for port `asked` (at `site`), which `svc`
/// lacks.
fn unknown_port(
    service: &ServiceRef,
    (asked, site): (&PortRef, &crate::diagnostic::Site),
    svc: &Service,
    cluster: &str,
) -> crate::diagnostic::Diagnostic {
    let ports: Vec<(u32, &str)> = (svc.ports.iter())
        .map(|p| (p.port, p.name.as_str()))
        .collect();
    match &service.origin {
        ServiceOrigin::Route { route, field } => unknown_destination_port::of_service(
            site.clone(),
            (route, asked),
            (&service.namespace, &service.name),
            cluster,
            &ports,
            field,
        ),
        ServiceOrigin::Mirror { .. } => unresolved_mirror::diagnostic(
            site.clone(),
            &format!("Service {}/{}", service.namespace, service.name),
            &format!(
                "has no port {asked} in cluster {cluster}, where a route it mirrors is written \
                 (it serves {})",
                shown(&ports.iter().map(|p| p.0).collect::<Vec<_>>())
            ),
        ),
    }
}

/// "9080, 9091".
fn shown(numbers: &[u32]) -> String {
    let shown: Vec<String> = numbers.iter().map(u32::to_string).collect();
    shown.join(", ")
}

/// A Service of cluster `there` named from a route or mirror written to `cluster`.
fn remote(s: &ServiceRef, there: &str, cluster: &str) -> crate::diagnostic::Diagnostic {
    match &s.origin {
        ServiceOrigin::Route { route, field } => {
            let r = Remote {
                route,
                namespace: &s.namespace,
                name: &s.name,
                service_cluster: there,
                client_cluster: cluster,
                field,
            };
            remote_service_destination::diagnostic(s.site.clone(), &r)
        }
        ServiceOrigin::Mirror { .. } => unresolved_mirror::diagnostic(
            s.site.clone(),
            &format!("Service {}/{}", s.namespace, s.name),
            &format!(
                "is in cluster {there}, but a route it mirrors is written to cluster {cluster}, \
                 which reaches another cluster's Service only through Gloo's federation (not \
                 generated by vdc; mirror to a VirtualDestination instead)"
            ),
        ),
    }
}

/// A Service that the dump of `cluster`, where its route is written, does not hold.
fn missing(s: &ServiceRef, cluster: &str) -> crate::diagnostic::Diagnostic {
    match &s.origin {
        ServiceOrigin::Route { route, field } => unknown_destination::service(
            s.site.clone(),
            route,
            &s.namespace,
            &s.name,
            cluster,
            field,
        ),
        ServiceOrigin::Mirror { .. } => unresolved_mirror::diagnostic(
            s.site.clone(),
            &format!("Service {}/{}", s.namespace, s.name),
            &format!("does not exist in cluster {cluster}, where a route it mirrors is written"),
        ),
    }
}

/// The DestinationRules that define the subsets routes ask of Kubernetes Services: one per
/// (cluster, Service host), in the Service's namespace, exported to the clients of the
/// VirtualServices that ask. A Service whose host a VirtualDestination placed in that cluster
/// also claims gets none: VDC723 (its DestinationRule holds the host already). A subset no pod
/// behind the Service carries there is VDC710.
pub(super) fn subset_rules<'w>(
    world: &World,
    vds: &[ResolvedVd],
    virtual_services: &[VirtualServicePlacement<'w>],
    diags: &mut Diagnostics,
) -> Vec<ServiceSubsets<'w>> {
    let mut rules: BTreeMap<(String, String), ServiceSubsets<'w>> = BTreeMap::new();
    // (cluster, host) → the first VirtualDestination placed there with that host.
    let mut vd_hosts: HashMap<(&str, &str), &ResolvedVd> = HashMap::new();
    for vd in vds {
        for cluster in vd.placements.keys() {
            for host in &vd.vd.hosts {
                vd_hosts.entry((cluster, &host.value)).or_insert(vd);
            }
        }
    }
    for vs in virtual_services {
        for route in vs.routes.iter() {
            let ResolvedAction::Forward { destinations, .. } = &route.action else {
                continue;
            };
            for d in destinations {
                let Some((service, name)) = asked_subset(d, &vs.cluster) else {
                    continue;
                };
                let host = match service.cluster {
                    Some(_) => d.host.clone(),
                    None => service.host(&vs.cluster_domain),
                };
                if let Some(vd) = vd_hosts.get(&(vs.cluster.as_str(), host.as_str())) {
                    diags.push(claimed(service, name, &host, vd, &vs.cluster));
                    continue;
                }
                let rule = (rules.entry((vs.cluster.clone(), host.clone()))).or_insert_with(|| {
                    ServiceSubsets {
                        cluster: vs.cluster.clone(),
                        namespace: service.namespace.clone(),
                        name: super::names::service_subsets(&host),
                        host,
                        export_to: BTreeSet::new(),
                        subsets: BTreeMap::new(),
                        parent: vs.table,
                    }
                });
                match rule.subsets.entry(name.to_owned()) {
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(service.subset_labels.clone());
                        if !served(world, service, &vs.cluster) {
                            diags.push(unserved(service, name, &vs.cluster));
                        }
                    }
                    std::collections::btree_map::Entry::Occupied(e)
                        if *e.get() != service.subset_labels =>
                    {
                        diags.push(collision(service, name, &rule.host, e.get()));
                    }
                    std::collections::btree_map::Entry::Occupied(_) => {}
                }
                rule.export_to
                    .extend(vs.export_to.iter().map(|n| match n.as_str() {
                        "." => vs.namespace.clone(),
                        other => other.to_owned(),
                    }));
            }
        }
    }
    rules.into_values().collect()
}

/// The Service and subset name `d` asks for, when it is a Service of `cluster` (others have
/// VDC722).
fn asked_subset<'d>(d: &'d Destination, cluster: &str) -> Option<(&'d ServiceRef, &'d str)> {
    let service = d.service.as_deref()?;
    let name = d.subset.as_deref()?;
    let local = service.cluster.as_deref().is_none_or(|c| c == cluster);
    (local && !service.subset_labels.is_empty()).then_some((service, name))
}

/// VDC723 for the subset `name` of `service`, whose `host` VirtualDestination `vd` claims.
fn claimed(
    service: &ServiceRef,
    name: &str,
    host: &str,
    vd: &ResolvedVd,
    cluster: &str,
) -> crate::diagnostic::Diagnostic {
    let (route, field) = service.origin.route_and_field();
    let vd_name = format!("{}/{}", vd.vd.meta.namespace, vd.vd.meta.name);
    service_subset::diagnostic(
        service.site.clone(),
        &service_subset::Claimed {
            route,
            subset: name,
            service: (&service.namespace, &service.name),
            host,
            vd: &vd_name,
            cluster,
            field,
        },
    )
}

/// Whether a pod behind `service` in `cluster` carries its subset's labels.
fn served(world: &World, service: &ServiceRef, cluster: &str) -> bool {
    let Some(c) = world.clusters.get(cluster) else {
        return false;
    };
    let svc = c
        .services
        .iter()
        .find(|s| s.meta.name == service.name && s.meta.namespace == service.namespace);
    svc.is_some_and(|svc| {
        c.workloads_behind(svc)
            .any(|w| labels_match(&service.subset_labels, &w.pod_labels))
    })
}

/// VDC710 for the subset `name` of `service`, which no pod behind it in `cluster` carries.
fn unserved(service: &ServiceRef, name: &str, cluster: &str) -> crate::diagnostic::Diagnostic {
    let (route, field) = service.origin.route_and_field();
    subset_not_served::of_service(
        service.site.clone(),
        subset_not_served::UnservedService {
            route,
            name,
            labels: &service.subset_labels,
            service: (&service.namespace, &service.name),
            cluster,
            field,
        },
    )
}

/// VDC724 for the subset `name` of `service` on `host`, which a route already gives to `taken`.
fn collision(
    service: &ServiceRef,
    name: &str,
    host: &str,
    taken: &crate::model::types::Labels,
) -> crate::diagnostic::Diagnostic {
    let (route, field) = service.origin.route_and_field();
    subset_name_collision::diagnostic(
        service.site.clone(),
        route,
        field,
        host,
        name,
        (&service.subset_labels, taken),
    )
}
