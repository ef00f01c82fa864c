//! **VDC506 dns-capture-off.**
//!
//! What: a cluster with clients of a VirtualDestination whose `istio` mesh ConfigMap does not
//! set `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: "true"`.
//!
//! Why: VD hosts (`reviews.mesh.internal`) exist only as ServiceEntries, which no DNS server
//! knows. Without DNS capture the sidecar does not answer for them, so the application's lookup
//! fails before any request leaves the pod. Fix: turn DNS capture on in the mesh config (and
//! `ISTIO_META_DNS_AUTO_ALLOCATE`), then restart the pods.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::model::World;
use crate::model::resolve::ResolvedVd;
use std::collections::BTreeMap;

/// One warning per client cluster whose mesh ConfigMap (when the dump has it) leaves DNS
/// capture off, naming the hosts its pods could not resolve.
pub fn check(world: &World, vds: &[ResolvedVd]) -> Diagnostics {
    let mut hosts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in vds {
        for cluster in &r.clients {
            hosts
                .entry(cluster)
                .or_default()
                .extend(r.vd.hosts.iter().map(|h| h.value.as_str()));
        }
    }
    let mut diags = Diagnostics::default();
    for (cluster, mut hosts) in hosts {
        let Some(mesh) = world
            .clusters
            .get(cluster)
            .and_then(|c| c.mesh_config.as_ref())
        else {
            continue;
        };
        if mesh.dns_capture {
            continue;
        }
        hosts.sort_unstable();
        hosts.dedup();
        let shown: Vec<String> = hosts.iter().take(3).map(|h| format!("`{h}`")).collect();
        let more = match hosts.len() {
            n if n > 3 => format!(" and {} more", n - 3),
            _ => String::new(),
        };
        diags.push(
            Diagnostic::new(
                Code::DnsCaptureOff,
                format!(
                    "the mesh config of cluster `{cluster}` does not set `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE: \"true\"`, so pods there cannot resolve {}{more}: no DNS server knows VirtualDestination hosts",
                    shown.join(", ")
                ),
            )
            .at(&mesh.file, mesh.pos)
            .object(ObjectRef {
                cluster: cluster.to_owned(),
                kind: "ConfigMap".into(),
                namespace: "istio-system".into(),
                name: mesh.name.clone(),
            })
            .field("data.mesh")
            .help("add `ISTIO_META_DNS_CAPTURE: \"true\"` (and `ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"`) under `defaultConfig.proxyMetadata` of the mesh config, then restart the pods"),
        );
    }
    diags
}
