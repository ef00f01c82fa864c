//! A MirrorPolicy's destination, resolved as a route destination is: a VirtualDestination to its
//! first host, an ExternalService to its first host that is not a wildcard, a Kubernetes
//! Service to its cluster-local name; on the port it names, or the only one (a Service's, in
//! each cluster a route it mirrors is written to).

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::policy::Policy;
use crate::model::route_policy::{Mirror, MirrorDestination};
use crate::model::types::PortRef;
use crate::resolve::resolved::{
    Destination, ExternalIndex, MIRROR_FIELD, ResolvedVd, SeenBy, ServiceOrigin, ServiceRef,
};
use crate::rules::policy::{mirror_subset, unresolved_mirror};
use std::collections::BTreeSet;

/// The destination MirrorPolicy `policy` (settings `mirror`, in workspace `ws`) mirrors to;
/// `None` when it names none (the decoder said so) or one vdc cannot route to (VDC610).
pub(super) fn destination(
    world: &World,
    (policy, mirror, ws): (&Policy, &Mirror, &str),
    (vds, external): (&[ResolvedVd], &ExternalIndex),
    diags: &mut Diagnostics,
) -> Option<Destination> {
    let d = mirror.destination.as_ref()?;
    let meta = &policy.meta;
    let namespace = d.reference.namespace.as_deref().unwrap_or(&meta.namespace);
    let cluster = d.reference.cluster.as_deref().unwrap_or(&meta.cluster);
    let name = d.reference.name.as_str();
    let kind = match d.kind.as_str() {
        "VIRTUAL_DESTINATION" => "VirtualDestination",
        "EXTERNAL_SERVICE" => "ExternalService",
        _ => "Service",
    };
    let target = format!("{kind} {namespace}/{name}");
    if !d.subset.is_empty() {
        diags.push(mirror_subset::diagnostic(
            meta.site(d.pos),
            &target,
            &d.subset,
        ));
        return None;
    }
    let refuse = |diags: &mut Diagnostics, problem: &str| {
        diags.push(unresolved_mirror::diagnostic(
            meta.site(d.pos),
            &target,
            problem,
        ));
        None
    };
    let (host, ports, (owner, workspaces)) = match kind {
        "VirtualDestination" => {
            match virtual_destination(world, vds, (name, namespace, cluster), ws) {
                Ok((host, ports, vd)) => (host, ports, (&vd.owner, &vd.visible)),
                Err(None) => return None,
                Err(Some(problem)) => return refuse(diags, &problem),
            }
        }
        "ExternalService" => {
            match external_service(world, external, (name, namespace, cluster), ws) {
                Ok(found) => found,
                Err(None) => return None,
                Err(Some(problem)) => return refuse(diags, &problem),
            }
        }
        _ => {
            let at = (name, namespace, cluster);
            return Some(kube_service(world, (policy, d, ws), at));
        }
    };
    let seen = seen(
        (kind, &format!("{namespace}/{name}")),
        owner,
        workspaces,
        meta.site(d.pos),
    );
    match port(d, &ports) {
        Ok(port) => Some(Destination {
            host,
            port,
            subset: None,
            weight: None,
            service: None,
            seen_by: Some(seen),
        }),
        Err(problem) => refuse(diags, &problem),
    }
}

/// What VDC705 and VDC738 check of a mirror destination, as of a route's (`super::served_in`):
/// the `kind` (VirtualDestination or ExternalService) and `namespace/name` it names at `site`,
/// owned by workspace `owner` and seen by `workspaces`.
fn seen(
    (kind, name): (&str, &str),
    owner: &str,
    workspaces: &BTreeSet<String>,
    site: crate::diagnostic::Site,
) -> std::sync::Arc<SeenBy> {
    std::sync::Arc::new(SeenBy {
        kind: if kind == "ExternalService" {
            "ExternalService"
        } else {
            "VirtualDestination"
        },
        name: name.to_owned(),
        owner: owner.to_owned(),
        workspaces: workspaces.clone(),
        site,
        field: MIRROR_FIELD.to_owned(),
        mirrored: true,
    })
}

/// A port a mirror destination serves: its number, and its name when it may be asked by name.
type Served<'a> = (u32, Option<&'a str>);

