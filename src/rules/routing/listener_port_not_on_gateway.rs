//! **VDC727 listener-port-not-on-gateway** (warning): A VirtualGateway listener's port is not a port of the gateway Service; the listener gets no server there.
//!
//! ## What it does
//!
//! A VirtualGateway listener whose `port.number` is not the `port` of any port of a gateway
//! Service the VirtualGateway selects, or whose `port.name` names no port of it.
//! virtual_gateway.proto: the port "must match a port on the backing gateway service".
//!
//! ## Why is this bad?
//!
//! Traffic reaches the gateway through its Service: a listener on a port the Service does not
//! have can take none. vdc writes no server for that listener on that Service's Gateway, and the
//! RouteTables attached to it get no traffic through it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/gateway.yaml`:
//!
//! ```yaml
//!   listeners:
//!   - http: {}
//!     port:
//!       number: 80
//!   - port:
//!       number: 15000      # the istio-ingressgateway Service has ports 80 and 443
//! ```
//!
//! ## Fix
//!
//! Use a port the gateway Service has (`port.number` is the Service's `port`, not its
//! `targetPort`), or add the port to the gateway Service.
//!
//! Fixture: `testdata/check/listener-port-not-on-gateway/`. Long form: `docs/diagnostics.md#vdc727`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::PortRef;

pub const CODE: Code = Code::ListenerPortNotOnGateway;

/// A listener whose port a gateway Service lacks.
pub struct Missing<'a> {
    /// The listener's index in `spec.listeners`.
    pub index: usize,
    pub port: &'a PortRef,
    /// `namespace/name` of the gateway Service.
    pub service: &'a str,
    /// The Service's port numbers.
    pub ports: &'a [u32],
    /// The clusters where the Service is so.
    pub clusters: &'a [&'a str],
}

/// `in cluster `a`` or `in clusters `a`, `b``.
pub fn in_clusters(clusters: &[&str]) -> String {
    let s = if clusters.len() == 1 { "" } else { "s" };
    format!("in cluster{s} `{}`", clusters.join("`, `"))
}

pub fn diagnostic(site: Site, m: &Missing) -> Diagnostic {
    let port = match m.port {
        PortRef::Number(n) => format!("port {n}"),
        PortRef::Name(name) => format!("port `{name}`"),
    };
    let ports = match m.ports {
        [] => "no ports".to_owned(),
        ports => {
            let ports: Vec<String> = ports.iter().map(u32::to_string).collect();
            format!("ports {}", ports.join(", "))
        }
    };
    let clusters = in_clusters(m.clusters);
    let (index, service) = (m.index, m.service);
    Diagnostic::new_at(CODE, site, format!(
        "`listeners[{index}]` is on {port}, which gateway Service {service} does not have ({ports}) {clusters}: Gloo requires a listener port to match a port of the gateway Service, and vdc writes no server for this listener there"
    ))
    .field(format!("spec.listeners[{index}].port"))
    .help("use a port the gateway Service has (`port.number` is the Service's `port`, not its `targetPort`), or add the port to the Service")
}
