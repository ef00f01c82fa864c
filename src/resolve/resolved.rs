//! What resolution decides: the result types of every resolution step, in one place, so the
//! steps (`vd` and its helpers, `policies`, `external`, `routing`) depend on these types and
//! not on each other.

use super::workspaces::Workspaces;
use crate::model::external::{EsTls, ExternalEndpoint, ExternalService};
use crate::model::policy::Policy;
use crate::model::routing_types::*;
use crate::model::selector::labels_match;
use crate::model::types::*;
use crate::model::{GlooKind, World};
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::sync::Arc;

/// A Service chosen to back a VirtualDestination in one cluster.
#[derive(Debug, Clone)]
pub struct Backing<'w> {
    pub service: &'w Service,
    /// Per VD port (same order): the workload (container) port traffic lands on.
    pub workload_ports: Vec<u32>,
    /// `spiffe://…` identities of the workloads behind the Service.
    pub identities: BTreeSet<String>,
    /// Pod labels of the workloads behind the Service (empty: the dump has none of them).
    pub pod_labels: Vec<Labels>,
}

impl Backing<'_> {
    /// Whether pods with `labels` may run behind this Service: some workload in the dump carries
    /// them, or the dump holds none of its workloads and so cannot tell.
    pub fn may_serve(&self, labels: &Labels) -> bool {
        self.pod_labels.is_empty() || self.pod_labels.iter().any(|pod| labels_match(labels, pod))
    }
}

/// A Service matched by a selector but not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub reason: String,
}

/// One address of a cluster's east-west gateway, as remote clients dial it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GatewayAddress {
    pub address: String,
    pub port: u32,
    /// The gateway's `tlsTerminationPort` (0 when it has none).
    pub termination_port: u32,
    pub locality: String,
}

/// An east-west gateway of a backing cluster.
#[derive(Debug, Clone)]
pub struct EastWestGateway<'w> {
    pub service: &'w Service,
    /// The gateway Service's port that receives mTLS passthrough (named `tls` by default).
    pub tls_port: u32,
    /// The port that terminates mTLS in `tlsTermination` mode (named `https` by default); 0
    /// when the Service has none.
    pub tls_termination_port: u32,
    pub addresses: Vec<GatewayAddress>,
}

/// Where a VirtualDestination's objects go in one cluster. Shared: a VD placed in every cluster
/// of a fleet has the same placement in most of them, and a copy each was a tenth of the
/// resolution's memory on 2,000 clusters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Placement {
    pub home_namespace: Arc<str>,
    pub export_to: Arc<[String]>,
}

#[derive(Debug, Clone)]
pub struct ResolvedVd<'w> {
    pub vd: &'w VirtualDestination,
    pub owner: String,
    /// Workspaces the VD is visible in (the owner included), sorted.
    pub visible: BTreeSet<String>,
    pub vip: Ipv4Addr,
    pub backing: BTreeMap<String, Backing<'w>>,
    pub passed_over: Vec<PassedOver>,
    /// East-west gateways of each backing cluster.
    pub gateways: BTreeMap<String, Vec<EastWestGateway<'w>>>,
    /// Every cluster that gets output, and where.
    pub placements: BTreeMap<String, Placement>,
    /// Per VD port (same order): the policies merged into its DestinationRule entry. `explain`
    /// derives its summary and status counters from these alone.
    pub port_policies: Vec<PortPolicies<'w>>,
    /// Subsets RouteTables route to: name → labels, added to the DestinationRule.
    pub subsets: BTreeMap<String, Labels>,
    /// External backends and the client mode.
    pub external: VdExternal<'w>,
}

impl ResolvedVd<'_> {
    /// Remote endpoints as seen from `cluster`: every gateway address of every other backing
    /// cluster, with that cluster's backing.
    pub fn remote_endpoints(&self, cluster: &str) -> Vec<(&GatewayAddress, &Backing<'_>)> {
        let mut out = Vec::new();
        for (remote, backing) in &self.backing {
            if remote == cluster {
                continue;
            }
            for gw in self.gateways.get(remote).into_iter().flatten() {
                for addr in &gw.addresses {
                    out.push((addr, backing));
                }
            }
        }
        out
    }

    /// Every backing identity in every cluster, sorted and unique.
    pub fn identities(&self) -> BTreeSet<&str> {
        self.backing
            .values()
            .flat_map(|b| b.identities.iter().map(String::as_str))
            .collect()
    }
}

