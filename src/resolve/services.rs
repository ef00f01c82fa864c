//! The Services that back a VirtualDestination: the index its selectors search, the backing
//! each cluster gets, and the target ports it lacks.

use super::*;

pub(super) fn selector_matches(
    sel: &ObjectSelector,
    svc: &Service,
    svc_workspace: Option<&str>,
) -> bool {
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

/// A VirtualDestination port that a backing Service lacks, in one cluster.
pub(super) struct MissingPort {
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
pub(super) fn report_missing_ports(
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
        let clusters_phrase = crate::text::clusters_phrase(&clusters);
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
pub(super) fn backing_of<'w>(
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

/// Services by label and by name, with the workspace of each, so a VirtualDestination's
/// selectors look at the few Services they can match instead of every Service of every cluster.
pub(super) struct ServiceIndex<'w> {
    all: Vec<(&'w Service, Option<String>)>,
    by_label: HashMap<(&'w str, &'w str), Vec<usize>>,
    by_name: HashMap<&'w str, Vec<usize>>,
}

impl<'w> ServiceIndex<'w> {
    pub(super) fn new(world: &'w World, workspaces: &Workspaces) -> Self {
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
    pub(super) fn candidates<'a>(
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
