//! What each destination policy changes in the DestinationRule port entries it selects:
//! FailoverPolicy → `loadBalancer.localityLbSetting`, OutlierDetectionPolicy →
//! `outlierDetection`, ConnectionPolicy → `connectionPool`, LoadBalancerPolicy → the rest of
//! `loadBalancer` (`simple` or `consistentHash`, and `warmupDurationSecs`). Route policies are
//! in [`super::route_policies`].

use super::istio::*;
use crate::model::destination_policy::{Connection, HashKey, LoadBalancing};
use crate::model::policy::{
    FailoverSettings, Millis, OutlierDetectionSettings, Policy, PolicySettings,
};
use crate::model::types::LocalitySpec;
use crate::resolve::weights::complete_weights;
use std::collections::BTreeMap;

/// A locality as Istio's `distribute` wants it: `region/*` when only the region is given,
/// `region/zone/*` with a zone, `region/zone/subzone` with all three. Istio's webhook
/// (`validateLocalities`) accepts one `*` at most, and only as the last segment: a
/// `region/*/*` makes it reject the whole DestinationRule.
fn distribute_key(l: &LocalitySpec) -> String {
    match (l.zone.as_deref(), l.sub_zone.as_deref()) {
        (None, _) => format!("{}/*", l.region),
        (Some(zone), None) => format!("{}/{zone}/*", l.region),
        (Some(zone), Some(sub_zone)) => format!("{}/{zone}/{sub_zone}", l.region),
    }
}

/// Sets what `policy` changes on the DestinationRule entry of a port it applies to.
pub fn change_port_entry(policy: &Policy, entry: &mut PortTrafficPolicy) {
    match &policy.settings {
        PolicySettings::Failover(f) => {
            let balancer = entry.load_balancer.get_or_insert_default();
            balancer.locality_lb_setting = Some(locality_lb(f));
        }
        PolicySettings::OutlierDetection(o) => entry.outlier_detection = Some(outlier_detection(o)),
        PolicySettings::Connection(c) => entry.connection_pool = connection_pool(c),
        PolicySettings::LoadBalancer(l) => {
            let balancer = entry.load_balancer.get_or_insert_default();
            load_balancer(l, balancer);
            // Istio refuses an empty `loadBalancer`.
            if *balancer == LoadBalancer::default() {
                entry.load_balancer = None;
            }
        }
        // Route policies select routes, never ports (`PolicyTarget::Routes`).
        PolicySettings::RetryTimeout(_)
        | PolicySettings::FaultInjection(_)
        | PolicySettings::Cors(_)
        | PolicySettings::HeaderManipulation(_)
        | PolicySettings::Mirror(_) => {}
    }
}

fn locality_lb(policy: &FailoverSettings) -> LocalityLbSetting {
    let mut setting = LocalityLbSetting::default();
    if policy.mappings.is_empty() && policy.priority_labels.is_empty() {
        setting.enabled = Some(true);
    } else if policy.mappings.is_empty() {
        setting.failover_priority = policy.priority_labels.clone();
    } else if policy.weighted() {
        for m in &policy.mappings {
            let weights: Vec<Option<u32>> =
                m.to.iter()
                    .map(|t| t.weight.as_ref().map(|w| w.value))
                    .collect();
            // Validation refused the mappings whose weights cannot sum to 100.
            let completed = complete_weights(&weights).completed;
            let mut to = BTreeMap::new();
            for (target, weight) in m.to.iter().zip(completed) {
                if weight > 0 {
                    *to.entry(distribute_key(&target.locality)).or_insert(0) += weight;
                }
            }
            setting.distribute.push(Distribute {
                from: distribute_key(&m.from),
                to,
            });
        }
    } else {
        setting.failover = failover(policy);
        // Every target was in its mapping's own region: proximity alone.
        if setting.failover.is_empty() {
            setting.enabled = Some(true);
        }
    }
    setting
}

/// The `failover` entries of unweighted mappings: one per (mapping, target region), in order,
/// repeats dropped. A target in the mapping's own region is left out: Istio prefers the
/// client's own region before any failover target anyway, and its webhook refuses the whole
/// DestinationRule for an entry whose `from` and `to` are the same region.
fn failover(policy: &FailoverSettings) -> Vec<Failover> {
    let mut entries = Vec::new();
    for m in &policy.mappings {
        for t in m.to.iter().filter(|t| t.locality.region != m.from.region) {
            let entry = Failover {
                from: m.from.region.clone(),
                to: t.locality.region.clone(),
            };
            if !entries.contains(&entry) {
                entries.push(entry);
            }
        }
    }
    entries
}

/// A duration in seconds, as Istio prints them: `5s`, `90s`, `0.5s`.
pub fn seconds(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        let text = format!("{}.{:03}", ms / 1000, ms % 1000);
        format!("{}s", text.trim_end_matches('0'))
    }
}

fn outlier_detection(p: &OutlierDetectionSettings) -> OutlierDetection {
    OutlierDetection {
        base_ejection_time: seconds(p.base_ejection_time),
        consecutive5xx_errors: p.consecutive_errors,
        consecutive_gateway_errors: p.consecutive_gateway_errors,
        interval: seconds(p.interval),
        max_ejection_percent: p.max_ejection_percent,
    }
}

