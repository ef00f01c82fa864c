//! The endpoints of a service as the client's istiod lists them: a ServiceEntry's inline
//! endpoints and the WorkloadEntries and pods its `workloadSelector` picks in its namespace, or
//! a Kubernetes Service's pods. An endpoint at another cluster's east-west gateway leads on to
//! that cluster: its Gateway server for the host, and the pods there.

use super::Labels;
use super::client::{augmented, locality_of};
use super::config::{self, ClusterView, host_matches};
use super::destination::{Source, Svc, SvcPort};
use super::network;
use crate::model::selector::labels_match;
use crate::model::types::{Locality, PortRef, Service, Workload};
use crate::translate::istio::WorkloadEntry;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

pub struct Endpoint {
    pub address: String,
    pub port: u32,
    pub locality: Locality,
    /// The endpoint's own labels, which subsets select on.
    pub labels: Labels,
    /// With the topology labels istiod adds, which `failoverPriority` compares.
    pub topology: Labels,
    pub weight: u32,
    /// The cluster whose workloads it reaches.
    pub cluster: String,
    pub gateway: Option<GatewayHop>,
    /// `namespace/name` of the workloads it reaches.
    pub pods: Vec<String>,
    /// Their `spiffe://` identities.
    pub identities: Vec<String>,
    /// The network istiod puts the endpoint on (empty: none).
    pub network: String,
    /// The kind of object the endpoint is: `Pod`, `WorkloadEntry`, `ServiceEntry`.
    pub kind: &'static str,
    /// On another network than the client's, with no gateway to it: the sidecar connects to
    /// its address, which the client's network does not reach.
    pub off_network: Option<OffNetwork>,
    /// istiod marks it ready for Istio mTLS (its `TLSMode` is `istio`): a pod or an entry
    /// labelled `security.istio.io/tlsMode: istio`, a WorkloadEntry without the label that has
    /// a service account (`getTLSModeFromWorkloadEntry`), a network gateway.
    pub istio_tls: bool,
}

/// The label the injector puts on a pod with a sidecar (`istio` for Istio mTLS).
pub const TLS_MODE: &str = "security.istio.io/tlsMode";
/// The pod label that opts a workload out of sidecar injection (`false`).
const INJECT: &str = "sidecar.istio.io/inject";

/// Whether a pod template does not opt out of sidecar injection.
fn injected(labels: &impl crate::model::labels::LabelMap) -> bool {
    labels.label(INJECT) != Some("false")
}

/// Whether `labels` mark a workload ready for Istio mTLS (`GetTLSModeFromEndpointLabels`).
fn labelled_istio_tls(labels: &impl crate::model::labels::LabelMap) -> Option<bool> {
    labels.label(TLS_MODE).map(|mode| mode == "istio")
}

/// The client's network, which an endpoint is not on.
pub struct OffNetwork {
    pub client: String,
}

/// An endpoint that is another cluster's east-west gateway.
pub struct GatewayHop {
    /// The gateway's Service, `namespace/name`.
    pub service: String,
    /// A Gateway there has a server for the host on the port.
    pub serves_host: bool,
    /// The gateway's Service has the port at all: without it the connection is refused.
    pub has_port: bool,
    /// That server terminates the client's mTLS (`tlsTermination`) rather than passing it
    /// through by SNI, so the client sees the gateway's identity.
    pub terminates: bool,
}

/// The cluster of an endpoint outside every cluster (an ExternalEndpoint, a DNS name).
pub const EXTERNAL: &str = "external";

/// Every endpoint of `svc` on `port` whose labels carry `subset`.
pub fn endpoints(
    view: &ClusterView,
    svc: &Svc,
    port: &SvcPort,
    host: &str,
    subset: &Labels,
) -> Vec<Endpoint> {
    let gateways = GatewayIndex::new(view);
    let cx = Context {
        view,
        port,
        host,
        subset,
        gateways: &gateways,
    };
    let mut out = Vec::new();
    let selector: Option<Cow<Labels>> = match svc.source {
        Source::Entry(se) => {
            let inline = se.endpoints.iter();
            out.extend(inline.map(|we| cx.entry(we, &we.labels, "ServiceEntry")));
            if se.endpoints.is_empty()
                && se.workload_selector.is_none()
                && se.resolution.starts_with("DNS")
            {
                out.push(cx.dns_name(se.location == "MESH_EXTERNAL"));
            }
            se.workload_selector
                .as_ref()
                .map(|s| Cow::Borrowed(&s.labels))
        }
        Source::Kube(s) => (!s.selector.is_empty()).then(|| Cow::Owned(s.selector.to_map())),
    };
    if let Some(selector) = selector.as_deref() {
        let ns = svc.namespace;
        for (meta, we) in view.each(config::workload_entry) {
            if meta.namespace == ns && labels_match(selector, &we.labels) {
                out.push(cx.entry(we, &we.labels, "WorkloadEntry"));
            }
        }
        for live in &view.cluster.workload_entries {
            if live.meta.namespace == ns && labels_match(selector, &live.labels) {
                out.push(cx.live_entry(live));
            }
        }
        // One endpoint per pod: a Deployment, its ReplicaSets and its Pods are one workload.
        for w in &view.cluster.workloads {
            if w.meta.namespace == ns
                && labels_match(selector, &w.pod_labels)
                && view.cluster.stands_for_itself(w)
            {
                out.push(cx.pod(w));
            }
        }
    }
    out.retain(|e| labels_match(subset, &e.labels));
    out
}

