//! **VDC608 invalid-policy-value** (error): A policy value that Istio's webhook refuses, or that Istio or Envoy would read differently.
//!
//! ## What it does
//!
//! A value of a route or destination policy that vdc would have to write into a VirtualService
//! route or a DestinationRule port entry, where istiod's validating webhook refuses it: a
//! `retryOn` condition Envoy does not know, retry settings with `attempts: 0`, a percentage
//! between 0 and 0.0001, an abort status outside 200–599, a CORS method that is not an HTTP method, a CORS `maxAge` finer than a
//! second, an empty CORS origin, a header name that is not a token or names a pseudo-header or
//! `Host`, a header value with a control character or a broken `%VARIABLE%`, a
//! FaultInjectionPolicy with neither `delay` nor `abort`, a consistent-hash cookie without a
//! name, a `consistentHash` that names
//! no hash key (`{}`, `useSourceIp: false`), a TCP keepalive `time` or `interval` with a fraction
//! of a second (istiod gives Envoy whole seconds, so `500ms` would be 0), a warm-up with a load
//! balancer that cannot warm up.
//!
//! ## Why is this bad?
//!
//! istiod refuses the whole VirtualService or DestinationRule, so every route or port in it
//! stops being configured, not only the one the policy meant to change. A `consistentHash` without
//! a key and a sub-second keepalive istiod accepts, but Envoy would then balance or probe otherwise
//! than the policy says (at random; every 0 seconds, or the system's default).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: RetryTimeoutPolicy
//! spec:
//!   config:
//!     retries:
//!       attempts: 3
//!       retryOn: 5xx,timeout
//! ```
//!
//! ## Fix
//!
//! Use a value Istio accepts: `retryOn` takes Envoy's conditions (`5xx`, `gateway-error`,
//! `reset`, `connect-failure`, `retriable-4xx`, …) and HTTP status codes, comma-separated
//! without spaces.
//!
//! Fixture: `testdata/check/invalid-policy-value/`. Long form: `docs/diagnostics.md#vdc608`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidPolicyValue;

