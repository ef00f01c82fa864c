//! **VDC505 user-object-conflict** (warning): A generated object collides with an Istio object already in the cluster.
//!
//! ## What it does
//!
//! An Istio ServiceEntry, DestinationRule, VirtualService or Gateway already in a cluster's dump
//! that has the name of an object vdc generates in that cluster, or (ServiceEntry,
//! DestinationRule, VirtualService) serves one of its hosts. Hosts are compared as istiod reads
//! them: a short name such as `host: reviews` (as Istio's samples write it) is the Service of the
//! object's namespace, `reviews.<namespace>.svc.<cluster domain>`.
//!
//! ## Why is this bad?
//!
//! Two DestinationRules for one host are merged by Istio in an unspecified order, two
//! ServiceEntries for one host conflict, and an object of the same name is overwritten when vdc's
//! output is applied.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: networking.istio.io/v1
//!   kind: DestinationRule
//!   metadata:
//!     name: productpage
//!     namespace: bookinfo-frontends
//!   spec:
//!     host: productpage.global
//! ```
//!
//! ## Fix
//!
//! Delete the hand-written object, or move its settings into Gloo policies so vdc generates
//! them.
//!
//! Fixture: `testdata/check/user-object-conflict/`. Long form: `docs/diagnostics.md#vdc505`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::translate::Output;
use crate::translate::istio::Spec;

pub const CODE: Code = Code::UserObjectConflict;

fn hosts(spec: &Spec) -> Vec<&str> {
    match spec {
        Spec::ServiceEntry(se) => se.hosts.iter().map(String::as_str).collect(),
        Spec::DestinationRule(dr) => vec![dr.host.as_str()],
        Spec::VirtualService(vs) => vs
            .hosts
            .iter()
            .map(String::as_str)
            .filter(|h| *h != "*")
            .collect(),
        _ => Vec::new(),
    }
}

pub fn check(world: &World, outputs: &[Output]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for out in outputs {
        let Some(cluster) = world.clusters.get(&out.cluster) else {
            continue;
        };
        // Hosts as istiod reads them: a short name is a Service of the object's namespace
        // (Istio's samples write `host: reviews`).
        let domain = cluster.domain();
        let generated: Vec<String> = hosts(&out.object.spec)
            .into_iter()
            .map(|h| crate::dns::qualified(h, &out.object.metadata.namespace, domain))
            .collect();
        for existing in &cluster.istio_objects {
            if existing.meta.kind != out.object.kind {
                continue;
            }
            let same_name = existing.meta.name == out.object.metadata.name
                && existing.meta.namespace == out.object.metadata.namespace;
            let shared_host = existing.hosts.iter().find(|h| {
                generated.contains(&crate::dns::qualified(h, &existing.meta.namespace, domain))
            });
            if !same_name && shared_host.is_none() {
                continue;
            }
            let what = match shared_host {
                Some(host) if !same_name => format!("also serves host `{host}`"),
                _ => "has the same name".to_owned(),
            };
            diags.push(
                Diagnostic::new(
                    Code::UserObjectConflict,
                    format!(
                        "{} {}/{} already in cluster `{}` {what} as the {} {}/{} vdc generates",
                        existing.meta.kind,
                        existing.meta.namespace,
                        existing.meta.name,
                        out.cluster,
                        out.object.kind,
                        out.object.metadata.namespace,
                        out.object.metadata.name
                    ),
                )
                .at(&existing.meta.file, existing.meta.pos)
                .object(existing.meta.object_ref())
                .help(
                    "remove the hand-written object, or express its settings through Gloo policies",
                ),
            );
        }
    }
    diags
}
