//! The policies that attach to routes (`applyToRoutes`) and to destination ports
//! (`applyToDestinations`) beyond failover and outlier detection: their kinds, how a document of
//! each is decoded, and where they are kept in the world.

use super::decode::DecodeContext;
use super::destination_policy::{self as dest, Connection, DestinationPolicy, LoadBalancing};
use super::route_policy::{
    self as route, Cors, FaultInjection, HeaderManipulation, Mirror, RetryTimeout, RoutePolicy,
};
use super::types::Meta;
use crate::load::node::Node;

/// The API group of each kind kept here.
const KINDS: &[(&str, &str)] = &[
    ("resilience.policy.gloo.solo.io", "RetryTimeoutPolicy"),
    ("resilience.policy.gloo.solo.io", "FaultInjectionPolicy"),
    ("resilience.policy.gloo.solo.io", "ConnectionPolicy"),
    ("security.policy.gloo.solo.io", "CORSPolicy"),
    (
        "trafficcontrol.policy.gloo.solo.io",
        "HeaderManipulationPolicy",
    ),
    ("trafficcontrol.policy.gloo.solo.io", "MirrorPolicy"),
    ("trafficcontrol.policy.gloo.solo.io", "LoadBalancerPolicy"),
];

/// Whether `kind` of API group `group` is a policy kept here.
pub fn is_attached_kind(group: &str, kind: &str) -> bool {
    KINDS.contains(&(group, kind))
}

/// One decoded policy of a kind kept here.
#[derive(Debug, Clone)]
pub enum AttachedPolicy {
    RetryTimeout(RoutePolicy<RetryTimeout>),
    FaultInjection(RoutePolicy<FaultInjection>),
    Cors(RoutePolicy<Cors>),
    HeaderManipulation(RoutePolicy<HeaderManipulation>),
    Mirror(RoutePolicy<Mirror>),
    Connection(DestinationPolicy<Connection>),
    LoadBalancer(DestinationPolicy<LoadBalancing>),
}

/// Every policy kept here, by kind, each list sorted by (cluster, namespace, name).
#[derive(Debug, Default)]
pub struct AttachedPolicies {
    pub retry_timeout: Vec<RoutePolicy<RetryTimeout>>,
    pub fault_injection: Vec<RoutePolicy<FaultInjection>>,
    pub cors: Vec<RoutePolicy<Cors>>,
    pub header_manipulation: Vec<RoutePolicy<HeaderManipulation>>,
    pub mirror: Vec<RoutePolicy<Mirror>>,
    pub connection: Vec<DestinationPolicy<Connection>>,
    pub load_balancer: Vec<DestinationPolicy<LoadBalancing>>,
}

/// Decodes a document of a kind kept here (`is_attached_kind`).
pub(super) fn decode(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> AttachedPolicy {
    fn on_routes<C>(
        meta: Meta,
        (apply_to, config): (Vec<route::RouteSelector>, C),
    ) -> RoutePolicy<C> {
        RoutePolicy {
            meta,
            apply_to,
            config,
        }
    }
    fn on_destinations<C>(
        meta: Meta,
        (apply_to, config): (Vec<super::types::DestinationSelector>, C),
    ) -> DestinationPolicy<C> {
        DestinationPolicy {
            meta,
            apply_to,
            config,
        }
    }
    match meta.kind.as_str() {
        "RetryTimeoutPolicy" => {
            AttachedPolicy::RetryTimeout(on_routes(meta, route::retry_timeout_policy(cx, doc)))
        }
        "FaultInjectionPolicy" => {
            AttachedPolicy::FaultInjection(on_routes(meta, route::fault_injection_policy(cx, doc)))
        }
        "CORSPolicy" => AttachedPolicy::Cors(on_routes(meta, route::cors_policy(cx, doc))),
        "HeaderManipulationPolicy" => AttachedPolicy::HeaderManipulation(on_routes(
            meta,
            route::header_manipulation_policy(cx, doc),
        )),
        "MirrorPolicy" => AttachedPolicy::Mirror(on_routes(meta, route::mirror_policy(cx, doc))),
        "ConnectionPolicy" => {
            AttachedPolicy::Connection(on_destinations(meta, dest::connection_policy(cx, doc)))
        }
        _ => {
            AttachedPolicy::LoadBalancer(on_destinations(meta, dest::load_balancer_policy(cx, doc)))
        }
    }
}

impl AttachedPolicies {
    pub(super) fn push(&mut self, p: AttachedPolicy) {
        match p {
            AttachedPolicy::RetryTimeout(p) => self.retry_timeout.push(p),
            AttachedPolicy::FaultInjection(p) => self.fault_injection.push(p),
            AttachedPolicy::Cors(p) => self.cors.push(p),
            AttachedPolicy::HeaderManipulation(p) => self.header_manipulation.push(p),
            AttachedPolicy::Mirror(p) => self.mirror.push(p),
            AttachedPolicy::Connection(p) => self.connection.push(p),
            AttachedPolicy::LoadBalancer(p) => self.load_balancer.push(p),
        }
    }

    pub(super) fn sort(&mut self) {
        fn by_identity(m: &Meta) -> (&str, &str, &str) {
            (&m.cluster, &m.namespace, &m.name)
        }
        macro_rules! sort {
            ($($list:ident),*) => {
                $(self.$list.sort_by(|a, b| by_identity(&a.meta).cmp(&by_identity(&b.meta)));)*
            };
        }
        sort!(
            retry_timeout,
            fault_injection,
            cors,
            header_manipulation,
            mirror,
            connection,
            load_balancer
        );
    }

    /// The metadata of every policy kept here.
    pub fn metas(&self) -> impl Iterator<Item = &Meta> {
        let routes = (self.retry_timeout.iter().map(|p| &p.meta))
            .chain(self.fault_injection.iter().map(|p| &p.meta))
            .chain(self.cors.iter().map(|p| &p.meta))
            .chain(self.header_manipulation.iter().map(|p| &p.meta))
            .chain(self.mirror.iter().map(|p| &p.meta));
        let destinations = (self.connection.iter().map(|p| &p.meta))
            .chain(self.load_balancer.iter().map(|p| &p.meta));
        routes.chain(destinations)
    }
}
