//! The policies that attach to routes (`applyToRoutes`) and to destination ports
//! (`applyToDestinations`) beyond failover and outlier detection: their kinds, how a document of
//! each is decoded, and where they are kept in the world.

use super::destination_policy::{Connection, DestinationPolicy, LoadBalancing};
use super::route_policy::{
    self as route, Cors, FaultInjection, HeaderManipulation, Mirror, RetryTimeout, RoutePolicy,
};
use super::types::{DestinationSelector, Meta};

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

/// A decoded route policy of `meta`.
pub(super) fn on_routes<C>(
    meta: Meta,
    (apply_to, config): (Vec<route::RouteSelector>, C),
) -> RoutePolicy<C> {
    RoutePolicy {
        meta,
        apply_to,
        config,
    }
}

/// A decoded destination policy of `meta`.
pub(super) fn on_destinations<C>(
    meta: Meta,
    (apply_to, config): (Vec<DestinationSelector>, C),
) -> DestinationPolicy<C> {
    DestinationPolicy {
        meta,
        apply_to,
        config,
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
