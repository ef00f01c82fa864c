//! Gloo 2.6 route policies (RetryTimeoutPolicy, FaultInjectionPolicy, CORSPolicy,
//! HeaderManipulationPolicy, MirrorPolicy), decoded after the schema check
//! ([`crate::model::schema`]): the decoders read only what vdc translates, and report as VDC608
//! the values istiod's webhook would refuse in the VirtualService route they are written into.

use super::decode::{DecodeContext, Fields, Located};
use super::gloo::{DESTINATION_KIND, port_selector, spec};
use super::istio_accepts as istio;
use super::policy_fields::Millis;
use super::policy_fields::parse_duration;
use super::re2::re2_problem;
use super::route_destination::object_reference;
use super::routing_types::ObjectReference;
use super::types::*;
use crate::load::node::{Node, Pos};
use crate::rules::policy::invalid_policy_value::{self, Case};
use crate::rules::schema::{invalid_value, missing_field};
use std::collections::BTreeMap;

/// A percentage of requests, 0–100 (Istio's `Percent`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent(pub f64);

// Decoding admits only finite values in 0..=100.
impl Eq for Percent {}

/// One `applyToRoutes[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSelector {
    /// Its `route` label selector; `None` for a `withDestinations` entry, which vdc does not
    /// translate (VDC203 says so) and which therefore selects nothing.
    pub route: Option<RouteLabelSelector>,
    pub pos: Pos,
}

/// `applyToRoutes[].route`: routes whose labels (their RouteTable's, overridden by their own
/// and, delegated, inherited from the routes that delegate to them) include `labels`, in
/// RouteTables of the given namespace, cluster and workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteLabelSelector {
    pub labels: Labels,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
    pub workspace: Option<String>,
}

/// RetryTimeoutPolicy `config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetryTimeout {
    pub retries: Option<Retries>,
    pub request_timeout: Option<Millis>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retries {
    /// Gloo's default is 2.
    pub attempts: u32,
    pub per_try_timeout: Option<Millis>,
    pub retry_on: Option<String>,
    pub retry_remote_localities: Option<bool>,
}

/// FaultInjectionPolicy `config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultInjection {
    pub delay: Option<FaultDelay>,
    pub abort: Option<FaultAbort>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultDelay {
    pub fixed_delay: Millis,
    /// 100 when the policy gives none, as Gloo documents.
    pub percentage: Percent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultAbort {
    pub http_status: u32,
    /// 100 when the policy gives none, as Gloo documents.
    pub percentage: Percent,
}

/// An origin a CORS policy allows, as Istio matches it (Gloo's `suffix` and `ignoreCase` are
/// regexes here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginMatch {
    Exact(String),
    Prefix(String),
    Regex(String),
}

/// CORSPolicy `config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cors {
    pub allow_origins: Vec<OriginMatch>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<Millis>,
    pub allow_credentials: Option<bool>,
}

/// Headers appended and removed on one side of a route.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderOps {
    pub add: BTreeMap<String, String>,
    pub remove: Vec<String>,
}

/// HeaderManipulationPolicy `config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderManipulation {
    pub request: HeaderOps,
    pub response: HeaderOps,
}

/// MirrorPolicy `config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mirror {
    pub destination: Option<MirrorDestination>,
    pub percentage: Option<Percent>,
}

/// Where a MirrorPolicy sends its copies: resolved like a route destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorDestination {
    pub reference: ObjectReference,
    pub kind: String,
    pub port: Option<Located<PortRef>>,
    /// The subset of the destination's endpoints it asks for; empty for none. vdc refuses one
    /// (VDC728).
    pub subset: Labels,
    pub pos: Pos,
}

fn apply_to_routes(f: &mut Fields) -> Vec<RouteSelector> {
    f.objects("applyToRoutes", |r| {
        let route = r.object("route", |l| RouteLabelSelector {
            labels: l.string_map("labels"),
            namespace: l.string("namespace").map(|s| s.value),
            cluster: l.string("cluster").map(|s| s.value),
            workspace: l.string("workspace").map(|s| s.value),
        });
        Some(RouteSelector { route, pos: r.pos })
    })
}

