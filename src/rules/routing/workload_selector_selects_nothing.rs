//! **VDC721 workload-selector-selects-nothing** (warning): A RouteTable's workloadSelectors entry picks no workload the table routes for.
//!
//! ## What it does
//!
//! An entry of a RouteTable's `workloadSelectors` that picks no workload in any cluster among
//! those the table may route for: the workloads of its own workspace and of the workspaces it is
//! exported to that import it (route_table.proto: "the workspace where the route table is
//! deployed or imported"). When workloads of another workspace have the labels, the message
//! names one and its workspace.
//!
//! ## Why is this bad?
//!
//! No sidecar gets the entry's routes, so the table does nothing for the workloads it names, and
//! nothing else says so: a table meant for another team's workloads, or a selector with a typo,
//! looks translated.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` holds a RouteTable of workspace `bookinfo` whose
//! selector picks the ingress gateway's pods, which are in workspace `gateways`; that workspace
//! does not import it.
//!
//! `vdc check testdata/check/workload-selector-selects-nothing` prints:
//!
//! ```text
//! warning[VDC721]: `spec.workloadSelectors[0]` picks no workload this RouteTable routes for (those of workspace `bookinfo` and of the workspaces that import the table), so no sidecar gets its routes; it matches Deployment istio-gateways/istio-ingressgateway in cluster cluster1, of workspace `gateways`, with which the table is not shared (`bookinfo` exporting it there and `gateways` importing it, kind ROUTE_TABLE)
//!  --> testdata/check/workload-selector-selects-nothing/clusters/cluster1/gloo/routing.yaml:4:1
//!   |
//! 4 | apiVersion: networking.gloo.solo.io/v2
//!   | ^^^^^^^^^^
//!   = object: RouteTable bookinfo-frontends/productpage in cluster cluster1
//!   = field: spec.workloadSelectors[0]
//!   = help: export the RouteTable to the workloads' workspace (kind ROUTE_TABLE) and import it there, or move it into that workspace; or fix the selector
//!   = see: vdc rule VDC721
//! ```
//!
//! ## Fix
//!
//! Export the RouteTable to the workspace of the workloads (`exportTo` with kind `ROUTE_TABLE`)
//! and import it there, or move the table into that workspace; for a typo, fix the labels.
//!
//! Fixture: `testdata/check/workload-selector-selects-nothing/`. Long form: `docs/diagnostics.md#vdc721`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::WorkloadSelectorSelectsNothing;

/// Entry `index` of the `workloadSelectors` of a RouteTable of `workspace` picks no workload the
/// table routes for. `elsewhere`: a workload it would pick, and that workload's workspace (none
/// when its namespace is in none), which does not see the table.
pub fn diagnostic(
    site: Site,
    index: usize,
    workspace: &str,
    elsewhere: Option<(String, Option<String>)>,
) -> Diagnostic {
    let field = format!("spec.workloadSelectors[{index}]");
    let why = match elsewhere {
        Some((workload, Some(other))) => format!(
            "; it matches {workload}, of workspace `{other}`, with which the table is not shared (`{workspace}` exporting it there and `{other}` importing it, kind ROUTE_TABLE)"
        ),
        Some((workload, None)) => {
            format!("; it matches {workload}, whose namespace is in no workspace")
        }
        None => String::new(),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "`{field}` picks no workload this RouteTable routes for (those of workspace `{workspace}` and of the workspaces that import the table), so no sidecar gets its routes{why}"
        ),
    )
    .field(&field)
    .help("export the RouteTable to the workloads' workspace (kind ROUTE_TABLE) and import it there, or move it into that workspace; or fix the selector")
}
