//! **VDC420 target-port-differs** (error): A named targetPort is a different number on different workloads.
//!
//! ## What it does
//!
//! A backing Service port whose `targetPort` is a name that the workloads behind the Service in
//! one cluster declare with different numbers: `productpage-v1` has the container port `http` on
//! 9080, `productpage-v2` has it on 9090.
//!
//! ## Why is this bad?
//!
//! Kubernetes resolves a named targetPort pod by pod, so each pod gets traffic on its own number.
//! vdc writes one workload port per backing Service and cluster (the port of the ServiceEntry
//! endpoint and of the east-west gateway's route to it); with any one number, the pods that listen
//! on the other get traffic on a port they do not open, and those calls fail. vdc refuses rather
//! than pick one.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - kind: Service
//!   spec:
//!     ports:
//!     - port: 9080
//!       targetPort: http
//! - kind: Deployment              # productpage-v1: http is 9080
//!   ...
//! - kind: Deployment              # productpage-v2: http is 9090
//!   ...
//! ```
//!
//! ## Fix
//!
//! Give the container port the same number in every workload behind the Service, or back the
//! VirtualDestination with one Service per port number (a Service per version).
//!
//! Fixture: `testdata/check/target-port-differs/`. Long form: `docs/diagnostics.md#vdc420`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::TargetPortDiffers;

/// Service `svc` sends `port` to the named target port `name`, which its workloads declare with
/// different numbers: each number with the workloads (`Kind name`) that have it; `field` is the
/// VirtualDestination's port field.
pub fn diagnostic(
    site: Site,
    svc: &Meta,
    port: u32,
    name: &str,
    field: &str,
    numbers: &[(u32, Vec<String>)],
) -> Diagnostic {
    let each: Vec<String> = numbers
        .iter()
        .map(|(n, workloads)| format!("{n} on {}", workloads.join(", ")))
        .collect();
    Diagnostic::new_at(CODE, site, format!(
        "Service {}/{} in cluster `{}` sends port {} to the named targetPort `{}`, which its workloads declare with different numbers: {}; vdc writes one port per Service and cluster, so some pods would get traffic on a port they do not listen on",
        svc.namespace, svc.name, svc.cluster, port, name, each.join("; ")
    ))
    .field(field.to_owned())
    .help("give the container port the same number in every workload behind the Service, or back the VirtualDestination with one Service per number")
}
