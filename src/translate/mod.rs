//! `translate`: resolved VirtualDestinations → the Istio objects of each cluster.
//!
//! Pure and total: every decision that could fail on user input was made in [`crate::resolve`].

mod endpoints;
mod external;
pub mod istio;
mod plan;
mod policies;
mod route_policies;
mod routing;
mod tls_termination;

use crate::model::GlooKind;
use crate::model::types::MANAGED_BY;
use crate::names::sanitize;
use crate::resolve::{Resolved, ResolvedVd};
use istio::*;
pub use plan::Plan;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// One generated object and the cluster it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    pub cluster: String,
    pub object: Object,
    _held: crate::held::Held,
}

/// How many [`Output`]s are alive at once: commands that write or check a fleet's output hold
/// a few clusters' objects at a time, and a test counts that they do.
pub static OUTPUTS: crate::held::Tally = crate::held::Tally::new();

impl Output {
    /// The identity objects are matched and sorted by: (cluster, namespace, kind, name).
    pub fn key(&self) -> (&str, &str, &str, &str) {
        (
            &self.cluster,
            &self.object.metadata.namespace,
            self.object.kind,
            &self.object.metadata.name,
        )
    }
}

/// The objects one VirtualDestination generates in one cluster it is placed in.
fn objects_in(
    resolved: &Resolved,
    vd: &ResolvedVd,
    cluster: &str,
    placement: &crate::resolve::Placement,
    api_version: &str,
    client_endpoints: &ClientEndpoints,
) -> Vec<Output> {
    let mut out = Vec::new();
    let cx = Context {
        resolved,
        vd,
        cluster,
        api_version,
        client_endpoints,
    };
    let namespace = &placement.home_namespace;
    let mut entry = cx.service_entry();
    external::extend_vd_entry(&cx, &mut entry);
    out.push(cx.object(
        "ServiceEntry",
        cx.entry_name(),
        namespace,
        Spec::ServiceEntry(entry),
    ));
    let mut entries = cx.workload_entries();
    entries.extend(external::vd_workload_entries(&cx));
    for (name, we) in entries {
        out.push(cx.object("WorkloadEntry", name, namespace, Spec::WorkloadEntry(we)));
    }
    // An Istio DestinationRule has one host: every VD host needs its own, or clients of
    // that host fall back to auto-mTLS and send plaintext to the remote gateways.
    for host in &vd.vd.hosts {
        let mut rule = cx.destination_rule(host);
        external::amend_vd_rule(&cx, &mut rule);
        out.push(cx.object(
            "DestinationRule",
            cx.rule_name(host),
            namespace,
            Spec::DestinationRule(rule),
        ));
    }
    let gateways = if vd.external.tls_termination() {
        for (vs_namespace, vs) in tls_termination::virtual_services(&cx) {
            out.push(cx.object(
                "VirtualService",
                cx.gateway_name(),
                &vs_namespace,
                Spec::VirtualService(vs),
            ));
        }
        tls_termination::gateways(&cx)
    } else {
        cx.gateways()
    };
    for (gw_namespace, name, gateway) in gateways {
        out.push(cx.object("Gateway", name, &gw_namespace, Spec::Gateway(gateway)));
    }
    out
}

