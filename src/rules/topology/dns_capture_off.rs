//! **VDC506 dns-capture-off** (warning): A client cluster's mesh config does not turn on DNS capture.
//!
//! ## What it does
//!
//! A cluster with clients of a VirtualDestination whose `istio` mesh ConfigMap (in
//! `istio-system`; among several, the one vdc reads, see [VDC511](#vdc511)) does not set
//! `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE` to `"true"`. A cluster whose dump has no
//! mesh ConfigMap is not reported: vdc cannot tell.
//!
//! ## Why is this bad?
//!
//! VirtualDestination hosts such as `productpage.global` exist only as ServiceEntries: no DNS
//! server knows them. With DNS capture the sidecar answers the lookup itself (with the VIP);
//! without it the application's lookup fails and no request ever reaches the sidecar, however
//! right the generated objects are.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: v1
//!   kind: ConfigMap
//!   metadata:
//!     name: istio
//!     namespace: istio-system
//!   data:
//!     mesh: |-
//!       rootNamespace: istio-system     # no defaultConfig.proxyMetadata
//!       trustDomain: cluster1
//! ```
//!
//! ## Fix
//!
//! Turn DNS capture on for the mesh (`meshConfig.defaultConfig.proxyMetadata` in the Istio
//! install, which writes this ConfigMap), with `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` as well,
//! and restart the pods so their sidecars pick it up. Pods can also turn it on one by one with the
//! `proxy.istio.io/config` annotation; vdc does not see those, so the warning then stays.
//!
//! Fixture: `testdata/check/dns-capture-off/`. Long form: `docs/diagnostics.md#vdc506`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::model::World;
use crate::resolve::Resolved;
use std::collections::BTreeMap;

pub const CODE: Code = Code::DnsCaptureOff;

/// One warning per client cluster whose mesh ConfigMap (when the dump has it) leaves DNS
/// capture off, naming the hosts its pods could not resolve.
pub fn check(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    // The clusters whose mesh config leaves DNS capture off, usually none: only for them are
    // the VDs' client clusters derived.
    let mut hosts: BTreeMap<&str, (&crate::model::types::MeshConfig, Vec<&str>)> = world
        .clusters
        .iter()
        .filter_map(|(name, c)| c.mesh_config.as_ref().map(|m| (name.as_str(), m)))
        .filter(|(_, mesh)| !mesh.dns_capture)
        .map(|(name, mesh)| (name, (mesh, Vec::new())))
        .collect();
    if hosts.is_empty() {
        return;
    }
    for r in &resolved.vds {
        for cluster in r.clients(&resolved.workspaces) {
            if let Some((_, list)) = hosts.get_mut(cluster) {
                list.extend(r.vd.hosts.iter().map(|h| h.value.as_str()));
            }
        }
    }
    for (cluster, (mesh, mut hosts)) in hosts {
        if hosts.is_empty() {
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
}