/// A duration field of at least 1ms; `None` when absent or unreadable (VDC207 says why).
pub(super) fn duration(f: &mut Fields, key: &'static str) -> Option<Located<Millis>> {
    duration_with(f, key, parse_duration)
}

/// [`duration`] read by `parse`.
pub(super) fn duration_with(
    f: &mut Fields,
    key: &'static str,
    parse: fn(&str) -> Result<Millis, String>,
) -> Option<Located<Millis>> {
    let value = f.string(key)?;
    match parse(&value) {
        Ok(ms) => Some(Located {
            value: ms,
            pos: value.pos,
        }),
        Err(problem) => {
            let path = f.path(key);
            let case = invalid_value::Case::Unreadable {
                path: &path,
                problem: &problem,
            };
            let site = f.cx.site(value.pos);
            f.cx.push(invalid_value::diagnostic(site, case));
            None
        }
    }
}

/// Reports `case` at `pos` of the document being decoded.
fn refuse(f: &mut Fields, pos: Pos, case: Case) {
    let site = f.cx.site(pos);
    f.cx.push(invalid_policy_value::diagnostic(site, case));
}

/// A percentage: 0–100 (VDC207 outside), and not below 0.0001 unless 0 (VDC608).
fn percent(f: &mut Fields, key: &'static str) -> Option<Percent> {
    let value = f.double(key, 0.0, 100.0)?;
    if value.value > 0.0 && value.value < 0.0001 {
        let path = f.path(key);
        let case = Case::TinyPercentage {
            path: &path,
            value: value.value,
        };
        refuse(f, value.pos, case);
        return None;
    }
    Some(Percent(value.value))
}

/// The policy's `applyToRoutes` and `config`, read by `config`.
fn route_policy<C: Default>(
    cx: &mut DecodeContext,
    doc: &Node,
    config: impl FnOnce(&mut Fields) -> C,
) -> (Vec<RouteSelector>, C) {
    spec(cx, doc, |s| {
        let mut apply_to = apply_to_routes(s);
        // A HeaderManipulationPolicy that selects route destinations only (not translated:
        // VDC203) must not fall back to every route of its workspace.
        if let Some(d) = s.peek("applyToRouteDestinations")
            && apply_to.is_empty()
        {
            apply_to.push(RouteSelector {
                route: None,
                pos: d.pos,
            });
        }
        let config = s.object("config", config).unwrap_or_default();
        (apply_to, config)
    })
}

pub(super) fn retry_timeout_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<RouteSelector>, RetryTimeout) {
    route_policy(cx, doc, |c| RetryTimeout {
        retries: c.object("retries", retries).flatten(),
        request_timeout: duration(c, "requestTimeout").map(|d| d.value),
    })
}

fn retries(r: &mut Fields) -> Option<Retries> {
    let attempts = r.uint("attempts", 0, i32::MAX as u32);
    let per_try_timeout = duration(r, "perTryTimeout").map(|d| d.value);
    let retry_on = r
        .string("retryOn")
        .map(|s| s.value)
        .filter(|s| !s.is_empty());
    let retry_remote_localities = r.boolean("retryRemoteLocalities");
    if let Some(on) = &retry_on {
        let path = r.path("retryOn");
        for condition in istio::refused_retry_conditions(on) {
            let pos = r.get("retryOn").map_or(r.pos, |n| n.pos);
            refuse(
                r,
                pos,
                Case::RetryOn {
                    path: &path,
                    condition,
                },
            );
        }
    }
    let others =
        per_try_timeout.is_some() || retry_on.is_some() || retry_remote_localities.is_some();
    if let Some(a) = &attempts
        && a.value == 0
        && others
    {
        let path = r.path("attempts");
        refuse(r, a.pos, Case::RetriesDisabled { path: &path });
        return None;
    }
    Some(Retries {
        attempts: attempts.map_or(2, |a| a.value),
        per_try_timeout,
        retry_on,
        retry_remote_localities,
    })
}

