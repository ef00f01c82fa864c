//! Gloo 2.x RouteTable, decoded after the schema check ([`crate::model::schema`]): the decoder
//! reads only what vdc translates.

use super::conditions;
use super::decode::Located;
use super::decode::{DecodeContext, Fields};
use super::gloo::{kube_workloads, object_selector, spec};
use super::istio_accepts::{self as istio, regex_escape};
use super::l4_route::{check_hosts, l4_route};
use super::re2::re2_problem;
use super::route_destination::{destination, object_reference};
use super::routing_types::*;
use super::types::*;
use crate::load::node::{Node, Pos, Value};
use crate::rules::routing::{
    auto_host_rewrite, conflicting_matcher_conditions, invalid_matcher_name, invalid_route_action,
    invalid_route_regex, path_rewrite_on_regex_match,
};
use crate::rules::schema::missing_field;

/// `value` of the field `key` of `f`, which vdc writes into the VirtualService as a regex:
/// VDC716 when istiod or Envoy would refuse it.
fn check_regex(f: &mut Fields, key: &str, value: &Located<String>) {
    check_written_regex(f, key, value, value.pos);
}

/// `regex`, written into the VirtualService for the field `key` (at `pos`) of `f`: VDC716 when
/// istiod or Envoy would refuse it.
fn check_written_regex(f: &mut Fields, key: &str, regex: &str, pos: Pos) {
    if let Some(problem) = re2_problem(regex) {
        let path = f.path(key);
        let site = f.cx.site(pos);
        f.cx.push(invalid_route_regex::diagnostic(
            site, &path, regex, &problem,
        ));
    }
}

/// A matcher's `uri` and whether it ignores case. Envoy ignores case only in exact and prefix
/// matches, never in a regex (`case_sensitive` does not apply to `safe_regex`), so a
/// case-insensitive match written as a regex carries `(?i)` instead; Gloo's `ignoreCase` has no
/// effect on its own `regex` (the proto says so), which stays as written.
fn uri_match(u: &mut Fields) -> Option<(StringMatch, bool)> {
    let ignore_case = u.boolean("ignoreCase").unwrap_or(false);
    if let Some(v) = u.string("exact") {
        return Some((StringMatch::Exact(v.value), ignore_case));
    }
    if let Some(v) = u.string("prefix") {
        return Some((StringMatch::Prefix(v.value), ignore_case));
    }
    if let Some(v) = u.string("regex") {
        check_regex(u, "regex", &v);
        return Some((StringMatch::Regex(v.value), false));
    }
    // Istio has no suffix match: the same paths as a regex.
    let v = u.string("suffix")?;
    let flag = if ignore_case { "(?i)" } else { "" };
    let regex = format!("{flag}.*{}", regex_escape(&v.value));
    // Always RE2, but a long suffix can pass Istio's 1024-byte limit once escaped.
    check_written_regex(u, "suffix", &regex, v.pos);
    Some((StringMatch::Regex(regex), false))
}

/// A header's or query parameter's `value`: a regex (checked) with `regex: true`, else exact.
fn value_match(f: &mut Fields) -> Option<StringMatch> {
    let regex = f.boolean("regex").unwrap_or(false);
    let value = f.string("value")?;
    if !regex {
        return Some(StringMatch::Exact(value.value));
    }
    check_regex(f, "value", &value);
    Some(StringMatch::Regex(value.value))
}

/// The `name` of a header or query parameter matcher; VDC717 when Istio or Envoy refuses it.
fn matched_name(f: &mut Fields, kind: invalid_matcher_name::Kind) -> Option<String> {
    let name = f.required_string("name")?;
    let problem = match kind {
        invalid_matcher_name::Kind::Header => istio::match_header_name_problem(&name),
        invalid_matcher_name::Kind::QueryParameter => istio::query_parameter_name_problem(&name),
    };
    if let Some(problem) = problem {
        let path = f.path("name");
        let site = f.cx.site(name.pos);
        f.cx.push(invalid_matcher_name::diagnostic(
            site, &path, kind, &name, problem,
        ));
    }
    Some(name.value)
}

