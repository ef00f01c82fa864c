//! Gateway servers istiod would drop: it merges every Gateway that selects a gateway pod into
//! one listener set (`mergeGateways` in istio's `pilot/pkg/model/gateway.go`) and skips a
//! server that repeats a host of an earlier server with TLS settings on the same port, or a
//! server whose protocol cannot share a port with the plaintext server already on it. vdc
//! reports the later one (VDC715) and does not write it.

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::selector::labels_match;
use crate::model::types::Labels;
use crate::resolve::resolved::{GatewayPlacement, GatewayServer};
use crate::rules::routing::gateway_server_conflict::{self, Case, ListenerAt};
use std::collections::{BTreeMap, BTreeSet};

/// A server: (placement index, index among the placement's servers).
type ServerId = (usize, usize);

/// Why a server is dropped, and the earlier server it conflicts with.
struct Conflict {
    first: ServerId,
    host: Option<String>,
}

/// Reports every server istiod would drop and removes it from its placement.
pub(super) fn drop_conflicting(
    world: &World,
    placements: &mut [GatewayPlacement],
    diags: &mut Diagnostics,
) {
    let mut conflicts: BTreeMap<ServerId, Conflict> = BTreeMap::new();
    for group in gateways_by_pods(world, placements) {
        let gateways: Vec<(usize, Vec<Facts>)> = (group.iter())
            .map(|&i| (i, placements[i].servers.iter().map(Facts::of).collect()))
            .collect();
        for (second, conflict) in merge(&gateways) {
            conflicts.entry(second).or_insert(conflict);
        }
    }
    for (&(p, s), conflict) in &conflicts {
        report(placements, (p, s), conflict, diags);
    }
    for &(p, s) in conflicts.keys().rev() {
        placements[p].servers.remove(s);
    }
}

/// For each cluster and each label set of its gateway pods ([`gateway_pods`]), the placements
/// (indices into `placements`) whose Gateways select those pods, in istiod's order: it orders
/// Gateways by creation time, then name and namespace, and vdc's are created together. istiod
/// merges the servers of one such group into one set of listeners.
pub(crate) fn gateways_by_pods(world: &World, placements: &[GatewayPlacement]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for cluster in world.clusters.values() {
        let mut here: Vec<usize> = (0..placements.len())
            .filter(|&i| placements[i].cluster == cluster.name)
            .collect();
        here.sort_by(|&a, &b| {
            let key = |i: usize| (&placements[i].name, &placements[i].namespace);
            key(a).cmp(&key(b))
        });
        for pods in gateway_pods(cluster, &here, placements) {
            let selecting = (here.iter().copied())
                .filter(|&i| labels_match(&placements[i].selector, pods))
                .collect();
            out.push(selecting);
        }
    }
    out
}

/// The label sets of the gateway pods of one cluster that the Gateways `here` select: the pods
/// in the dump, and for a Gateway that selects none of them, its selector itself.
fn gateway_pods<'a>(
    cluster: &'a crate::model::types::Cluster,
    here: &[usize],
    placements: &'a [GatewayPlacement],
) -> BTreeSet<&'a Labels> {
    let mut out = BTreeSet::new();
    for &i in here {
        let selector = &placements[i].selector;
        let pods: Vec<&Labels> = (cluster.workloads.iter())
            .map(|w| &w.pod_labels)
            .filter(|labels| labels_match(selector, labels))
            .collect();
        if pods.is_empty() {
            out.insert(selector);
        }
        out.extend(pods);
    }
    out
}

/// What the first server on a port of one pod left for the next.
#[derive(Default)]
struct Port {
    /// The plaintext server that opened the port, with its protocol.
    plaintext: Option<(ServerId, &'static str)>,
    opened: bool,
    /// Hosts of the servers with TLS settings, and the server that has each.
    tls_hosts: BTreeMap<String, ServerId>,
}

/// What istiod's merge looks at in a server.
struct Facts<'a> {
    number: u32,
    protocol: &'static str,
    /// `tls` with a mode: a TLS server, told apart from others on its port by SNI.
    terminates: bool,
    /// Any TLS settings, an HTTPS redirect included.
    tls_settings: bool,
    hosts: &'a BTreeSet<String>,
}

impl<'a> Facts<'a> {
    fn of(server: &'a GatewayServer) -> Self {
        let listener = server.listener;
        Facts {
            number: server.number,
            protocol: listener.protocol,
            terminates: listener.tls.is_some(),
            tls_settings: listener.tls.is_some() || listener.https_redirect,
            hosts: &server.hosts,
        }
    }
}

