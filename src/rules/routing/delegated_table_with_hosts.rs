//! **VDC729 delegated-table-with-hosts** (warning): A route delegates to a RouteTable that has hosts or VirtualGateways of its own.
//!
//! ## What it does
//!
//! A `delegate.routeTables` selector that picks a RouteTable with `hosts` or `virtualGateways`: a
//! table that is routed on its own. Gloo requires both to be empty on a delegated table
//! (`route_table.proto`), and does not document what it does with one that is not. vdc copies the
//! table's routes into the delegating route, narrowed by its matchers, as for any delegated
//! table, and also places the table where its own `hosts` and attachments say.
//!
//! ## Why is this bad?
//!
//! Usually the selector is broader than meant: a label such as `expose: "true"` that marks tables
//! for export also marks a top-level table, whose routes and route policies then serve the
//! delegating table's hosts too.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: RouteTable
//! metadata:
//!   name: api
//! spec:
//!   hosts: [api.example.com]
//!   http:
//!   - name: all
//!     delegate:
//!       routeTables:
//!       - labels:
//!           team: reviews     # also carried by `reviews-top`, which has hosts
//! ```
//!
//! ## Fix
//!
//! Narrow the selector to the tables meant to be delegated to (a label only they carry, or their
//! names), or take `hosts` and `virtualGateways` off the table if it is meant to be one.
//!
//! Fixture: `testdata/check/delegated-table-with-hosts/`. Long form: `docs/diagnostics.md#vdc729`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::routing_types::RouteTable;

pub const CODE: Code = Code::DelegatedTableWithHosts;

/// Route `index` (named `name`) of `spec.http` delegates to `child`, which has hosts or
/// VirtualGateways.
pub fn diagnostic(site: Site, index: usize, name: &str, child: &RouteTable) -> Diagnostic {
    let route = super::delegation_matches_nothing::route_shown(index, name);
    let own = match (child.hosts.is_empty(), child.virtual_gateways.is_empty()) {
        (false, false) => "`hosts` and `virtualGateways`",
        (false, true) => "`hosts`",
        _ => "`virtualGateways`",
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{route} delegates to RouteTable {}/{}, which has {own} of its own, as no delegated table may in Gloo; vdc copies its routes here, and places that table too where its own hosts and attachments say",
            child.meta.namespace, child.meta.name
        ),
    )
    .field(format!("spec.http[{index}].delegate.routeTables"))
    .help("narrow the selector to the tables meant to be delegated to, or take the hosts and gateways off that table")
}
