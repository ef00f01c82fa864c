//! **VDC725 tls-termination-ports** (error): A tlsTermination VirtualDestination whose ports target different Service ports, which its one gateway termination port cannot tell apart.
//!
//! ## What it does
//!
//! A VirtualDestination in client mode `tlsTermination` (its own `clientMode`, or its workspace's
//! `virtualDestClientMode`) with several ports that reach different ports of a backing Service in
//! a cluster that clients in other clusters need: HTTP on 9080 and gRPC on 9090, say.
//!
//! ## Why is this bad?
//!
//! In this mode remote clients send every VD port's traffic to the one termination port of the
//! backing cluster's east-west gateway, which terminates the mTLS and forwards by host alone:
//! nothing there tells the VD ports apart, so every port would reach one Service port (gRPC
//! requests would land on the HTTP port). Gloo does not document how it tells them apart, so vdc
//! refuses the VirtualDestination rather than guess.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!   - number: 9090
//!     protocol: GRPC
//!   clientMode:
//!     tlsTermination: {}
//! ```
//!
//! ## Fix
//!
//! Use client mode `sniRouting` (the default), whose SNI names the port; or split the
//! VirtualDestination into one per Service port, each with its own host.
//!
//! Fixture: `testdata/check/tls-termination-ports/`. Long form: `docs/diagnostics.md#vdc725`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::TlsTerminationPorts;

/// VirtualDestination `vd_name` uses tlsTermination (set by `source`), and its `ports` (each
/// shown with the Service port it targets) reach different ports of Service `service`
/// (`namespace/name`) in backing cluster `cluster`.
pub fn diagnostic(
    site: Site,
    vd_name: &str,
    source: &dyn std::fmt::Display,
    ports: &[String],
    service: (&str, &str),
    cluster: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{vd_name}` uses client mode tlsTermination ({source}), but its ports reach different ports of Service {}/{} in backing cluster `{cluster}` (ports {}): remote clients send every port to the east-west gateway's one termination port, where nothing tells the ports apart, so all of them would reach one Service port",
        service.0,
        service.1,
        ports.join(", ")
    ))
    .field("spec.ports")
    .help("use client mode `sniRouting`, whose SNI names the port, or split the VirtualDestination into one per Service port, each with its own host")
}
