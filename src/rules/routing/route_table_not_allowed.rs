//! **VDC714 route-table-not-allowed** (warning): A RouteTable's hosts are not allowed on any listener of the VirtualGateway it names.
//!
//! ## What it does
//!
//! A RouteTable whose `virtualGateways` names a VirtualGateway none of whose listeners admits one
//! of its hosts. A listener with `allowedRouteTables` admits a host when one entry's `host` covers
//! it (`*` covers every host, `*.example.com` the hosts below `example.com`, a wider RouteTable host
//! such as `*` is not covered by a narrower entry), the entry's `namespace/` prefix (`.`: the
//! VirtualGateway's namespace) is the table's namespace, and the entry's `selector` (labels, name,
//! namespace, cluster, workspace) picks the table. A listener without `allowedRouteTables` admits
//! every table. When no host is admitted the table is not attached to that VirtualGateway at all;
//! otherwise each server serves only the hosts its listener admits.
//!
//! ## Why is this bad?
//!
//! Gloo leaves a table its listeners do not allow off the gateway without a word: the routes the
//! table's author wrote serve no traffic there, and nothing says why.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/gateway.yaml` and `routing.yaml`:
//!
//! ```yaml
//!   listeners:
//!   - http: {}
//!     port:
//!       number: 80
//!     allowedRouteTables:
//!     - host: bookinfo.example.com
//!       selector:
//!         workspace: bookinfo
//! ---
//! kind: RouteTable
//! metadata:
//!   name: productpage-admin
//! spec:
//!   hosts:
//!   - admin.example.com             # not allowed on any listener
//! ```
//!
//! ## Fix
//!
//! Add an `allowedRouteTables` entry to the listener that admits the table (its host, namespace,
//! labels or workspace), change the table's hosts to ones the listener allows, or attach the
//! table to a VirtualGateway meant for it.
//!
//! Fixture: `testdata/check/route-table-not-allowed/`. Long form: `docs/diagnostics.md#vdc714`.
use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::RouteTableNotAllowed;

/// What a VirtualGateway's listeners do not allow of a RouteTable that names it.
pub struct NotAllowed<'a> {
    /// `namespace/name` of the VirtualGateway.
    pub gateway: &'a str,
    /// The RouteTable's hosts that no listener admits.
    pub hosts: &'a [String],
    /// Whether no host at all is admitted: the table is not attached to the VirtualGateway.
    pub whole_table: bool,
    /// Each listener's `allowedRouteTables`, as `port 443 allows `*.example.com``.
    pub listeners: &'a [String],
}

/// RouteTable `rt_name` names a VirtualGateway whose listeners' `allowedRouteTables` admit
/// none (or not all) of its hosts.
pub fn diagnostic(site: Site, rt_name: &str, not: &NotAllowed) -> Diagnostic {
    let hosts = (not.hosts.iter())
        .map(|h| format!("`{h}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let (hosts, them) = match not.hosts {
        [_] => (format!("host {hosts}"), "it"),
        _ => (format!("hosts {hosts}"), "them"),
    };
    let listeners = not.listeners.join("; ");
    let gateway = not.gateway;
    let message = if not.whole_table {
        format!(
            "RouteTable `{rt_name}` is not attached to VirtualGateway {gateway}: no listener allows its {hosts} ({listeners})"
        )
    } else {
        format!(
            "RouteTable `{rt_name}`: no listener of VirtualGateway {gateway} allows its {hosts} ({listeners}), so the gateway does not serve {them}"
        )
    };
    Diagnostic::new_at(CODE, site, message)
        .field("spec.virtualGateways")
        .help("add a listener `allowedRouteTables` entry that admits the table (its host, namespace, labels or workspace), or attach the table to a VirtualGateway that allows it")
}
