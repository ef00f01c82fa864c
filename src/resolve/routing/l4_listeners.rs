//! Whether a VirtualGateway has a listener that carries a RouteTable's tcp and tls routes:
//! Istio applies a Gateway's `tls` routes on its TLS passthrough servers only (matched by SNI),
//! and its `tcp` routes on its TCP and TLS-terminating servers only.

use crate::diagnostic::Diagnostics;
use crate::model::routing_types::*;
use crate::rules::routing::tcp_tls_route_unroutable::{self, Problem};
use std::collections::BTreeSet;

/// Whether Istio applies routes of `layer` on the server of `listener`.
fn carries(listener: &Listener, layer: RouteLayer) -> bool {
    let passthrough = (listener.tls.as_ref())
        .is_some_and(|t| matches!(t.mode.as_str(), "PASSTHROUGH" | "AUTO_PASSTHROUGH"));
    match layer {
        RouteLayer::Tls => listener.protocol == "TLS" && passthrough,
        RouteLayer::Tcp => matches!(listener.protocol, "TCP" | "TLS") && !passthrough,
        RouteLayer::Http => matches!(listener.protocol, "HTTP" | "HTTPS"),
    }
}

/// VDC734 when `rt` has tcp (or tls) routes and no listener of `vg` that admits one of its
/// hosts carries them: Gloo's behaviour there is not public, and Istio would never use them.
pub(super) fn l4_on_no_listener(
    rt: &RouteTable,
    (index, reference): (usize, &ObjectReference),
    vg: &VirtualGateway,
    admitted: &[BTreeSet<String>],
    diags: &mut Diagnostics,
) {
    let serving: Vec<&Listener> = (vg.listeners.iter().zip(admitted))
        .filter(|(_, hosts)| !hosts.is_empty())
        .map(|(listener, _)| listener)
        .collect();
    for (layer, routes) in [(RouteLayer::Tcp, &rt.tcp), (RouteLayer::Tls, &rt.tls)] {
        if routes.is_empty() || serving.is_empty() || serving.iter().any(|l| carries(l, layer)) {
            continue;
        }
        let site = rt.meta.site(reference.pos);
        let problem = Problem::NoListener {
            reference: index,
            gateway: &vg.meta.name,
        };
        diags.push(tcp_tls_route_unroutable::diagnostic(
            site,
            (layer, 0),
            problem,
        ));
    }
}