/// The host, ports (number, no name) and resolution of VirtualDestination `namespace/name` of `cluster`;
/// `Err` with the problem when `ws` cannot mirror to it, without one when it has errors of its
/// own.
fn virtual_destination<'v, 'w>(
    world: &World,
    vds: &'v [ResolvedVd<'w>],
    (name, namespace, cluster): (&str, &str, &str),
    ws: &str,
) -> Result<(String, Vec<Served<'v>>, &'v ResolvedVd<'w>), Option<String>> {
    let same = |m: &crate::model::types::Meta| {
        m.name == name && m.namespace == namespace && m.cluster == cluster
    };
    let Some(vd) = vds.iter().find(|v| same(&v.vd.meta)) else {
        if world.virtual_destinations.iter().any(|v| same(&v.meta)) {
            return Err(None); // it has its own errors
        }
        return Err(Some(format!("does not exist in cluster {cluster}")));
    };
    if !vd.visible.contains(ws) {
        return Err(Some(format!("is not visible to workspace {ws}")));
    }
    let ports = vd.vd.ports.iter().map(|p| (*p.number, None)).collect();
    Ok((vd.vd.hosts[0].value.clone(), ports, vd))
}

/// The host (its first that is not a wildcard), ports (number and name), owner and consumers
/// of ExternalService `namespace/name` of `cluster`; `Err` with the problem when `ws` cannot
/// mirror to it, without one when it has errors of its own.
#[allow(clippy::type_complexity)] // the facts a mirror takes, as `virtual_destination`'s
fn external_service<'e>(
    world: &World,
    external: &'e ExternalIndex,
    (name, namespace, cluster): (&str, &str, &str),
    ws: &str,
) -> Result<(String, Vec<Served<'e>>, (&'e String, &'e BTreeSet<String>)), Option<String>> {
    let Some(es) = external.find(name, namespace, cluster) else {
        if world.external.services.iter().any(|e| {
            e.meta.name == name && e.meta.namespace == namespace && e.meta.cluster == cluster
        }) {
            return Err(None); // it has its own errors
        }
        return Err(Some(format!("does not exist in cluster {cluster}")));
    };
    if !es.consumers.contains(ws) {
        return Err(Some(format!("is not shared with workspace {ws}")));
    }
    let Some(host) = es.hosts.iter().find(|h| !h.contains('*')) else {
        return Err(Some("has only wildcard hosts".to_owned()));
    };
    let ports = (es.es.ports.iter())
        .map(|p| (p.number, Some(p.name.as_str())))
        .collect();
    Ok((host.clone(), ports, (&es.owner, &es.consumers)))
}

/// The port `d` names among `ports` (number, name), or the only one.
fn port(d: &MirrorDestination, ports: &[(u32, Option<&str>)]) -> Result<Option<u32>, String> {
    let numbers: Vec<String> = ports.iter().map(|(n, _)| n.to_string()).collect();
    let Some(asked) = &d.port else {
        return match ports {
            [] => Ok(None),
            [(n, _)] => Ok(Some(*n)),
            _ => Err(format!(
                "serves several ports ({}) and the policy names none",
                numbers.join(", ")
            )),
        };
    };
    let found = ports.iter().find(|(n, name)| match &asked.value {
        PortRef::Number(wanted) => n == wanted,
        PortRef::Name(wanted) => *name == Some(wanted.as_str()),
    });
    match found {
        Some((n, _)) => Ok(Some(*n)),
        None => Err(format!(
            "has no port {} (it serves {})",
            asked.value,
            numbers.join(", ")
        )),
    }
}

/// A Kubernetes Service: `<name>.<namespace>.svc.<cluster domain>`, on the port number given.
/// Whether it exists and serves the port (the one a port name names, or its only one) is
/// checked in each cluster a route it mirrors is written to (`super::services`).
fn kube_service(
    world: &World,
    (policy, d, ws): (&Policy, &MirrorDestination, &str),
    (name, namespace, cluster): (&str, &str, &str),
) -> Destination {
    let domain = world.domain_of(cluster);
    let port = match d.port.as_ref().map(|p| &p.value) {
        Some(PortRef::Number(n)) => Some(*n),
        _ => None,
    };
    Destination {
        host: format!("{name}.{namespace}.svc.{domain}"),
        port,
        subset: None,
        weight: None,
        service: Some(std::sync::Arc::new(ServiceRef {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            cluster: d.reference.cluster.clone(),
            site: policy.meta.site(d.pos),
            origin: ServiceOrigin::Mirror {
                workspace: ws.to_owned(),
            },
            subset_labels: crate::model::types::Labels::new(),
            port: (d.port.as_ref()).map(|p| (p.value.clone(), policy.meta.site(p.pos))),
        })),
        seen_by: None,
    }
}
