//! **VDC720 mesh-wildcard-host** (warning): A RouteTable routes for sidecars with the host `*`, which istiod refuses there; its east-west VirtualService is left out.
//!
//! ## What it does
//!
//! A RouteTable with the host `*` that routes for sidecars: it lists `workloadSelectors` (`[{}]`
//! selects every workload), or names neither `virtualGateways` nor `workloadSelectors`, which Gloo
//! takes as every workload of the workspaces that see the table.
//!
//! ## Why is this bad?
//!
//! istiod refuses a VirtualService bound to the sidecars (`gateways: [mesh]`) whose hosts include
//! `*` ("wildcard host * is not allowed for virtual services bound to the mesh gateway"), so the
//! whole object would be rejected when it is applied, and Argo CD or Flux would fail to sync.
//! vdc leaves the east-west VirtualService out; the table's VirtualServices on its
//! `virtualGateways` are written as usual.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` (solo-cop's `tracks/05-failover/route-table.yaml`, with
//! the sidecars of the proto's example added):
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - '*'
//!   virtualGateways:
//!   - name: north-south-gw
//!     namespace: istio-gateways
//!     cluster: cluster1
//!   workloadSelectors:
//!   - {}
//! ```
//!
//! ## Fix
//!
//! Name the hosts the sidecars call (`hosts: [productpage.global]`) in a RouteTable of their own,
//! and keep `*` for the ingress table with `workloadSelectors: []`, which routes for its gateways
//! only.
//!
//! Fixture: `testdata/check/mesh-wildcard-host/`. Long form: `docs/diagnostics.md#vdc720`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;

pub const CODE: Code = Code::MeshWildcardHost;

/// Every RouteTable that routes for sidecars with a `*` host.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in &world.route_tables {
        if rt.sidecar_selectors().is_empty() {
            continue;
        }
        if let Some((i, host)) = rt.mesh_refused_host() {
            let gateways = !rt.virtual_gateways.is_empty();
            diags.push(diagnostic(rt.meta.site(host.pos), i, gateways));
        }
    }
}

/// Entry `i` of `spec.hosts` is `*` in a table that routes for sidecars, and for
/// `virtualGateways` too when `gateways`.
pub fn diagnostic(site: Site, i: usize, gateways: bool) -> Diagnostic {
    let rest = if gateways {
        "its VirtualServices on its virtualGateways are still written"
    } else {
        "the table routes nothing"
    };
    let help = if gateways {
        "set `workloadSelectors: []` to route for the gateways only, and route the sidecars' \
         hosts by name in a RouteTable of their own"
    } else {
        "name the hosts the sidecars call, such as `hosts: [productpage.global]`"
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "istiod refuses the host `*` in a VirtualService for sidecars: this RouteTable's \
             east-west VirtualService is left out, and {rest}"
        ),
    )
    .field(format!("spec.hosts[{i}]"))
    .help(help)
}
