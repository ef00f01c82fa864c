//! The typed routing kinds: RouteTable (its routes, matchers and actions) and VirtualGateway.
//! Kept beside `types.rs`, which re-exports them, so each file reads in one go.

use super::decode::Located;
use super::types::ObjectSelector;
use super::types::PortRef;
use super::types::{Labels, Meta};
use crate::load::node::Pos;

/// Gloo's `ObjectReference`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectReference {
    pub name: String,
    pub namespace: Option<String>,
    pub cluster: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StringMatch {
    Exact(String),
    Prefix(String),
    Regex(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMatcher {
    pub name: String,
    pub value: Option<StringMatch>,
    pub invert: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestMatcher {
    pub uri: Option<StringMatch>,
    pub ignore_case: bool,
    pub headers: Vec<HeaderMatcher>,
    pub query_parameters: Vec<(String, StringMatch)>,
    pub method: Option<String>,
    /// `port`: the port on the host the request is addressed to (0, the proto default, is none).
    pub port: Option<u32>,
    /// A `tls` route's `sniHosts` (Istio's `TLSMatchAttributes.sniHosts`); empty elsewhere.
    pub sni_hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteDestination {
    pub reference: ObjectReference,
    /// `VIRTUAL_DESTINATION` or `SERVICE`.
    pub kind: String,
    pub port: Option<Located<PortRef>>,
    pub subset: Labels,
    pub weight: Option<u32>,
    /// Taken from the RouteTable's `defaultDestination` because the route lists none.
    pub from_default: bool,
    pub pos: Pos,
}

/// A `forwardTo` action's rewrites, in the terms of an Istio `HTTPRewrite`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rewrite {
    /// `pathRewrite`: the matched prefix (or the exact path) replaced.
    pub uri: Option<String>,
    /// `regexRewrite`: (RE2 pattern, substitution).
    pub uri_regex: Option<(String, String)>,
    /// `hostRewrite`: the Host/Authority header replaced.
    pub authority: Option<String>,
}

impl Rewrite {
    pub fn is_empty(&self) -> bool {
        self.uri.is_none() && self.uri_regex.is_none() && self.authority.is_none()
    }
}

/// `redirect`: the response Istio's `HTTPRedirect` sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub authority: Option<String>,
    pub uri: Option<String>,
    /// 301, 302, 303, 307 or 308.
    pub code: u32,
}

/// `directResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectResponse {
    pub status: u32,
    pub body: Option<String>,
}

/// How the routes of delegated RouteTables are ordered (`delegate.sortMethod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortMethod {
    /// Tables by `weight`, highest first; routes in their tables' order.
    TableWeight,
    /// Exact paths, then regexes, then prefixes, longest first.
    RouteSpecificity,
}

/// `delegate`: the routes of other RouteTables, flattened into this one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delegate {
    pub route_tables: Vec<ObjectSelector>,
    pub sort_method: SortMethod,
    pub pos: Pos,
}

/// What a route does with the requests it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteAction {
    Forward {
        /// The route's destinations, or the RouteTable's `defaultDestination` when it lists none.
        destinations: Vec<RouteDestination>,
        rewrite: Rewrite,
    },
    Delegate(Delegate),
    Redirect(Redirect),
    DirectResponse(DirectResponse),
    /// No action vdc can write: none at all or an empty `forwardTo` (an error already
    /// reported), or one vdc does not translate (`graphql`, destinations that are all cloud
    /// functions), which VDC203 names.
    Unwritable,
}

/// Which list of a RouteTable a route is in: `spec.http`, `spec.tcp` or `spec.tls`, written
/// into the VirtualService section of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RouteLayer {
    #[default]
    Http,
    Tcp,
    Tls,
}

impl RouteLayer {
    /// The name of its list: `http`, `tcp` or `tls`.
    pub fn section(self) -> &'static str {
        match self {
            RouteLayer::Http => "http",
            RouteLayer::Tcp => "tcp",
            RouteLayer::Tls => "tls",
        }
    }
}