struct Context<'c, 'a> {
    view: &'c ClusterView<'a>,
    port: &'c SvcPort,
    host: &'c str,
    subset: &'c Labels,
    gateways: &'c GatewayIndex<'a>,
}

impl Context<'_, '_> {
    /// The port a WorkloadEntry or an inline endpoint receives on: its own port of that name,
    /// else the service port's target, else the service port.
    fn entry_port(&self, ports: &std::collections::BTreeMap<String, u32>) -> u32 {
        ports
            .get(&self.port.name)
            .copied()
            .unwrap_or(match self.port.target {
                Some(PortRef::Number(n)) => n,
                _ => self.port.number,
            })
    }

    fn entry(&self, we: &WorkloadEntry, labels: &Labels, kind: &'static str) -> Endpoint {
        let port = self.entry_port(&we.ports);
        let locality = parse_locality(&we.locality);
        let network = network::of_labels(self.view.cluster, labels);
        let mut endpoint = Endpoint {
            address: we.address.clone(),
            port,
            topology: network::with_label(
                augmented(labels, self.view.name, &locality, None),
                network,
            ),
            locality,
            labels: labels.clone(),
            weight: we.weight.filter(|w| *w > 0).unwrap_or(1),
            cluster: self.view.name.into(),
            gateway: None,
            pods: Vec::new(),
            identities: Vec::new(),
            // Only `spec.network` puts an entry on a network for the split (`IstioEndpoint`).
            network: String::new(),
            kind,
            off_network: None,
            // vdc's entries name no service account: only the label counts.
            istio_tls: labelled_istio_tls(labels).unwrap_or(false),
        };
        if let Some((remote, gateway, has_port)) = self.gateways.at(&we.address, port) {
            self.through_gateway(&mut endpoint, remote, gateway, has_port);
        } else if self.gateways.external.contains(we.address.as_str()) {
            endpoint.cluster = EXTERNAL.into();
        }
        endpoint
    }

    /// A DNS ServiceEntry with no endpoints: Envoy resolves the host itself.
    fn dns_name(&self, outside: bool) -> Endpoint {
        Endpoint {
            address: self.host.into(),
            port: self.entry_port(&Default::default()),
            locality: Locality::default(),
            labels: Labels::new(),
            topology: augmented(&Labels::new(), self.view.name, &Locality::default(), None),
            weight: 1,
            cluster: if outside {
                EXTERNAL.into()
            } else {
                self.view.name.into()
            },
            gateway: None,
            pods: Vec::new(),
            identities: Vec::new(),
            network: String::new(),
            kind: "ServiceEntry",
            off_network: None,
            // A DNS name is `disabled` (`convertServiceEntryToInstances`).
            istio_tls: false,
        }
    }

    fn live_entry(&self, live: &crate::model::types::LiveWorkloadEntry) -> Endpoint {
        let locality = parse_locality(&live.locality);
        let domain = trust_domain(self.view);
        let labelled = match live.network.as_str() {
            "" => network::of_labels(self.view.cluster, &live.labels),
            own => own,
        };
        Endpoint {
            address: live.address.clone(),
            port: self.entry_port(&Default::default()),
            topology: network::with_label(
                augmented(&live.labels, self.view.name, &locality, None),
                labelled,
            ),
            locality,
            labels: live.labels.to_map(),
            weight: 1,
            cluster: self.view.name.into(),
            gateway: None,
            pods: vec![format!("{}/{}", live.meta.namespace, live.meta.name)],
            identities: vec![format!(
                "spiffe://{domain}/ns/{}/sa/{}",
                live.meta.namespace, live.service_account
            )],
            network: live.network.clone(),
            kind: "WorkloadEntry",
            off_network: None,
            istio_tls: labelled_istio_tls(&live.labels).unwrap_or(!live.service_account.is_empty()),
        }
    }

