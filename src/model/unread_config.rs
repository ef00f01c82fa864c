//! `configEnabled: false` on a Workspace's cluster or namespace entry: Gloo reads no
//! configuration from what that entry takes in (`common/v2/selectors.proto`). The Gloo objects
//! applied there leave the world before any rule or resolution sees them, each with a VDC306
//! note, so vdc neither translates nor checks what Gloo would ignore.

use super::World;
use super::types::{Cluster, KubernetesCluster, Labels, Meta, Workspace};
use crate::diagnostic::Diagnostics;
use crate::rules::workspace::config_not_read;
use std::collections::BTreeMap;

/// What decides whether Gloo reads the configuration of one (cluster, namespace).
struct ConfigReading<'a> {
    /// By name: the first that takes a namespace in holds it.
    workspaces: Vec<&'a Workspace>,
    clusters: &'a BTreeMap<String, Cluster>,
    kubernetes_clusters: &'a BTreeMap<String, KubernetesCluster>,
}

impl ConfigReading<'_> {
    /// `None` when Gloo reads the configuration of `namespace` in `cluster`; else the workspace
    /// holding it and the path of the `configEnabled: false` that turns reading off.
    fn turned_off(&self, cluster: &str, namespace: &str) -> Option<(&str, String)> {
        let empty = Labels::new();
        let folder = self.clusters.get(cluster);
        let cluster_labels = folder
            .map(|c| &c.labels)
            .or_else(|| {
                self.kubernetes_clusters
                    .get(cluster)
                    .map(|k| &k.meta.labels)
            })
            .unwrap_or(&empty);
        let namespace_labels = folder
            .and_then(|c| c.namespaces.get(namespace))
            .unwrap_or(&empty);
        self.workspaces.iter().find_map(|w| {
            let claim = w.claim(cluster, cluster_labels, namespace, namespace_labels)?;
            Some(
                w.config_disabled_at(claim)
                    .map(|at| (w.meta.name.as_str(), at)),
            )
        })?
    }

    /// Keeps the objects of `list` whose configuration Gloo reads; VDC306 for each other.
    fn retain<T>(&self, list: &mut Vec<T>, meta: impl Fn(&T) -> &Meta, diags: &mut Diagnostics) {
        list.retain(|object| {
            let meta = meta(object);
            let Some((workspace, field)) = self.turned_off(&meta.cluster, &meta.namespace) else {
                return true;
            };
            let site = meta.site(meta.pos);
            diags.push(config_not_read::diagnostic(site, meta, workspace, &field));
            false
        });
    }
}

/// Removes every Gloo object applied where its workspace reads no configuration (VDC306 each).
/// Workspaces and KubernetesClusters describe the mesh itself and stay.
pub(super) fn drop_unread_config(world: &mut World, diags: &mut Diagnostics) {
    let turned_off = |w: &Workspace| {
        w.clusters
            .iter()
            .any(|c| !c.config_enabled || c.namespaces.iter().any(|n| !n.config_enabled))
    };
    if !world.workspaces.iter().any(turned_off) {
        return;
    }
    // Every list of the world, named: a list added to it does not compile until it is said
    // here whether Gloo objects in it can be turned off.
    let World {
        settings: _,
        clusters,
        kubernetes_clusters,
        // Workspaces and KubernetesClusters describe the mesh itself and stay.
        workspaces,
        workspace_settings,
        virtual_destinations,
        policies,
        route_tables,
        virtual_gateways,
        external,
        skipped: _,
    } = world;
    let mut by_name: Vec<&Workspace> = workspaces.iter().collect();
    by_name.sort_by(|a, b| a.meta.name.cmp(&b.meta.name));
    let reading = ConfigReading {
        workspaces: by_name,
        clusters,
        kubernetes_clusters,
    };
    reading.retain(workspace_settings, |o| &o.meta, diags);
    reading.retain(virtual_destinations, |o| &o.meta, diags);
    reading.retain(policies, |o| &o.meta, diags);
    reading.retain(route_tables, |o| &o.meta, diags);
    reading.retain(virtual_gateways, |o| &o.meta, diags);
    reading.retain(&mut external.services, |o| &o.meta, diags);
    reading.retain(&mut external.endpoints, |o| &o.meta, diags);
    reading.retain(&mut external.workloads, |o| &o.meta, diags);
}
