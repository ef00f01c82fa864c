//! The policy family: a [`Policy`] of any kind, what it selects and its settings by kind; and the
//! decoders of Gloo 2.x FailoverPolicy and OutlierDetectionPolicy, run after the schema check
//! ([`crate::model::schema`]), which read only what vdc translates. The other kinds' settings and
//! decoders are in [`super::route_policy`] (they change routes) and
//! [`super::destination_policy`] (they change DestinationRule port entries).

use super::decode::Located;
use super::decode::{DecodeContext, Fields};
use super::destination_policy::{Connection, LoadBalancing};
use super::gloo::spec;
use super::kinds::GlooKind;
use super::policy_fields::apply_to_destinations;
pub use super::policy_fields::{DestinationSelector, Millis, parse_duration};
use super::route_policy::{
    Cors, FaultInjection, HeaderManipulation, Mirror, RetryTimeout, RouteSelector,
};
use super::types::*;
use crate::load::node::Node;
use crate::load::node::Pos;
use crate::rules::schema::invalid_value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalityTarget {
    pub locality: LocalitySpec,
    pub weight: Option<Located<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalityMapping {
    pub from: LocalitySpec,
    pub to: Vec<LocalityTarget>,
    pub pos: Pos,
}

/// A policy of any kind: what it selects, and what it sets on what it selects. Resolution
/// selects policies per VirtualDestination port whatever their kind (oldest wins per kind);
/// translation asks the settings what they change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub meta: Meta,
    /// `spec.applyToDestinations`: the destinations (and ports) it applies to; none applies it
    /// to every destination of its workspace.
    pub apply_to_destinations: Vec<DestinationSelector>,
    /// `spec.applyToRoutes`: the routes it applies to; none applies it to every route of its
    /// workspace.
    pub apply_to_routes: Vec<RouteSelector>,
    pub settings: PolicySettings,
}

/// What a policy sets, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySettings {
    Failover(FailoverSettings),
    OutlierDetection(OutlierDetectionSettings),
    Connection(Connection),
    LoadBalancer(LoadBalancing),
    RetryTimeout(RetryTimeout),
    FaultInjection(FaultInjection),
    Cors(Cors),
    HeaderManipulation(HeaderManipulation),
    Mirror(Mirror),
}

/// What a policy applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyTarget {
    /// Ports of VirtualDestinations, by `applyToDestinations`: it changes their
    /// DestinationRule port entries.
    Destinations,
    /// Routes of RouteTables, by `applyToRoutes`: it changes their VirtualService routes.
    Routes,
}

impl Policy {
    /// A policy that selects destinations, from its decoded `applyToDestinations` and settings.
    pub(super) fn on_destinations(
        meta: Meta,
        (apply_to_destinations, settings): (Vec<DestinationSelector>, PolicySettings),
    ) -> Policy {
        Policy {
            meta,
            apply_to_destinations,
            apply_to_routes: Vec::new(),
            settings,
        }
    }

    /// A policy that selects routes, from its decoded `applyToRoutes` and settings.
    pub(super) fn on_routes(
        meta: Meta,
        (apply_to_routes, settings): (Vec<RouteSelector>, PolicySettings),
    ) -> Policy {
        Policy {
            meta,
            apply_to_destinations: Vec::new(),
            apply_to_routes,
            settings,
        }
    }

    pub fn kind(&self) -> GlooKind {
        match self.settings {
            PolicySettings::Failover(_) => GlooKind::FailoverPolicy,
            PolicySettings::OutlierDetection(_) => GlooKind::OutlierDetectionPolicy,
            PolicySettings::Connection(_) => GlooKind::ConnectionPolicy,
            PolicySettings::LoadBalancer(_) => GlooKind::LoadBalancerPolicy,
            PolicySettings::RetryTimeout(_) => GlooKind::RetryTimeoutPolicy,
            PolicySettings::FaultInjection(_) => GlooKind::FaultInjectionPolicy,
            PolicySettings::Cors(_) => GlooKind::CORSPolicy,
            PolicySettings::HeaderManipulation(_) => GlooKind::HeaderManipulationPolicy,
            PolicySettings::Mirror(_) => GlooKind::MirrorPolicy,
        }
    }

    /// Whether it selects destination ports or routes.
    pub fn target(&self) -> PolicyTarget {
        match self.settings {
            PolicySettings::Failover(_)
            | PolicySettings::OutlierDetection(_)
            | PolicySettings::Connection(_)
            | PolicySettings::LoadBalancer(_) => PolicyTarget::Destinations,
            PolicySettings::RetryTimeout(_)
            | PolicySettings::FaultInjection(_)
            | PolicySettings::Cors(_)
            | PolicySettings::HeaderManipulation(_)
            | PolicySettings::Mirror(_) => PolicyTarget::Routes,
        }
    }
}