pub(super) fn fault_injection_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<RouteSelector>, FaultInjection) {
    route_policy(cx, doc, |c| {
        let delay = c
            .object("delay", |d| {
                let fixed_delay = required(d, "fixedDelay", |d| duration(d, "fixedDelay"))?;
                let percentage = percent(d, "percentage").unwrap_or(Percent(100.0));
                Some(FaultDelay {
                    fixed_delay: fixed_delay.value,
                    percentage,
                })
            })
            .flatten();
        let abort = c
            .object("abort", |a| {
                let status = required(a, "httpStatus", |a| a.uint("httpStatus", 0, u32::MAX))?;
                if !(200..=599).contains(&status.value) {
                    let path = a.path("httpStatus");
                    let case = Case::AbortStatus {
                        path: &path,
                        status: status.value,
                    };
                    refuse(a, status.pos, case);
                    return None;
                }
                let percentage = percent(a, "percentage").unwrap_or(Percent(100.0));
                Some(FaultAbort {
                    http_status: status.value,
                    percentage,
                })
            })
            .flatten();
        if c.peek("delay").is_none() && c.peek("abort").is_none() {
            let path = c.path("");
            let case = Case::FaultWithoutAction {
                path: path.trim_end_matches('.'),
            };
            refuse(c, c.pos, case);
        }
        FaultInjection { delay, abort }
    })
}

/// `read`'s value of the field `key`, which must be present (VDC205 when it is absent).
fn required<'n, T>(
    f: &mut Fields<'_, 'n>,
    key: &'static str,
    read: impl FnOnce(&mut Fields<'_, 'n>) -> Option<T>,
) -> Option<T> {
    if f.peek(key).is_none() {
        let path = f.path(key);
        let site = f.cx.site(f.pos);
        f.cx.push(missing_field::diagnostic(
            site,
            missing_field::Case::Required { path: &path },
        ));
        return None;
    }
    read(f)
}

pub(super) fn cors_policy(cx: &mut DecodeContext, doc: &Node) -> (Vec<RouteSelector>, Cors) {
    route_policy(cx, doc, |c| {
        let allow_origins = c.objects("allowOrigins", origin);
        let allow_methods = c.strings("allowMethods");
        for (i, m) in allow_methods.iter().enumerate() {
            if !istio::is_cors_method(m) {
                let path = format!("{}[{i}]", c.path("allowMethods"));
                refuse(
                    c,
                    m.pos,
                    Case::CorsMethod {
                        path: &path,
                        method: m,
                    },
                );
            }
        }
        let allow_headers = cors_headers(c, "allowHeaders");
        let expose_headers = cors_headers(c, "exposeHeaders");
        let max_age = duration(c, "maxAge");
        if let Some(age) = &max_age
            && !age.value.is_multiple_of(1000)
        {
            let path = c.path("maxAge");
            let value = format!("{}ms", age.value);
            refuse(
                c,
                age.pos,
                Case::MaxAgeSeconds {
                    path: &path,
                    value: &value,
                },
            );
        }
        Cors {
            allow_origins,
            allow_methods: allow_methods.into_iter().map(|m| m.value).collect(),
            allow_headers,
            expose_headers,
            max_age: max_age.map(|a| a.value),
            allow_credentials: c.boolean("allowCredentials"),
        }
    })
}

fn cors_headers(c: &mut Fields, key: &'static str) -> Vec<String> {
    let headers = c.strings(key);
    for (i, h) in headers.iter().enumerate() {
        if h.value != "*" && !istio::is_header_token(h) {
            let path = format!("{}[{i}]", c.path(key));
            let problem = "a header name is letters, digits and `!#$%&'*+-.^_`|~` only";
            refuse(
                c,
                h.pos,
                Case::HeaderName {
                    path: &path,
                    name: h,
                    problem,
                },
            );
        }
    }
    headers.into_iter().map(|h| h.value).collect()
}

