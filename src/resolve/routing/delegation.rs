//! Delegation: the routes of the RouteTables a route delegates to, flattened into the
//! delegating table's routes, narrowed by the delegating route's matchers and ordered as Gloo
//! documents (`sortMethod`: table `weight`, or route specificity).

use super::narrow::{Specificity, narrowed, narrowed_specificity, specificity};
use super::policies::RoutePolicyIndex;
use super::routes::{DelegateAt, Entry, TableRoutes};
use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::conditions::NoMatch;
use crate::model::routing_types::*;
use crate::model::selector::Candidate;
use crate::resolve::resolved::{ResolvedAction, Route};
use crate::resolve::workspaces::Workspaces;
use crate::rules::routing::{
    delegated_table_with_hosts, delegation_cycle, delegation_matches_nothing,
    path_rewrite_on_regex_match, path_rewrite_on_regex_match::Narrowed,
};
use std::borrow::Cow;

/// How far the flattening of a table has got.
#[derive(Clone)]
enum State<'w> {
    Unvisited,
    /// Being flattened: a table that delegates to it closes a cycle.
    InProgress,
    /// Its routes; `None` when one of them (or of a table it delegates to) did not resolve.
    Done(Option<Vec<Route<'w>>>),
}

/// Flattens the RouteTables of `world`, each at most once.
pub(super) struct Flattener<'a, 'w> {
    world: &'w World,
    workspaces: &'a Workspaces<'a>,
    /// The route policies: a delegated route is selected again by the labels it inherits.
    policies: &'a RoutePolicyIndex<'w>,
    /// Per RouteTable of `world` (same order): its own routes, `None` outside any workspace.
    own: &'a [Option<TableRoutes<'w>>],
    state: Vec<State<'w>>,
}

/// A delegated table's route, with what orders it among the others.
struct Delegated<'w> {
    route: Route<'w>,
    weight: i64,
    /// Its rank under `ROUTE_SPECIFICITY`.
    specificity: Specificity,
}

