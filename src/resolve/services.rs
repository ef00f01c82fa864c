//! The Services that back a VirtualDestination: the index its selectors search, the backing
//! each cluster gets, and the target ports it lacks.

use super::resolved::*;
use super::workspaces::Workspaces;
use super::{Inputs, SERVICE};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::selector::Candidate;
use crate::model::types::*;
use crate::rules::vd::{
    backing_service_without_selector, backing_without_workloads, missing_target_port,
    selector_matches_nothing, several_backing_services, target_port_differs,
    unresolved_target_port,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    // A named port is resolved on what runs: the Pods, or a controller standing for them, not
    // the ReplicaSets a rollout left behind (VDC420 would read their old numbers).
    let running: Vec<&Workload> = (workloads.iter().copied())
        .filter(|w| cluster.stands_for_itself(w))
        .collect();
    let mut ok = true;
    let mut workload_ports = Vec::new();
    // Every port is looked at, so one run reports every port the Service lacks.
    for i in 0..vd.ports.len() {
        match workload_port(vd, i, svc, &running, missing, diags) {
            Some(n) => workload_ports.push(n),
            None => ok = false,
        }
    }
    let trust_domain = cluster.trust_domain.as_deref().unwrap_or("cluster.local");
    let ns = &svc.meta.namespace;
    let identities = (workloads.iter().map(|w| w.service_account.as_str()))
        .chain(live_entries_behind(cluster, svc).map(|e| e.service_account.as_str()))
        .map(|sa| format!("spiffe://{trust_domain}/ns/{ns}/sa/{sa}"))
        .collect();
    ok.then_some(Backing {
        service: svc,
        workload_ports,
        identities,
        pod_labels: workloads.iter().map(|w| w.pod_labels.clone()).collect(),
    })
}

/// Whether the dump holds a workload behind `svc` (a Service without a selector is VDC417's,
/// in `backing_of`). Without one, the identities its cluster's backends present are unknown:
/// Gloo reads them from the live pods, and no guess (the namespace's `default` account, the
/// Service's name) is sound, so VDC419 refuses the VirtualDestination.
fn has_workloads(
    world: &World,
    vd: &VirtualDestination,
    svc: &Service,
    diags: &mut Diagnostics,
) -> bool {
    let cluster = &world.clusters[&svc.meta.cluster];
    if svc.selector.is_empty()
        || cluster.workloads_behind(svc).next().is_some()
        || live_entries_behind(cluster, svc).next().is_some()
    {
        return true;
    }
    let site = vd
        .meta
        .site(vd.services.first().map_or(vd.meta.pos, |s| s.pos));
    diags.push(backing_without_workloads::diagnostic(
        site,
        &vd.meta.name,
        &svc.meta,
    ));
    false
}

/// The WorkloadEntries in `svc`'s namespace that its selector matches and that name their
/// service account (a VM's identity; one without it has none vdc could know).
fn live_entries_behind<'a>(
    cluster: &'a Cluster,
    svc: &'a Service,
) -> impl Iterator<Item = &'a LiveWorkloadEntry> + 'a {
    cluster.workload_entries.iter().filter(|e| {
        e.meta.namespace == svc.meta.namespace
            && !e.service_account.is_empty()
            && crate::model::selector::labels_match(&svc.selector, &e.labels)
    })
}