fn matcher(f: &mut Fields) -> Option<RequestMatcher> {
    let (uri, ignore_case) = f
        .object("uri", uri_match)
        .flatten()
        .map_or((None, false), |(m, i)| (Some(m), i));
    let headers = f.objects("headers", |h| {
        let name = matched_name(h, invalid_matcher_name::Kind::Header)?;
        let invert = h.boolean("invertMatch").unwrap_or(false);
        let value = value_match(h);
        Some(HeaderMatcher {
            name,
            value,
            invert,
        })
    });
    let query_parameters = f.objects("queryParameters", |q| {
        let name = matched_name(q, invalid_matcher_name::Kind::QueryParameter)?;
        // Without a value, the parameter need only be present.
        let value = value_match(q).unwrap_or(StringMatch::Regex(".*".into()));
        Some((name, value))
    });
    let method = f.string("method").map(|m| m.value);
    // The proto's bounds are 0..=65535; 0 is proto3's unset.
    let port = f
        .uint("port", 0, 65535)
        .map(|p| p.value)
        .filter(|p| *p != 0);
    Some(RequestMatcher {
        uri,
        ignore_case,
        headers: one_per_name(
            f,
            ("headers", |h| h.name.to_ascii_lowercase()),
            headers,
            |h| conditions::headers(&[], h),
        ),
        query_parameters: one_per_name(
            f,
            ("queryParameters", |q| q.0.clone()),
            query_parameters,
            |q| conditions::query_parameters(&[], q),
        ),
        method,
        port,
        sni_hosts: Vec::new(),
    })
}

/// The conditions of a matcher's `key` list, one per name as Istio's maps hold them (a header
/// required present and `acme` is `acme`); VDC718, and the list as written (nothing is
/// generated then), when no request meets them or one condition cannot say them.
fn one_per_name<T>(
    f: &mut Fields,
    (key, name): (&str, fn(&T) -> String),
    list: Vec<T>,
    merged: impl Fn(&[T]) -> Result<Vec<T>, conditions::NoMatch>,
) -> Vec<T> {
    let no_match = match merged(&list) {
        Ok(one_each) => return one_each,
        Err(no_match) => no_match,
    };
    let reason = match &no_match {
        conditions::NoMatch::Disjoint => None,
        conditions::NoMatch::Inexpressible(reason) => Some(reason.as_str()),
    };
    let names: Vec<String> = list.iter().map(name).collect();
    let twice = (names.iter().enumerate())
        .find(|(i, n)| names[..*i].contains(n))
        .map_or("", |(_, n)| n.as_str());
    let path = f.path(key);
    let pos = f.peek(key).map_or(f.pos, |n| n.pos);
    let site = f.cx.site(pos);
    f.cx.push(conflicting_matcher_conditions::diagnostic(
        site, &path, twice, reason,
    ));
    list
}

/// `spec.weight`, an `int32`.
fn table_weight(s: &mut Fields) -> i64 {
    let Some(node) = s.get("weight") else {
        return 0;
    };
    match node.value {
        Value::Int(n) if (i128::from(i32::MIN)..=i128::from(i32::MAX)).contains(&n) => n as i64,
        _ => {
            let path = s.path("weight");
            s.cx.wrong_type(node, &path, "a 32-bit integer");
            0
        }
    }
}

pub(super) fn route_table(cx: &mut DecodeContext, doc: &Node, meta: Meta) -> RouteTable {
    spec(cx, doc, |s| {
        let hosts = s.strings("hosts");
        let virtual_gateways = s.objects("virtualGateways", |g| Some(object_reference(g)));
        let workload_selectors_listed = s
            .peek("workloadSelectors")
            .is_some_and(|n| matches!(&n.value, Value::Seq(items) if !items.is_empty()));
        let workload_selectors = s.objects("workloadSelectors", |w| {
            kube_workloads(w)?;
            Some(WorkloadSelectorRef {
                selector: w.object("selector", object_selector).unwrap_or_default(),
            })
        });
        let default = s
            .object("defaultDestination", |d| destination(d, true))
            .flatten();
        let weight = table_weight(s);
        let mut index = 0;
        let http = s.objects("http", |r| {
            let route = http_route(r, index, default.as_ref());
            index += 1;
            Some(route)
        });
        let [tcp, tls] = [RouteLayer::Tcp, RouteLayer::Tls].map(|layer| {
            let mut index = 0;
            let key = if layer == RouteLayer::Tcp {
                "tcp"
            } else {
                "tls"
            };
            s.objects(key, |r| {
                let route = l4_route(r, (layer, index), default.as_ref());
                index += 1;
                Some(route)
            })
        });
        let attached = !virtual_gateways.is_empty() || workload_selectors_listed;
        check_hosts(s, &hosts, (&tcp, &tls), attached);
        RouteTable {
            meta,
            hosts,
            virtual_gateways,
            workload_selectors,
            workload_selectors_listed,
            http,
            tcp,
            tls,
            weight,
        }
    })
}

