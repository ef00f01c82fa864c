//! Gloo 2.x FailoverPolicy, OutlierDetectionPolicy, RouteTable and VirtualGateway, decoded after
//! the schema check ([`crate::model::schema`]): the decoders read only what vdc translates.

use super::decode::{DecodeContext, Fields, Located};
use super::gloo::{object_selector, port_selector, spec};
use super::types::*;
use crate::load::node::{Node, Pos};
use crate::rules::schema::{invalid_value, missing_field, untranslated_field};

const DESTINATION_KIND: &str = "common.gloo.solo.io.DestinationKind";

fn apply_to_destinations(f: &mut Fields) -> Vec<DestinationSelector> {
    f.objects("applyToDestinations", |d| {
        // Without a selector (it selects everything), diagnostics about it point at the entry.
        let entry = ObjectSelector {
            pos: d.pos,
            ..ObjectSelector::default()
        };
        Some(DestinationSelector {
            kind: d.enum_value("kind", DESTINATION_KIND, "SERVICE")?,
            selector: d.object("selector", object_selector).unwrap_or(entry),
            port: d.object("port", port_selector).flatten().map(|p| p.value),
        })
    })
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

pub(super) fn failover_policy(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<DestinationSelector>, Vec<LocalityMapping>, Vec<String>) {
    spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        let (mappings, labels) = s
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
        (apply_to, mappings, labels)
    })
}

/// A Go-style duration (`500ms`, `5s`, `1m30s`) in whole milliseconds.
pub fn parse_duration(text: &str) -> Result<Millis, String> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("an empty duration".into());
    }
    let mut nanos: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len]
            .parse()
            .map_err(|_| format!("`{text}` is not a duration like `5s`, `500ms` or `1m30s`"))?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "`{text}` is not a duration like `5s`, `500ms` or `1m30s`"
                ));
            }
        };
        rest = &rest[unit_len..];
        nanos += number * scale;
    }
    let millis = nanos / 1e6;
    if millis.fract().abs() > 1e-9 {
        return Err(format!(
            "`{text}` is finer than a millisecond, the granularity Gloo accepts"
        ));
    }
    if millis < 1.0 {
        return Err(format!("`{text}` is shorter than the 1ms minimum"));
    }
    if millis > 315_576_000_000_000.0 {
        return Err(format!(
            "`{text}` is longer than any duration Kubernetes accepts"
        ));
    }
    Ok(millis as Millis)
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

pub(super) struct OutlierSpec {
    pub apply_to: Vec<DestinationSelector>,
    pub consecutive_errors: u32,
    pub interval: Millis,
    pub base_ejection_time: Millis,
    pub max_ejection_percent: u32,
    pub consecutive_gateway_errors: Option<u32>,
}

pub(super) fn outlier_detection_policy(cx: &mut DecodeContext, doc: &Node) -> OutlierSpec {
    spec(cx, doc, |s| {
        let apply_to = apply_to_destinations(s);
        for d in &apply_to {
            if d.kind == "SERVICE" {
                let site = s.cx.site(d.selector.pos);
                let case = invalid_value::Case::OutlierDetectionOnService;
                s.cx.push(invalid_value::diagnostic(site, case));
            }
        }
        let max = i32::MAX as u32;
        s.object("config", |c| {
            let consecutive_errors = c.uint("consecutiveErrors", 1, max).map_or(5, |v| v.value);
            let interval = duration(c, "interval", 10_000);
            let base = duration(c, "baseEjectionTime", 30_000);
            let percent = c
                .uint("maxEjectionPercent", 0, 100)
                .map_or(100, |v| v.value);
            let gateway = c.uint("consecutiveGatewayErrors", 0, max).map(|v| v.value);
            OutlierSpec {
                apply_to: Vec::new(),
                consecutive_errors,
                interval,
                base_ejection_time: base,
                // 0 means the default (100), as Gloo's own translator does.
                max_ejection_percent: if percent == 0 { 100 } else { percent },
                consecutive_gateway_errors: gateway,
            }
        })
        .map(|o| OutlierSpec {
            apply_to: apply_to.clone(),
            ..o
        })
        .unwrap_or(OutlierSpec {
            apply_to,
            consecutive_errors: 5,
            interval: 10_000,
            base_ejection_time: 30_000,
            max_ejection_percent: 100,
            consecutive_gateway_errors: None,
        })
    })
}