/// Where VD port `i` lands on `svc`'s pods: the Service port it names, then that port's target
/// (a number, or a container port by name). `None` once the reason is recorded: a missing
/// Service port in `missing` (reported per group later), an unresolved name in `diags`.
fn workload_port(
    vd: &VirtualDestination,
    i: usize,
    svc: &Service,
    workloads: &[&Workload],
    missing: &mut Vec<MissingPort>,
    diags: &mut Diagnostics,
) -> Option<u32> {
    let port = &vd.ports[i];
    let field = match port.target_port.as_ref().map(|t| &t.value) {
        Some(PortRef::Number(_)) => format!("spec.ports[{i}].targetPort.number"),
        Some(PortRef::Name(_)) => format!("spec.ports[{i}].targetPort.name"),
        None => format!("spec.ports[{i}].number"),
    };
    let target = port.target();
    let svc_port = svc.port(&target);
    let pos = port.target_port.as_ref().map_or(port.number.pos, |t| t.pos);
    let Some(svc_port) = svc_port else {
        let have = svc.tcp_ports().map(|p| (p.port, p.name.clone())).collect();
        missing.push(MissingPort {
            index: i,
            field,
            pos,
            target,
            vd_port: *port.number,
            service: format!("{}/{}", svc.meta.namespace, svc.meta.name),
            have,
            cluster: svc.meta.cluster.clone(),
        });
        return None;
    };
    let name = match &svc_port.target_port {
        None => return Some(svc_port.port),
        Some(PortRef::Number(n)) => return Some(*n),
        Some(PortRef::Name(name)) => name,
    };
    let numbers = named_port_numbers(workloads, name);
    let site = vd.meta.site(pos);
    match numbers.as_slice() {
        [(n, _)] => Some(*n),
        [] => {
            let d =
                unresolved_target_port::diagnostic(site, &svc.meta, svc_port.port, name, &field);
            diags.push(d);
            None
        }
        // Kubernetes resolves the name pod by pod; one number for all would be wrong for some.
        _ => {
            let (port, meta) = (svc_port.port, &svc.meta);
            let d = target_port_differs::diagnostic(site, meta, port, name, &field, &numbers);
            diags.push(d);
            None
        }
    }
}

/// The numbers the container port `name` has among `workloads`, each with the workloads
/// (`Kind name`) that declare it, by number.
fn named_port_numbers(workloads: &[&Workload], name: &str) -> Vec<(u32, Vec<String>)> {
    let mut numbers: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for w in workloads {
        if let Some(p) = w.container_ports.iter().find(|p| p.name == name) {
            let who = format!("{} {}", w.meta.kind, w.meta.name);
            numbers.entry(p.number).or_default().insert(who);
        }
    }
    (numbers.into_iter())
        .map(|(n, who)| (n, who.into_iter().collect()))
        .collect()
}

/// The backing each cluster gets: one Service per cluster (the oldest of the matching ones),
/// VM-backed Services where no in-cluster Service backs the VD, the Services passed over, and
/// whether every chosen Service could back the VD.
pub(super) struct Chosen<'w> {
    pub backing: BTreeMap<String, Backing<'w>>,
    pub passed_over: Vec<PassedOver>,
    pub complete: bool,
}

pub(super) fn choose_backing<'w>(
    inputs: &Inputs<'_, 'w>,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) -> Chosen<'w> {
    let world = inputs.world;
    let mut chosen = Chosen {
        backing: BTreeMap::new(),
        passed_over: Vec::new(),
        complete: true,
    };
    let mut missing_ports = Vec::new();
    for (cluster, services) in candidate_services(inputs, vd, owner, diags) {
        let svc = oldest_wins(vd, cluster, services, &mut chosen.passed_over, diags);
        if !has_workloads(world, vd, svc, diags) {
            chosen.complete = false;
            continue;
        }
        match backing_of(world, vd, svc, &mut missing_ports, diags) {
            Some(b) => {
                chosen.backing.insert(cluster.to_owned(), b);
            }
            None => chosen.complete = false,
        }
    }
    let clusters_backed: BTreeSet<String> = chosen.backing.keys().cloned().collect();
    let backed = |c: &str| clusters_backed.contains(c);
    let vms =
        super::external::workload_backings(world, inputs.workspaces, vd, owner, &backed, diags);
    for svc in vms {
        match backing_of(world, vd, svc, &mut missing_ports, diags) {
            Some(mut b) => {
                b.identities
                    .extend(super::external::vm_identities(world, svc));
                chosen.backing.insert(svc.meta.cluster.clone(), b);
            }
            None => chosen.complete = false,
        }
    }
    report_missing_ports(vd, missing_ports, diags);
    chosen
}

