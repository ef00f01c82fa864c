//! **VDC504 default-trust-domain** (info): A cluster's trust domain is not in the dump; cluster.local is used.
//!
//! ## What it does
//!
//! A backing cluster whose dump has no `istio` (or `istio-<revision>`) ConfigMap in
//! `istio-system` setting `trustDomain` in `data.mesh`. vdc uses Istio's default, `cluster.local`.
//!
//! ## Why is this bad?
//!
//! The backends' SPIFFE identities (`spiffe://<trust domain>/ns/…/sa/…`) in the generated
//! DestinationRules use the trust domain. If the cluster really uses another one, mTLS
//! subject-name checks fail, silently, at run time.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```text
//! cluster1's dump has no istio-system/istio ConfigMap
//! ```
//!
//! ## Fix
//!
//! Include the ConfigMap in the dump (`kubectl -n istio-system get configmap istio -o yaml`).
//!
//! Fixture: `testdata/check/default-trust-domain/`. Long form: `docs/diagnostics.md#vdc504`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::resolve::{Resolved, at_dump};
use std::collections::BTreeSet;

pub const CODE: Code = Code::DefaultTrustDomain;

/// A backing cluster without an `istio` mesh ConfigMap gets Istio's default trust domain in
/// its SPIFFE identities; say so, since a wrong trust domain breaks mTLS silently.
pub fn check(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let clusters: BTreeSet<&str> = resolved
        .vds
        .iter()
        .flat_map(|v| v.backing.keys().map(String::as_str))
        .collect();
    for name in clusters {
        if world.clusters[name].trust_domain.is_none() {
            diags.push(at_dump(diagnostic(name), &world.clusters[name]));
        }
    }
}

/// Cluster `name` has no trust domain in its dump.
pub fn diagnostic(name: &str) -> Diagnostic {
    Diagnostic::new(
        CODE,
        format!("cluster `{name}` has no `istio` ConfigMap with a `trustDomain` in istio-system; vdc uses Istio's default, `cluster.local`, in its SPIFFE identities"),
    )
    .help("include the istio-system/istio ConfigMap in the cluster's dump")
}