/// What Istio refuses in the value at `path`.
pub enum Case<'a> {
    /// A `retryOn` condition that is neither an Envoy retry policy nor an HTTP status.
    RetryOn { path: &'a str, condition: &'a str },
    /// Retry settings with `attempts: 0`, which turns retries off.
    RetriesDisabled { path: &'a str },
    /// A percentage above 0 and below 0.0001, the smallest Istio accepts.
    TinyPercentage { path: &'a str, value: f64 },
    /// A CORS method that is not an HTTP method Istio knows.
    CorsMethod { path: &'a str, method: &'a str },
    /// A CORS `maxAge` that is not whole seconds.
    MaxAgeSeconds { path: &'a str, value: &'a str },
    /// An empty CORS origin match.
    EmptyOrigin { path: &'a str },
    /// A header name Istio refuses, and why.
    HeaderName {
        path: &'a str,
        name: &'a str,
        problem: &'a str,
    },
    /// A header value Envoy cannot parse, and why.
    HeaderValue {
        path: &'a str,
        value: &'a str,
        problem: &'a str,
    },
    /// A regex istiod or Envoy (RE2) would refuse, and why.
    NotRe2 {
        path: &'a str,
        regex: &'a str,
        why: &'a str,
    },
    /// An abort status outside the 200–599 Istio accepts.
    AbortStatus { path: &'a str, status: u32 },
    /// A FaultInjectionPolicy with neither `delay` nor `abort`.
    FaultWithoutAction { path: &'a str },
    /// A consistent-hash cookie without a name.
    CookieWithoutName { path: &'a str },
    /// A warm-up with a load balancer that does not warm endpoints up.
    WarmupWithoutRoundRobin { path: &'a str, balancer: &'a str },
    /// A TCP keepalive time or interval with a fraction of a second, which istiod cuts to whole
    /// seconds for Envoy.
    KeepaliveSeconds { path: &'a str, millis: u64 },
    /// A consistent-hash load balancer that names nothing to hash on.
    HashWithoutKey { path: &'a str },
}

/// (field, message, help) of the load balancer cases.
fn balancer_case(case: Case<'_>) -> (&str, String, String) {
    match case {
        Case::CookieWithoutName { path } => (
            path,
            format!("`{path}` has no `name`; Istio needs the cookie's name to hash on"),
            "name the cookie".to_owned(),
        ),
        Case::WarmupWithoutRoundRobin { path, balancer } => (
            path,
            format!(
                "`{path}` is set with the {balancer} load balancer, which does not warm endpoints up"
            ),
            "use `simple: ROUND_ROBIN` or `LEAST_REQUEST`, or remove the warm-up".to_owned(),
        ),
        Case::HashWithoutKey { path } => (
            path,
            format!(
                "`{path}` names nothing to hash on (no `httpHeaderName`, `httpCookie`, `httpQueryParameterName`, or `useSourceIp: true`); Envoy would hash each request at random, and Gloo documents no meaning for it"
            ),
            "name the hash key, or remove `consistentHash` for the default load balancer"
                .to_owned(),
        ),
        _ => unreachable!("`diagnostic` hands only the load balancer cases here"),
    }
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    let (path, message, help) = match case {
        Case::RetryOn { path, condition } => (
            path,
            format!("`{path}` has `{condition}`, which is neither an Envoy retry condition nor an HTTP status code"),
            "use Envoy's conditions (`5xx`, `gateway-error`, `reset`, `connect-failure`, `retriable-4xx`, …) or status codes, comma-separated without spaces".to_owned(),
        ),
        Case::RetriesDisabled { path } => (
            path,
            format!("`{path}` is 0, which turns retries off, but other retry settings are given"),
            "remove the other retry settings, or allow at least one attempt".to_owned(),
        ),
        Case::TinyPercentage { path, value } => (
            path,
            format!("`{path}` is {value}; Istio accepts 0 or a percentage from 0.0001 to 100"),
            "use 0 or at least 0.0001".to_owned(),
        ),
        Case::CorsMethod { path, method } => (
            path,
            format!("`{path}` is `{method}`, which is not an HTTP method Istio accepts"),
            "use GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *, in capitals".to_owned(),
        ),
        Case::MaxAgeSeconds { path, value } => (
            path,
            format!("`{path}` is `{value}`; Istio takes a CORS max age in whole seconds"),
            "round it to whole seconds".to_owned(),
        ),
        Case::EmptyOrigin { path } => (
            path,
            format!("`{path}` matches the empty string, which Istio refuses as a CORS origin"),
            "give the origin to match, such as `https://example.com`".to_owned(),
        ),
        Case::HeaderName {
            path,
            name,
            problem,
        } => (
            path,
            format!("`{path}` names the header `{name}`: {problem}"),
            "use a header name made of letters, digits and `-`, and not `Host` or a `:` pseudo-header".to_owned(),
        ),
        Case::HeaderValue {
            path,
            value,
            problem,
        } => (
            path,
            format!("`{path}` is `{value}`: {problem}"),
            "write a literal `%` as `%%`".to_owned(),
        ),
        Case::NotRe2 { path, regex, why } => (
            path,
            format!("`{path}` is `{regex}`, which is not a regex RE2 reads: {why}"),
            "write it in RE2's syntax (no look-around or back-references)".to_owned(),
        ),
        Case::AbortStatus { path, status } => (
            path,
            format!("`{path}` is {status}; Istio aborts only with a status from 200 to 599"),
            "use an HTTP status from 200 to 599, such as 503".to_owned(),
        ),
        Case::KeepaliveSeconds { path, millis } => (
            path,
            format!(
                "`{path}` is {millis}ms; Istio gives Envoy a keepalive time in whole seconds and drops the rest, so Envoy would get {}s",
                millis / 1000
            ),
            "give whole seconds (at least `1s`)".to_owned(),
        ),
        Case::FaultWithoutAction { path } => (
            path,
            format!("`{path}` has neither `delay` nor `abort`; Istio refuses a fault that does nothing"),
            "give a `delay` (with `fixedDelay`), an `abort` (with `httpStatus`), or both".to_owned(),
        ),
        balancer => balancer_case(balancer),
    };
    Diagnostic::new_at(CODE, site, message)
        .field(path)
        .help(help)
}