/// The resolved input.
pub struct Resolved<'w> {
    pub world: &'w World,
    pub workspaces: Workspaces<'w>,
    /// VirtualDestinations that resolved completely, in (namespace, name, cluster) order.
    pub vds: Vec<ResolvedVd<'w>>,
    pub routing: Routing<'w>,
    pub external: ExternalIndex<'w>,
}

/// The policies applied to one VD port: at most one of each kind.
#[derive(Debug, Clone, Default)]
pub struct PortPolicies<'w> {
    by_kind: BTreeMap<GlooKind, &'w Policy>,
}

impl<'w> PortPolicies<'w> {
    /// Applies `policy` (the winner of its kind on this port).
    pub fn apply(&mut self, policy: &'w Policy) {
        self.by_kind.insert(policy.kind(), policy);
    }

    /// Applies each of `policies`.
    pub fn extend(&mut self, policies: impl IntoIterator<Item = &'w Policy>) {
        for policy in policies {
            self.apply(policy);
        }
    }

    pub fn get(&self, kind: GlooKind) -> Option<&'w Policy> {
        self.by_kind.get(&kind).copied()
    }

    /// Takes the policy of `kind` back off the port.
    pub fn remove(&mut self, kind: GlooKind) -> Option<&'w Policy> {
        self.by_kind.remove(&kind)
    }

    /// The applied policies, in the order of their kinds.
    pub fn iter(&self) -> impl Iterator<Item = &'w Policy> + '_ {
        self.by_kind.values().copied()
    }
}

/// An ingress Gateway generated from a VirtualGateway, in one cluster and namespace.
#[derive(Debug, Clone)]
pub struct GatewayPlacement<'w> {
    pub gateway: &'w VirtualGateway,
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// The gateway pods' labels (the gateway Service's selector).
    pub selector: Labels,
    /// One per listener whose port the gateway Service has, in listener order.
    pub servers: Vec<GatewayServer<'w>>,
}

/// One server of an ingress Gateway: a VirtualGateway listener on one gateway Service.
#[derive(Debug, Clone)]
pub struct GatewayServer<'w> {
    /// The port number on the gateway Service (a named listener port looked up there).
    pub number: u32,
    pub listener: &'w Listener,
    /// The listener's index in the VirtualGateway's `listeners`.
    pub index: usize,
    /// The hosts of the RouteTables the listener admits; empty when none attaches.
    pub hosts: BTreeSet<String>,
}

/// A route destination, resolved to the host Istio routes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub host: String,
    pub port: Option<u32>,
    pub subset: Option<String>,
    pub weight: Option<u32>,
    /// The Kubernetes Service it names, checked in every cluster its route is written to.
    pub service: Option<Arc<ServiceRef>>,
    /// The workspaces that see the VirtualDestination or ExternalService it names, checked
    /// against every workspace its route is served in; `None` for other destinations.
    pub seen_by: Option<Arc<SeenBy>>,
}

/// A VirtualDestination or ExternalService a route destination names, and the workspaces that
/// see it: its owner's and those it is exported to that import it.
#[derive(Debug)]
pub struct SeenBy {
    /// `VirtualDestination` or `ExternalService`.
    pub kind: &'static str,
    /// `namespace/name`.
    pub name: String,
    pub owner: String,
    pub workspaces: BTreeSet<String>,
    /// The destination in its file, and its path.
    pub site: crate::diagnostic::Site,
    pub field: String,
    /// Whether it is a MirrorPolicy's destination, which the route mirrors to.
    pub mirrored: bool,
}

impl PartialEq for SeenBy {
    fn eq(&self, other: &Self) -> bool {
        (self.kind, &self.name, &self.workspaces, &self.field)
            == (other.kind, &other.name, &other.workspaces, &other.field)
    }
}

