//! Gloo 2.x VirtualGateway, decoded after the schema check ([`crate::model::schema`]): the
//! decoder reads only what vdc translates.

use super::decode::{DecodeContext, Fields};
use super::gloo::{kube_workloads, object_selector, port_selector, spec};
use super::routing_types::*;
use super::types::*;
use crate::load::node::{Node, Value};
use crate::rules::routing::egress_gateway;
use crate::rules::schema::missing_field;

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

/// An `allowedRouteTables` entry: `host` is `[namespace/]dnsName`, the namespace `*` (any, also
/// when there is no prefix) or `.` (the VirtualGateway's). `allowedRoutes` only filters out
/// cloud-provider routes, which vdc never writes, so it is read and has no effect.
fn route_table_filter(f: &mut Fields) -> Option<RouteTableFilter> {
    let written = f.required_string("host")?;
    let (namespace, host) = match written.value.split_once('/') {
        Some(("*", host)) => (None, host),
        Some((namespace, host)) => (Some(namespace.to_owned()), host),
        None => (None, written.value.as_str()),
    };
    let host = host.to_owned();
    let selector = f.object("selector", object_selector);
    Some(RouteTableFilter {
        host,
        namespace,
        selector,
        pos: written.pos,
    })
}

fn listener(l: &mut Fields) -> Option<Listener> {
    let pos = l.pos;
    // An egress listener is refused (VDC741) and left out, so it writes no Gateway server.
    if let Some(exposed) = l.get("exposedExternalServices") {
        let (site, field) = (l.cx.site(exposed.pos), l.path("exposedExternalServices"));
        l.cx.push(egress_gateway::listener(site, field));
        return None;
    }
    let port = l.object("port", port_selector).flatten().map(|p| p.value);
    let http = l.has("http");
    let tls_set = l.get("tls").is_some();
    let tls = l.object("tls", listener_tls).flatten();
    let https_redirect = l.boolean("httpsRedirect").unwrap_or(false);
    let allowed_route_tables = l.objects("allowedRouteTables", route_table_filter);
    // virtual_gateway.proto: a listener is of TCP type when "tcp is set, or neither the tcp
    // nor http field is set", so one without `http` is TCP (TLS with `tls`).
    let protocol = match (http, tls_set) {
        (true, true) => "HTTPS",
        (true, false) => "HTTP",
        (false, true) => "TLS",
        (false, false) => "TCP",
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
        allowed_route_tables,
        pos,
    })
}

/// What vdc reads from a VirtualGateway's `spec`.
pub(super) struct VirtualGatewaySpec {
    pub workloads: Vec<ObjectSelector>,
    pub listeners: Vec<Listener>,
}

pub(super) fn virtual_gateway(cx: &mut DecodeContext, doc: &Node) -> VirtualGatewaySpec {
    spec(cx, doc, |s| {
        no_workloads(s);
        let workloads = s.objects("workloads", |w| {
            kube_workloads(w)?;
            let selector = w.object("selector", object_selector).unwrap_or_default();
            // Refused, and left out so that no Service of the workspace is programmed.
            (!selects_every_workload(w, &selector)).then_some(selector)
        });
        let listeners = s.objects("listeners", listener);
        VirtualGatewaySpec {
            workloads,
            listeners,
        }
    })
}

/// A VirtualGateway without `workloads` (or with `[]`): Gloo applies it to every gateway
/// workload of its workspace ("If this field is nil, it is applied to all gateway workloads"),
/// and vdc cannot tell which pods are gateways from a cluster dump, so it is refused (VDC205).
fn no_workloads(s: &mut Fields) {
    let written = s.peek("workloads");
    let listed = written.is_some_and(|n| !matches!(&n.value, Value::Seq(v) if v.is_empty()));
    if !listed {
        let path = s.path("workloads");
        let case = missing_field::Case::GatewayWorkloads {
            path: &path,
            every: false,
        };
        let site = s.cx.site(written.map_or(s.pos, |n| n.pos));
        s.cx.push(missing_field::diagnostic(site, case));
    }
}

/// Whether a `workloads` entry's selector sets nothing: like no `workloads`, every gateway
/// workload in Gloo, which vdc cannot pick out (VDC205, reported here).
fn selects_every_workload(w: &mut Fields, selector: &ObjectSelector) -> bool {
    let every = selector.is_blank();
    if every {
        let path = w.path("selector");
        let case = missing_field::Case::GatewayWorkloads {
            path: &path,
            every: true,
        };
        let site = w.cx.site(w.pos);
        w.cx.push(missing_field::diagnostic(site, case));
    }
    every
}