    fn pod(&self, w: &Workload) -> Endpoint {
        let locality = locality_of(self.view.cluster, w.node_name.as_deref());
        let port = match &self.port.target {
            None => self.port.number,
            Some(PortRef::Number(n)) => *n,
            Some(PortRef::Name(name)) => w
                .container_ports
                .iter()
                .find(|p| &p.name == name)
                .map_or(0, |p| p.number),
        };
        let name = format!("{}/{}", w.meta.namespace, w.meta.name);
        let network = network::of_labels(self.view.cluster, &w.pod_labels);
        let own = &w.pod_labels;
        Endpoint {
            address: name.clone(),
            port,
            topology: network::with_label(
                augmented(own, self.view.name, &locality, w.node_name.as_deref()),
                network,
            ),
            locality,
            labels: w.pod_labels.to_map(),
            weight: 1,
            cluster: self.view.name.into(),
            gateway: None,
            pods: vec![name],
            identities: vec![identity(self.view, w)],
            network: network.into(),
            kind: "Pod",
            off_network: None,
            // The injector labels a pod, not its controller's template: a controller standing
            // in for its pods is taken as injected unless its template opts out.
            istio_tls: labelled_istio_tls(&w.pod_labels)
                .unwrap_or(w.meta.kind != "Pod" && injected(&w.pod_labels)),
        }
    }

    /// Follows an endpoint into the cluster whose east-west gateway it is.
    /// An address of a gateway whose Service lacks the port (`has_port` false) still leads
    /// into that cluster, where the connection is refused.
    fn through_gateway(
        &self,
        endpoint: &mut Endpoint,
        remote: &str,
        gateway: &Service,
        has_port: bool,
    ) {
        let remote = self.view.other(remote);
        endpoint.cluster = remote.name.into();
        let server =
            server_for_host(&remote, gateway, endpoint.port, self.host).filter(|_| has_port);
        let terminates = server == Some(true);
        endpoint.gateway = Some(GatewayHop {
            service: format!("{}/{}", gateway.meta.namespace, gateway.meta.name),
            serves_host: server.is_some(),
            has_port,
            terminates,
        });
        let (pods, identities) = reached_through(&remote, self.host, self.subset);
        endpoint.pods = pods;
        endpoint.identities = if terminates {
            gateway_identities(&remote, gateway)
        } else {
            identities
        };
    }
}

fn trust_domain<'a>(view: &ClusterView<'a>) -> &'a str {
    view.cluster
        .trust_domain
        .as_deref()
        .unwrap_or("cluster.local")
}

fn identity(view: &ClusterView, w: &Workload) -> String {
    format!(
        "spiffe://{}/ns/{}/sa/{}",
        trust_domain(view),
        w.meta.namespace,
        w.service_account
    )
}

/// `region/zone/subzone` as an endpoint's `locality` field writes it.
pub fn parse_locality(s: &str) -> Locality {
    let mut parts = s.split('/').map(str::to_owned);
    Locality {
        region: parts.next().unwrap_or_default(),
        zone: parts.next().unwrap_or_default(),
        subzone: parts.next().unwrap_or_default(),
    }
}

/// The identities a gateway's pods present, or, when the dump has none of them, the service
/// account Istio's charts give a gateway: its Service's name.
fn gateway_identities(remote: &ClusterView, gateway: &Service) -> Vec<String> {
    let mut out: Vec<String> = remote
        .cluster
        .workloads_behind(gateway)
        .map(|w| identity(remote, w))
        .collect();
    if out.is_empty() {
        out.push(format!(
            "spiffe://{}/ns/{}/sa/{}",
            trust_domain(remote),
            gateway.meta.namespace,
            gateway.meta.name
        ));
    }
    out
}

/// Whether a Gateway in `remote` that selects `gateway`'s pods has a server on `port` for
/// `host` (generated, or already in the cluster), and if so whether it terminates mTLS.
fn server_for_host(remote: &ClusterView, gateway: &Service, port: u32, host: &str) -> Option<bool> {
    let pods: Vec<&crate::model::types::Labels> = remote
        .cluster
        .workloads_behind(gateway)
        .map(|w| &w.pod_labels)
        .collect();
    let selects = |selector: &Labels| {
        if pods.is_empty() {
            labels_match(selector, &gateway.selector)
        } else {
            pods.iter().any(|p| labels_match(selector, p))
        }
    };
    let takes = |h: &String| host_matches(h.rsplit('/').next().unwrap_or(h), host);
    let generated = remote
        .each(config::gateway)
        .filter(|(_, g)| selects(&g.selector))
        .flat_map(|(_, g)| &g.servers)
        .find(|s| s.port.number == port && s.hosts.iter().any(takes));
    if let Some(server) = generated {
        let mode = server.tls.as_ref().and_then(|t| t.mode.as_deref());
        return Some(mode.is_some_and(|m| m != "AUTO_PASSTHROUGH"));
    }
    // A Gateway already there: vdc keeps its ports and hosts, not its TLS, and the usual one
    // (Istio's cross-network gateway) passes mTLS through.
    remote
        .cluster
        .istio_objects
        .iter()
        .any(|o| {
            o.meta.kind == "Gateway"
                && selects(&o.selector.to_map())
                && o.servers
                    .iter()
                    .any(|s| s.port == port && s.hosts.iter().any(takes))
        })
        .then_some(false)
}

