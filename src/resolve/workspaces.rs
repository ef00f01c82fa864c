//! Workspaces: which (cluster, namespace) pairs each owns, and what they share.

use crate::diagnostic::Diagnostics;
use crate::load::node::Pos;
use crate::model::World;
use crate::model::selector::labels_match;
use crate::model::types::*;
use crate::names::glob_match;
use crate::rules::workspace::{
    duplicate_workspace_settings, global_workspace_settings, namespace_in_two_workspaces,
    object_in_no_workspace,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The name of the workspace every namespace belongs to when the input defines none.
pub const IMPLICIT_WORKSPACE: &str = "global";

/// The name Gloo gives the WorkspaceSettings that apply to every workspace, in its admin
/// namespace.
pub const GLOBAL_SETTINGS: &str = "global";

/// Gloo's admin namespace, where the global WorkspaceSettings lives: the one Gloo's Helm chart
/// installs into (`admin/v2/workspace_settings.proto` calls it typical).
pub const ADMIN_NAMESPACE: &str = "gloo-mesh";

pub struct Workspaces<'w> {
    world: &'w World,
    /// cluster → namespace → workspace, for every namespace of every cluster folder. Resolution
    /// asks this for every VirtualDestination in every cluster, so looking up needs no owned key.
    membership: HashMap<&'w str, BTreeMap<&'w str, String>>,
    /// workspace → the clusters where it holds a namespace.
    clusters_of_workspace: HashMap<String, BTreeSet<&'w str>>,
    settings: BTreeMap<String, &'w WorkspaceSettings>,
    /// The WorkspaceSettings named `global` outside every workspace (Gloo's admin namespace):
    /// its `options` override every workspace's own.
    global: Option<&'w WorkspaceSettings>,
    /// Each workspace's labels by its name (the first of a name), for workspace selectors:
    /// asked for every VirtualDestination and every workspace it might be shared with.
    labels: HashMap<&'w str, &'w Labels>,
}

/// The selector of a workspace that takes in a namespace: its field path, such as
/// `spec.workloadClusters[0].namespaces[2]`, and its position.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Claim {
    field: String,
    pos: Pos,
}

/// Two workspaces claiming one namespace, each with the selector by which it does. The field
/// order is the order conflicts are reported in.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Conflict<'w> {
    namespace: &'w str,
    first: &'w str,
    first_claim: Claim,
    second: &'w str,
    second_claim: Claim,
}