/// The Services `vd`'s selectors match, per cluster, among those in namespaces its owner may
/// use, sorted by namespace and name.
fn candidate_services<'w>(
    inputs: &Inputs<'_, 'w>,
    vd: &VirtualDestination,
    owner: &str,
    diags: &mut Diagnostics,
) -> BTreeMap<&'w str, Vec<&'w Service>> {
    let workspaces = inputs.workspaces;
    let mut candidates: BTreeMap<&str, Vec<&'w Service>> = BTreeMap::new();
    for (svc, svc_ws) in inputs.services.candidates(&vd.services) {
        // Matching first: it is cheap, and sharing looks through workspace settings.
        let selected = vd
            .services
            .iter()
            .any(|s| s.matches(&Candidate::of(&svc.meta, svc_ws)));
        if selected && svc_ws.is_some_and(|w| workspaces.shares(w, owner, SERVICE, &svc.meta)) {
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
        let hint = crate::model::suggest::closest_label(inputs.world, &vd.services);
        let site = vd.meta.site(vd.services[0].pos);
        diags.push(selector_matches_nothing::diagnostic(
            site,
            owner,
            &vd.meta.name,
            hint,
        ));
    }
    candidates
}

/// Of several Services matching in one cluster, the oldest backs the VD (then by namespace and
/// name); the others are passed over, with a warning.
fn oldest_wins<'w>(
    vd: &VirtualDestination,
    cluster: &str,
    mut services: Vec<&'w Service>,
    passed_over: &mut Vec<PassedOver>,
    diags: &mut Diagnostics,
) -> &'w Service {
    services.sort_by(|a, b| a.meta.age_key().cmp(&b.meta.age_key()));
    let chosen = services[0];
    if services.len() == 1 {
        return chosen;
    }
    let chosen_name = format!("{}/{}", chosen.meta.namespace, chosen.meta.name);
    let others: Vec<String> = services[1..]
        .iter()
        .map(|s| format!("{}/{}", s.meta.namespace, s.meta.name))
        .collect();
    for s in &services[1..] {
        passed_over.push(PassedOver {
            cluster: cluster.to_owned(),
            namespace: s.meta.namespace.clone(),
            name: s.meta.name.clone(),
            reason: format!("{chosen_name} is older and wins"),
        });
    }
    diags.push(several_backing_services::diagnostic(
        vd.meta.site(vd.services[0].pos),
        &vd.meta.name,
        services.len(),
        cluster,
        &chosen_name,
        &others,
    ));
    chosen
}

/// Services by label and by name, with the workspace of each, so a VirtualDestination's
/// selectors look at the few Services they can match instead of every Service of every cluster.
pub(super) struct ServiceIndex<'w> {
    /// Cluster by cluster, so each cluster's Services are one range of it.
    all: Vec<(&'w Service, Option<String>)>,
    by_label: HashMap<(&'w str, &'w str), Vec<usize>>,
    by_name: HashMap<&'w str, Vec<usize>>,
    /// Each cluster's range of `all`: a selector that names its cluster looks only there (a
    /// label such as `app` is on a Service of that name in every cluster of a fleet).
    clusters: HashMap<&'w str, std::ops::Range<usize>>,
}

