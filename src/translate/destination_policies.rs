//! The destination policies → the fields of a DestinationRule port entry they set:
//! ConnectionPolicy → `connectionPool`, LoadBalancerPolicy → `loadBalancer` (`simple` or
//! `consistentHash`, and `warmupDurationSecs`), beside a FailoverPolicy's `localityLbSetting`.

use super::istio::*;
use super::policies::seconds;
use crate::model::destination_policy::{Connection, HashKey, LoadBalancing};

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

/// The port's `loadBalancer`: a FailoverPolicy's (`failover`) with a LoadBalancerPolicy's
/// algorithm and warm-up added; none when neither applies.
pub fn merged_load_balancer(
    failover: Option<LoadBalancer>,
    config: Option<&LoadBalancing>,
) -> Option<LoadBalancer> {
    let Some(config) = config else {
        return failover;
    };
    let mut balancer = failover.unwrap_or_default();
    load_balancer(config, &mut balancer);
    (balancer != LoadBalancer::default()).then_some(balancer)
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
    use crate::model::destination_policy::HttpPool;

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
