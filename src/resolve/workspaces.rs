//! Workspaces: which (cluster, namespace) pairs each owns, and what they share.

use crate::diagnostic::Diagnostics;
use crate::load::node::Pos;
use crate::model::World;
use crate::model::types::*;
use crate::names::glob_match;
use crate::rules::workspace::{
    duplicate_workspace_settings, namespace_in_two_workspaces, object_in_no_workspace,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The name of the workspace every namespace belongs to when the input defines none.
pub const IMPLICIT_WORKSPACE: &str = "global";

pub struct Workspaces<'w> {
    world: &'w World,
    /// cluster → namespace → workspace, for every namespace of every cluster folder. Resolution
    /// asks this for every VirtualDestination in every cluster, so looking up needs no owned key.
    membership: HashMap<&'w str, BTreeMap<&'w str, String>>,
    /// workspace → the clusters where it holds a namespace.
    clusters_of_workspace: HashMap<String, BTreeSet<&'w str>>,
    settings: BTreeMap<String, &'w WorkspaceSettings>,
}

/// Two workspaces claiming one namespace: the namespace, then the name of each workspace and
/// the selector (field path, position) with which it does.
type Conflict<'w> = (&'w str, &'w str, (String, Pos), &'w str, (String, Pos));

fn labels_match(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

impl<'w> Workspaces<'w> {
    pub fn build(world: &'w World, diags: &mut Diagnostics) -> Self {
        let mut ws = Workspaces {
            world,
            membership: HashMap::new(),
            clusters_of_workspace: HashMap::new(),
            settings: BTreeMap::new(),
        };
        // One conflict written in the input (the same two workspaces, the same selector) is
        // one diagnostic, however many clusters it applies to.
        let mut conflicts: BTreeMap<Conflict<'w>, (&'w Workspace, Vec<&str>)> = BTreeMap::new();
        for cluster in world.clusters.values() {
            for namespace in cluster.namespaces.keys() {
                let owners = ws.matching(&cluster.name, namespace);
                if let [first, second, ..] = owners.as_slice() {
                    // Both matched, so both have a claim; the fallback is never used.
                    let claim = |w: &Workspace| {
                        ws.claim(w, &cluster.name, namespace)
                            .unwrap_or_else(|| ("spec.workloadClusters".to_owned(), w.meta.pos))
                    };
                    let key = (
                        namespace.as_str(),
                        first.meta.name.as_str(),
                        claim(first),
                        second.meta.name.as_str(),
                        claim(second),
                    );
                    conflicts
                        .entry(key)
                        .or_insert_with(|| (second, Vec::new()))
                        .1
                        .push(&cluster.name);
                }
                if let Some(name) = ws.name_of_first(&owners) {
                    ws.clusters_of_workspace
                        .entry(name.clone())
                        .or_default()
                        .insert(&cluster.name);
                    ws.membership
                        .entry(&cluster.name)
                        .or_default()
                        .insert(namespace, name);
                }
            }
        }
        for ((namespace, first, (first_field, _), _, (field, pos)), (second, clusters)) in conflicts
        {
            let clusters_phrase = crate::text::clusters_phrase(&clusters);
            diags.push(namespace_in_two_workspaces::diagnostic(
                second.meta.site(pos),
                namespace,
                &clusters_phrase,
                first,
                &first_field,
                &second.meta.name,
                &field,
            ));
        }
        ws.attach_settings(diags);
        ws
    }

    /// Each WorkspaceSettings to the workspace owning its namespace: VDC303 when none does,
    /// VDC304 for a second one.
    fn attach_settings(&mut self, diags: &mut Diagnostics) {
        for s in &self.world.workspace_settings {
            match self.of(&s.meta.cluster, &s.meta.namespace) {
                None => {
                    let case = object_in_no_workspace::Case::WorkspaceSettings { meta: &s.meta };
                    diags.push(object_in_no_workspace::diagnostic(
                        s.meta.site(s.meta.pos),
                        case,
                    ));
                }
                Some(name) => {
                    if let Some(first) = self.settings.get(&name) {
                        let site = s.meta.site(s.meta.pos);
                        let (first, second) = (&first.meta.name, &s.meta.name);
                        let d =
                            duplicate_workspace_settings::diagnostic(site, &name, first, second);
                        diags.push(d);
                    } else {
                        self.settings.insert(name, s);
                    }
                }
            }
        }
    }

    /// The selector of `w` that takes in (cluster, namespace), if one does: its field path and
    /// position, such as `spec.workloadClusters[0].namespaces[2]`.
    fn claim(&self, w: &Workspace, cluster: &str, namespace: &str) -> Option<(String, Pos)> {
        let empty = Labels::new();
        let cluster_labels = self.cluster_labels(cluster).unwrap_or(&empty);
        let ns_labels = self
            .world
            .clusters
            .get(cluster)
            .and_then(|c| c.namespaces.get(namespace))
            .unwrap_or(&empty);
        for (i, sel) in w.clusters.iter().enumerate() {
            if !Self::cluster_selected(sel, cluster, cluster_labels) {
                continue;
            }
            if sel.namespaces.is_empty() {
                return Some((format!("spec.workloadClusters[{i}]"), sel.pos));
            }
            if let Some((j, ns)) = sel
                .namespaces
                .iter()
                .enumerate()
                .find(|(_, ns)| Self::namespace_selected(ns, namespace, ns_labels))
            {
                return Some((
                    format!("spec.workloadClusters[{i}].namespaces[{j}]"),
                    ns.pos,
                ));
            }
        }
        None
    }

    fn cluster_selected(sel: &ClusterSelector, cluster: &str, labels: &Labels) -> bool {
        sel.name.as_deref().is_none_or(|p| glob_match(p, cluster))
            && labels_match(&sel.labels, labels)
    }

    fn namespace_selected(sel: &NamespaceSelector, namespace: &str, labels: &Labels) -> bool {
        glob_match(&sel.name, namespace) && labels_match(&sel.labels, labels)
    }

    fn name_of_first(&self, owners: &[&Workspace]) -> Option<String> {
        if self.world.workspaces.is_empty() {
            return Some(IMPLICIT_WORKSPACE.to_owned());
        }
        owners.first().map(|w| w.meta.name.clone())
    }

    fn cluster_labels(&self, cluster: &str) -> Option<&'w Labels> {
        self.world
            .clusters
            .get(cluster)
            .map(|c| &c.labels)
            .or_else(|| {
                self.world
                    .kubernetes_clusters
                    .get(cluster)
                    .map(|k| &k.meta.labels)
            })
    }

    /// The workspaces whose selectors take in (cluster, namespace).
    fn matching(&self, cluster: &str, namespace: &str) -> Vec<&'w Workspace> {
        self.world
            .workspaces
            .iter()
            .filter(|w| self.claim(w, cluster, namespace).is_some())
            .collect()
    }

    /// The workspace that holds (cluster, namespace), if any.
    pub fn of(&self, cluster: &str, namespace: &str) -> Option<String> {
        if let Some(name) = self.membership.get(cluster).and_then(|m| m.get(namespace)) {
            return Some(name.clone());
        }
        let owners = self.matching(cluster, namespace);
        self.name_of_first(&owners)
    }

    /// The namespaces of `cluster` that belong to `workspace`, sorted.
    pub fn namespaces_in<'a>(
        &'a self,
        cluster: &str,
        workspace: &'a str,
    ) -> impl Iterator<Item = &'w str> + 'a {
        self.membership
            .get(cluster)
            .into_iter()
            .flatten()
            .filter(move |(_, w)| *w == workspace)
            .map(|(ns, _)| *ns)
    }

    /// The clusters where `workspace` holds at least one namespace, sorted.
    pub fn clusters_holding(&self, workspace: &str) -> impl Iterator<Item = &'w str> + '_ {
        self.clusters_of_workspace
            .get(workspace)
            .into_iter()
            .flatten()
            .copied()
    }

    pub fn settings(&self, workspace: &str) -> Option<&'w WorkspaceSettings> {
        self.settings.get(workspace).copied()
    }

    fn workspace_selected(&self, selectors: &[WorkspaceSelector], workspace: &str) -> bool {
        let labels = self
            .world
            .workspaces
            .iter()
            .find(|w| w.meta.name == workspace)
            .map(|w| &w.meta.labels);
        let empty = Labels::new();
        selectors.is_empty()
            || selectors.iter().any(|s| {
                s.name.as_deref().is_none_or(|p| glob_match(p, workspace))
                    && labels_match(&s.labels, labels.unwrap_or(&empty))
            })
    }

    fn resource_selected(selectors: &[ResourceSelector], kind: &str, meta: &Meta) -> bool {
        selectors.is_empty()
            || selectors.iter().any(|r| {
                (r.kind == "ALL" || r.kind == kind)
                    && labels_match(&r.labels, &meta.labels)
                    && r.name.as_deref().is_none_or(|n| n == meta.name)
                    && r.namespace.as_deref().is_none_or(|n| n == meta.namespace)
                    && r.cluster.as_deref().is_none_or(|c| c == meta.cluster)
            })
    }

    fn listed(
        &self,
        entries: &[WorkspaceObjectSelector],
        other: &str,
        kind: &str,
        meta: &Meta,
    ) -> bool {
        entries.iter().any(|e| {
            self.workspace_selected(&e.workspaces, other)
                && Self::resource_selected(&e.resources, kind, meta)
        })
    }

    /// Whether `object` (of Gloo resource `kind`, owned by `owner`) is visible to `consumer`:
    /// its own workspace, or exported by the owner **and** imported by the consumer.
    pub fn shares(&self, owner: &str, consumer: &str, kind: &str, object: &Meta) -> bool {
        if owner == consumer {
            return true;
        }
        let exported = self
            .settings(owner)
            .is_some_and(|s| self.listed(&s.export_to, consumer, kind, object));
        let imported = self
            .settings(consumer)
            .is_some_and(|s| self.listed(&s.import_from, owner, kind, object));
        exported && imported
    }

    /// Every workspace name, sorted (the implicit one when none is defined).
    pub fn names(&self) -> Vec<String> {
        if self.world.workspaces.is_empty() {
            return vec![IMPLICIT_WORKSPACE.to_owned()];
        }
        self.world
            .workspaces
            .iter()
            .map(|w| w.meta.name.clone())
            .collect()
    }
}
