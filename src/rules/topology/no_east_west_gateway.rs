//! **VDC501 no-east-west-gateway** (error): A backing cluster that remote clients need has no usable east-west gateway.
//!
//! ## What it does
//!
//! A cluster that backs a VirtualDestination for clients in other clusters but has no usable
//! east-west gateway: no Service labelled `istio: eastwestgateway` (or chosen by the owner
//! workspace's `options.eastWestGateways` selector), or one without an address (no
//! `status.loadBalancer.ingress`, no `spec.externalIPs`, no `hostInfoOverrides`) or without the
//! `tls` port (or the port the selector names).
//!
//! ## Why is this bad?
//!
//! Remote clusters reach a cluster's backends only through its east-west gateway. Without an
//! address and port, the other clusters' WorkloadEntries would point nowhere and cross-cluster
//! traffic would fail.
//!
//! ## Example
//!
//! `clusters/cluster2/state.json`:
//!
//! ```text
//! cluster2's dump has the productpage Service and Deployment, but no
//! istio-gateways/istio-eastwestgateway Service
//! ```
//!
//! ## Fix
//!
//! Include the east-west gateway's Service in the cluster's dump, with its `tls` port and its
//! load-balancer status:
//!
//! ```yaml
//! - apiVersion: v1
//!   kind: Service
//!   metadata:
//!     name: istio-eastwestgateway
//!     namespace: istio-gateways
//!     labels:
//!       istio: eastwestgateway
//!   spec:
//!     type: LoadBalancer
//!     ports:
//!     - name: tls
//!       port: 15443
//!   status:
//!     loadBalancer:
//!       ingress:
//!       - ip: 172.23.0.6
//! ```
//!
//! When the gateway has no address in the dump, set one in the WorkspaceSettings:
//! `options.eastWestGateways[].hostInfoOverrides: [{addr: 172.23.0.6, port: 15443}]`.
//!
//! Fixture: `testdata/check/no-east-west-gateway/`. Long form: `docs/diagnostics.md#vdc501`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NoEastWestGateway;

/// `cluster` backs VirtualDestination `vd_name` for remote clients, but `why`; `help` says what
/// to do about it.
pub fn diagnostic(site: Site, cluster: &str, vd_name: &str, why: &str, help: String) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "cluster `{cluster}` backs VirtualDestination `{vd_name}` for clients in other clusters, but {why}"
    ))
    .field("spec.services")
    .help(help)
}