/// Route `index` of `spec.http`, its action decoded; VDC711 when it has none vdc can write.
fn http_route(r: &mut Fields, index: usize, default: Option<&RouteDestination>) -> HttpRoute {
    let pos = r.pos;
    let name = r.string("name").map(|n| n.value).unwrap_or_default();
    let labels = r.string_map("labels");
    let matchers = r.objects("matchers", matcher);
    let action = route_action(r, default);
    let problem = match &action {
        Err(problem) => Some(*problem),
        Ok(RouteAction::Redirect(Redirect {
            authority: None,
            uri: None,
            ..
        })) => Some(invalid_route_action::Problem::RedirectsNowhere),
        Ok(_) => None,
    };
    if let Some(problem) = problem {
        let site = r.cx.site(pos);
        r.cx.push(invalid_route_action::diagnostic(
            site, index, &name, problem,
        ));
    }
    if let Ok(RouteAction::Forward { rewrite, .. }) = &action {
        refused_rewrites(r, (index, &name), &matchers, rewrite);
    }
    HttpRoute {
        name,
        labels,
        matchers,
        action: action.unwrap_or(RouteAction::Unwritable),
        pos,
        layer: RouteLayer::Http,
    }
}

/// The value of `key` in the route's `forwardTo`, when it is set.
fn forward_field<'n>(r: &Fields<'_, 'n>, key: &str) -> Option<&'n Node> {
    let Value::Map(entries) = &r.peek("forwardTo")?.value else {
        return None;
    };
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}

/// Whether matcher `index` of the route matches the path by `uri.suffix` as written (vdc keeps
/// it as a regex).
fn written_as_suffix(r: &Fields, index: usize) -> bool {
    let Some(Value::Seq(matchers)) = r.peek("matchers").map(|n| &n.value) else {
        return false;
    };
    let Some(Value::Map(fields)) = matchers.get(index).map(|n| &n.value) else {
        return false;
    };
    let uri = fields
        .iter()
        .find(|(k, _)| k.name == "uri")
        .map(|(_, v)| &v.value);
    matches!(uri, Some(Value::Map(u)) if u.iter().any(|(k, _)| k.name == "suffix"))
}

/// The rewrites of a `forwardTo` that vdc refuses rather than guess: a `pathRewrite` beside a
/// path matched by regex or suffix (VDC731: Gloo does not support it, Istio would replace the
/// whole path) and `autoHostRewrite` (VDC732: Istio has no such rewrite).
fn refused_rewrites(
    r: &mut Fields,
    route: (usize, &str),
    matchers: &[RequestMatcher],
    rewrite: &Rewrite,
) {
    let regex = matchers
        .iter()
        .position(|m| matches!(m.uri, Some(StringMatch::Regex(_))));
    if let (Some(uri), Some(matcher)) = (&rewrite.uri, regex) {
        let pos = forward_field(r, "pathRewrite").map_or(r.pos, |n| n.pos);
        let site = r.cx.site(pos);
        let by = if written_as_suffix(r, matcher) {
            path_rewrite_on_regex_match::By::Suffix
        } else {
            path_rewrite_on_regex_match::By::Regex
        };
        let d = path_rewrite_on_regex_match::diagnostic(site, route, (matcher, by), uri);
        r.cx.push(d);
    }
    if let Some(auto) = forward_field(r, "autoHostRewrite")
        && auto.value == Value::Bool(true)
    {
        let site = r.cx.site(auto.pos);
        r.cx.push(auto_host_rewrite::diagnostic(site, route));
    }
}

/// The one action of a route (the schema check reports a second); `Err` for none or for a
/// `forwardTo` with no destination and no default.
fn route_action(
    r: &mut Fields,
    default: Option<&RouteDestination>,
) -> Result<RouteAction, invalid_route_action::Problem> {
    use invalid_route_action::Problem;
    if let Some(forward) = r.object("forwardTo", |f| forward_to(f, default)) {
        return forward.ok_or(Problem::NoDestination);
    }
    if let Some(delegate) = r.object("delegate", delegate) {
        return Ok(RouteAction::Delegate(delegate));
    }
    if let Some(redirect) = r.object("redirect", redirect) {
        return Ok(redirect.map_or(RouteAction::Unwritable, RouteAction::Redirect));
    }
    if let Some(response) = r.object("directResponse", direct_response) {
        return Ok(response.map_or(RouteAction::Unwritable, RouteAction::DirectResponse));
    }
    // `graphql` is named by VDC203; a route with an empty `forwardTo: null` has none.
    if r.peek("graphql").is_some() {
        return Ok(RouteAction::Unwritable);
    }
    Err(Problem::NoAction)
}

