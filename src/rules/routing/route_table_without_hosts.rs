//! **VDC707 route-table-without-hosts** (error): A RouteTable attached to gateways or workloads has no hosts.
//!
//! ## What it does
//!
//! A RouteTable attached to VirtualGateways or workloads (`virtualGateways` or
//! `workloadSelectors`) without `hosts`. A table another one delegates to needs no `hosts`; when
//! it selects workloads of its own (`workloadSelectors` with any label, name, namespace, cluster or
//! workspace), it is refused all the same, naming its parent: Gloo ANDs a delegated table's
//! workload selectors with its parent's, which vdc does not translate yet, and without them its
//! routes would reach more workloads than in Gloo.
//!
//! ## Why is this bad?
//!
//! The generated VirtualService would match no host, so no request reaches its routes.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: RouteTable
//! spec:
//!   workloadSelectors:
//!   - selector:
//!       labels:
//!         app: productpage
//!   http:
//!   - name: productpage
//! ```
//!
//! ## Fix
//!
//! Add the hosts the table serves: `hosts: [productpage.global]`, or `hosts: ['*']` on an
//! ingress gateway.
//!
//! Fixture: `testdata/check/route-table-without-hosts/`. Long form: `docs/diagnostics.md#vdc707`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::routing_types::{RouteAction, RouteTable, WorkloadSelectorRef};
use crate::model::selector::Candidate;
use crate::model::types::ObjectSelector;

pub const CODE: Code = Code::RouteTableWithoutHosts;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in &world.route_tables {
        if !rt.hosts.is_empty() {
            continue;
        }
        match delegating_parent(world, rt) {
            // A delegated child: Gloo ANDs its workload selectors with its parent's, so an
            // empty one (`workloadSelectors: [{}]`) changes nothing.
            Some(parent) if rt.virtual_gateways.is_empty() => {
                let selects_some = |w: &WorkloadSelectorRef| !w.selector.is_blank();
                if let Some(i) = rt.workload_selectors.iter().position(selects_some) {
                    let site = rt.meta.site(rt.meta.pos);
                    diags.push(child_diagnostic(site, i, &parent.meta.name));
                }
            }
            _ => {
                let attached = !rt.virtual_gateways.is_empty() || !rt.workload_selectors.is_empty();
                if attached {
                    diags.push(diagnostic(rt.meta.site(rt.meta.pos)));
                }
            }
        }
    }
}

/// A RouteTable whose routes delegate to `child` by its name, namespace or labels. Workspaces
/// are not resolved yet, so a selector's `workspace` is taken as the child's: at worst a table
/// of another workspace is told it is delegated to, where it is refused either way.
fn delegating_parent<'w>(world: &'w World, child: &RouteTable) -> Option<&'w RouteTable> {
    let picks = |s: &ObjectSelector| {
        let candidate = Candidate {
            workspace: s.workspace.as_deref(),
            ..Candidate::of(&child.meta, None)
        };
        s.matches(&candidate)
    };
    world.route_tables.iter().find(|parent| {
        !std::ptr::eq(*parent, child)
            && parent.http.iter().any(|route| match &route.action {
                RouteAction::Delegate(d) => d.route_tables.iter().any(picks),
                _ => false,
            })
    })
}

pub fn diagnostic(site: Site) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        "a RouteTable attached to gateways or workloads needs `spec.hosts`",
    )
    .field("spec.hosts")
    .help("add the hosts it serves, such as `hosts: ['*']` on an ingress gateway")
}

/// A child table that `parent` delegates to selects workloads of its own with entry `index`.
fn child_diagnostic(site: Site, index: usize, parent: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "RouteTable `{parent}` delegates to this table, whose own `spec.workloadSelectors` Gloo ANDs with its parent's; vdc does not translate a delegated table's workload selectors yet, and without them its routes would reach more workloads than in Gloo"
        ),
    )
    .field(format!("spec.workloadSelectors[{index}]"))
    .help("leave `spec.workloadSelectors` out (a delegated table serves its parent's workloads, and needs no `hosts`), or give the table `hosts` of its own and stop delegating to it")
}
