//! **VDC419 backing-without-workloads** (error): A backing Service has no workload in the dump.
//!
//! ## What it does
//!
//! A Service that backs a VirtualDestination in a cluster whose dump holds nothing behind it that
//! vdc reads as a workload: no Pod, Deployment, StatefulSet, DaemonSet or ReplicaSet (nor a
//! WorkloadEntry that names its `serviceAccount`) in the Service's namespace carries the labels of
//! its `selector`. The pods may be run by a controller
//! vdc does not read (an Argo Rollout, `argoproj.io/v1alpha1 Rollout`, a Knative Service, an
//! operator's own kind), or the dump holds Services without their workloads.
//!
//! ## Why is this bad?
//!
//! The DestinationRule vdc writes lists, in `tls.subjectAltNames`, the SPIFFE identity of every
//! workload behind each backing Service, taken from the pods' service accounts. Without the
//! workloads that cluster's identity is left out, so a client sent there (by locality failover, or
//! as the only backend) rejects the backend's certificate and every call fails. Gloo reads the
//! live pods and knows their service accounts; vdc cannot, and guessing one (the namespace's
//! `default`, the Service's name) would write a wrong identity as silently. vdc refuses the
//! VirtualDestination rather than write a rule that fails in that cluster.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: argoproj.io/v1alpha1
//!   kind: Rollout                 # not read by vdc: the Service has no workload in the dump
//!   metadata:
//!     name: productpage
//! ```
//!
//! ## Fix
//!
//! Run the pods with a Deployment, StatefulSet or DaemonSet, or add to the dump the Pods (or the
//! ReplicaSets) the other controller creates: `kubectl get pods -A -o json` includes them
//! whatever runs them. If the Service truly has no pods in that cluster, it backs nothing there:
//! leave the cluster out of the VirtualDestination's `services` selector (its `cluster` field).
//!
//! Fixture: `testdata/check/backing-without-workloads/`. Long form: `docs/diagnostics.md#vdc419`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::BackingWithoutWorkloads;

/// Service `svc` backs VirtualDestination `vd` in its cluster, but nothing in the dump that vdc
/// reads as a workload carries the labels of its selector.
pub fn diagnostic(site: Site, vd: &str, svc: &Meta) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "Service {}/{} backs VirtualDestination `{}` in cluster `{}`, but no workload behind it is in the dump (vdc reads Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets and WorkloadEntries with a serviceAccount), so vdc cannot know the identity its DestinationRule must accept there; traffic sent to that cluster would fail the certificate check",
        svc.namespace, svc.name, vd, svc.cluster
    ))
    .help("include the Pods behind the Service in the dump (`kubectl get pods` lists them whatever controller runs them, an Argo Rollout included); if the Service has no pods in this cluster, leave the cluster out of the VirtualDestination's `services` selector")
}
