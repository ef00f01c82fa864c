//! Building the world from decoded pieces: clusters filled in parallel, duplicates found, the
//! Gloo objects gathered and everything sorted.

use super::*;
use crate::diagnostic::{Diagnostic, Diagnostics, ObjectRef, Site};
use crate::rules::load::{duplicate_object, invalid_cluster_name};
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

pub(super) fn assemble(
    settings: &Settings,
    clusters: &std::collections::BTreeSet<String>,
    skipped: usize,
    pieces: Vec<Piece>,
) -> (World, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut world = World {
        settings: settings.clone(),
        skipped,
        ..World::default()
    };
    add_valid_clusters(&mut world, clusters, &mut diags);
    let gloo = fill_clusters(&mut world, pieces, &mut diags);
    add_gloo_objects(&mut world, gloo);
    apply_kubernetes_clusters(&mut world);
    sort_world(&mut world);
    (world, diags)
}

/// A cluster per valid folder name (VDC106 for the others).
fn add_valid_clusters(
    world: &mut World,
    clusters: &std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) {
    for name in clusters {
        if !names::is_dns_label(name) {
            diags.push(invalid_cluster_name::diagnostic(name));
            continue;
        }
        world.clusters.insert(
            name.clone(),
            Cluster {
                name: name.clone(),
                cluster_domain: "cluster.local".into(),
                ..Cluster::default()
            },
        );
    }
}

/// Fills every cluster from its pieces, in parallel; returns the Gloo objects with their place
/// in the input.
fn fill_clusters(
    world: &mut World,
    pieces: Vec<Piece>,
    diags: &mut Diagnostics,
) -> Vec<(usize, Item)> {
    // Each cluster's pieces fill that cluster alone, so clusters are filled in parallel. Gloo
    // objects come back tagged with their place in the input and are added in that order.
    let mut per_cluster: BTreeMap<String, Vec<(usize, Piece)>> = BTreeMap::new();
    for (index, piece) in pieces.into_iter().enumerate() {
        match per_cluster.get_mut(piece.cluster.as_str()) {
            Some(list) => list.push((index, piece)),
            None => {
                per_cluster.insert(piece.cluster.clone(), vec![(index, piece)]);
            }
        }
    }
    let work: Vec<_> = per_cluster
        .into_iter()
        .map(|(name, pieces)| (world.clusters.remove(&name), name, pieces))
        .collect();
    let filled: Vec<(Option<Cluster>, Found)> = work
        .into_par_iter()
        .map(|(mut cluster, name, pieces)| {
            let found = fill_cluster(cluster.as_mut(), &name, pieces);
            (cluster, found)
        })
        .collect();
    let mut gloo = Vec::new();
    for (cluster, found) in filled {
        if let Some(c) = cluster {
            world.clusters.insert(c.name.clone(), c);
        }
        diags.extend(found.diags);
        world.skipped += found.skipped;
        gloo.extend(found.gloo);
    }
    gloo
}

/// The Gloo objects join the world in input order.
fn add_gloo_objects(world: &mut World, mut gloo: Vec<(usize, Item)>) {
    gloo.sort_by_key(|(index, _)| *index);
    for (_, item) in gloo {
        match item {
            Item::KubernetesCluster(k) => {
                world.kubernetes_clusters.insert(k.meta.name.clone(), k);
            }
            Item::Workspace(w) => world.workspaces.push(w),
            Item::WorkspaceSettings(w) => world.workspace_settings.push(w),
            Item::VirtualDestination(v) => world.virtual_destinations.push(v),
            Item::FailoverPolicy(p) => world.failover_policies.push(p),
            Item::OutlierDetectionPolicy(p) => world.outlier_detection_policies.push(p),
            Item::RouteTable(r) => world.route_tables.push(r),
            Item::VirtualGateway(g) => world.virtual_gateways.push(g),
            Item::External(x) => world.external.push(x),
            _ => {}
        }
    }
}

/// A KubernetesCluster gives its cluster labels and a cluster domain (one without a folder is
/// VDC305, a check on the world).
fn apply_kubernetes_clusters(world: &mut World) {
    for kc in world.kubernetes_clusters.values() {
        if let Some(c) = world.clusters.get_mut(&kc.meta.name) {
            c.labels = kc.meta.labels.clone();
            c.cluster_domain = kc.cluster_domain.clone();
        }
    }
}

/// Every list of the world in its stable order.
fn sort_world(world: &mut World) {
    world.external.sort();
    world
        .workspaces
        .sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    world.virtual_destinations.sort_by(|a, b| {
        (&a.meta.namespace, &a.meta.name, &a.meta.cluster).cmp(&(
            &b.meta.namespace,
            &b.meta.name,
            &b.meta.cluster,
        ))
    });
    fn by_identity(m: &Meta) -> (&str, &str, &str) {
        (&m.cluster, &m.namespace, &m.name)
    }
    world
        .failover_policies
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .outlier_detection_policies
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .route_tables
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    world
        .virtual_gateways
        .sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
}

/// What a cluster's pieces give beyond its own state.
#[derive(Default)]
struct Found {
    /// Gloo objects, with their place in the input.
    gloo: Vec<(usize, Item)>,
    diags: Diagnostics,
    skipped: usize,
}