impl<'w> ServiceIndex<'w> {
    pub(super) fn new(world: &'w World, workspaces: &Workspaces) -> Self {
        let mut index = ServiceIndex {
            all: Vec::new(),
            by_label: HashMap::new(),
            by_name: HashMap::new(),
            clusters: HashMap::new(),
        };
        for cluster in world.clusters.values() {
            let start = index.all.len();
            for svc in &cluster.services {
                let i = index.all.len();
                index
                    .all
                    .push((svc, workspaces.of(&cluster.name, &svc.meta.namespace)));
                for (k, v) in &svc.meta.labels {
                    index.by_label.entry((k, v)).or_default().push(i);
                }
                index
                    .by_name
                    .entry(svc.meta.name.as_str())
                    .or_default()
                    .push(i);
            }
            let range = start..index.all.len();
            index.clusters.insert(cluster.name.as_str(), range);
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
                .map(|(k, v)| self.by_label.get(&(k, v)).map_or(empty, Vec::as_slice))
                .chain(
                    s.name
                        .as_deref()
                        .map(|n| self.by_name.get(n).map_or(empty, Vec::as_slice)),
                )
                .min_by_key(|list| list.len());
            let range = match &s.cluster {
                Some(cluster) => self.clusters.get(cluster.as_str()).cloned().unwrap_or(0..0),
                None => 0..self.all.len(),
            };
            match narrowest {
                // The lists are sorted, as `all` is: the cluster's part of one is a slice.
                Some(list) => {
                    let from = list.partition_point(|&i| i < range.start);
                    let to = list.partition_point(|&i| i < range.end);
                    picked.extend_from_slice(&list[from..to]);
                }
                None => picked.extend(range),
            }
        }
        picked.sort_unstable();
        picked.dedup();
        picked
            .into_iter()
            .map(|i| (self.all[i].0, self.all[i].1.as_deref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Loaded, parse_source};
    use crate::model::types::ObjectSelector;

    /// A Service `reviews` (label `app: reviews`) in `bookinfo` of each cluster.
    fn world(clusters: &[&str]) -> World {
        let mut loaded = Loaded {
            clusters: clusters.iter().map(|c| c.to_string()).collect(),
            ..Loaded::default()
        };
        for cluster in clusters {
            let yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: bookinfo\n  labels:\n    app: reviews\nspec:\n  ports:\n  - name: http\n    port: 9080\n";
            let rel = format!("clusters/{cluster}/state.yaml");
            let parsed = parse_source(&rel, yaml.as_bytes().to_vec());
            loaded.add(parsed.decode(&loaded.settings.clone(), crate::model::decode));
        }
        crate::model::assemble_loaded(loaded).world
    }

    fn picked(world: &World, cluster: Option<&str>) -> Vec<String> {
        let workspaces = Workspaces::build(world, &mut Diagnostics::default());
        let index = ServiceIndex::new(world, &workspaces);
        let selector = ObjectSelector {
            labels: [("app", "reviews")].into_iter().collect(),
            cluster: cluster.map(str::to_owned),
            ..ObjectSelector::default()
        };
        let selectors = [selector];
        index
            .candidates(&selectors)
            .map(|(svc, _)| svc.meta.cluster.clone())
            .collect()
    }

    /// A Service port 9080 that is UDP and one that is TCP (the second, or one giving no
    /// protocol): a VirtualDestination port 9080 means the TCP one, whichever comes first.
    #[test]
    fn a_vd_port_matches_only_a_tcp_service_port() {
        for tcp in ["protocol: TCP", "name: web"] {
            let yaml = format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n  - name: quic\n    port: 9080\n    protocol: UDP\n    targetPort: 7000\n  - port: 9080\n    {tcp}\n    targetPort: 8000\n"
            );
            let mut loaded = Loaded {
                clusters: ["east".to_owned()].into(),
                ..Loaded::default()
            };
            let parsed = parse_source("clusters/east/state.yaml", yaml.into_bytes());
            loaded.add(parsed.decode(&loaded.settings.clone(), crate::model::decode));
            let world = crate::model::assemble_loaded(loaded).world;
            let svc = &world.clusters["east"].services[0];
            let port = svc.port(&PortRef::Number(9080)).map(|p| &p.target_port);
            assert_eq!(port, Some(&Some(PortRef::Number(8000))), "{tcp}");
            assert!(svc.port(&PortRef::Name("quic".into())).is_none());
        }
    }

    /// A selector that names its cluster is narrowed to that cluster's Services before any is
    /// checked; one that names none looks at every cluster.
    #[test]
    fn a_selector_naming_a_cluster_looks_only_there() {
        let world = world(&["east", "north", "west"]);
        assert_eq!(picked(&world, Some("north")), ["north"]);
        assert_eq!(picked(&world, Some("south")), Vec::<String>::new());
        assert_eq!(picked(&world, None), ["east", "north", "west"]);
    }
}