/// `forwardTo`: `None` when it lists no destination and the table has no default.
fn forward_to(f: &mut Fields, default: Option<&RouteDestination>) -> Option<RouteAction> {
    let listed = f
        .peek("destinations")
        .is_some_and(|n| matches!(&n.value, Value::Seq(items) if !items.is_empty()));
    let mut destinations = f.objects("destinations", |d| destination(d, false));
    let rewrite = Rewrite {
        uri: f
            .string("pathRewrite")
            .map(|p| p.value)
            .filter(|p| !p.is_empty()),
        uri_regex: f.object("regexRewrite", regex_rewrite).flatten(),
        authority: f
            .string("hostRewrite")
            .map(|h| h.value)
            .filter(|h| !h.is_empty()),
    };
    if !listed {
        destinations.extend(default.cloned());
        if destinations.is_empty() {
            return None;
        }
    } else if destinations.is_empty() {
        // Every destination is a cloud function or failed to decode: both reported.
        return Some(RouteAction::Unwritable);
    }
    Some(RouteAction::Forward {
        destinations,
        rewrite,
    })
}

/// `regexRewrite: {pattern: {regex}, substitution}`; Istio refuses one without a pattern.
fn regex_rewrite(f: &mut Fields) -> Option<(String, String)> {
    let pattern = f.object("pattern", |p| {
        let regex = p.required_string("regex")?;
        check_regex(p, "regex", &regex);
        Some(regex)
    });
    let absent = pattern.is_none();
    let Some(pattern) = pattern.flatten() else {
        if absent {
            let path = f.path("pattern");
            let site = f.cx.site(f.pos);
            f.cx.push(missing_field::diagnostic(
                site,
                missing_field::Case::Required { path: &path },
            ));
        }
        return None;
    };
    let substitution = f
        .string("substitution")
        .map(|s| s.value)
        .unwrap_or_default();
    Some((pattern.value, substitution))
}

const REDIRECT_CODE: &str = "networking.gloo.solo.io.RedirectAction.RedirectResponseCode";
const SORT_METHOD: &str = "networking.gloo.solo.io.DelegateAction.SortMethod";

fn redirect(f: &mut Fields) -> Option<Redirect> {
    let code = match f
        .enum_value("responseCode", REDIRECT_CODE, "MOVED_PERMANENTLY")?
        .as_str()
    {
        "FOUND" => 302,
        "SEE_OTHER" => 303,
        "TEMPORARY_REDIRECT" => 307,
        "PERMANENT_REDIRECT" => 308,
        _ => 301,
    };
    Some(Redirect {
        authority: f
            .string("hostRedirect")
            .map(|h| h.value)
            .filter(|h| !h.is_empty()),
        uri: f
            .string("pathRedirect")
            .map(|p| p.value)
            .filter(|p| !p.is_empty()),
        code,
    })
}

/// `directResponse`: `status` is required and, as Istio requires, 200–599.
fn direct_response(f: &mut Fields) -> Option<DirectResponse> {
    let status = f.uint("status", 200, 599);
    if f.get("status").is_none() {
        let path = f.path("status");
        let site = f.cx.site(f.pos);
        f.cx.push(missing_field::diagnostic(
            site,
            missing_field::Case::Required { path: &path },
        ));
    }
    Some(DirectResponse {
        status: status?.value,
        body: f.string("body").map(|b| b.value),
    })
}

/// `delegate`. `allowedRoutes` filters out cloud-provider routes, which vdc never writes.
fn delegate(f: &mut Fields) -> Delegate {
    let pos = f.pos;
    let route_tables = f.objects("routeTables", |s| Some(object_selector(s)));
    let sort_method = match f
        .enum_value("sortMethod", SORT_METHOD, "TABLE_WEIGHT")
        .as_deref()
    {
        Some("ROUTE_SPECIFICITY") => SortMethod::RouteSpecificity,
        _ => SortMethod::TableWeight,
    };
    Delegate {
        route_tables,
        sort_method,
        pos,
    }
}
