//! **VDC707 route-table-without-hosts** (error): A RouteTable attached to gateways or workloads has no hosts.
//!
//! ## What it does
//!
//! A RouteTable attached to VirtualGateways or workloads (`virtualGateways` or
//! `workloadSelectors`) without `hosts`.
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

pub const CODE: Code = Code::RouteTableWithoutHosts;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in &world.route_tables {
        let is_parent = !rt.virtual_gateways.is_empty() || !rt.workload_selectors.is_empty();
        if is_parent && rt.hosts.is_empty() {
            diags.push(diagnostic(rt.meta.site(rt.meta.pos)));
        }
    }
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
