//! Gloo 2.6 destination policies (ConnectionPolicy, LoadBalancerPolicy), decoded after the
//! schema check ([`crate::model::schema`]): what they add to a DestinationRule port entry, next
//! to a FailoverPolicy's `localityLbSetting` and an OutlierDetectionPolicy's `outlierDetection`.

use super::decode::{DecodeContext, Fields};
use super::gloo::spec;
use super::policy_fields::apply_to_destinations;
use super::policy_fields::parse_duration_or_zero;
use super::policy_fields::{DestinationSelector, Millis};
use super::route_policy::{duration, duration_with};
use crate::load::node::Node;
use crate::rules::policy::invalid_policy_value::{self, Case};

/// ConnectionPolicy `config`: Istio's `connectionPool`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Connection {
    pub tcp: Option<TcpPool>,
    pub http: Option<HttpPool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcpPool {
    pub max_connections: Option<u32>,
    pub connect_timeout: Option<Millis>,
    pub keepalive: Option<TcpKeepalive>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TcpKeepalive {
    pub probes: Option<u32>,
    pub time: Option<Millis>,
    pub interval: Option<Millis>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpPool {
    pub max_requests_per_connection: Option<u32>,
    pub max_retries: Option<u32>,
    /// Istio's `http2MaxRequests`.
    pub max_requests: Option<u32>,
    /// Istio's `http1MaxPendingRequests`.
    pub max_pending_requests: Option<u32>,
    pub idle_timeout: Option<Millis>,
}

/// LoadBalancerPolicy `config`: Istio's `loadBalancer` without its locality settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadBalancing {
    /// `RANDOM`, `PASSTHROUGH`, `ROUND_ROBIN` or `LEAST_REQUEST` (`UNSPECIFIED` reads as none).
    pub simple: Option<String>,
    pub consistent_hash: Option<HashKey>,
    pub warmup: Option<Millis>,
}

/// What a consistent-hash load balancer hashes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HashKey {
    Header(String),
    Cookie {
        name: String,
        path: Option<String>,
        ttl: Option<Millis>,
    },
    SourceIp,
    QueryParameter(String),
}

const INT32_MAX: u32 = i32::MAX as u32;

pub(super) fn connection_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<DestinationSelector>, Connection) {
    spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        let config = s
            .object("config", |c| Connection {
                tcp: c.object("tcp", |t| TcpPool {
                    max_connections: t.uint("maxConnections", 0, INT32_MAX).map(|v| v.value),
                    connect_timeout: duration(t, "connectTimeout").map(|d| d.value),
                    keepalive: t.object("tcpKeepalive", |k| TcpKeepalive {
                        probes: k.uint("probes", 0, u32::MAX).map(|v| v.value),
                        time: keepalive_seconds(k, "time"),
                        interval: keepalive_seconds(k, "interval"),
                    }),
                }),
                http: c.object("http", |h| HttpPool {
                    max_requests_per_connection: h
                        .uint("maxRequestsPerConnection", 0, INT32_MAX)
                        .map(|v| v.value),
                    max_retries: h.uint("maxRetries", 0, INT32_MAX).map(|v| v.value),
                    max_requests: h.uint("maxRequests", 0, INT32_MAX).map(|v| v.value),
                    max_pending_requests: h
                        .uint("maxPendingRequests", 0, INT32_MAX)
                        .map(|v| v.value),
                    idle_timeout: duration(h, "idleTimeout").map(|d| d.value),
                }),
            })
            .unwrap_or_default();
        (apply_to, config)
    })
}

/// A keepalive `time` or `interval`, which istiod hands Envoy in whole seconds, dropping the
/// rest (`uint32(keepalive.Time.Seconds)`): a value with a fraction of a second is refused, since
/// Envoy would get another time than the one given (`0` for one under a second).
fn keepalive_seconds(k: &mut Fields, key: &'static str) -> Option<Millis> {
    let d = duration(k, key)?;
    if d.value % 1000 != 0 {
        let path = k.path(key);
        let site = k.cx.site(d.pos);
        let case = Case::KeepaliveSeconds {
            path: &path,
            millis: d.value,
        };
        k.cx.push(invalid_policy_value::diagnostic(site, case));
        return None;
    }
    Some(d.value)
}

const SIMPLE_LB: &str = "trafficcontrol.policy.gloo.solo.io.LoadBalancerPolicySpec.Config.SimpleLB";

pub(super) fn load_balancer_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<DestinationSelector>, LoadBalancing) {
    spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        let config = s.object("config", load_balancing).unwrap_or_default();
        (apply_to, config)
    })
}

fn load_balancing(c: &mut Fields) -> LoadBalancing {
    let simple = c
        .enum_value("simple", SIMPLE_LB, "UNSPECIFIED")
        .filter(|s| s != "UNSPECIFIED");
    let consistent_hash = consistent_hash(c);
    let warmup = duration(c, "warmupDurationSecs");
    let balancer = match (&simple, &consistent_hash) {
        (_, Some(_)) => Some("consistent-hash"),
        (Some(s), None) if s == "RANDOM" || s == "PASSTHROUGH" => Some(s.as_str()),
        _ => None,
    };
    if let (Some(w), Some(balancer)) = (&warmup, balancer) {
        let path = c.path("warmupDurationSecs");
        let site = c.cx.site(w.pos);
        let case = Case::WarmupWithoutRoundRobin {
            path: &path,
            balancer,
        };
        c.cx.push(invalid_policy_value::diagnostic(site, case));
    }
    LoadBalancing {
        simple,
        consistent_hash,
        warmup: warmup.map(|w| w.value),
    }
}

/// `consistentHash`'s key. One that names none (`{}`, `useSourceIp: false`) is refused: Istio
/// would write a hashing load balancer with nothing to hash on, which Envoy hashes at random,
/// and Gloo documents no meaning for it.
fn consistent_hash(c: &mut Fields) -> Option<HashKey> {
    let (key, pos) = c.object("consistentHash", |h| (hash_key(h), h.pos))?;
    let Some(key) = key else {
        let path = c.path("consistentHash");
        let site = c.cx.site(pos);
        c.cx.push(invalid_policy_value::diagnostic(
            site,
            Case::HashWithoutKey { path: &path },
        ));
        return None;
    };
    key
}

/// The hash key named, `Some(None)` for a cookie refused (with its own diagnostic), `None` when
/// no key is named.
fn hash_key(h: &mut Fields) -> Option<Option<HashKey>> {
    if let Some(header) = h.string("httpHeaderName") {
        return Some(Some(HashKey::Header(header.value)));
    }
    if let Some(cookie) = h.object("httpCookie", cookie) {
        return Some(cookie);
    }
    if h.boolean("useSourceIp") == Some(true) {
        return Some(Some(HashKey::SourceIp));
    }
    h.string("httpQueryParameterName")
        .map(|q| Some(HashKey::QueryParameter(q.value)))
}

fn cookie(c: &mut Fields) -> Option<HashKey> {
    let name = c.string("name").map(|n| n.value).unwrap_or_default();
    if name.is_empty() {
        let path = c.path("name");
        let site = c.cx.site(c.pos);
        c.cx.push(invalid_policy_value::diagnostic(
            site,
            Case::CookieWithoutName { path: &path },
        ));
        return None;
    }
    Some(HashKey::Cookie {
        name,
        path: c.string("path").map(|p| p.value).filter(|p| !p.is_empty()),
        ttl: duration_with(c, "ttl", parse_duration_or_zero).map(|t| t.value),
    })
}