impl Eq for SeenBy {}

/// A Kubernetes Service a route or mirror destination names. Whether it exists is checked per
/// cluster the VirtualService is written to, once placements are known.
#[derive(Debug, Clone)]
pub struct ServiceRef {
    pub namespace: String,
    pub name: String,
    /// The cluster its `ref` names; `None` when it names none: then each cluster's own Service.
    pub cluster: Option<String>,
    /// The destination in its file.
    pub site: crate::diagnostic::Site,
    pub origin: ServiceOrigin,
    /// The labels of the subset the destination asks for; empty for none.
    pub subset_labels: Labels,
    /// The port the destination asks for, by number or name, and where; `None` when it names
    /// none. It is looked up in the Service of each cluster the route is written to.
    pub port: Option<(PortRef, crate::diagnostic::Site)>,
}

/// What names a [`ServiceRef`], for its diagnostics.
#[derive(Debug, Clone)]
pub enum ServiceOrigin {
    /// A route destination: the route's name and the destination's path.
    Route { route: String, field: String },
    /// A MirrorPolicy's destination, and the policy's workspace.
    Mirror { workspace: String },
}

/// The path of a MirrorPolicy's destination.
pub const MIRROR_FIELD: &str = "spec.config.destination";

impl ServiceOrigin {
    /// The route's name and the destination's path; for a mirror, no route and its field.
    pub fn route_and_field(&self) -> (&str, &str) {
        match self {
            ServiceOrigin::Route { route, field } => (route, field),
            ServiceOrigin::Mirror { .. } => ("", MIRROR_FIELD),
        }
    }

    /// The MirrorPolicy's workspace, for a mirror's destination.
    pub fn mirror_workspace(&self) -> Option<&String> {
        match self {
            ServiceOrigin::Route { .. } => None,
            ServiceOrigin::Mirror { workspace } => Some(workspace),
        }
    }
}

impl ServiceRef {
    /// Its host in a cluster of domain `domain`.
    pub fn host(&self, domain: &str) -> String {
        format!("{}.{}.svc.{domain}", self.name, self.namespace)
    }
}

impl PartialEq for ServiceRef {
    fn eq(&self, other: &Self) -> bool {
        (&self.namespace, &self.name, &self.cluster)
            == (&other.namespace, &other.name, &other.cluster)
    }
}

impl Eq for ServiceRef {}

/// What a route does, resolved.
#[derive(Debug, Clone)]
pub enum ResolvedAction<'w> {
    Forward {
        destinations: Vec<Destination>,
        /// As written, or for a delegated route the one its narrowed matchers need.
        rewrite: std::borrow::Cow<'w, Rewrite>,
    },
    Redirect(&'w Redirect),
    DirectResponse(&'w DirectResponse),
}

#[derive(Debug, Clone)]
pub struct Route<'w> {
    pub name: String,
    /// Its own matchers, or for a delegated route those narrowed by its parents'.
    pub matchers: std::borrow::Cow<'w, [RequestMatcher]>,
    pub action: ResolvedAction<'w>,
    /// The route policies that select it.
    pub policies: RoutePolicies<'w>,
    /// Where it is and what labels it carries, for the route policies to select it by.
    pub at: RouteAt<'w>,
}

/// A route as route policies select it: where it is, and the labels it carries.
#[derive(Debug, Clone)]
pub struct RouteAt<'w> {
    /// The RouteTable that holds it (for a delegated route, the delegated table).
    pub rt: &'w RouteTable,
    /// That table's workspace.
    pub rt_ws: String,
    pub route: &'w HttpRoute,
    /// Its label sets, the one that decides a key first: Gloo's "route label inheritance"
    /// (docs.solo.io, Gloo Mesh 2.5+, traffic_management/concepts/route-tables/route-labels)
    /// gives a route its table's `metadata.labels`, overridden key by key by its own
    /// `http[].labels`; a delegated route then inherits, in this order of precedence, "the
    /// label of the child route, the child route's table, the parent route, the parent
    /// route's table" (and so on up a longer chain).
    pub labels: Vec<&'w Labels>,
    /// The workspaces of its table and of the tables that delegate to it: those whose route
    /// policies may select it.
    pub workspaces: Vec<String>,
    /// The tables that delegate to it, each with its workspace, nearest first.
    pub delegated_from: Vec<(&'w RouteTable, String)>,
}