impl<'w> Workspaces<'w> {
    pub fn build(world: &'w World, diags: &mut Diagnostics) -> Self {
        let mut ws = Workspaces {
            world,
            membership: HashMap::new(),
            clusters_of_workspace: HashMap::new(),
            settings: BTreeMap::new(),
            global: None,
            labels: HashMap::new(),
        };
        for w in &world.workspaces {
            ws.labels
                .entry(w.meta.name.as_str())
                .or_insert(&w.meta.labels);
        }
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
                            .unwrap_or_else(|| Claim {
                                field: "spec.workloadClusters".to_owned(),
                                pos: w.meta.pos,
                            })
                    };
                    let key = Conflict {
                        namespace: namespace.as_str(),
                        first: first.meta.name.as_str(),
                        first_claim: claim(first),
                        second: second.meta.name.as_str(),
                        second_claim: claim(second),
                    };
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
        for (conflict, (second, clusters)) in conflicts {
            let clusters_phrase = crate::text::clusters_phrase(&clusters);
            diags.push(namespace_in_two_workspaces::diagnostic(
                second.meta.site(conflict.second_claim.pos),
                conflict.namespace,
                &clusters_phrase,
                conflict.first,
                &conflict.first_claim.field,
                &second.meta.name,
                &conflict.second_claim.field,
            ));
        }
        ws.attach_settings(diags);
        ws
    }

    /// Each WorkspaceSettings to the workspace owning its namespace: VDC303 when none does,
    /// VDC304 for a second one. The one named `global` in Gloo's admin namespace is every
    /// workspace's ([`GLOBAL_SETTINGS`]), whichever workspace holds that namespace.
    fn attach_settings(&mut self, diags: &mut Diagnostics) {
        for s in &self.world.workspace_settings {
            if s.meta.name == GLOBAL_SETTINGS && s.meta.namespace == ADMIN_NAMESPACE {
                self.attach_global(s, diags);
                continue;
            }
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

    /// Takes `s` as the global WorkspaceSettings: VDC304 for a second one, VDC307 for the
    /// imports and exports vdc does not apply from it.
    fn attach_global(&mut self, s: &'w WorkspaceSettings, diags: &mut Diagnostics) {
        if let Some(first) = self.global {
            let site = s.meta.site(s.meta.pos);
            let d = duplicate_workspace_settings::global(site, &first.meta.cluster);
            diags.push(d);
            return;
        }
        for (field, listed) in [("importFrom", &s.import_from), ("exportTo", &s.export_to)] {
            if !listed.is_empty() {
                let site = s.meta.site(s.meta.pos);
                diags.push(global_workspace_settings::diagnostic(site, &s.meta, field));
            }
        }
        self.global = Some(s);
    }

    /// The selector of `w` that takes in (cluster, namespace), if one does: its field path and
    /// position, such as `spec.workloadClusters[0].namespaces[2]`.
    fn claim(&self, w: &Workspace, cluster: &str, namespace: &str) -> Option<Claim> {
        let empty = Labels::new();
        let cluster_labels = self.cluster_labels(cluster).unwrap_or(&empty);
        let ns_labels = self
            .world
            .clusters
            .get(cluster)
            .and_then(|c| c.namespaces.get(namespace))
            .unwrap_or(&empty);
        let claim = w.claim(cluster, cluster_labels, namespace, ns_labels)?;
        let entry = w.clusters.get(claim.cluster_entry)?;
        let pos = match claim.namespace_entry {
            Some(j) => entry.namespaces.get(j)?.pos,
            None => entry.pos,
        };
        Some(Claim {
            field: claim.field(),
            pos,
        })
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

    /// The east-west gateway selectors that apply to `workspace`: the global WorkspaceSettings'
    /// when it lists any, else the workspace's own (none: Gloo's default labels).
    pub fn east_west_gateways(&self, workspace: &str) -> &'w [EastWestGatewaySelector] {
        let listed = |s: &'w WorkspaceSettings| {
            (!s.east_west_gateways.is_empty()).then_some(s.east_west_gateways.as_slice())
        };
        self.global
            .and_then(listed)
            .or_else(|| self.settings(workspace).and_then(listed))
            .unwrap_or_default()
    }

    /// Which WorkspaceSettings give `workspace` its east-west gateway selectors, in words;
    /// `None` when none does (Gloo's default labels choose).
    pub fn east_west_selectors_of(&self, workspace: &str) -> Option<String> {
        let lists = |s: &WorkspaceSettings| !s.east_west_gateways.is_empty();
        if self.global.is_some_and(lists) {
            return Some(format!(
                "the global WorkspaceSettings `{ADMIN_NAMESPACE}/{GLOBAL_SETTINGS}`"
            ));
        }
        (self.settings(workspace).is_some_and(lists))
            .then(|| format!("workspace `{workspace}`'s WorkspaceSettings"))
    }

    /// The VirtualDestination client mode `workspace`'s settings give, the global
    /// WorkspaceSettings' first.
    pub fn client_mode(&self, workspace: &str) -> Option<ClientMode> {
        (self.global.and_then(|s| s.client_mode))
            .or_else(|| self.settings(workspace).and_then(|s| s.client_mode))
    }

    fn workspace_selected(&self, selectors: &[WorkspaceSelector], workspace: &str) -> bool {
        let labels = self.labels.get(workspace).copied();
        let empty = Labels::new();
        selectors.is_empty()
            || selectors.iter().any(|s| {
                s.name.as_deref().is_none_or(|p| glob_match(p, workspace))
                    && labels_match(&s.labels, labels.unwrap_or(&empty))
            })
    }

    fn resource_selected(selectors: &[ResourceSelector], kind: &str, meta: &Meta) -> bool {
        selectors.is_empty() || selectors.iter().any(|r| r.matches(kind, meta))
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
        owner == consumer || self.sharing(owner, consumer, kind, object) == (true, true)
    }

    /// Whether the owner's settings export `object` (of Gloo resource `kind`) to `consumer`,
    /// and whether the consumer's import it from `owner`: what [`Self::shares`] needs of two
    /// workspaces, told apart for a diagnostic to name the one that is missing.
    pub fn sharing(&self, owner: &str, consumer: &str, kind: &str, object: &Meta) -> (bool, bool) {
        let exported = self
            .settings(owner)
            .is_some_and(|s| self.listed(&s.export_to, consumer, kind, object));
        let imported = self
            .settings(consumer)
            .is_some_and(|s| self.listed(&s.import_from, owner, kind, object));
        (exported, imported)
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