fn object_reference(f: &mut Fields) -> ObjectReference {
    ObjectReference {
        pos: f.pos,
        name: f
            .required_string("name")
            .map(|n| n.value)
            .unwrap_or_default(),
        namespace: f.string("namespace").map(|n| n.value),
        cluster: f.string("cluster").map(|n| n.value),
    }
}

fn string_match(f: &mut Fields) -> Option<StringMatch> {
    f.string("exact")
        .map(|v| StringMatch::Exact(v.value))
        .or_else(|| f.string("prefix").map(|v| StringMatch::Prefix(v.value)))
        .or_else(|| f.string("regex").map(|v| StringMatch::Regex(v.value)))
        // Istio has no suffix match: the same paths as a regex.
        .or_else(|| {
            f.string("suffix")
                .map(|v| StringMatch::Regex(format!(".*{}", regex_escape(&v.value))))
        })
}

/// `text` as an RE2 pattern that matches exactly it.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn matcher(f: &mut Fields) -> Option<RequestMatcher> {
    let mut ignore_case = false;
    let uri = f
        .object("uri", |u| {
            ignore_case = u.boolean("ignoreCase").unwrap_or(false);
            string_match(u)
        })
        .flatten();
    let headers = f.objects("headers", |h| {
        let name = h.required_string("name")?.value;
        let regex = h.boolean("regex").unwrap_or(false);
        let invert = h.boolean("invertMatch").unwrap_or(false);
        let value = h.string("value").map(|v| {
            if regex {
                StringMatch::Regex(v.value)
            } else {
                StringMatch::Exact(v.value)
            }
        });
        Some(HeaderMatcher {
            name,
            value,
            invert,
        })
    });
    let query_parameters = f.objects("queryParameters", |q| {
        let name = q.required_string("name")?.value;
        let regex = q.boolean("regex").unwrap_or(false);
        let value = q
            .string("value")
            .map_or(StringMatch::Regex(".*".into()), |v| {
                if regex {
                    StringMatch::Regex(v.value)
                } else {
                    StringMatch::Exact(v.value)
                }
            });
        Some((name, value))
    });
    let method = f.string("method").map(|m| m.value);
    Some(RequestMatcher {
        uri,
        ignore_case,
        headers,
        query_parameters,
        method,
    })
}

const WORKLOAD_KIND: &str = "common.gloo.solo.io.WorkloadSelector.WorkloadKind";

/// `Some` for a workload selector of Kubernetes workloads (`kind: KUBE`, the default); a
/// selector of virtual machines is warned about and left out.
fn kube_workloads(w: &mut Fields) -> Option<()> {
    let kind = w.enum_value("kind", WORKLOAD_KIND, "KUBE")?;
    if kind != "KUBE" {
        let path = w.path("kind");
        let pos = w.peek("kind").map_or(w.pos, |n| n.pos);
        let case = untranslated_field::Case::VirtualMachines {
            path: &path,
            kind: &kind,
        };
        let site = w.cx.site(pos);
        w.cx.push(untranslated_field::diagnostic(site, case));
        return None;
    }
    Some(())
}

/// A destination's `ref`. A destination without one is another kind of destination (an AWS
/// Lambda, warned about as a field vdc does not translate) and is left out; one with none at
/// all is missing its `ref`.
fn destination_ref(d: &mut Fields) -> Option<ObjectReference> {
    if let Some(reference) = d.object("ref", object_reference) {
        return Some(reference);
    }
    if d.peek("awsLambda").is_none() && d.peek("function").is_none() {
        let path = d.path("ref");
        let case = missing_field::Case::Required { path: &path };
        let site = d.cx.site(d.pos);
        d.cx.push(missing_field::diagnostic(site, case));
    }
    None
}

pub(super) struct RouteTableSpec {
    pub hosts: Vec<Located<String>>,
    pub virtual_gateways: Vec<ObjectReference>,
    pub workload_selectors: Vec<WorkloadSelectorRef>,
    pub http: Vec<HttpRoute>,
    pub delegates: Vec<Pos>,
}