/// Fills `cluster` (`None` when its folder name is invalid, or for the management cluster
/// without a folder) from the pieces found in it, in input order: the first of two objects
/// with one identity wins and the second is a duplicate.
fn fill_cluster(
    mut cluster: Option<&mut Cluster>,
    cluster_name: &str,
    pieces: Vec<(usize, Piece)>,
) -> Found {
    let mut found = Found::default();
    // Where each identity was first defined.
    let mut seen: FirstSeen = HashMap::with_capacity(pieces.len());
    for (index, mut piece) in pieces {
        if let Item::Skipped = piece.item {
            found.skipped += 1;
            found.diags.extend(piece.diags);
            continue;
        }
        let (namespace, name) =
            match first_of_its_identity(&mut seen, piece.identity, &piece.file, piece.pos) {
                Ok(keys) => keys,
                Err(first) => {
                    let site_pos = (&piece.file, piece.pos);
                    found
                        .diags
                        .push(duplicate_of(first, cluster_name, site_pos));
                    continue;
                }
            };
        found.diags.extend(piece.diags);
        let Some(c) = cluster.as_deref_mut() else {
            if is_gloo(&piece.item) {
                found.gloo.push((index, piece.item));
            }
            continue;
        };
        if !namespace.is_empty() {
            c.namespaces.entry(namespace).or_default();
        }
        if is_state(&piece.item) && c.dump.as_ref().is_none_or(|d| piece.file < *d) {
            c.dump = Some(piece.file.clone());
        }
        match std::mem::replace(&mut piece.item, Item::Nothing) {
            Item::Namespace(labels) => {
                c.namespaces.insert(name, labels);
            }
            Item::Service(svc) => c.services.push(svc),
            Item::Workload(w) => c.workloads.push(w),
            Item::Node(n) => c.nodes.push(n),
            // The default revision's ConfigMap wins over revisioned ones.
            Item::MeshConfig {
                default_revision,
                trust_domain,
                facts,
            } => {
                if trust_domain.is_some() && (c.trust_domain.is_none() || default_revision) {
                    c.trust_domain = trust_domain;
                }
                if c.mesh_config.is_none() || default_revision {
                    c.mesh_config = Some(facts);
                }
            }
            Item::Istio(o) => c.istio_objects.push(o),
            Item::LiveWorkloadEntry(e) => c.workload_entries.push(e),
            item if is_gloo(&item) => found.gloo.push((index, item)),
            _ => {}
        }
    }
    if let Some(c) = cluster {
        c.services.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name))
        });
        c.workloads.sort_by(|a, b| {
            (&a.meta.namespace, &a.meta.kind, &a.meta.name).cmp(&(
                &b.meta.namespace,
                &b.meta.kind,
                &b.meta.name,
            ))
        });
        c.nodes.sort_by(|a, b| a.name.cmp(&b.name));
    }
    found
}

/// Cluster state: what a cluster's dump says about the cluster itself.
fn is_state(item: &Item) -> bool {
    matches!(
        item,
        Item::Namespace(_)
            | Item::Service(_)
            | Item::Workload(_)
            | Item::Node(_)
            | Item::MeshConfig { .. }
            | Item::Istio(_)
            | Item::LiveWorkloadEntry(_)
    )
}

/// Gloo objects belong to the world, not to the cluster they were found in.
fn is_gloo(item: &Item) -> bool {
    matches!(
        item,
        Item::KubernetesCluster(_)
            | Item::Workspace(_)
            | Item::WorkspaceSettings(_)
            | Item::VirtualDestination(_)
            | Item::FailoverPolicy(_)
            | Item::OutlierDetectionPolicy(_)
            | Item::RouteTable(_)
            | Item::VirtualGateway(_)
            | Item::External(_)
    )
}

/// Where an identity was first defined: its file and line.
type Place = (std::sync::Arc<str>, u32);

/// Where each identity was first defined.
type FirstSeen = HashMap<Identity, Place>;

/// The namespace and name of `identity`, when it is the first of its kind (and records where it
/// is); else where the first one is, with its identity.
fn first_of_its_identity(
    seen: &mut FirstSeen,
    identity: Identity,
    file: &std::sync::Arc<str>,
    pos: crate::span::Pos,
) -> Result<(String, String), (Identity, Place)> {
    match seen.entry(identity) {
        Entry::Occupied(first) => Err((first.key().clone(), first.get().clone())),
        Entry::Vacant(slot) => {
            let (_, _, namespace, name) = slot.key();
            let keys = (namespace.clone(), name.clone());
            slot.insert((file.clone(), pos.line));
            Ok(keys)
        }
    }
}

/// VDC105 for the object at `(file, pos)`, whose identity was first defined at `first`.
fn duplicate_of(
    (identity, (first_file, line)): (Identity, Place),
    cluster_name: &str,
    (file, pos): (&std::sync::Arc<str>, crate::span::Pos),
) -> Diagnostic {
    let (_, kind, namespace, name) = identity;
    let object = ObjectRef {
        cluster: cluster_name.to_owned(),
        kind,
        namespace,
        name,
    };
    let site = Site::in_object(file, pos, object.clone());
    duplicate_object::diagnostic(site, &object, &first_file, line)
}
