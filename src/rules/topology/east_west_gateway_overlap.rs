//! **VDC507 east-west-gateway-overlap** (warning): A Gateway in the cluster serves a VD host on the east-west gateway's port.
//!
//! ## What it does
//!
//! A Gateway already in a cluster's dump that selects the pods of an east-west gateway vdc writes
//! a Gateway for (by the pods' labels when the dump has them, else by the selectors), with a server
//! on the same port whose hosts cover a VirtualDestination host: `*`, a wildcard such as
//! `*.global`, or the host itself.
//!
//! ## Why is this bad?
//!
//! istiod builds an SNI filter chain for every host of every `AUTO_PASSTHROUGH` server on the port
//! and does not merge overlapping ones. Envoy refuses a listener with two identical filter chains,
//! so the gateway keeps serving its previous listener or none at all, and cross-cluster traffic
//! for every host on that port fails.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: networking.istio.io/v1
//!   kind: Gateway
//!   metadata:
//!     name: cross-network-gateway
//!     namespace: istio-gateways
//!   spec:
//!     selector:
//!       istio: eastwestgateway
//!     servers:
//!     - port:
//!         number: 15443
//!         name: tls
//!         protocol: TLS
//!       tls:
//!         mode: AUTO_PASSTHROUGH
//!       hosts:
//!       - "*.global"
//! ```
//!
//! ## Fix
//!
//! Narrow the existing Gateway's hosts so they do not cover VirtualDestination hosts (Istio's own
//! east-west Gateway uses `*.local`, which serves Kubernetes Services only), or remove it: vdc's
//! Gateway serves every VirtualDestination host that needs it.
//!
//! Fixture: `testdata/check/east-west-gateway-overlap/`. Long form: `docs/diagnostics.md#vdc507`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::selector::labels_match;
use crate::model::types::{Cluster, ExistingIstioObject, Labels};
use crate::translate::Output;
use crate::translate::istio::{self, Gateway, Spec};

pub const CODE: Code = Code::EastWestGatewayOverlap;

/// Whether `host_pattern` (a Gateway server host, `ns/` dropped) covers `host`.
fn covers(host_pattern: &str, host: &str) -> bool {
    match host_pattern.strip_prefix('*') {
        Some("") => true,
        Some(suffix) => suffix.starts_with('.') && host.ends_with(suffix),
        None => host_pattern.eq_ignore_ascii_case(host),
    }
}

/// Whether `existing` selects the pods `generated` selects in `namespace`: by the pods' labels
/// when the dump has them, else by the selectors themselves.
fn same_pods(
    cluster: &Cluster,
    namespace: &str,
    generated: &istio::Labels,
    existing: &Labels,
) -> bool {
    let pods: Vec<&Labels> = cluster
        .workloads
        .iter()
        .filter(|w| w.meta.namespace == namespace && labels_match(generated, &w.pod_labels))
        .map(|w| &w.pod_labels)
        .collect();
    if pods.is_empty() {
        labels_match(existing, generated)
    } else {
        pods.iter().any(|labels| labels_match(existing, labels))
    }
}

fn is_east_west(out: &Output) -> Option<&Gateway> {
    let Spec::Gateway(gw) = &out.object.spec else {
        return None;
    };
    let from_vd = out
        .object
        .metadata
        .labels
        .get("gloo.solo.io/parent_kind")
        .is_some_and(|kind| kind == "VirtualDestination");
    from_vd.then_some(gw)
}

pub fn check(world: &World, outputs: &[Output]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for out in outputs {
        let Some(gw) = is_east_west(out) else {
            continue;
        };
        let Some(cluster) = world.clusters.get(&out.cluster) else {
            continue;
        };
        let meta = &out.object.metadata;
        for existing in cluster.istio_objects.iter().filter(|o| {
            o.meta.kind == "Gateway"
                && !(o.meta.namespace == meta.namespace && o.meta.name == meta.name)
                && same_pods(cluster, &meta.namespace, &gw.selector, &o.selector)
        }) {
            if let Some(d) = overlap(existing, out, gw) {
                diags.push(d);
            }
        }
    }
    diags
}

/// The first server of `existing` on a port of `gw` with a host covering one of its hosts.
fn overlap(existing: &ExistingIstioObject, out: &Output, gw: &Gateway) -> Option<Diagnostic> {
    for server in &existing.servers {
        for ours in gw.servers.iter().filter(|s| s.port.number == server.port) {
            let hit = server.hosts.iter().find_map(|pattern| {
                ours.hosts
                    .iter()
                    .find(|h| covers(pattern, h))
                    .map(|h| (pattern, h))
            });
            let Some((pattern, host)) = hit else { continue };
            let meta = &out.object.metadata;
            return Some(
                Diagnostic::new(
                    Code::EastWestGatewayOverlap,
                    format!(
                        "Gateway {}/{} already in cluster `{}` serves host `{pattern}` on port {} of the east-west gateway pods, overlapping host `{host}` of the Gateway {}/{} vdc generates: Envoy refuses a listener with two identical SNI filter chains",
                        existing.meta.namespace, existing.meta.name, out.cluster, server.port, meta.namespace, meta.name
                    ),
                )
                .at(&existing.meta.file, server.pos)
                .object(existing.meta.object_ref())
                .field("spec.servers")
                .help("narrow the existing Gateway's hosts so they do not cover VirtualDestination hosts (Istio's own east-west Gateway uses `*.local`), or remove it"),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_by_suffix() {
        assert!(covers("*", "reviews.global"));
        assert!(covers("*.global", "reviews.global"));
        assert!(!covers("*.global", "reviews.mesh.internal"));
        assert!(!covers("*.local", "reviews.global"));
        assert!(covers("reviews.global", "reviews.global"));
        assert!(!covers("*global", "reviews.global"));
    }
}
