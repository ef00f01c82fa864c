//! Gloo 2.x RouteTable, decoded after the schema check ([`crate::model::schema`]): the decoder
//! reads only what vdc translates.

use super::decode::{DecodeContext, Fields, Located};
use super::gloo::{DESTINATION_KIND, kube_workloads, object_selector, port_selector, spec};
use super::types::*;
use crate::load::node::{Node, Pos};
use crate::rules::schema::missing_field;

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
            let labels = r.string_map("labels");
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
                labels,
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
