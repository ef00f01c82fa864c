//! **VDC805 no-tls-termination-port** (error): A tlsTermination VirtualDestination whose backing cluster's gateway has no termination port.
//!
//! ## What it does
//!
//! A VirtualDestination in client mode `tlsTermination` (its own `clientMode`, or its workspace's
//! `virtualDestClientMode`) with a backing cluster that clients in other clusters need, whose
//! east-west gateway Service has no `https` port (or the port `eastWestGateways[].tlsTerminationPort`
//! names).
//!
//! ## Why is this bad?
//!
//! In this mode remote clients send mesh mTLS to the gateway's termination port, where the gateway
//! terminates it and forwards to the local Service. Without that port there is nothing to dial,
//! as with a missing `tls` port in SNI routing (VDC501).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   clientMode:
//!     tlsTermination: {}
//! ```
//!
//! ## Fix
//!
//! Add a port named `https` to the east-west gateway Service (16443 is common), or name the port
//! with `options.eastWestGateways[].tlsTerminationPort`, or use `sniRouting`.
//!
//! Fixture: `testdata/check/no-tls-termination-port/`. Long form: `docs/diagnostics.md#vdc805`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NoTlsTerminationPort;

/// VirtualDestination `vd_name` uses tlsTermination (set by `source`), but the gateway
/// `gateway` (`namespace/name`) of backing cluster `cluster` has only `ports`.
pub fn diagnostic(
    site: Site,
    vd_name: &str,
    source: &dyn std::fmt::Display,
    gateway: (&str, &str),
    cluster: &str,
    ports: &[String],
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{}` uses client mode tlsTermination ({}), but the east-west gateway {}/{} of backing cluster `{cluster}` has no `https` port to terminate mTLS on (its ports: {})",
        vd_name,
        source,
        gateway.0,
        gateway.1,
        if ports.is_empty() { "none".to_owned() } else { ports.join(", ") }
    ))
    .field("spec.clientMode")
    .help("add a port named `https` to the gateway Service (Istio's east-west gateway uses 15443 for `tls`; 16443 is common for `https`), or pick it with `options.eastWestGateways[].tlsTerminationPort`")
}