/// istiod's merge of the Gateways `gateways` (placement index and servers, in its order) on one
/// pod: the servers it skips, each with the server it conflicts with.
fn merge(gateways: &[(usize, Vec<Facts>)]) -> Vec<(ServerId, Conflict)> {
    let mut ports: BTreeMap<u32, Port> = BTreeMap::new();
    let mut out = Vec::new();
    for (p, servers) in gateways {
        for (s, server) in servers.iter().enumerate() {
            let id = (*p, s);
            let port = ports.entry(server.number).or_default();
            if let Some((first, host)) = duplicate_host(port, server, id) {
                out.push((
                    id,
                    Conflict {
                        first,
                        host: Some(host),
                    },
                ));
                continue;
            }
            let protocol = server.protocol;
            if !port.opened {
                port.opened = true;
                if !server.terminates {
                    port.plaintext = Some((id, protocol));
                }
                continue;
            }
            if let Some((first, first_protocol)) = port.plaintext
                && !can_merge(first_protocol, protocol)
            {
                out.push((id, Conflict { first, host: None }));
            }
        }
    }
    out
}

/// istiod's `CheckDuplicates`: a server with TLS settings (an HTTPS redirect counts) whose
/// hosts repeat one of an earlier such server on the port; otherwise its hosts are recorded.
fn duplicate_host(port: &mut Port, server: &Facts, id: ServerId) -> Option<(ServerId, String)> {
    if !server.tls_settings {
        return None;
    }
    if let Some(host) = server
        .hosts
        .iter()
        .find(|h| port.tls_hosts.contains_key(*h))
    {
        return Some((port.tls_hosts[host], host.clone()));
    }
    for host in server.hosts {
        port.tls_hosts.insert(host.clone(), id);
    }
    None
}

/// istiod's `canMergeProtocols`: a plaintext port takes a second server only when both are HTTP.
fn can_merge(first: &str, second: &str) -> bool {
    (first == "HTTP" || first == second) && second == "HTTP"
}

fn report(
    placements: &[GatewayPlacement],
    (p, s): ServerId,
    conflict: &Conflict,
    diags: &mut Diagnostics,
) {
    let second = &placements[p];
    let server = &second.servers[s];
    let (fp, fs) = conflict.first;
    let first_server = &placements[fp].servers[fs];
    let first_vg = &placements[fp].gateway.meta;
    let gateway = format!("{}/{}", first_vg.namespace, first_vg.name);
    let first = ListenerAt {
        gateway: &gateway,
        index: first_server.index,
    };
    let case = match &conflict.host {
        Some(host) => Case::Host { host },
        None => Case::Protocol {
            first: first_server.listener.protocol,
            protocol: server.listener.protocol,
        },
    };
    let pods = (second.selector.iter())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let meta = &second.gateway.meta;
    diags.push(gateway_server_conflict::diagnostic(
        meta.site(server.listener.pos),
        (server.index, server.number),
        (&second.cluster, &pods),
        &first,
        case,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server<'a>(
        number: u32,
        protocol: &'static str,
        tls: bool,
        hosts: &'a BTreeSet<String>,
    ) -> Facts<'a> {
        Facts {
            number,
            protocol,
            terminates: tls,
            tls_settings: tls,
            hosts,
        }
    }

    fn hosts(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|h| (*h).to_owned()).collect()
    }

    fn dropped(gateways: &[(usize, Vec<Facts>)]) -> Vec<(ServerId, ServerId, Option<String>)> {
        (merge(gateways).into_iter())
            .map(|(id, c)| (id, c.first, c.host))
            .collect()
    }

    #[test]
    fn a_repeated_tls_host_on_one_port_drops_the_later_server() {
        let star = hosts(&["*"]);
        let gateways = [
            (0, vec![server(443, "HTTPS", true, &star)]),
            (1, vec![server(443, "HTTPS", true, &star)]),
        ];
        assert_eq!(dropped(&gateways), [((1, 0), (0, 0), Some("*".to_owned()))]);
    }

    #[test]
    fn tls_servers_with_distinct_hosts_or_ports_merge() {
        let (a, b) = (hosts(&["a.example.com"]), hosts(&["b.example.com", "*"]));
        let gateways = [
            (
                0,
                vec![
                    server(443, "HTTPS", true, &a),
                    server(8443, "TLS", true, &b),
                ],
            ),
            (
                1,
                vec![
                    server(443, "HTTPS", true, &b),
                    server(8443, "TLS", true, &a),
                ],
            ),
        ];
        assert_eq!(dropped(&gateways), []);
    }

    #[test]
    fn plaintext_servers_share_a_port_only_when_both_are_http() {
        let star = hosts(&["*"]);
        let gateways = [
            (
                0,
                vec![
                    server(80, "HTTP", false, &star),
                    server(9000, "TCP", false, &star),
                ],
            ),
            (
                1,
                vec![
                    server(80, "HTTP", false, &star),
                    server(9000, "TCP", false, &star),
                ],
            ),
            (2, vec![server(80, "HTTPS", true, &star)]),
        ];
        assert_eq!(
            dropped(&gateways),
            [((1, 1), (0, 1), None), ((2, 0), (0, 0), None)]
        );
    }
}