/// Provenance labels: the source object (`gloo.solo.io/parent_*`) and where this copy lands
/// (`context.mesh.gloo.solo.io/*`). Never Gloo's ownership labels (`owner.gloo.solo.io/name`,
/// `reconciler.mesh.gloo.solo.io/name`, `agent.gloo.solo.io`, `relay.solo.io/cluster`): a live
/// Gloo agent would take the objects for its own and garbage-collect them.
fn provenance(
    parent: &crate::model::types::Meta,
    cluster: &str,
    namespace: &str,
    workspace: &str,
) -> Provenance {
    // Every parent is a Gloo object.
    let kind = GlooKind::named(&parent.kind);
    let name = |v: &str| Cow::Owned(v.to_owned());
    [
        (MANAGED_BY.0, Cow::Borrowed(MANAGED_BY.1)),
        ("context.mesh.gloo.solo.io/cluster", name(cluster)),
        ("context.mesh.gloo.solo.io/namespace", name(namespace)),
        ("context.mesh.gloo.solo.io/workspace", name(workspace)),
        ("gloo.solo.io/parent_cluster", name(&parent.cluster)),
        (
            "gloo.solo.io/parent_group",
            Cow::Borrowed(kind.map_or("", GlooKind::group)),
        ),
        ("gloo.solo.io/parent_kind", name(&parent.kind)),
        ("gloo.solo.io/parent_name", name(&parent.name)),
        ("gloo.solo.io/parent_namespace", name(&parent.namespace)),
        (
            "gloo.solo.io/parent_version",
            Cow::Borrowed(kind.map_or("", GlooKind::version)),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect()
}

#[allow(clippy::too_many_arguments)]
fn output(
    api_version: &str,
    kind: &'static str,
    parent: &crate::model::types::Meta,
    cluster: &str,
    namespace: &str,
    workspace: &str,
    name: String,
    spec: Spec,
) -> Output {
    Output {
        _held: OUTPUTS.hold(),
        cluster: cluster.to_owned(),
        object: Object {
            api_version: api_version.to_owned(),
            kind,
            metadata: ObjectMeta {
                name,
                namespace: namespace.to_owned(),
                labels: provenance(parent, cluster, namespace, workspace),
            },
            spec,
        },
    }
}

/// One VirtualDestination seen from one cluster.
struct Context<'a> {
    resolved: &'a Resolved<'a>,
    vd: &'a ResolvedVd<'a>,
    cluster: &'a str,
    api_version: &'a str,
    client_endpoints: &'a ClientEndpoints,
}

/// A VD's ServiceEntry endpoints in the clusters that only consume it, and whether any is a
/// DNS name: there, the endpoints are every backing cluster's gateway addresses, whichever
/// cluster asks, so they are made once per VD and shared. A fleet's ingress VDs are consumed
/// in every cluster, and these lists are most of what their objects hold.
#[derive(Debug, Default)]
pub(crate) struct ClientEndpoints(OnceLock<(Arc<[WorkloadEntry]>, bool)>);

impl Context<'_> {
    fn host(&self) -> &str {
        &self.vd.vd.hosts[0]
    }

    fn entry_name(&self) -> String {
        sanitize(&format!("vd-{}-{}", self.host(), self.vd.owner))
    }

    /// The DestinationRule of `host`: named from it, so `hosts[0]` keeps the name of §3.6.
    fn rule_name(&self, host: &str) -> String {
        let m = &self.vd.vd.meta;
        sanitize(&format!(
            "{}-virtual-dest-{}-{}-{}-{}",
            host, m.name, m.namespace, m.cluster, self.vd.owner
        ))
    }

    fn gateway_name(&self) -> String {
        sanitize(&format!("vd-{}-{}-eastwest", self.host(), self.vd.owner))
    }

    fn placement(&self) -> &crate::resolve::Placement {
        &self.vd.placements[self.cluster]
    }

    fn object(&self, kind: &'static str, name: String, namespace: &str, spec: Spec) -> Output {
        let workspace = self
            .resolved
            .workspaces
            .of(self.cluster, namespace)
            .unwrap_or_else(|| self.vd.owner.clone());
        output(
            self.api_version,
            kind,
            &self.vd.vd.meta,
            self.cluster,
            namespace,
            &workspace,
            name,
            spec,
        )
    }

    fn local_selector(&self) -> Option<&crate::model::types::Labels> {
        self.vd
            .backing
            .get(self.cluster)
            .map(|b| &b.service.selector)
    }

    /// The endpoints toward remote gateways (see [`endpoints`]), as WorkloadEntry specs: on
    /// each gateway's termination port in `tlsTermination` mode, else its passthrough port.
    fn remote_entries(&self) -> Vec<endpoints::RemoteEntry> {
        let port_names: Vec<String> = self.vd.vd.ports.iter().map(|p| p.entry_name()).collect();
        endpoints::remote_entries(
            self.vd,
            self.cluster,
            self.local_selector(),
            &port_names,
            self.vd.external.tls_termination(),
        )
    }

    /// The endpoints a client-only cluster's ServiceEntry lists (none in a backing cluster,
    /// whose ServiceEntry selects WorkloadEntries), and whether any address is a DNS name.
    fn entry_endpoints(&self) -> (Arc<[WorkloadEntry]>, bool) {
        let made = || {
            let remote = self.remote_entries();
            let by_dns = remote.iter().any(|(e, _)| !crate::dns::is_ip(&e.address));
            (remote.into_iter().map(|(e, _)| e).collect(), by_dns)
        };
        if self.vd.backing.contains_key(self.cluster) {
            let (_, by_dns) = made();
            return (Arc::from([]), by_dns);
        }
        let shared = self.client_endpoints.0.get_or_init(made).clone();
        // What makes sharing right: a cluster that does not back the VD sees the same remote
        // endpoints as every other such cluster. Tests run this check on every render.
        debug_assert_eq!(shared, made(), "{} in {}", self.host(), self.cluster);
        shared
    }

    fn service_entry(&self) -> ServiceEntry {
        let vd = self.vd.vd;
        let backing = self.vd.backing.get(self.cluster);
        let (endpoints, by_dns) = self.entry_endpoints();
        ServiceEntry {
            addresses: vec![self.vd.vip.to_string()],
            endpoints,
            export_to: self.placement().export_to.to_vec(),
            hosts: vd.hosts.iter().map(|h| h.value.clone()).collect(),
            location: "MESH_INTERNAL",
            ports: vd
                .ports
                .iter()
                .enumerate()
                .map(|(i, p)| ServicePort {
                    name: p.entry_name(),
                    number: *p.number,
                    protocol: p.protocol.clone(),
                    // Istio defaults targetPort to the port number; only a different one is written.
                    target_port: backing
                        .map(|b| b.workload_ports[i])
                        .filter(|t| *t != *p.number),
                })
                .collect(),
            resolution: if by_dns { "DNS" } else { "STATIC" },
            workload_selector: backing.map(|b| WorkloadSelector {
                labels: b.service.selector.to_map(),
            }),
        }
    }

    /// Backing clusters reach remote backends through WorkloadEntries the local ServiceEntry
    /// selects; client-only clusters use inline endpoints instead.
    fn workload_entries(&self) -> Vec<(String, WorkloadEntry)> {
        let Some(selector) = self.local_selector() else {
            return Vec::new();
        };
        let base = format!(
            "{}-{}",
            self.entry_name(),
            crate::names::label_pairs(selector)
        );
        let mut entries: Vec<(String, WorkloadEntry)> = self
            .remote_entries()
            .into_iter()
            .map(|(we, subsets)| {
                let name = if subsets.is_empty() {
                    format!("{base}-{}", we.address)
                } else {
                    format!("{base}-{}-{}", we.address, subsets.join("-"))
                };
                (sanitize(&name), we)
            })
            .collect();
        // One address reached through two gateways would give two objects of one name.
        entries.dedup_by(|a, b| a.0 == b.0);
        entries
    }

    fn destination_rule(&self, host: &str) -> DestinationRule {
        let identities: Vec<String> = self
            .vd
            .identities()
            .into_iter()
            .map(str::to_owned)
            .collect();
        DestinationRule {
            export_to: self.placement().export_to.to_vec(),
            host: host.to_owned(),
            subsets: self
                .vd
                .subsets
                .iter()
                .map(|(name, labels)| Subset {
                    labels: labels.to_map(),
                    name: name.clone(),
                })
                .collect(),
            traffic_policy: TrafficPolicy {
                port_level_settings: self
                    .vd
                    .vd
                    .ports
                    .iter()
                    .zip(&self.vd.port_policies)
                    .map(|(p, applied)| {
                        let mut entry = PortTrafficPolicy {
                            connection_pool: None,
                            load_balancer: None,
                            outlier_detection: None,
                            port: PortSelector { number: *p.number },
                            tls: ClientTls {
                                mode: "ISTIO_MUTUAL",
                                subject_alt_names: identities.clone(),
                                ..ClientTls::default()
                            },
                        };
                        for policy in applied.iter() {
                            policies::change_port_entry(policy, &mut entry);
                        }
                        entry
                    })
                    .collect(),
            },
        }
    }

    /// The server side in a backing cluster: SNI passthrough for the VD hosts at each east-west
    /// gateway, without which remote clients get 503 NR at the gateway.
    fn gateways(&self) -> Vec<(String, String, Gateway)> {
        if !self.vd.backing.contains_key(self.cluster) {
            return Vec::new();
        }
        self.east_west_gateways(|gw| {
            (gw.tls_port != 0).then(|| Server {
                hosts: self.vd.vd.hosts.iter().map(|h| h.value.clone()).collect(),
                port: ServerPort {
                    name: "tls".into(),
                    number: gw.tls_port,
                    protocol: "TLS",
                },
                tls: Some(ServerTls {
                    mode: Some("AUTO_PASSTHROUGH".into()),
                    ..ServerTls::default()
                }),
            })
        })
    }

    /// One Gateway per set of gateway pods this cluster's east-west gateway Services select,
    /// with the server `server_of` gives each gateway (none where it gives `None`), each server
    /// once: `(namespace, name, Gateway)`. A namespace with one such set keeps the plain
    /// [`Context::gateway_name`]; where gateway Services select different pods (revisioned
    /// gateways), each Gateway's name ends with its first Service's name.
    fn east_west_gateways(
        &self,
        server_of: impl Fn(&crate::resolve::EastWestGateway) -> Option<Server>,
    ) -> Vec<(String, String, Gateway)> {
        type Key<'a> = (&'a str, GatewayPods<'a>);
        let mut groups: BTreeMap<Key, (&str, Gateway)> = BTreeMap::new();
        let cluster = self.resolved.world.clusters.get(self.cluster);
        for gw in self.vd.gateways.get(self.cluster).into_iter().flatten() {
            let Some(server) = server_of(gw) else {
                continue;
            };
            let svc = gw.service;
            let pods = GatewayPods::of(cluster, svc);
            let (_, entry) = groups
                .entry((svc.meta.namespace.as_str(), pods))
                .or_insert_with(|| {
                    let selector = svc.selector.to_map();
                    (
                        svc.meta.name.as_str(),
                        Gateway {
                            selector,
                            servers: Vec::new(),
                        },
                    )
                });
            if !entry.servers.contains(&server) {
                entry.servers.push(server);
            }
        }
        let name = self.gateway_name();
        let shared = |ns: &str| groups.keys().filter(|(n, _)| *n == ns).count() > 1;
        (groups.iter())
            .map(|((ns, _), (service, gateway))| {
                let name = if shared(ns) {
                    sanitize(&format!("{name}-{service}"))
                } else {
                    name.clone()
                };
                ((*ns).to_owned(), name, gateway.clone())
            })
            .collect()
    }
}

/// The pods an east-west gateway Service selects, as far as the dump tells: two Services that
/// select the same pods (`{istio: eastwestgateway}` beside `{app: …, istio: eastwestgateway}`)
/// get one Gateway, so the pods never get one server twice; without the pods in the dump, the
/// Service's selector stands for them.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum GatewayPods<'a> {
    Pods(std::collections::BTreeSet<&'a str>),
    Selector(&'a crate::model::types::Labels),
}

impl<'a> GatewayPods<'a> {
    fn of(
        cluster: Option<&'a crate::model::types::Cluster>,
        svc: &'a crate::model::types::Service,
    ) -> Self {
        let pods: std::collections::BTreeSet<&str> = (cluster.into_iter())
            .flat_map(|c| c.workloads_behind(svc).filter(|w| c.stands_for_itself(w)))
            .map(|w| w.meta.name.as_str())
            .collect();
        if pods.is_empty() {
            GatewayPods::Selector(&svc.selector)
        } else {
            GatewayPods::Pods(pods)
        }
    }
}
