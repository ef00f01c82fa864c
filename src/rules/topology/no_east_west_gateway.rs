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
use crate::model::types::Service;

pub const CODE: Code = Code::NoEastWestGateway;

/// What is wrong with the east-west gateways of the cluster, under the settings of workspace
/// `owner` (the VirtualDestination's).
pub enum Case<'a> {
    /// The `eastWestGateways` selector of `settings` (which WorkspaceSettings, in words)
    /// matches no Service there.
    NoneSelected { settings: &'a str },
    /// No Service there is labelled `istio: eastwestgateway`.
    NoneLabelled { owner: &'a str },
    /// The gateway Service has no TLS passthrough port.
    NoTlsPort {
        owner: &'a str,
        service: &'a Service,
    },
    /// The gateway Service has no address in the dump.
    NoAddress {
        owner: &'a str,
        service: &'a Service,
    },
}

/// `cluster` backs VirtualDestination `vd_name` for remote clients, but no east-west gateway
/// there can receive them.
pub fn diagnostic(site: Site, cluster: &str, vd_name: &str, case: Case) -> Diagnostic {
    let (why, help) = match case {
        Case::NoneSelected { settings } => (
            format!("no Service in it matches the `eastWestGateways` selector of {settings}"),
            format!(
                "add the east-west gateway's Service to the dump in `clusters/{cluster}/`, or fix the selector in `options.eastWestGateways`"
            ),
        ),
        Case::NoneLabelled { owner } => (
            "it has no east-west gateway: no Service in it is labelled `istio: eastwestgateway`"
                .to_owned(),
            format!(
                "add the east-west gateway's Service (with its `tls` port and its `status`) to the dump in `clusters/{cluster}/`, or choose it with `options.eastWestGateways` in workspace `{owner}`'s WorkspaceSettings"
            ),
        ),
        Case::NoTlsPort { owner, service } => (
            format!(
                "its east-west gateway Service {} has no `tls` port (its ports: {})",
                name(service),
                ports(service)
            ),
            format!(
                "name the gateway's TLS passthrough port `tls` (Istio's east-west gateway uses 15443), or pick it with `options.eastWestGateways[].port` in workspace `{owner}`'s WorkspaceSettings"
            ),
        ),
        Case::NoAddress { owner, service } => (
            format!(
                "its east-west gateway Service {} has no address: no `status.loadBalancer.ingress` and no `spec.externalIPs`",
                name(service)
            ),
            format!(
                "dump the Service with its status (`kubectl get service -o yaml` includes it), or give the address in `options.eastWestGateways[].hostInfoOverrides` of workspace `{owner}`'s WorkspaceSettings"
            ),
        ),
    };
    Diagnostic::new_at(CODE, site, format!(
        "cluster `{cluster}` backs VirtualDestination `{vd_name}` for clients in other clusters, but {why}"
    ))
    .field("spec.services")
    .help(help)
}

fn name(service: &Service) -> String {
    format!("{}/{}", service.meta.namespace, service.meta.name)
}

/// The Service's ports as the message lists them: `15443 (`tls`)`, or `none`.
fn ports(service: &Service) -> String {
    let ports: Vec<String> = service
        .ports
        .iter()
        .map(|p| {
            if p.name.is_empty() {
                p.port.to_string()
            } else {
                format!("{} (`{}`)", p.port, p.name)
            }
        })
        .collect();
    if ports.is_empty() {
        "none".to_owned()
    } else {
        ports.join(", ")
    }
}
