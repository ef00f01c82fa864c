//! Building the world from decoded documents: clusters filled in parallel, duplicates found,
//! the Gloo objects gathered and everything sorted.

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
    files: Vec<Vec<DecodedDocument>>,
) -> (World, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut world = World {
        settings: settings.clone(),
        skipped,
        ..World::default()
    };
    add_valid_clusters(&mut world, clusters, &mut diags);
    let gloo = fill_clusters(&mut world, files, &mut diags);
    add_gloo_objects(&mut world, gloo);
    apply_kubernetes_clusters(&mut world);
    super::unread_config::drop_unread_config(&mut world, &mut diags);
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
        if !crate::dns::is_dns_label(name) {
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

/// Fills every cluster from its documents, in parallel; returns the Gloo objects with their place
/// in the input.
fn fill_clusters(
    world: &mut World,
    files: Vec<Vec<DecodedDocument>>,
    diags: &mut Diagnostics,
) -> Vec<(usize, GlooObject)> {
    // Each cluster's documents fill that cluster alone, so clusters are filled in parallel. Gloo
    // objects come back tagged with their place in the input and are added in that order.
    let work: Vec<_> = runs_by_cluster(files)
        .into_iter()
        .map(|(name, runs)| (world.clusters.remove(&name), name, runs))
        .collect();
    let filled: Vec<(Option<Cluster>, Leftovers)> = work
        .into_par_iter()
        .map(|(mut cluster, name, runs)| {
            let count = runs.iter().map(|(_, run)| run.len()).sum();
            // Each file's list is let go of as soon as its documents have been added.
            let documents = runs.into_iter().flat_map(|(start, run)| (start..).zip(run));
            let leftovers = fill_cluster(cluster.as_mut(), &name, documents, count);
            (cluster, leftovers)
        })
        .collect();
    let mut gloo = Vec::new();
    for (cluster, leftovers) in filled {
        if let Some(c) = cluster {
            world.clusters.insert(c.name.clone(), c);
        }
        diags.extend(leftovers.diags);
        world.skipped += leftovers.skipped;
        gloo.extend(leftovers.gloo);
    }
    gloo
}

/// A run of documents of one cluster, with the place of its first document in the input.
type Run = (usize, Vec<DecodedDocument>);

/// Each cluster's runs of documents, in input order. A file's documents all belong to the
/// cluster of its folder, so a file's list moves whole, never copied: on a fleet of millions of
/// documents a copy is gigabytes. A list that mixes clusters is split, to be safe.
fn runs_by_cluster(files: Vec<Vec<DecodedDocument>>) -> BTreeMap<String, Vec<Run>> {
    let mut per_cluster: BTreeMap<String, Vec<Run>> = BTreeMap::new();
    let mut start = 0;
    for documents in files {
        let Some(first) = documents.first() else {
            continue;
        };
        if documents.iter().all(|d| d.cluster == first.cluster) {
            let (cluster, len) = (first.cluster.clone(), documents.len());
            per_cluster
                .entry(cluster)
                .or_default()
                .push((start, documents));
            start += len;
            continue;
        }
        for document in documents {
            let runs = per_cluster.entry(document.cluster.clone()).or_default();
            match runs.last_mut() {
                Some((at, run)) if *at + run.len() == start => run.push(document),
                _ => runs.push((start, vec![document])),
            }
            start += 1;
        }
    }
    per_cluster
}

/// The Gloo objects join the world in input order.
fn add_gloo_objects(world: &mut World, mut gloo: Vec<(usize, GlooObject)>) {
    gloo.sort_by_key(|(index, _)| *index);
    for (_, object) in gloo {
        match object {
            GlooObject::KubernetesCluster(k) => {
                world.kubernetes_clusters.insert(k.meta.name.clone(), k);
            }
            GlooObject::Workspace(w) => world.workspaces.push(w),
            GlooObject::WorkspaceSettings(w) => world.workspace_settings.push(w),
            GlooObject::VirtualDestination(v) => world.virtual_destinations.push(v),
            GlooObject::Policy(p) => world.policies.push(p),
            GlooObject::RouteTable(r) => world.route_tables.push(r),
            GlooObject::VirtualGateway(g) => world.virtual_gateways.push(g),
            GlooObject::External(x) => world.external.push(x),
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

/// Every list of the world in its stable order. The world is taken apart field by field, so a
/// list added to it does not compile until it is sorted here (or said to keep input order).
fn sort_world(world: &mut World) {
    let World {
        settings: _,
        clusters: _,
        // Keyed by name.
        kubernetes_clusters: _,
        workspaces,
        // Input order: the first WorkspaceSettings of a workspace is the one read.
        workspace_settings: _,
        virtual_destinations,
        policies,
        route_tables,
        virtual_gateways,
        external,
        skipped: _,
    } = world;
    external.sort();
    workspaces.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    virtual_destinations.sort_by(|a, b| {
        (&a.meta.namespace, &a.meta.name, &a.meta.cluster).cmp(&(
            &b.meta.namespace,
            &b.meta.name,
            &b.meta.cluster,
        ))
    });
    fn by_identity(m: &Meta) -> (&str, &str, &str) {
        (&m.cluster, &m.namespace, &m.name)
    }
    policies
        .sort_by(|a, b| (by_identity(&a.meta), a.kind()).cmp(&(by_identity(&b.meta), b.kind())));
    route_tables.sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
    virtual_gateways.sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));
}

/// What filling a cluster leaves for the world: the Gloo objects found in it, the documents'
/// diagnostics and the count of skipped documents.
#[derive(Default)]
struct Leftovers {
    /// Gloo objects, with their place in the input.
    gloo: Vec<(usize, GlooObject)>,
    diags: Diagnostics,
    skipped: usize,
}

/// Fills `cluster` (`None` when its folder name is invalid, or for the management cluster
/// without a folder) from the documents found in it, in input order: the first of two objects
/// with one key wins and the second is a duplicate.
fn fill_cluster(
    mut cluster: Option<&mut Cluster>,
    cluster_name: &str,
    documents: impl Iterator<Item = (usize, DecodedDocument)>,
    count: usize,
) -> Leftovers {
    let mut leftovers = Leftovers::default();
    let mut seen: FirstSeen = HashMap::with_capacity(count);
    for (index, document) in documents {
        if let Decoded::Skipped = document.decoded {
            leftovers.skipped += 1;
            leftovers.diags.extend(document.diags);
            continue;
        }
        let namespace = document.key.namespace.clone();
        let name = document.key.name.clone();
        let place = Place {
            file: document.file.clone(),
            line: document.pos.line,
        };
        if let Err(again) = record_first_definition(&mut seen, document.key, place) {
            let duplicate = duplicate_of(again, cluster_name, &document.file, document.pos);
            leftovers.diags.push(duplicate);
            continue;
        }
        leftovers.diags.extend(document.diags);
        // Any object of a cluster, whatever its kind, says its namespace exists there.
        if let Some(c) = cluster.as_deref_mut()
            && !namespace.is_empty()
        {
            c.namespaces.entry(namespace).or_default();
        }
        let gloo = match (document.decoded, cluster.as_deref_mut()) {
            (Decoded::Gloo(object), _) => Some(*object),
            (Decoded::State(state), Some(c)) => {
                add_to_cluster(c, name, &document.file, *state);
                None
            }
            // Cluster state outside a cluster was reported when it was decoded.
            (Decoded::State(_) | Decoded::Nothing | Decoded::Skipped, _) => None,
        };
        leftovers.gloo.extend(gloo.map(|gloo| (index, gloo)));
    }
    if let Some(c) = cluster {
        sort_cluster(c);
    }
    leftovers
}

/// Adds what a document of the cluster's state says about the cluster.
fn add_to_cluster(c: &mut Cluster, name: String, file: &std::sync::Arc<str>, state: StateObject) {
    if c.dump.as_ref().is_none_or(|d| file < d) {
        c.dump = Some(file.clone());
    }
    match state {
        StateObject::Namespace(labels) => {
            c.namespaces.insert(name, labels);
        }
        StateObject::Service(svc) => c.services.push(svc),
        StateObject::Workload(w) => c.workloads.push(w),
        StateObject::Node(n) => c.nodes.push(n),
        // Which one is read is chosen once the cluster is whole (`mesh::choose`).
        StateObject::MeshConfig(facts) => c.mesh_configs.push(facts),
        StateObject::Istio(o) => c.istio_objects.push(o),
        StateObject::LiveWorkloadEntry(e) => c.workload_entries.push(e),
        StateObject::PreviousOutput(meta) => c.previous_output.push(meta),
    }
}

/// A cluster's services, workloads and nodes in their stable order.
fn sort_cluster(c: &mut Cluster) {
    c.previous_output
        .sort_by(|a, b| (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name)));
    c.services
        .sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    c.workloads.sort_by(|a, b| {
        (&a.meta.namespace, &a.meta.kind, &a.meta.name).cmp(&(
            &b.meta.namespace,
            &b.meta.kind,
            &b.meta.name,
        ))
    });
    c.nodes.sort_by(|a, b| a.name.cmp(&b.name));
    super::mesh::choose(c);
    // The lists grew by pushing, up to twice the room they need, and are kept for the run: on a
    // fleet's dumps that slack was a quarter of the cluster state.
    c.services.shrink_to_fit();
    c.workloads.shrink_to_fit();
    c.nodes.shrink_to_fit();
    c.istio_objects.shrink_to_fit();
    c.workload_entries.shrink_to_fit();
}

/// Where an object was first defined: its file and line.
#[derive(Clone)]
struct Place {
    file: std::sync::Arc<str>,
    line: u32,
}

/// Where each object key was first defined.
type FirstSeen = HashMap<ObjectKey, Place>;

/// An object defined a second time: the key it shares with the first, and where that one is.
struct Redefinition {
    key: ObjectKey,
    first: Place,
}

/// Records `place` as where `key` is defined when it is the first object of its key; else
/// says where the first one is.
fn record_first_definition(
    seen: &mut FirstSeen,
    key: ObjectKey,
    place: Place,
) -> Result<(), Redefinition> {
    match seen.entry(key) {
        Entry::Occupied(first) => Err(Redefinition {
            first: first.get().clone(),
            key: first.key().clone(),
        }),
        Entry::Vacant(slot) => {
            slot.insert(place);
            Ok(())
        }
    }
}

/// VDC105 for the object at `(file, pos)` in `cluster`, whose key was first defined elsewhere.
fn duplicate_of(
    again: Redefinition,
    cluster: &str,
    file: &std::sync::Arc<str>,
    pos: crate::span::Pos,
) -> Diagnostic {
    let Redefinition {
        key:
            ObjectKey {
                kind,
                namespace,
                name,
                ..
            },
        first,
    } = again;
    let object = ObjectRef {
        cluster: cluster.to_owned(),
        kind,
        namespace,
        name,
    };
    let site = Site::in_object(file, pos, object.clone());
    duplicate_object::diagnostic(site, &object, &first.file, first.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(cluster: &str, name: &str) -> DecodedDocument {
        DecodedDocument {
            cluster: cluster.to_owned(),
            key: ObjectKey {
                name: name.to_owned(),
                ..ObjectKey::default()
            },
            file: "f.yaml".into(),
            pos: Default::default(),
            diags: Diagnostics::default(),
            decoded: Decoded::Nothing,
        }
    }

    /// Places and order in the input survive the grouping, for whole files and for a file whose
    /// documents belong to two clusters.
    #[test]
    fn runs_keep_each_documents_place_in_the_input() {
        let files = vec![
            vec![document("a", "a0"), document("a", "a1")],
            vec![
                document("b", "b2"),
                document("a", "a3"),
                document("a", "a4"),
            ],
            vec![],
            vec![document("b", "b5")],
        ];
        let placed: Vec<(String, Vec<(usize, String)>)> = runs_by_cluster(files)
            .into_iter()
            .map(|(cluster, runs)| {
                let docs = runs
                    .into_iter()
                    .flat_map(|(start, run)| (start..).zip(run.into_iter().map(|d| d.key.name)))
                    .collect();
                (cluster, docs)
            })
            .collect();
        let expected = |pairs: &[(usize, &str)]| -> Vec<(usize, String)> {
            pairs.iter().map(|&(i, n)| (i, n.to_owned())).collect()
        };
        assert_eq!(
            placed,
            vec![
                (
                    "a".to_owned(),
                    expected(&[(0, "a0"), (1, "a1"), (3, "a3"), (4, "a4")])
                ),
                ("b".to_owned(), expected(&[(2, "b2"), (5, "b5")])),
            ]
        );
    }
}
