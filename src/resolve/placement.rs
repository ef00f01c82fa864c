//! Where a VirtualDestination's objects go in each cluster that receives them: the home
//! namespace, and the namespaces they are exported to.

use super::resolved::*;
use super::workspaces::Workspaces;
use crate::model::types::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

pub(super) fn placements(
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    visible: &BTreeSet<String>,
    backing: &BTreeMap<String, Backing>,
    gateways: &BTreeMap<String, Vec<EastWestGateway>>,
    receivers: BTreeSet<&str>,
) -> BTreeMap<String, Placement> {
    let mut placements = BTreeMap::new();
    let mut shared = Shared::default();
    for cluster in receivers {
        let mut export_to: BTreeSet<String> = visible
            .iter()
            .flat_map(|w| workspaces.namespaces_in(cluster, w))
            .map(str::to_owned)
            .collect();
        let home = if let Some(b) = backing.get(cluster) {
            // The cluster's east-west gateways must see the objects to route to the Service.
            for gw in gateways.get(cluster).into_iter().flatten() {
                export_to.insert(gw.service.meta.namespace.clone());
            }
            b.service.meta.namespace.clone()
        } else {
            client_home(workspaces, vd, owner, cluster, &export_to)
        };
        let placement = Placement {
            home_namespace: home.into(),
            export_to: export_to.into_iter().collect(),
        };
        placements.insert(cluster.to_owned(), shared.share(placement));
    }
    placements
}

/// The home namespace in a cluster without a backing Service: the VD's own namespace when the
/// owner holds it there, else the owner's first namespace there, else the first it is exported to.
fn client_home(
    workspaces: &Workspaces,
    vd: &VirtualDestination,
    owner: &str,
    cluster: &str,
    export_to: &BTreeSet<String>,
) -> String {
    let meta = &vd.meta;
    let own: Vec<&str> = workspaces.namespaces_in(cluster, owner).collect();
    if own.contains(&meta.namespace.as_str()) {
        meta.namespace.clone()
    } else if let Some(first) = own.first() {
        (*first).to_owned()
    } else {
        export_to
            .iter()
            .next()
            .cloned()
            .unwrap_or_else(|| meta.namespace.clone())
    }
}

/// Placements already made, so that equal ones share their strings.
#[derive(Default)]
pub(super) struct Shared(HashSet<Placement>);

impl Shared {
    /// `placement`, or an equal one made before.
    pub(super) fn share(&mut self, placement: Placement) -> Placement {
        if let Some(made) = self.0.get(&placement) {
            return made.clone();
        }
        self.0.insert(placement.clone());
        placement
    }
}
