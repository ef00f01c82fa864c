//! **VDC305 unknown-cluster** (warning): A KubernetesCluster names a cluster with no folder.
//!
//! ## What it does
//!
//! A KubernetesCluster that names a cluster with no `clusters/<name>/` folder (other than the
//! management cluster).
//!
//! ## Why is this bad?
//!
//! Usually a cluster whose state dump is missing, or a typo in the folder or the
//! KubernetesCluster's name. Its labels and `clusterDomain` apply to nothing, and no output is
//! generated for it.
//!
//! ## Example
//!
//! `gloo/clusters.yaml`:
//!
//! ```yaml
//! kind: KubernetesCluster
//! metadata:
//!   name: cluster3          # there is no clusters/cluster3/
//!   namespace: gloo-mesh
//! ```
//!
//! ## Fix
//!
//! Add the cluster's state dump under `clusters/cluster3/`, or remove (or rename) the
//! KubernetesCluster.
//!
//! Fixture: `testdata/check/unknown-cluster/`. Long form: `docs/diagnostics.md#vdc305`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::UnknownCluster;

/// `world.clusters` holds exactly the valid cluster folders.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for kc in world.kubernetes_clusters.values() {
        let name = &kc.meta.name;
        if !world.clusters.contains_key(name) && *name != world.settings.management_cluster {
            diags.push(diagnostic(kc.meta.site(kc.meta.pos), name));
        }
    }
}

/// KubernetesCluster `name` has no folder.
pub fn diagnostic(site: Site, name: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("KubernetesCluster `{name}` names a cluster that has no folder `clusters/{name}/`"),
    )
    .help("add the cluster's state dump under that folder, or remove the KubernetesCluster")
}
