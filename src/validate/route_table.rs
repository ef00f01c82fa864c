//! **VDC707 route-table-without-hosts, VDC709 invalid-route-host, VDC704
//! delegation-not-translated** for RouteTable.
//!
//! What: a RouteTable that is not a delegated child must list `hosts`; each host is a DNS name
//! that may start with one wildcard label (`*.example.com`, or `*` alone for gateways); routes
//! that `delegate` are reported because vdc does not translate delegation yet.
//!
//! Why: without hosts nothing matches the VirtualService; a wildcard in the middle
//! (`bar.*.com`) is refused by Gloo. Example: `hosts: [bar.*.com]`. Fix: `hosts: ['*.com']`.

use crate::diagnostic::Code;
use crate::load::node::Pos;
use crate::model::decode::Cx;
use crate::model::names::{host_fix, host_problem};
use crate::model::types::RouteTable;

pub(super) fn check(cx: &mut Cx, rt: &RouteTable, delegates: &[Pos]) {
    let is_parent = !rt.virtual_gateways.is_empty() || !rt.workload_selectors.is_empty();
    if is_parent && rt.hosts.is_empty() {
        cx.report_with_help(
            Code::RouteTableWithoutHosts,
            rt.meta.pos,
            "spec.hosts",
            "a RouteTable attached to gateways or workloads needs `spec.hosts`",
            "add the hosts it serves, such as `hosts: ['*']` on an ingress gateway",
        );
    }
    for (i, host) in rt.hosts.iter().enumerate() {
        if host.value == "*" {
            continue;
        }
        let rest = host
            .strip_prefix('*')
            .map(|r| r.trim_start_matches(['-', '.']))
            .unwrap_or(host);
        let rest = if rest.is_empty() { "x" } else { rest };
        if let Some(problem) = host_problem(rest) {
            let help = if rest.contains('*') {
                "only the left-most label may be a wildcard, as in `*.example.com`".to_owned()
            } else {
                let prefix = &host[..host.len() - rest.len()];
                match host_fix(rest) {
                    Some(fixed) => format!("use a DNS name, such as `{prefix}{fixed}`"),
                    None => "a host is a DNS name such as `bookinfo.example.com`, `*.example.com` or `*`".to_owned(),
                }
            };
            cx.report_with_help(
                Code::InvalidRouteHost,
                host.pos,
                &format!("spec.hosts[{i}]"),
                format!("`{}` is not a valid RouteTable host: {problem}", host.value),
                help,
            );
        }
    }
    for pos in delegates {
        cx.report_with_help(
            Code::DelegationNotTranslated,
            *pos,
            "spec.http.delegate",
            "route delegation is not translated by vdc yet; this route produces no output",
            "forward to the destinations directly with `forwardTo`",
        );
    }
}
