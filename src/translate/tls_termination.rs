//! Client mode `tlsTermination`: the east-west gateway terminates the client's mTLS on its
//! termination port and forwards to the local backing Service, so backends without sidecars
//! can be reached from other clusters.

use super::Context;
use super::istio::*;
use crate::resolve::EastWestGateway;
use std::collections::{BTreeMap, BTreeSet};

/// The SPIFFE identities of a gateway's pods, or, when the dump has none of them, of the
/// service account Istio's charts give the gateway: the gateway Service's own name.
fn gateway_identities(cx: &Context, gw: &EastWestGateway) -> Vec<String> {
    let world = cx.resolved.world;
    let Some(cluster) = world.clusters.get(&gw.service.meta.cluster) else {
        return Vec::new();
    };
    let domain = cluster.trust_domain.as_deref().unwrap_or("cluster.local");
    let ns = &gw.service.meta.namespace;
    let mut out: BTreeSet<String> = cluster
        .workloads_behind(gw.service)
        .map(|w| format!("spiffe://{domain}/ns/{ns}/sa/{}", w.service_account))
        .collect();
    if out.is_empty() {
        out.insert(format!(
            "spiffe://{domain}/ns/{ns}/sa/{}",
            gw.service.meta.name
        ));
    }
    out.into_iter().collect()
}

/// The SANs a client accepts: the remote gateways that terminate its mTLS, and in a backing
/// cluster the local backends it reaches directly.
pub(super) fn client_sans(cx: &Context) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for (cluster, gateways) in &cx.vd.gateways {
        if cluster == cx.cluster {
            continue;
        }
        for gw in gateways.iter().filter(|g| g.tls_termination_port != 0) {
            out.extend(gateway_identities(cx, gw));
        }
    }
    if let Some(local) = cx.vd.backing.get(cx.cluster) {
        out.extend(local.identities.iter().cloned());
    }
    out.into_iter().collect()
}

/// HTTP-family ports are routed by `http` routes behind an HTTPS server; others by `tcp`.
fn is_http(cx: &Context) -> bool {
    cx.vd
        .vd
        .ports
        .iter()
        .all(|p| matches!(p.protocol.as_str(), "HTTP" | "HTTP2" | "GRPC"))
}

/// In a backing cluster, a Gateway server on each east-west gateway's termination port.
pub(super) fn gateways(cx: &Context) -> Vec<(String, String, Gateway)> {
    if !cx.vd.backing.contains_key(cx.cluster) {
        return Vec::new();
    }
    let (name, protocol) = if is_http(cx) {
        ("https", "HTTPS")
    } else {
        ("tls", "TLS")
    };
    cx.east_west_gateways(|gw| {
        (gw.tls_termination_port != 0).then(|| Server {
            hosts: cx.vd.vd.hosts.iter().map(|h| h.value.clone()).collect(),
            port: ServerPort {
                name: name.into(),
                number: gw.tls_termination_port,
                protocol,
            },
            tls: Some(ServerTls {
                mode: Some("ISTIO_MUTUAL".into()),
                ..ServerTls::default()
            }),
        })
    })
}

/// Beside each of those Gateways, a VirtualService that sends the VD hosts to the local
/// backing Service, on the Service port the VD's first port targets.
pub(super) fn virtual_services(cx: &Context) -> Vec<(String, VirtualService)> {
    let Some(local) = cx.vd.backing.get(cx.cluster) else {
        return Vec::new();
    };
    let svc = local.service;
    let Some(first) = cx.vd.vd.ports.first() else {
        return Vec::new();
    };
    let target = first.target();
    let port = svc.port(&target).map(|p| p.port);
    let domain = cx.resolved.world.domain_of(cx.cluster);
    let route = vec![RouteDestination {
        destination: Destination {
            host: format!("{}.{}.svc.{domain}", svc.meta.name, svc.meta.namespace),
            port: port.map(|number| PortSelector { number }),
            subset: None,
        },
        weight: None,
    }];
    let http = is_http(cx);
    // One VirtualService per namespace, bound to every Gateway vdc writes there.
    let mut by_namespace: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (namespace, name, _) in gateways(cx) {
        by_namespace.entry(namespace).or_default().push(name);
    }
    by_namespace
        .into_iter()
        .map(|(namespace, mut names)| {
            names.sort_unstable();
            let vs = VirtualService {
                export_to: vec![".".into()],
                gateways: names,
                hosts: cx.vd.vd.hosts.iter().map(|h| h.value.clone()).collect(),
                http: if http {
                    vec![HttpRoute {
                        name: "tls-termination".into(),
                        route: route.clone(),
                        ..HttpRoute::default()
                    }]
                } else {
                    Vec::new()
                },
                tcp: if http {
                    Vec::new()
                } else {
                    vec![TcpRoute {
                        matches: Vec::new(),
                        route: route.clone(),
                    }]
                },
                tls: Vec::new(),
            };
            (namespace, vs)
        })
        .collect()
}
