//! **VDC737 route-table-not-imported** (error): A RouteTable names a VirtualGateway of another workspace that does not import it.
//!
//! ## What it does
//!
//! A RouteTable whose `virtualGateways` names a VirtualGateway in a namespace of another
//! workspace, when that workspace does not see the table: the table's workspace does not export
//! it there (`exportTo`, kind `ROUTE_TABLE` or `ALL`), or the gateway's workspace does not import
//! it (`importFrom`). route_table.proto applies a table "in the workspace where the route table is
//! deployed or imported", and Gloo's examples export the application team's table to the gateway
//! team's workspace, which imports it (solo-io/workshops, "Create the gateways workspace": "all the
//! resources (RouteTables, VirtualDestination, ...) exported by these workspaces").
//!
//! ## Why is this bad?
//!
//! Gloo's documentation shows only tables the gateway's workspace imports being served; it does
//! not say what Gloo does with one it does not. Attaching it would let one team's table take
//! traffic at another team's gateway, which workspaces exist to prevent; leaving it off would drop
//! routes Gloo might serve. vdc does neither and stops.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` holds the RouteTable `productpage` in namespace
//! `bookinfo-frontends` (workspace `bookinfo`), naming the VirtualGateway `north-south-gw` of
//! `istio-gateways` (workspace `gateways`); neither workspace has WorkspaceSettings.
//!
//! `vdc check testdata/check/route-table-not-imported` prints:
//!
//! ```text
//! error[VDC737]: RouteTable `productpage` of workspace `bookinfo` names VirtualGateway istio-gateways/north-south-gw of workspace `gateways`, which does not see the table (`bookinfo` must export it there and `gateways` import it): Gloo applies a RouteTable only in its own workspace and those that import it, and does not document what it does with this one, so vdc refuses it
//!   --> testdata/check/route-table-not-imported/clusters/cluster1/gloo/routing.yaml:13:5
//!    |
//! 13 |   - name: north-south-gw
//!    |     ^^^^
//!    = object: RouteTable bookinfo-frontends/productpage in cluster cluster1
//!    = field: spec.virtualGateways[0]
//!    = help: export the RouteTable (kind ROUTE_TABLE) from `bookinfo` to `gateways` and import it into `gateways` in their WorkspaceSettings, or move it into a namespace of `gateways`
//!    = see: vdc rule VDC737
//! ```
//!
//! ## Fix
//!
//! Export the RouteTable from its workspace to the gateway's and import it there, in their
//! WorkspaceSettings (or move the table into a namespace of the gateway's workspace):
//!
//! ```yaml
//! kind: WorkspaceSettings          # of workspace bookinfo
//! spec:
//!   exportTo:
//!   - workspaces:
//!     - name: gateways
//!     resources:
//!     - kind: ROUTE_TABLE
//! ---
//! kind: WorkspaceSettings          # of workspace gateways
//! spec:
//!   importFrom:
//!   - workspaces:
//!     - name: bookinfo
//!     resources:
//!     - kind: ROUTE_TABLE
//! ```
//!
//! Fixture: `testdata/check/route-table-not-imported/`. Long form: `docs/diagnostics.md#vdc737`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::RouteTableNotImported;

/// RouteTable `rt_name` of workspace `rt_ws` names the VirtualGateway `gateway`
/// (`namespace/name`) of workspace `vg_ws`, which does not see the table.
pub fn diagnostic(
    site: Site,
    index: usize,
    rt_name: &str,
    rt_ws: &str,
    (gateway, vg_ws): (&str, &str),
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "RouteTable `{rt_name}` of workspace `{rt_ws}` names VirtualGateway {gateway} of workspace `{vg_ws}`, which does not see the table (`{rt_ws}` must export it there and `{vg_ws}` import it): Gloo applies a RouteTable only in its own workspace and those that import it, and does not document what it does with this one, so vdc refuses it"
    ))
    .field(format!("spec.virtualGateways[{index}]"))
    .help(format!(
        "export the RouteTable (kind ROUTE_TABLE) from `{rt_ws}` to `{vg_ws}` and import it into `{vg_ws}` in their WorkspaceSettings, or move it into a namespace of `{vg_ws}`"
    ))
}
