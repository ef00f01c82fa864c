//! **VDC513 stale-output** (warning): An object vdc wrote earlier is in a cluster's dump, and this render no longer writes it.
//!
//! ## What it does
//!
//! A ServiceEntry, DestinationRule, VirtualService, Gateway or WorkloadEntry in a cluster's dump
//! that carries vdc's label `app.kubernetes.io/managed-by: vdc`, when the render writes no object
//! of that kind, namespace and name for that cluster: output of an earlier render, applied, that a
//! change since (a VirtualDestination renamed or removed, a host changed) no longer produces.
//!
//! ## Why is this bad?
//!
//! vdc reads its own applied output as its output, not as the cluster's config: what it writes
//! again replaces it. One it no longer writes stays in the cluster until something prunes it
//! (`kubectl apply --prune`, Argo CD or Flux with pruning), and until then it still routes traffic,
//! which neither the checks on existing objects nor `vdc trace` take into account.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml` holds, besides the cluster's state, a ServiceEntry of a host the
//! VirtualDestination no longer has:
//!
//! ```yaml
//! - apiVersion: networking.istio.io/v1
//!   kind: ServiceEntry
//!   metadata:
//!     name: vd-productpage-old-global-bookinfo
//!     namespace: bookinfo-frontends
//!     labels:
//!       app.kubernetes.io/managed-by: vdc
//! ```
//!
//! ## Fix
//!
//! Prune it from the cluster: apply vdc's output with pruning (`kubectl apply --prune -l
//! app.kubernetes.io/managed-by=vdc`, or let Argo CD or Flux prune), then dump the cluster again.
//!
//! Fixture: `testdata/check/stale-output/`. Long form: `docs/diagnostics.md#vdc513`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::types::Meta;
use crate::translate::Output;
use std::collections::HashSet;

pub const CODE: Code = Code::StaleOutput;

/// The objects of cluster `cluster`'s dump that vdc wrote and `outputs` (the render's objects
/// for that cluster) no longer hold.
pub fn check(world: &World, cluster: &str, outputs: &[Output]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let Some(c) = world.clusters.get(cluster) else {
        return diags;
    };
    let written: HashSet<(&str, &str, &str)> = (outputs.iter())
        .map(|o| {
            let m = &o.object.metadata;
            (o.object.kind, m.namespace.as_str(), m.name.as_str())
        })
        .collect();
    for meta in &c.previous_output {
        let key = (
            meta.kind.as_str(),
            meta.namespace.as_str(),
            meta.name.as_str(),
        );
        if !written.contains(&key) {
            diags.push(diagnostic(meta));
        }
    }
    diags
}

fn diagnostic(meta: &Meta) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        meta.site(meta.pos),
        format!(
            "{} {}/{} in cluster `{}` was written by vdc (`app.kubernetes.io/managed-by: vdc`), and this render no longer writes it: until it is pruned it still routes traffic, which vdc's checks and `vdc trace` do not see",
            meta.kind, meta.namespace, meta.name, meta.cluster
        ),
    )
    .help("prune it: apply vdc's output with pruning (`kubectl apply --prune -l app.kubernetes.io/managed-by=vdc`, or Argo CD or Flux with pruning), then dump the cluster again")
}
