//! **VDC104 cluster-state-outside-clusters** (error): Cluster state found outside clusters/<cluster>/.
//!
//! ## What it does
//!
//! Cluster state (a Namespace, Service, Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Node or ConfigMap, or an Istio ServiceEntry, DestinationRule, VirtualService or Gateway) in a
//! file that is not under `clusters/<cluster>/`.
//!
//! ## Why is this bad?
//!
//! State only means something for the cluster it was dumped from, and a file outside
//! `clusters/` says nothing about which cluster that is. vdc does not guess: the object is not
//! read.
//!
//! ## Example
//!
//! `gloo/productpage-service.yaml`:
//!
//! ```yaml
//! apiVersion: v1
//! kind: Service
//! metadata:
//!   name: productpage
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Move the file into the folder of the cluster it came from, here
//! `clusters/cluster1/productpage-service.yaml`.
//!
//! Fixture: `testdata/check/cluster-state-outside-clusters/`. Long form: `docs/diagnostics.md#vdc104`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::StateOutsideClusters;

/// A `kind` named `name` outside `clusters/<cluster>/`.
pub fn diagnostic(site: Site, kind: &str, name: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("{kind} `{name}` is cluster state, but it is not under `clusters/<cluster>/`"),
    )
    .help("move the file into the folder of the cluster it was dumped from")
}