/// ConnectionPolicy → the port's `connectionPool`; none when the policy sets neither part
/// (Istio refuses an empty one).
pub fn connection_pool(config: &Connection) -> Option<ConnectionPool> {
    let pool = ConnectionPool {
        http: config.http.as_ref().map(|h| HttpPoolSettings {
            http1_max_pending_requests: h.max_pending_requests,
            http2_max_requests: h.max_requests,
            idle_timeout: h.idle_timeout.map(seconds),
            max_requests_per_connection: h.max_requests_per_connection,
            max_retries: h.max_retries,
        }),
        tcp: config.tcp.as_ref().map(|t| TcpPoolSettings {
            connect_timeout: t.connect_timeout.map(seconds),
            max_connections: t.max_connections,
            tcp_keepalive: t.keepalive.as_ref().map(|k| TcpKeepalive {
                interval: k.interval.map(seconds),
                probes: k.probes,
                time: k.time.map(seconds),
            }),
        }),
    };
    (pool != ConnectionPool::default()).then_some(pool)
}

/// LoadBalancerPolicy → the algorithm and warm-up of the port's `loadBalancer`, kept with what
/// a FailoverPolicy put there: Istio takes `simple` or `consistentHash` beside
/// `localityLbSetting`.
fn load_balancer(config: &LoadBalancing, balancer: &mut LoadBalancer) {
    balancer.simple = config
        .simple
        .clone()
        .filter(|_| config.consistent_hash.is_none());
    balancer.consistent_hash = config.consistent_hash.as_ref().map(|key| match key {
        HashKey::Header(name) => ConsistentHash {
            http_header_name: Some(name.clone()),
            ..ConsistentHash::default()
        },
        HashKey::Cookie { name, path, ttl } => ConsistentHash {
            http_cookie: Some(HttpCookie {
                name: name.clone(),
                path: path.clone(),
                ttl: ttl.map(seconds),
            }),
            ..ConsistentHash::default()
        },
        HashKey::SourceIp => ConsistentHash {
            use_source_ip: Some(true),
            ..ConsistentHash::default()
        },
        HashKey::QueryParameter(name) => ConsistentHash {
            http_query_parameter_name: Some(name.clone()),
            ..ConsistentHash::default()
        },
    });
    balancer.warmup_duration_secs = config.warmup.map(seconds);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Pos;
    use crate::model::destination_policy::HttpPool;
    use crate::model::policy::{LocalityMapping, LocalityTarget};

    #[test]
    fn distribute_localities_have_one_trailing_wildcard_at_most() {
        let at = |region: &str, zone: Option<&str>, sub_zone: Option<&str>| LocalitySpec {
            region: region.into(),
            zone: zone.map(Into::into),
            sub_zone: sub_zone.map(Into::into),
        };
        assert_eq!(distribute_key(&at("us-east-1", None, None)), "us-east-1/*");
        assert_eq!(
            distribute_key(&at("us-east-1", Some("us-east-1a"), None)),
            "us-east-1/us-east-1a/*"
        );
        assert_eq!(
            distribute_key(&at("us-east-1", Some("us-east-1a"), Some("sz1"))),
            "us-east-1/us-east-1a/sz1"
        );
    }

    fn region(name: &str) -> LocalitySpec {
        LocalitySpec {
            region: name.into(),
            ..LocalitySpec::default()
        }
    }

    fn unweighted(from: &str, to: &[&str]) -> LocalityMapping {
        LocalityMapping {
            from: region(from),
            to: to
                .iter()
                .map(|r| LocalityTarget {
                    locality: region(r),
                    weight: None,
                })
                .collect(),
            pos: Pos::default(),
        }
    }

    #[test]
    fn a_failover_target_in_the_client_region_is_left_out() {
        let policy = FailoverSettings {
            mappings: vec![
                unweighted("us-west-1", &["us-west-1", "us-east-1"]),
                unweighted("us-east-1", &["us-east-1"]),
            ],
            priority_labels: vec![],
        };
        let setting = locality_lb(&policy);
        let entry = Failover {
            from: "us-west-1".into(),
            to: "us-east-1".into(),
        };
        assert_eq!(setting.failover, vec![entry]);
        assert_eq!(setting.enabled, None);
        let policy = FailoverSettings {
            mappings: vec![unweighted("us-west-1", &["us-west-1"])],
            priority_labels: vec![],
        };
        let setting = locality_lb(&policy);
        assert!(setting.failover.is_empty());
        assert_eq!(setting.enabled, Some(true));
    }

    #[test]
    fn durations_in_seconds() {
        assert_eq!(seconds(5_000), "5s");
        assert_eq!(seconds(90_000), "90s");
        assert_eq!(seconds(500), "0.5s");
        assert_eq!(seconds(1_250), "1.25s");
    }

    #[test]
    fn an_empty_connection_policy_sets_no_pool() {
        assert_eq!(connection_pool(&Connection::default()), None);
        let config = Connection {
            tcp: None,
            http: Some(HttpPool {
                max_requests: Some(500),
                idle_timeout: Some(2_000),
                ..HttpPool::default()
            }),
        };
        let http = connection_pool(&config).and_then(|p| p.http).expect("http");
        assert_eq!(http.http2_max_requests, Some(500));
        assert_eq!(http.idle_timeout.as_deref(), Some("2s"));
    }

    #[test]
    fn the_balancer_keeps_the_locality_settings() {
        let mut balancer = LoadBalancer {
            locality_lb_setting: Some(LocalityLbSetting {
                enabled: Some(true),
                ..LocalityLbSetting::default()
            }),
            ..LoadBalancer::default()
        };
        let config = LoadBalancing {
            simple: Some("ROUND_ROBIN".into()),
            consistent_hash: None,
            warmup: Some(60_000),
        };
        load_balancer(&config, &mut balancer);
        assert_eq!(balancer.simple.as_deref(), Some("ROUND_ROBIN"));
        assert_eq!(balancer.warmup_duration_secs.as_deref(), Some("60s"));
        assert!(balancer.locality_lb_setting.is_some());
    }
}
