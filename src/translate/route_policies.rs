//! The route policies → the fields of a VirtualService `http` route they set: RetryTimeoutPolicy
//! → `retries` and `timeout`, FaultInjectionPolicy → `fault`, CORSPolicy → `corsPolicy`,
//! HeaderManipulationPolicy → `headers`, MirrorPolicy → `mirror` and `mirrorPercentage` (its
//! destination resolved like a route destination).

use super::istio::*;
use super::policies::seconds;
use crate::model::policy::{Policy, PolicySettings};
use crate::model::route_policy::{
    Cors, FaultInjection, HeaderManipulation, HeaderOps, OriginMatch, Percent, RetryTimeout,
};
use crate::resolve::resolved;

/// Sets what `policy` changes on a route it selects (`mirror_to`: where the route's MirrorPolicy
/// mirrors to, resolved). A route that redirects or answers directly gets only CORS and headers:
/// Istio refuses a fault beside a redirect or a direct response, and drops retries, a timeout
/// and a mirror there. Resolution already leaves those out, with VDC611 naming the route; the
/// guard keeps a route Istio refuses out of the output whatever resolution hands over.
pub fn change_route(
    policy: &Policy,
    mirror_to: Option<&resolved::Destination>,
    route: &mut HttpRoute,
) {
    let forwards = route.redirect.is_none() && route.direct_response.is_none();
    match &policy.settings {
        PolicySettings::RetryTimeout(c) if forwards => retry_timeout(c, route),
        PolicySettings::FaultInjection(c) if forwards => fault(c, route),
        PolicySettings::Mirror(c) if forwards => {
            if let Some(d) = mirror_to {
                mirror(d, c.percentage, route);
            }
        }
        PolicySettings::RetryTimeout(_)
        | PolicySettings::FaultInjection(_)
        | PolicySettings::Mirror(_) => {}
        PolicySettings::Cors(c) => cors(c, route),
        PolicySettings::HeaderManipulation(c) => headers(c, route),
        // Destination policies select ports, never routes (`PolicyTarget::Destinations`).
        PolicySettings::Failover(_)
        | PolicySettings::OutlierDetection(_)
        | PolicySettings::Connection(_)
        | PolicySettings::LoadBalancer(_) => {}
    }
}

fn percentage(p: Percent) -> Percentage {
    Percentage { value: p.0 }
}

/// RetryTimeoutPolicy → the route's `retries` and `timeout`.
fn retry_timeout(config: &RetryTimeout, route: &mut HttpRoute) {
    route.retries = config.retries.as_ref().map(|r| HttpRetry {
        attempts: r.attempts,
        per_try_timeout: r.per_try_timeout.map(seconds),
        retry_on: r.retry_on.clone(),
        retry_remote_localities: r.retry_remote_localities,
    });
    route.timeout = config.request_timeout.map(seconds);
}

/// FaultInjectionPolicy → the route's `fault` (none when neither part was valid).
fn fault(config: &FaultInjection, route: &mut HttpRoute) {
    let fault = HttpFault {
        abort: config.abort.as_ref().map(|a| FaultAbort {
            http_status: a.http_status,
            percentage: percentage(a.percentage),
        }),
        delay: config.delay.as_ref().map(|d| FaultDelay {
            fixed_delay: seconds(d.fixed_delay),
            percentage: percentage(d.percentage),
        }),
    };
    route.fault = (fault != HttpFault::default()).then_some(fault);
}

/// CORSPolicy → the route's `corsPolicy`.
fn cors(config: &Cors, route: &mut HttpRoute) {
    route.cors_policy = Some(CorsPolicy {
        allow_credentials: config.allow_credentials,
        allow_headers: config.allow_headers.clone(),
        allow_methods: config.allow_methods.clone(),
        allow_origins: config
            .allow_origins
            .iter()
            .map(|o| match o {
                OriginMatch::Exact(s) => StringMatch::Exact(s.clone()),
                OriginMatch::Prefix(s) => StringMatch::Prefix(s.clone()),
                OriginMatch::Regex(s) => StringMatch::Regex(s.clone()),
            })
            .collect(),
        expose_headers: config.expose_headers.clone(),
        max_age: config.max_age.map(seconds),
    });
}

fn header_operations(ops: &HeaderOps) -> Option<HeaderOperations> {
    let out = HeaderOperations {
        add: ops.add.clone(),
        remove: ops.remove.clone(),
    };
    (out != HeaderOperations::default()).then_some(out)
}

/// HeaderManipulationPolicy → the route's `headers`: Gloo's appended headers are Istio's `add`
/// (which appends), its removed ones Istio's `remove`.
fn headers(config: &HeaderManipulation, route: &mut HttpRoute) {
    let headers = Headers {
        request: header_operations(&config.request),
        response: header_operations(&config.response),
    };
    route.headers = (headers != Headers::default()).then_some(headers);
}

/// MirrorPolicy → the route's `mirror` (its destination resolved) and `mirrorPercentage`.
fn mirror(destination: &resolved::Destination, percent: Option<Percent>, route: &mut HttpRoute) {
    route.mirror = Some(Destination {
        host: destination.host.clone(),
        port: destination.port.map(|number| PortSelector { number }),
        subset: None,
    });
    route.mirror_percentage = percent.map(percentage);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::route_policy::{FaultAbort as Abort, FaultDelay as Delay, Retries};

    #[test]
    fn retries_and_timeout() {
        let mut route = HttpRoute::default();
        let config = RetryTimeout {
            retries: Some(Retries {
                attempts: 3,
                per_try_timeout: Some(500),
                retry_on: Some("5xx,reset".into()),
                retry_remote_localities: None,
            }),
            request_timeout: Some(2_000),
        };
        retry_timeout(&config, &mut route);
        let retries = route.retries.expect("retries");
        assert_eq!(retries.attempts, 3);
        assert_eq!(retries.per_try_timeout.as_deref(), Some("0.5s"));
        assert_eq!(route.timeout.as_deref(), Some("2s"));
    }

    #[test]
    fn fault_keeps_both_parts() {
        let mut route = HttpRoute::default();
        let config = FaultInjection {
            delay: Some(Delay {
                fixed_delay: 2_000,
                percentage: Percent(100.0),
            }),
            abort: Some(Abort {
                http_status: 503,
                percentage: Percent(12.5),
            }),
        };
        fault(&config, &mut route);
        let f = route.fault.expect("fault");
        assert_eq!(f.delay.expect("delay").fixed_delay, "2s");
        assert_eq!(f.abort.expect("abort").percentage.value, 12.5);
        let mut empty = HttpRoute::default();
        fault(&FaultInjection::default(), &mut empty);
        assert_eq!(empty.fault, None);
    }

    #[test]
    fn headers_only_when_something_changes() {
        let mut route = HttpRoute::default();
        headers(&HeaderManipulation::default(), &mut route);
        assert_eq!(route.headers, None);
        let mut config = HeaderManipulation::default();
        config
            .response
            .remove
            .push("x-envoy-upstream-service-time".into());
        headers(&config, &mut route);
        let h = route.headers.expect("headers");
        assert_eq!(h.request, None);
        assert_eq!(h.response.expect("response").remove.len(), 1);
    }
}
