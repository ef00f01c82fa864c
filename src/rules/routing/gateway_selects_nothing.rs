//! **VDC708 gateway-selects-nothing** (warning): A VirtualGateway selects no gateway Service.
//!
//! ## What it does
//!
//! A VirtualGateway whose `workloads` selectors match no gateway Service (by its metadata
//! labels, name, namespace, cluster, workspace) in any cluster.
//!
//! ## Why is this bad?
//!
//! No Gateway is generated for it, so the RouteTables attached to it serve nothing.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/gateway.yaml`:
//!
//! ```yaml
//! kind: VirtualGateway
//! spec:
//!   workloads:
//!   - selector:
//!       labels:
//!         istio: ingressgateway      # no Service has this label in the dumps
//! ```
//!
//! ## Fix
//!
//! Match the ingress gateway Service's `metadata.labels`, and include that Service in the
//! cluster's dump.
//!
//! Fixture: `testdata/check/gateway-selects-nothing/`. Long form: `docs/diagnostics.md#vdc708`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::GatewaySelectsNothing;

/// VirtualGateway `vg_name` selects no gateway Service.
pub fn diagnostic(site: Site, vg_name: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualGateway `{vg_name}` selects no gateway Service in any cluster, so it generates nothing"
    ))
    .field("spec.workloads")
    .help("its `workloads[].selector.labels` must match the ingress gateway Service's labels")
}