/// A route of a RouteTable. A `tcp` or `tls` route (`layer`) has no labels and no action but
/// `forwardTo`, its matchers only a `port` (and, for `tls`, `sniHosts`), and for a name its
/// place (`tcp[0]`), which diagnostics show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRoute {
    pub name: String,
    /// `http[].labels`: what route policies select the route by.
    pub labels: Labels,
    pub matchers: Vec<RequestMatcher>,
    pub action: RouteAction,
    pub pos: Pos,
    pub layer: RouteLayer,
}

impl HttpRoute {
    /// The destinations it forwards to; none for any other action.
    pub fn destinations(&self) -> &[RouteDestination] {
        match &self.action {
            RouteAction::Forward { destinations, .. } => destinations,
            _ => &[],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSelectorRef {
    pub selector: ObjectSelector,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTable {
    pub meta: Meta,
    pub hosts: Vec<Located<String>>,
    pub virtual_gateways: Vec<ObjectReference>,
    pub workload_selectors: Vec<WorkloadSelectorRef>,
    /// Whether `spec.workloadSelectors` lists any entry, even one vdc does not translate (a
    /// `kind: VM` selector): only a table that lists none takes Gloo's default.
    pub workload_selectors_listed: bool,
    pub http: Vec<HttpRoute>,
    /// `spec.tcp` and `spec.tls`: never delegated, written beside the http routes.
    pub tcp: Vec<HttpRoute>,
    pub tls: Vec<HttpRoute>,
    /// `weight`: among the tables one route delegates to, the higher first.
    pub weight: i64,
}

impl RouteTable {
    /// The selectors of the sidecars the table routes for (east-west). Gloo's default when the
    /// table names neither `virtualGateways` nor `workloadSelectors` and has hosts (a table
    /// without them is a delegated child): every workload, as `workloadSelectors: [{}]` says.
    /// Gateways alone (`workloadSelectors: []` beside `virtualGateways`) select none.
    pub fn sidecar_selectors(&self) -> std::borrow::Cow<'_, [WorkloadSelectorRef]> {
        let default = self.virtual_gateways.is_empty()
            && !self.workload_selectors_listed
            && !self.hosts.is_empty();
        if default {
            std::borrow::Cow::Owned(vec![WorkloadSelectorRef {
                selector: ObjectSelector::default(),
            }])
        } else {
            std::borrow::Cow::Borrowed(&self.workload_selectors)
        }
    }

    /// The first `*` host with its index: istiod refuses it in a VirtualService bound to the
    /// sidecars (`mesh`).
    pub fn mesh_refused_host(&self) -> Option<(usize, &Located<String>)> {
        self.hosts.iter().enumerate().find(|(_, h)| h.value == "*")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub port: PortRef,
    /// `HTTP`, `HTTPS` (tls with a secret) or `TLS`/`TCP`.
    pub protocol: &'static str,
    pub tls: Option<ListenerTls>,
    /// `httpsRedirect: true`: plain HTTP answered with a redirect to HTTPS.
    pub https_redirect: bool,
    /// `allowedRouteTables`: which RouteTables may attach; empty allows any.
    pub allowed_route_tables: Vec<RouteTableFilter>,
    pub pos: Pos,
}

/// A listener's `allowedRouteTables` entry: RouteTables with a host matching `host`, in the
/// namespace it names, picked by `selector`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTableFilter {
    /// The host (a `*.` wildcard allowed), without its `namespace/` prefix.
    pub host: String,
    /// The prefix's namespace: `None` for `*/` or no prefix (any), `.` for the VirtualGateway's.
    pub namespace: Option<String>,
    /// `None` when the entry has no selector: any RouteTable.
    pub selector: Option<ObjectSelector>,
    /// Where `host` is written.
    pub pos: Pos,
}

/// A listener's `tls`, already in the terms of an Istio Gateway server's `tls`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListenerTls {
    pub mode: String,
    pub secret_name: Option<String>,
    /// Istio's spelling: `TLSV1_2`.
    pub min_protocol_version: Option<String>,
    pub max_protocol_version: Option<String>,
    pub cipher_suites: Vec<String>,
    pub subject_alt_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VirtualGateway {
    pub meta: Meta,
    pub workloads: Vec<ObjectSelector>,
    pub listeners: Vec<Listener>,
}
