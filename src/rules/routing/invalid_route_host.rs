//! **VDC709 invalid-route-host** (error): A RouteTable host is not a valid host or wildcard.
//!
//! ## What it does
//!
//! A RouteTable host that is not a DNS name, optionally starting with one wildcard label
//! (`*.example.com`), or `*` alone.
//!
//! ## Why is this bad?
//!
//! Gloo refuses a wildcard anywhere but in the left-most label, and Istio refuses malformed
//! hosts.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.*.global
//! ```
//!
//! ## Fix
//!
//! Put the wildcard in the left-most label only (`*.global`), or name the host in full.
//!
//! Fixture: `testdata/check/invalid-route-host/`. Long form: `docs/diagnostics.md#vdc709`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::dns::{host_fix, host_problem};
use crate::model::World;

pub const CODE: Code = Code::InvalidRouteHost;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for rt in &world.route_tables {
        for (i, host) in rt.hosts.iter().enumerate() {
            if host.value == "*" {
                continue;
            }
            // One leading wildcard label is allowed: what follows it must be a DNS name.
            let rest = host
                .strip_prefix('*')
                .map(|r| r.trim_start_matches(['-', '.']))
                .unwrap_or(host);
            let rest = if rest.is_empty() { "x" } else { rest };
            if let Some(problem) = host_problem(rest) {
                diags.push(diagnostic(rt.meta.site(host.pos), i, host, rest, &problem));
            }
        }
    }
}

/// Entry `i` of `spec.hosts`, `host`, whose part after the wildcard, `rest`, is not a DNS name
/// for the reason `problem`.
pub fn diagnostic(site: Site, i: usize, host: &str, rest: &str, problem: &str) -> Diagnostic {
    let help = if rest.contains('*') {
        "only the left-most label may be a wildcard, as in `*.example.com`".to_owned()
    } else {
        let prefix = &host[..host.len() - rest.len()];
        match host_fix(rest) {
            Some(fixed) => format!("use a DNS name, such as `{prefix}{fixed}`"),
            None => "a host is a DNS name such as `bookinfo.example.com`, `*.example.com` or `*`"
                .to_owned(),
        }
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{host}` is not a valid RouteTable host: {problem}"),
    )
    .field(format!("spec.hosts[{i}]"))
    .help(help)
}