impl<'a, 'w> Flattener<'a, 'w> {
    pub fn new(
        world: &'w World,
        (workspaces, policies): (&'a Workspaces<'a>, &'a RoutePolicyIndex<'w>),
        own: &'a [Option<TableRoutes<'w>>],
    ) -> Self {
        let state = vec![State::Unvisited; own.len()];
        Flattener {
            world,
            workspaces,
            policies,
            own,
            state,
        }
    }

    /// The routes of table `i` with every delegation flattened; `None` when one of them did
    /// not resolve (its diagnostic is reported).
    pub fn routes(&mut self, i: usize, diags: &mut Diagnostics) -> Option<Vec<Route<'w>>> {
        if let State::Done(routes) = &self.state[i] {
            return routes.clone();
        }
        self.state[i] = State::InProgress;
        let routes = self.flatten(i, diags);
        self.state[i] = State::Done(routes.clone());
        routes
    }

    fn flatten(&mut self, i: usize, diags: &mut Diagnostics) -> Option<Vec<Route<'w>>> {
        let own = self.own[i].as_ref()?;
        let mut complete = own.complete;
        let mut out = Vec::new();
        for entry in &own.entries {
            match entry {
                Entry::Route(route) => out.push((**route).clone()),
                Entry::Delegate(at) => match self.delegated(i, at, diags) {
                    Some(routes) => {
                        let routes = named_apart(&out, routes, &at.route.name);
                        out.extend(routes);
                    }
                    None => complete = false,
                },
            }
        }
        complete.then_some(out)
    }

    /// The routes the delegating route `at` of table `i` brings in, in Gloo's order.
    fn delegated(
        &mut self,
        i: usize,
        at: &DelegateAt<'w>,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Route<'w>>> {
        let parent = &self.world.route_tables[i];
        let own = self.own;
        let parent_ws = own[i].as_ref().map_or("", |t| t.workspace.as_str());
        let children = self.children(i, at.delegate);
        if children.is_empty() {
            let site = parent.meta.site(at.delegate.pos);
            let ws = self.own[i].as_ref().map_or("", |t| t.workspace.as_str());
            let missing = missing_workspaces(self.world, at.delegate);
            let case = delegation_matches_nothing::Case::NoTable {
                workspace: ws,
                missing: &missing,
            };
            diags.push(delegation_matches_nothing::diagnostic(
                site,
                at.index,
                &at.route.name,
                case,
            ));
            return Some(Vec::new());
        }
        let mut complete = true;
        let mut delegated = Vec::new();
        for c in children {
            let child = &self.world.route_tables[c];
            if !child.hosts.is_empty() || !child.virtual_gateways.is_empty() {
                let site = parent.meta.site(at.delegate.pos);
                let name = &at.route.name;
                diags.push(delegated_table_with_hosts::diagnostic(
                    site, at.index, name, child,
                ));
            }
            if matches!(self.state[c], State::InProgress) {
                let site = parent.meta.site(at.delegate.pos);
                diags.push(delegation_cycle::diagnostic(
                    site,
                    at.index,
                    &at.route.name,
                    &child.meta,
                ));
                continue;
            }
            let Some(routes) = self.routes(c, diags) else {
                complete = false;
                continue;
            };
            // Delegation carries http routes: a child's own tcp and tls routes stay its own.
            let http = routes
                .into_iter()
                .filter(|r| r.at.route.layer == RouteLayer::Http);
            for route in http {
                let specificity = if at.route.matchers.is_empty() {
                    specificity(&route.matchers)
                } else {
                    narrowed_specificity(&at.route.matchers, &route.matchers)
                };
                let narrowed = self.narrow(parent, parent_ws, at, child, route, diags);
                delegated.extend(narrowed.map(|route| Delegated {
                    route,
                    weight: child.weight,
                    specificity,
                }));
            }
        }
        complete.then(|| ordered(delegated, at.delegate.sort_method))
    }

    /// `route` of the delegated table `child` narrowed by the delegating route's matchers;
    /// `None`, with VDC712, when no request can match both or no Istio match says which do.
    fn narrow(
        &self,
        parent: &'w RouteTable,
        parent_ws: &str,
        at: &DelegateAt<'w>,
        child: &RouteTable,
        mut route: Route<'w>,
        diags: &mut Diagnostics,
    ) -> Option<Route<'w>> {
        self.inherit(parent, parent_ws, at, &mut route, diags);
        if at.route.matchers.is_empty() {
            return Some(route);
        }
        let no_match = match narrowed(&at.route.matchers, &route.matchers) {
            Ok(matchers) => {
                rewrite_on_narrowed_regex(at.route, &mut route, &matchers, diags);
                route.matchers = Cow::Owned(matchers);
                return Some(route);
            }
            Err(no_match) => no_match,
        };
        let site = parent.meta.site(at.delegate.pos);
        let (child, child_route) = (&child.meta, route.name.as_str());
        let case = match &no_match {
            NoMatch::Disjoint => delegation_matches_nothing::Case::NoRequest { child, child_route },
            NoMatch::Inexpressible(reason) => delegation_matches_nothing::Case::Inexpressible {
                child,
                child_route,
                reason,
            },
        };
        diags.push(delegation_matches_nothing::diagnostic(
            site,
            at.index,
            &at.route.name,
            case,
        ));
        None
    }

    /// `route`, delegated to by `at` of `parent`, inherits the delegating route's labels and
    /// then its table's, below its own and its table's (Gloo's route label inheritance), and
    /// its route policies are selected again with them.
    fn inherit(
        &self,
        parent: &'w RouteTable,
        parent_ws: &str,
        at: &DelegateAt<'w>,
        route: &mut Route<'w>,
        diags: &mut Diagnostics,
    ) {
        route.at.delegated_by(parent, parent_ws, at.route);
        route.policies = self.policies.for_route(&route.at, diags);
    }

    /// The tables `delegate` selects from table `i`'s workspace (its own and those it imports
    /// RouteTables from): each selector's in creation order, selectors in their order, weight
    /// order applied later.
    fn children(&self, i: usize, delegate: &Delegate) -> Vec<usize> {
        let Some(parent_ws) = self.own[i].as_ref().map(|t| t.workspace.as_str()) else {
            return Vec::new();
        };
        let mut out: Vec<usize> = Vec::new();
        for selector in &delegate.route_tables {
            let mut picked: Vec<usize> = (self.world.route_tables.iter().enumerate())
                .filter(|(c, rt)| {
                    let Some(ws) = self.own[*c].as_ref().map(|t| t.workspace.as_str()) else {
                        return false;
                    };
                    selector.matches(&Candidate::of(&rt.meta, Some(ws)))
                        && self
                            .workspaces
                            .shares(ws, parent_ws, "ROUTE_TABLE", &rt.meta)
                })
                .map(|(c, _)| c)
                .collect();
            picked.sort_by_key(|&c| {
                let m = &self.world.route_tables[c].meta;
                (&m.creation_timestamp, &m.cluster, &m.namespace, &m.name)
            });
            for c in picked {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
        }
        out
    }
}

/// `routes`, brought in by the delegating route `by`, with a route whose name one of `before`
/// already has (a table two delegating routes pick) named `<its name>-<by>`: each route of a
/// VirtualService keeps a name of its own, which trace and explain show.
fn named_apart<'w>(before: &[Route<'w>], routes: Vec<Route<'w>>, by: &str) -> Vec<Route<'w>> {
    let taken: std::collections::HashSet<&str> = before.iter().map(|r| r.name.as_str()).collect();
    let mut routes = routes;
    for route in &mut routes {
        if taken.contains(route.name.as_str()) && !by.is_empty() {
            route.name = format!("{}-{by}", route.name);
        }
    }
    routes
}