pub(super) fn route_table(cx: &mut DecodeContext, doc: &Node) -> RouteTableSpec {
    spec(cx, doc, |s| {
        let hosts = s.strings("hosts");
        let virtual_gateways = s.objects("virtualGateways", |g| Some(object_reference(g)));
        let workload_selectors = s.objects("workloadSelectors", |w| {
            kube_workloads(w)?;
            Some(WorkloadSelectorRef {
                selector: w.object("selector", object_selector).unwrap_or_default(),
            })
        });
        let mut delegates = Vec::new();
        let http = s.objects("http", |r| {
            let pos = r.pos;
            let name = r.string("name").map(|n| n.value).unwrap_or_default();
            let matchers = r.objects("matchers", matcher);
            if let Some(d) = r.get("delegate") {
                delegates.push(d.pos);
            }
            let destinations = r
                .object("forwardTo", |fw| {
                    fw.objects("destinations", |d| {
                        let pos = d.pos;
                        let reference = destination_ref(d)?;
                        let kind = d.enum_value("kind", DESTINATION_KIND, "SERVICE")?;
                        let port = d.object("port", port_selector).flatten();
                        let subset = d.string_map("subset");
                        let weight = d.uint("weight", 0, 100).map(|w| w.value);
                        Some(RouteDestination {
                            reference,
                            kind,
                            port,
                            subset,
                            weight,
                            pos,
                        })
                    })
                })
                .unwrap_or_default();
            Some(HttpRoute {
                name,
                matchers,
                destinations,
                pos,
            })
        });
        RouteTableSpec {
            hosts,
            virtual_gateways,
            workload_selectors,
            http,
            delegates,
        }
    })
}

const TLS_MODE: &str = "networking.gloo.solo.io.TLSConfig.TLSMode";
const TLS_VERSION: &str = "networking.gloo.solo.io.TLSConfig.Parameters.ProtocolVersion";

/// A Gloo TLS protocol version (`TLSv1_2`) as Istio spells it (`TLSV1_2`).
fn istio_tls_version(f: &mut Fields, key: &'static str) -> Option<String> {
    f.get(key)?;
    let version = f.enum_value(key, TLS_VERSION, "TLS_AUTO")?;
    Some(version.replace("TLSv", "TLSV"))
}

fn listener_tls(t: &mut Fields) -> Option<ListenerTls> {
    let mode = t.enum_value("mode", TLS_MODE, "SIMPLE");
    let secret_name = t.string("secretName").map(|s| s.value);
    let subject_alt_names = t
        .strings("verifySubjectAltName")
        .into_iter()
        .map(|s| s.value)
        .collect();
    let (min_protocol_version, max_protocol_version, cipher_suites) = t
        .object("parameters", |p| {
            let min = istio_tls_version(p, "minimumProtocolVersion");
            let max = istio_tls_version(p, "maximumProtocolVersion");
            let suites = p.strings("cipherSuites").into_iter().map(|s| s.value);
            (min, max, suites.collect())
        })
        .unwrap_or_default();
    Some(ListenerTls {
        mode: mode?,
        secret_name,
        min_protocol_version,
        max_protocol_version,
        cipher_suites,
        subject_alt_names,
    })
}

fn listener(l: &mut Fields) -> Option<Listener> {
    let pos = l.pos;
    let port = l.object("port", port_selector).flatten().map(|p| p.value);
    let http = l.has("http");
    let tcp = l.has("tcp");
    let tls_set = l.get("tls").is_some();
    let tls = l.object("tls", listener_tls).flatten();
    let https_redirect = l.boolean("httpsRedirect").unwrap_or(false);
    let protocol = match (http, tcp, tls_set) {
        (true, _, true) => "HTTPS",
        (true, _, false) => "HTTP",
        (false, true, true) => "TLS",
        (false, true, false) => "TCP",
        (false, false, true) => "TLS",
        (false, false, false) => "HTTP",
    };
    let Some(port) = port else {
        let path = l.path("port");
        let case = missing_field::Case::ListenerPort { path: &path };
        let site = l.cx.site(pos);
        l.cx.push(missing_field::diagnostic(site, case));
        return None;
    };
    // A `tls` whose mode was refused has been reported; the listener is left out.
    if tls_set && tls.is_none() {
        return None;
    }
    Some(Listener {
        port,
        protocol,
        tls,
        https_redirect,
        pos,
    })
}

pub(super) fn virtual_gateway(
    cx: &mut DecodeContext,
    doc: &Node,
) -> (Vec<ObjectSelector>, Vec<Listener>) {
    spec(cx, doc, |s| {
        let workloads = s.objects("workloads", |w| {
            kube_workloads(w)?;
            Some(w.object("selector", object_selector).unwrap_or_default())
        });
        let listeners = s.objects("listeners", listener);
        (workloads, listeners)
    })
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5s"), Ok(5_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("1m30s"), Ok(90_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("100us").is_err());
        assert!(parse_duration("5 sec").is_err());
    }
}