/// The workloads a gateway of `remote` reaches for `host` (pods, and VMs registered there),
/// as `namespace/name`, and their identities.
fn reached_through(
    remote: &ClusterView,
    host: &str,
    subset: &Labels,
) -> (Vec<String>, Vec<String>) {
    let Some((ns, selector)) = selector_for_host(remote, host) else {
        return Default::default();
    };
    let fits = |labels: &crate::model::types::Labels| {
        labels_match(&*selector, labels) && labels_match(subset, labels)
    };
    let mut pods = Vec::new();
    let mut identities = Vec::new();
    for w in &remote.cluster.workloads {
        if w.meta.namespace == ns && fits(&w.pod_labels) && remote.cluster.stands_for_itself(w) {
            pods.push(format!("{}/{}", w.meta.namespace, w.meta.name));
            identities.push(identity(remote, w));
        }
    }
    for vm in &remote.cluster.workload_entries {
        if vm.meta.namespace == ns && fits(&vm.labels) {
            pods.push(format!("{}/{}", vm.meta.namespace, vm.meta.name));
            identities.push(format!(
                "spiffe://{}/ns/{ns}/sa/{}",
                trust_domain(remote),
                vm.service_account
            ));
        }
    }
    (pods, identities)
}

/// The namespace and selector of the workloads `remote` serves `host` with: the cluster's
/// ServiceEntry for the host, else the Kubernetes Service of that name.
fn selector_for_host<'a>(
    remote: &ClusterView<'a>,
    host: &str,
) -> Option<(&'a str, Cow<'a, Labels>)> {
    let domain = remote.cluster_domain();
    remote
        .each(config::service_entry)
        .find_map(|(meta, se)| {
            let selector = se.workload_selector.as_ref()?;
            se.hosts
                .iter()
                .any(|h| host_matches(h, host))
                .then_some((meta.namespace.as_str(), Cow::Borrowed(&selector.labels)))
        })
        .or_else(|| {
            remote.cluster.services.iter().find_map(|s| {
                let fqdn = format!("{}.{}.svc.{domain}", s.meta.name, s.meta.namespace);
                (fqdn == host && !s.selector.is_empty())
                    .then(|| (s.meta.namespace.as_str(), Cow::Owned(s.selector.to_map())))
            })
        })
}

/// The east-west gateways of every cluster but the client's, by the address clients dial.
struct GatewayIndex<'a> {
    by_address: HashMap<&'a str, Vec<(&'a str, &'a Service)>>,
    /// Addresses of ExternalEndpoints: sites outside every cluster.
    external: HashSet<&'a str>,
}

impl<'a> GatewayIndex<'a> {
    fn new(view: &ClusterView<'a>) -> GatewayIndex<'a> {
        let mut by_address: HashMap<&'a str, Vec<(&'a str, &'a Service)>> = HashMap::new();
        for (name, cluster) in &view.world.clusters {
            if name == view.name {
                continue;
            }
            for svc in &cluster.services {
                for address in svc.ingress.iter().chain(&svc.external_ips) {
                    by_address
                        .entry(address.as_str())
                        .or_default()
                        .push((name.as_str(), svc));
                }
            }
        }
        let external = view
            .world
            .external
            .endpoints
            .iter()
            .map(|e| e.address.as_str())
            .collect();
        GatewayIndex {
            by_address,
            external,
        }
    }

    /// The cluster and gateway Service that answer at `address:port`, and whether that
    /// Service has the port: an address of another cluster's Service that lacks the port is
    /// still that cluster's, and refuses the connection.
    fn at(&self, address: &str, port: u32) -> Option<(&'a str, &'a Service, bool)> {
        let services = self.by_address.get(address)?;
        let listening = services
            .iter()
            .find(|(_, svc)| svc.ports.iter().any(|p| p.port == port));
        match listening {
            Some(&(cluster, svc)) => Some((cluster, svc, true)),
            None => services
                .first()
                .map(|&(cluster, svc)| (cluster, svc, false)),
        }
    }
}