/// `TABLE_WEIGHT`: tables by weight, highest first, routes in their table's order (ties keep
/// the selection order). `ROUTE_SPECIFICITY`: by each route's most specific matcher (exact
/// paths, longest first, then regexes, then prefixes, longest first), ties by table weight.
fn ordered(mut routes: Vec<Delegated>, sort: SortMethod) -> Vec<Route> {
    match sort {
        SortMethod::TableWeight => routes.sort_by_key(|d| std::cmp::Reverse(d.weight)),
        SortMethod::RouteSpecificity => {
            routes.sort_by_key(|d| (d.specificity, std::cmp::Reverse(d.weight)))
        }
    }
    routes.into_iter().map(|d| d.route).collect()
}

/// A delegated route's `pathRewrite` replaces the prefix its request matched (the whole path for
/// an exact match): Envoy's `prefix_rewrite`, which Gloo writes. Where the delegating route's
/// matchers make vdc write that path as a regex (a case-insensitive prefix under a
/// case-sensitive one), Istio's `rewrite.uri` would replace the whole path instead, so the
/// rewrite becomes `uriRegexRewrite` of that regex's prefix part, anchored at `^` (`$` too for an
/// exact path): the same characters replaced by the same value. VDC731 where that cannot be
/// said: the delegating route matches by a regex of its own (Gloo does not support a path
/// rewrite there), or the narrowed matches need different patterns. A route whose own matcher
/// is a regex has had its VDC731 already.
fn rewrite_on_narrowed_regex(
    delegating: &HttpRoute,
    route: &mut Route,
    narrowed: &[RequestMatcher],
    diags: &mut Diagnostics,
) {
    let ResolvedAction::Forward { rewrite, .. } = &route.action else {
        return;
    };
    let Some(uri) = rewrite.uri.clone() else {
        return;
    };
    fn regex(m: &RequestMatcher) -> Option<&str> {
        match &m.uri {
            Some(StringMatch::Regex(r)) => Some(r),
            _ => None,
        }
    }
    let own = &route.at.route.matchers;
    if own.iter().any(|m| regex(m).is_some()) || narrowed.iter().all(|m| regex(m).is_none()) {
        return;
    }
    let problem = match delegating.matchers.iter().find_map(regex) {
        Some(pattern) => Some(Narrowed::ByRegex(pattern)),
        None => match replaced(narrowed).as_slice() {
            [Some(pattern)] => {
                let written = Rewrite {
                    uri: None,
                    uri_regex: Some((pattern.clone(), uri.clone())),
                    ..rewrite.as_ref().clone()
                };
                if let ResolvedAction::Forward { rewrite, .. } = &mut route.action {
                    *rewrite = Cow::Owned(written);
                }
                None
            }
            _ => Some(Narrowed::Several),
        },
    };
    let Some(problem) = problem else { return };
    let child = route.at.rt;
    let index = (child.http.iter())
        .position(|r| std::ptr::eq(r, route.at.route))
        .unwrap_or_default();
    let site = child.meta.site(route.at.route.pos);
    let shown = (index, route.at.route.name.as_str());
    diags.push(path_rewrite_on_regex_match::narrowed(
        site,
        shown,
        &uri,
        &delegating.name,
        problem,
    ));
}

/// The distinct patterns of the path part each of `narrowed` replaces, as `uriRegexRewrite`
/// writes it: a regex vdc wrote for a prefix (`….*`) without its `.*`, one for an exact path
/// whole; `None` for a plain prefix or exact path, which `rewrite.uri` says and a regex rewrite
/// would have to say the same way.
fn replaced(narrowed: &[RequestMatcher]) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    for m in narrowed {
        let pattern = match &m.uri {
            Some(StringMatch::Regex(r)) => Some(match r.strip_suffix(".*") {
                Some(prefix) => format!("^{prefix}"),
                None => format!("^{r}$"),
            }),
            _ => None,
        };
        if !out.contains(&pattern) {
            out.push(pattern);
        }
    }
    out
}

/// The workspaces `delegate`'s selectors name that no Workspace defines, once each in order.
fn missing_workspaces<'d>(world: &World, delegate: &'d Delegate) -> Vec<&'d str> {
    let mut missing: Vec<&str> = Vec::new();
    let named = delegate
        .route_tables
        .iter()
        .filter_map(|s| s.workspace.as_deref());
    for name in named {
        let known = world.workspaces.iter().any(|w| w.meta.name == name);
        if !known && !missing.contains(&name) {
            missing.push(name);
        }
    }
    missing
}