impl<'w> RouteAt<'w> {
    /// `route` of `rt` (in workspace `rt_ws`), before any delegation.
    pub fn new(rt: &'w RouteTable, rt_ws: &str, route: &'w HttpRoute) -> Self {
        RouteAt {
            rt,
            rt_ws: rt_ws.to_owned(),
            route,
            labels: vec![&route.labels, &rt.meta.labels],
            workspaces: vec![rt_ws.to_owned()],
            delegated_from: Vec::new(),
        }
    }

    /// The route as delegated to by `parent_route` of `parent`, a table of workspace
    /// `parent_ws`: it inherits their labels, below its own, and the parent's policies.
    pub fn delegated_by(
        &mut self,
        parent: &'w RouteTable,
        parent_ws: &str,
        parent_route: &'w HttpRoute,
    ) {
        self.labels.push(&parent_route.labels);
        self.labels.push(&parent.meta.labels);
        if !self.workspaces.iter().any(|w| w == parent_ws) {
            self.workspaces.push(parent_ws.to_owned());
        }
        self.delegated_from.push((parent, parent_ws.to_owned()));
    }

    /// The value of label `key` on the route: from the first label set that has it.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.iter().find_map(|l| l.get(key))
    }
}

impl Route<'_> {
    /// The destinations it forwards to; none for a redirect or a direct response.
    pub fn destinations(&self) -> &[Destination] {
        match &self.action {
            ResolvedAction::Forward { destinations, .. } => destinations,
            _ => &[],
        }
    }
}

/// The route policies applied to one route: at most one of each kind, each with the selector
/// that picked the route.
#[derive(Debug, Clone, Default)]
pub struct RoutePolicies<'w> {
    by_kind: BTreeMap<GlooKind, (&'w Policy, String)>,
    /// Where its MirrorPolicy mirrors to, resolved like a route destination.
    pub mirror_to: Option<Destination>,
}

impl<'w> RoutePolicies<'w> {
    /// Applies `policy` (the winner of its kind on this route), selected by `selected_by`
    /// (`applyToRoutes[i]`, or that it has none).
    pub fn apply(&mut self, policy: &'w Policy, selected_by: String) {
        self.by_kind.insert(policy.kind(), (policy, selected_by));
    }