/// One `allowOrigins[]` match, with Gloo's `suffix` and `ignoreCase` turned into regexes.
fn origin(o: &mut Fields) -> Option<OriginMatch> {
    let ignore_case = o.boolean("ignoreCase").unwrap_or(false);
    let (kind, text) = ["exact", "prefix", "regex", "suffix"]
        .into_iter()
        .find_map(|k| o.string(k).map(|v| (k, v)))?;
    let path = o.path(kind);
    if text.is_empty() {
        refuse(o, text.pos, Case::EmptyOrigin { path: &path });
        return None;
    }
    if kind == "regex"
        && let Some(problem) = re2_problem(&text)
    {
        refuse(
            o,
            text.pos,
            Case::NotRe2 {
                path: &path,
                regex: &text,
                why: &problem,
            },
        );
        return None;
    }
    let escaped = istio::regex_escape(&text);
    let flag = if ignore_case { "(?i)" } else { "" };
    Some(match (kind, ignore_case) {
        ("exact", false) => OriginMatch::Exact(text.value),
        ("prefix", false) => OriginMatch::Prefix(text.value),
        ("exact", true) => OriginMatch::Regex(format!("(?i){escaped}")),
        ("prefix", true) => OriginMatch::Regex(format!("(?i){escaped}.*")),
        ("suffix", _) => OriginMatch::Regex(format!("{flag}.*{escaped}")),
        _ => OriginMatch::Regex(text.value),
    })
}

pub(super) fn header_manipulation_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<RouteSelector>, HeaderManipulation) {
    route_policy(cx, doc, |c| HeaderManipulation {
        request: header_ops(c, "appendRequestHeaders", "removeRequestHeaders", true),
        response: header_ops(c, "appendResponseHeaders", "removeResponseHeaders", false),
    })
}

fn header_ops(
    c: &mut Fields,
    append: &'static str,
    remove: &'static str,
    request: bool,
) -> HeaderOps {
    let mut add = BTreeMap::new();
    if let Some(node) = c.get(append)
        && let crate::load::node::Value::Map(entries) = &node.value
    {
        for (key, value) in entries {
            let path = format!("{}.{}", c.path(append), key.name);
            let Some(v) = c.cx.string(value, &path) else {
                continue;
            };
            let name_problem = istio::header_name_problem(&key.name, request);
            let value_problem = istio::header_value_problem(&v);
            if let Some(problem) = name_problem {
                refuse(
                    c,
                    key.pos,
                    Case::HeaderName {
                        path: &path,
                        name: &key.name,
                        problem,
                    },
                );
            } else if let Some(problem) = value_problem {
                refuse(
                    c,
                    v.pos,
                    Case::HeaderValue {
                        path: &path,
                        value: &v,
                        problem,
                    },
                );
            } else {
                add.insert(key.name.clone(), v.value);
            }
        }
    }
    let mut removed = Vec::new();
    for (i, name) in c.strings(remove).into_iter().enumerate() {
        match istio::header_name_problem(&name, false) {
            Some(problem) => {
                let path = format!("{}[{i}]", c.path(remove));
                refuse(
                    c,
                    name.pos,
                    Case::HeaderName {
                        path: &path,
                        name: &name,
                        problem,
                    },
                );
            }
            None => removed.push(name.value),
        }
    }
    HeaderOps {
        add,
        remove: removed,
    }
}

pub(super) fn mirror_policy(cx: &mut DecodeContext, doc: &Node) -> (Vec<RouteSelector>, Mirror) {
    route_policy(cx, doc, |c| Mirror {
        destination: required(c, "destination", |c| {
            c.object("destination", |d| {
                let reference = required(d, "ref", |d| d.object("ref", object_reference))?;
                Some(MirrorDestination {
                    reference,
                    kind: d.enum_value("kind", DESTINATION_KIND, "SERVICE")?,
                    port: d.object("port", port_selector).flatten(),
                    subset: d.string_map("subset"),
                    pos: d.pos,
                })
            })
            .flatten()
        }),
        percentage: percent(c, "percentage"),
    })
}