/// A FailoverPolicy's `spec.config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailoverSettings {
    pub mappings: Vec<LocalityMapping>,
    pub priority_labels: Vec<String>,
}

impl FailoverSettings {
    /// Whether any target of any mapping has a `weight`: then every mapping becomes a
    /// `distribute` entry, else a `failover` one.
    pub fn weighted(&self) -> bool {
        self.mappings
            .iter()
            .any(|m| m.to.iter().any(|t| t.weight.is_some()))
    }
}

/// An OutlierDetectionPolicy's `spec.config`, defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlierDetectionSettings {
    pub consecutive_errors: u32,
    pub interval: Millis,
    pub base_ejection_time: Millis,
    pub max_ejection_percent: u32,
    pub consecutive_gateway_errors: Option<u32>,
}

fn locality(f: &mut Fields) -> LocalitySpec {
    LocalitySpec {
        region: f
            .required_string("region")
            .map(|r| r.value)
            .unwrap_or_default(),
        zone: f.string("zone").map(|z| z.value),
        sub_zone: f.string("subZone").map(|z| z.value),
    }
}

/// What vdc reads from a FailoverPolicy.
pub(super) fn failover_policy(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> Policy {
    let (apply_to_destinations, failover) = spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        let (mappings, priority_labels) = s
            .object("config", |c| {
                let mappings = c.objects("localityMappings", |m| {
                    let pos = m.pos;
                    let from = m.object("from", locality).unwrap_or_default();
                    let to = m.objects("to", |t| {
                        let loc = locality(t);
                        let weight = t.uint("weight", 0, 100);
                        Some(LocalityTarget {
                            locality: loc,
                            weight,
                        })
                    });
                    Some(LocalityMapping { from, to, pos })
                });
                let labels = c
                    .object("priorityLabels", |p| p.strings("labels"))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|l| l.value)
                    .collect();
                (mappings, labels)
            })
            .unwrap_or_default();
        let failover = FailoverSettings {
            mappings,
            priority_labels,
        };
        (apply_to, failover)
    });
    let settings = PolicySettings::Failover(failover);
    Policy::on_destinations(meta, (apply_to_destinations, settings))
}

fn duration(f: &mut Fields, key: &'static str, default: Millis) -> Millis {
    // Not a string: the schema check reported it.
    let Some(value) = f.string(key) else {
        return default;
    };
    match parse_duration(&value) {
        Ok(ms) => ms,
        Err(problem) => {
            let path = f.path(key);
            let case = invalid_value::Case::Unreadable {
                path: &path,
                problem: &problem,
            };
            let site = f.cx.site(value.pos);
            f.cx.push(invalid_value::diagnostic(site, case));
            default
        }
    }
}

/// What vdc reads from an OutlierDetectionPolicy.
pub(super) fn outlier_detection_policy(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> Policy {
    let (apply_to_destinations, outlier) = spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        for d in &apply_to {
            if d.kind == "SERVICE" {
                let site = s.cx.site(d.selector.pos);
                let case = invalid_value::Case::OutlierDetectionOnService;
                s.cx.push(invalid_value::diagnostic(site, case));
            }
        }
        let outlier = s
            .object("config", outlier_detection)
            .unwrap_or(OutlierDetectionSettings {
                consecutive_errors: 5,
                interval: 10_000,
                base_ejection_time: 30_000,
                max_ejection_percent: 100,
                consecutive_gateway_errors: None,
            });
        (apply_to, outlier)
    });
    let settings = PolicySettings::OutlierDetection(outlier);
    Policy::on_destinations(meta, (apply_to_destinations, settings))
}

/// An OutlierDetectionPolicy's `config`, Gloo's defaults filled in.
fn outlier_detection(c: &mut Fields) -> OutlierDetectionSettings {
    let max = i32::MAX as u32;
    let consecutive_errors = c.uint("consecutiveErrors", 1, max).map_or(5, |v| v.value);
    let interval = duration(c, "interval", 10_000);
    let base = duration(c, "baseEjectionTime", 30_000);
    let percent = c
        .uint("maxEjectionPercent", 0, 100)
        .map_or(100, |v| v.value);
    let gateway = c.uint("consecutiveGatewayErrors", 0, max).map(|v| v.value);
    OutlierDetectionSettings {
        consecutive_errors,
        interval,
        base_ejection_time: base,
        // 0 means the default (100), as Gloo's own translator does.
        max_ejection_percent: if percent == 0 { 100 } else { percent },
        consecutive_gateway_errors: gateway,
    }
}
