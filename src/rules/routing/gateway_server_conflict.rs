//! **VDC715 gateway-server-conflict** (error): Two Gateway servers on one gateway workload and port that istiod cannot merge: it drops the second.
//!
//! ## What it does
//!
//! Two listeners (of one VirtualGateway or of two) whose Gateway servers land on the same gateway
//! pods and port, where istiod's merge of the Gateways of a workload (`mergeGateways` in istio's
//! `pilot/pkg/model/gateway.go`) would skip the second:
//!
//! - both servers carry TLS settings (a `tls` listener, or an HTTPS redirect) and share a host:
//!   istiod keeps one such server per host and port (`CheckDuplicates`). Two VirtualGateways with
//!   TLS listeners on port 443 whose RouteTables both serve `*` are the common case;
//! - the port's first server is plaintext (no `tls` mode) and the two are not both HTTP: istiod
//!   merges plaintext servers on one port only when both are HTTP (`canMergeProtocols`), so a TCP
//!   listener, or a TLS one, after an HTTP listener on the same port is dropped.
//!
//! The servers are taken in istiod's order: Gateways by name, then namespace (vdc's are created
//! together), each Gateway's servers in order. The gateway pods are those of the cluster dump that
//! both Gateways' selectors pick, or the selectors themselves when the dump has no such pods.
//! Servers with different hosts on one TLS port merge, and are not reported.
//!
//! ## Why is this bad?
//!
//! istiod drops the second server silently: the routes of the RouteTables attached to it are
//! never served on that port, and the config looks applied.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/gateways.yaml`: VirtualGateways `bookinfo-gw` and `api-gw` both select
//! `istio: ingressgateway` with a TLS listener on 443, and their RouteTables both have
//! `hosts: ['*']`.
//!
//! ```yaml
//!   listeners:
//!   - http: {}
//!     port:
//!       number: 443
//!     tls:
//!       mode: SIMPLE
//!       secretName: bookinfo-cert
//! ```
//!
//! ## Fix
//!
//! Give the RouteTables of the two listeners distinct hosts (each team its own host names), limit
//! each listener to its hosts with `allowedRouteTables`, put the listeners on different ports, or
//! merge the two VirtualGateways into one.
//!
//! Fixture: `testdata/check/gateway-server-conflict/`. Long form: `docs/diagnostics.md#vdc715`.
use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::GatewayServerConflict;

/// Why istiod cannot merge the second server with the first.
pub enum Case<'a> {
    /// Both terminate or redirect with TLS settings and share `host`.
    Host { host: &'a str },
    /// The first is a plaintext server of `first` protocol, the second's `protocol` cannot join
    /// it on one listener.
    Protocol { first: &'a str, protocol: &'a str },
}

/// A listener of a VirtualGateway, as the message names it.
pub struct ListenerAt<'a> {
    /// `namespace/name` of the VirtualGateway.
    pub gateway: &'a str,
    pub index: usize,
}

/// The server of the listener at `site` (`listeners[index]`, port `port`, in `cluster` on the
/// pods labelled `pods`) conflicts with the server `first` wrote there before it.
pub fn diagnostic(
    site: Site,
    (index, port): (usize, u32),
    (cluster, pods): (&str, &str),
    first: &ListenerAt,
    case: Case,
) -> Diagnostic {
    let (gateway, other) = (first.gateway, first.index);
    let message = match case {
        Case::Host { host } => format!(
            "`listeners[{index}]` gives host `{host}` a second server with TLS settings on port {port} of the gateway pods {{{pods}}} in cluster `{cluster}`: VirtualGateway {gateway}'s `listeners[{other}]` already serves it there, and istiod keeps one such server per host and port on a workload, dropping this one"
        ),
        Case::Protocol { first, protocol } => format!(
            "`listeners[{index}]` ({protocol}) shares port {port} of the gateway pods {{{pods}}} in cluster `{cluster}` with the plaintext {first} server of VirtualGateway {gateway}'s `listeners[{other}]`: istiod merges plaintext servers on one port only when both are HTTP, and drops this one"
        ),
    };
    Diagnostic::new_at(CODE, site, message)
    .field(format!("spec.listeners[{index}]"))
    .help("give the two listeners different ports or hosts (the hosts come from the attached RouteTables, or `allowedRouteTables`), or merge them into one VirtualGateway")
}
