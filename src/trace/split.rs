//! Split-horizon EDS: `EndpointsByNetworkFilter` in Istio's
//! `pilot/pkg/xds/endpoints/ep_filters.go` (sidecar mode), with the gateways of
//! `pilot/pkg/serviceregistry/kube/controller/network.go`. docs/trace.md states the rule.

use super::endpoints::{Endpoint, GatewayHop, OffNetwork, TLS_MODE};
use super::network::{NETWORK, with_label};
use super::{Labels, LeftOutJson};
use crate::model::types::{Cluster, Service};
use std::collections::BTreeMap;

/// The label that gives a network gateway Service another mTLS port than 15443.
pub(super) const GATEWAY_PORT: &str = "networking.istio.io/gatewayPort";
const DEFAULT_GATEWAY_PORT: u32 = 15443;

/// A gateway to `network` the client's istiod knows: a Service of its cluster labelled with
/// the network, at each of its external addresses, on its mTLS port.
struct NetworkGateway<'a> {
    network: &'a str,
    address: &'a str,
    port: u32,
    service: &'a Service,
}

fn gateways(cluster: &Cluster) -> Vec<NetworkGateway<'_>> {
    let mut out = Vec::new();
    for svc in &cluster.services {
        let Some(network) = svc.meta.labels.get(NETWORK).filter(|n| !n.is_empty()) else {
            continue;
        };
        let port = (svc.meta.labels.get(GATEWAY_PORT))
            .and_then(|p| p.parse().ok())
            .unwrap_or(DEFAULT_GATEWAY_PORT);
        if !svc.tcp_ports().any(|p| p.port == port) {
            continue;
        }
        for address in svc.ingress.iter().chain(&svc.external_ips) {
            out.push(NetworkGateway {
                network,
                address,
                port,
                service: svc,
            });
        }
    }
    out
}

/// The endpoints istiod sends a sidecar on network `client` of `cluster` (named `name`): with
/// no network gateway known, all of them as they are; else those on the client's network (or
/// on none) as they are, those on another network with a gateway replaced by that network's
/// gateways (the weight split among them, summed per locality), and those on another network
/// with no gateway kept at their own address, which the client's network does not reach.
/// An endpoint a gateway would reach is sent only if istiod marks it for mTLS: its own mode
/// must be `istio` (istiod starts from it and can only blank it, `buildEnvoyLbEndpoint`), and
/// `rule_tls`, the DestinationRule's TLS mode for the port, must be ISTIO_MUTUAL when it sets
/// one (`checkMtlsEnabled`). The second list holds the endpoints left out so.
pub fn split_horizon(
    cluster: &Cluster,
    name: &str,
    client: &str,
    rule_tls: Option<&str>,
    eps: Vec<Endpoint>,
) -> (Vec<Endpoint>, Vec<Endpoint>) {
    let gateways = gateways(cluster);
    if gateways.is_empty() {
        return (eps, Vec::new());
    }
    let mut per_network: BTreeMap<&str, usize> = BTreeMap::new();
    for g in &gateways {
        *per_network.entry(g.network).or_default() += 1;
    }
    // Every weight is scaled by the least common multiple of the gateways per network.
    let scale = per_network.values().fold(1, |l, n| lcm(l, *n)) as u32;
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    let mut through: BTreeMap<(String, usize), Endpoint> = BTreeMap::new();
    for mut e in eps {
        e.weight = e.weight.max(1).saturating_mul(scale);
        let theirs: Vec<(usize, &NetworkGateway)> = (gateways.iter().enumerate())
            .filter(|(_, g)| g.network == e.network)
            .collect();
        let same = e.network.is_empty() || client.is_empty() || e.network == client;
        let forced = client.is_empty() && !e.network.is_empty() && !theirs.is_empty();
        if !forced && (same || theirs.is_empty()) {
            if !same {
                e.off_network = Some(OffNetwork {
                    client: client.into(),
                });
            }
            out.push(e);
            continue;
        }
        // Cross-network traffic relies on mTLS for SNI routing: no mTLS, no endpoint.
        if !(e.istio_tls && rule_tls.is_none_or(|mode| mode == "ISTIO_MUTUAL")) {
            left_out.push(e);
            continue;
        }
        let share = e.weight / theirs.len() as u32;
        for (i, g) in theirs {
            let hop = through
                .entry((e.locality.istio(), i))
                .or_insert_with(|| at_gateway(g, name, &e));
            hop.weight = hop.weight.saturating_add(share);
            hop.pods.extend(e.pods.iter().cloned());
            hop.identities.extend(e.identities.iter().cloned());
        }
    }
    out.extend(through.into_values());
    (out, left_out)
}

/// The endpoint istiod writes for a network gateway in place of `e`: at the gateway's address
/// and port, in `e`'s locality, labelled with the cluster and network only.
fn at_gateway(g: &NetworkGateway, cluster: &str, e: &Endpoint) -> Endpoint {
    let mut topology = Labels::new();
    topology.insert(super::client::CLUSTER.into(), cluster.into());
    Endpoint {
        address: g.address.into(),
        port: g.port,
        locality: e.locality.clone(),
        labels: Labels::new(),
        topology: with_label(topology, g.network),
        weight: 0,
        cluster: cluster.into(),
        gateway: Some(GatewayHop {
            service: format!("{}/{}", g.service.meta.namespace, g.service.meta.name),
            serves_host: true,
            has_port: true,
            terminates: false,
        }),
        pods: Vec::new(),
        identities: Vec::new(),
        network: g.network.into(),
        kind: e.kind,
        off_network: None,
        istio_tls: true,
    }
}

/// How the answer names an endpoint `split_horizon` left out for want of mTLS.
pub fn left_out(e: &Endpoint, rule_tls: Option<&str>, client: &str) -> LeftOutJson {
    let object = e.pods.first().cloned();
    // The endpoint's own mode is asked first: a DestinationRule cannot raise it.
    let why = match (e.istio_tls, e.labels.get(TLS_MODE), rule_tls) {
        (true, _, Some(mode)) => {
            format!("the DestinationRule's TLS mode for the port is {mode}")
        }
        (_, Some(label), _) => format!("its label {TLS_MODE} is {label}"),
        (_, None, _) if e.kind == "WorkloadEntry" => format!(
            "the WorkloadEntry has neither the label {TLS_MODE}=istio nor a service account"
        ),
        (_, None, _) => format!("the endpoint has no label {TLS_MODE}=istio (no sidecar)"),
    };
    let client = if client.is_empty() { "none" } else { client };
    LeftOutJson {
        address: e.address.clone(),
        port: e.port,
        cluster: e.cluster.clone(),
        network: e.network.clone(),
        why: "no-mtls",
        object: (e.kind.to_owned(), object),
        reason: format!(
            "is on network {}, the client on {client}, so only that network's gateway reaches it, and istiod sends an endpoint through a gateway only when the sidecar sends it mTLS: {why}; istiod leaves it out of the sidecar's endpoints",
            e.network
        ),
    }
}

fn lcm(a: usize, b: usize) -> usize {
    let gcd = |mut x: usize, mut y: usize| {
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x
    };
    a / gcd(a, b) * b
}

#[cfg(test)]
mod tests {
    use super::lcm;

    /// `GetLBWeightScaleFactor`: the least common multiple of the gateways per network.
    #[test]
    fn weights_scale_by_the_lcm_of_the_gateways_per_network() {
        assert_eq!([2, 3, 4].into_iter().fold(1, lcm), 12);
        assert_eq!([1].into_iter().fold(1, lcm), 1);
    }
}