    /// The applied policies in the order of their kinds, each with its selector.
    pub fn iter(&self) -> impl Iterator<Item = (&'w Policy, &str)> + '_ {
        self.by_kind.values().map(|(p, how)| (*p, how.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.by_kind.is_empty()
    }
}

/// One VirtualService: a RouteTable as seen by the gateway (or workloads) of one cluster.
#[derive(Debug, Clone)]
pub struct VirtualServicePlacement<'w> {
    pub table: &'w RouteTable,
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    pub export_to: Vec<String>,
    pub gateways: Vec<String>,
    /// The `sourceLabels` of each selector that picks the workloads here (the gateway's
    /// selector, or each of the table's `workloadSelectors` that picks workloads in the
    /// cluster); an empty set stands for every source.
    pub source_labels: Vec<Labels>,
    /// The table's routes, shared by its VirtualServices.
    pub routes: std::sync::Arc<[Route<'w>]>,
    /// `cluster`'s domain: a Service destination that names no cluster is `cluster`'s own
    /// Service, `<name>.<namespace>.svc.<this domain>`.
    pub cluster_domain: String,
    /// The number of each Service port a destination here names by name, in `cluster`'s
    /// Service: (namespace, Service, port name) → port number.
    pub service_ports: BTreeMap<(String, String, String), u32>,
}

impl VirtualServicePlacement<'_> {
    /// The port number `d` routes to here: the one it was resolved to, else the number of the
    /// Service port it names by name in this cluster.
    pub fn port_of(&self, d: &Destination) -> Option<u32> {
        d.port.or_else(|| {
            let service = d.service.as_deref()?;
            let Some((PortRef::Name(name), _)) = &service.port else {
                return None;
            };
            let key = (
                service.namespace.clone(),
                service.name.clone(),
                name.clone(),
            );
            self.service_ports.get(&key).copied()
        })
    }
}

/// The DestinationRule that defines, in one cluster, the subsets that the VirtualServices
/// written there ask of one Kubernetes Service, as Gloo writes one for such routes.
#[derive(Debug, Clone)]
pub struct ServiceSubsets<'w> {
    pub cluster: String,
    /// The Service's namespace, where the DestinationRule goes.
    pub namespace: String,
    pub name: String,
    pub host: String,
    /// The namespaces of those VirtualServices' clients, sorted.
    pub export_to: BTreeSet<String>,
    /// Subset name → its labels.
    pub subsets: BTreeMap<String, Labels>,
    /// The first RouteTable that asks for one (its provenance labels).
    pub parent: &'w RouteTable,
}

/// A subset a route sends traffic to: its VirtualDestination's DestinationRule defines it.
#[derive(Debug, Clone)]
pub struct RouteSubset {
    /// The VirtualDestination's index among the resolved ones (`Resolved::vds`).
    pub vd: usize,
    pub name: String,
    pub labels: Labels,
    /// The destination that asks for it: its place, route and path, for VDC724.
    pub site: crate::diagnostic::Site,
    pub route: String,
    pub field: String,
}

#[derive(Debug, Default)]
pub struct Routing<'w> {
    pub gateways: Vec<GatewayPlacement<'w>>,
    pub virtual_services: Vec<VirtualServicePlacement<'w>>,
    /// The DestinationRules that define the subsets routes ask of Kubernetes Services.
    pub service_subsets: Vec<ServiceSubsets<'w>>,
    /// The indices (in `World::policies`) of the route policies that select some route, in
    /// its own table or as delegated or imported.
    pub selected_route_policies: BTreeSet<usize>,
}

/// One ExternalService, resolved.
#[derive(Debug, Clone)]
pub struct ResolvedEs<'w> {
    pub es: &'w ExternalService,
    pub owner: String,
    /// The owner and every workspace it shares the ExternalService with, sorted.
    pub consumers: BTreeSet<String>,
    /// Selected ExternalEndpoints, sorted by (namespace, name).
    pub endpoints: Vec<&'w ExternalEndpoint>,
    /// The hosts of its ServiceEntry: `hosts`, or for an `addresses` ExternalService a name
    /// vdc makes up, `<name>.<namespace>.external` (Istio needs one).
    pub hosts: Vec<String>,
    /// (cluster, workspace of the RouteTable) → the namespaces where routes to it are used:
    /// the copy of its objects for that workspace in that cluster is exported to them.
    pub routed_from: BTreeMap<(String, String), BTreeSet<String>>,
}

/// An endpoint outside the mesh: an ExternalEndpoint, or a host or address dialled directly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExtEndpoint {
    pub address: String,
    pub port: u32,
    pub locality: String,
}

/// Every ExternalService that resolved.
#[derive(Debug, Default)]
pub struct ExternalIndex<'w> {
    pub services: Vec<ResolvedEs<'w>>,
}

/// The external backends of one VD port.
#[derive(Debug, Clone, Default)]
pub struct PortExternal {
    pub endpoints: Vec<ExtEndpoint>,
    /// The port's client TLS when external backends decide it (none back it in the mesh).
    pub tls: Option<EsTls>,
    /// SANs the ExternalServices add (`subjectAltNames`).
    pub subject_alt_names: Vec<String>,
}

/// What a VirtualDestination's external backends and client mode add to it.
#[derive(Debug, Clone, Default)]
pub struct VdExternal<'w> {
    pub client_mode: ClientMode,
    /// Where the client mode came from: `VirtualDestination`, `WorkspaceSettings` or `default`.
    pub client_mode_source: &'static str,
    pub services: Vec<ResolvedEs<'w>>,
    /// Per VD port, in order.
    pub ports: Vec<PortExternal>,
}
