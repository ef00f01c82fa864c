//! **VDC407 invalid-host** (error): A VirtualDestination host is not a valid DNS name.
//!
//! ## What it does
//!
//! A VirtualDestination host that is not a DNS name: each dot-separated label 1–63 letters,
//! digits and `-`, not starting or ending with `-`; at most 255 characters in all; a last label
//! that is not all digits; no wildcard `*`. A trailing dot is allowed.
//!
//! ## Why is this bad?
//!
//! The host becomes the ServiceEntry's host and the SNI name remote clusters route on. Istio
//! refuses a malformed host, or the host never matches what clients send; `_` in particular is not
//! allowed in DNS names, though it is easy to type.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - product_page.global
//! ```
//!
//! ## Fix
//!
//! Use `-` instead of `_`: `product-page.global`.
//!
//! Fixture: `testdata/check/invalid-host/`. Long form: `docs/diagnostics.md#vdc407`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::dns::{host_fix, host_problem};
use crate::model::World;
use crate::model::decode::Located;

pub const CODE: Code = Code::InvalidHost;

pub fn check(world: &World, diags: &mut Diagnostics) {
    for vd in &world.virtual_destinations {
        for (i, host) in vd.hosts.iter().enumerate() {
            if let Some(problem) = host_problem(host) {
                diags.push(diagnostic(vd.meta.site(host.pos), i, host, &problem));
            }
        }
    }
}

/// Entry `i` of `spec.hosts` is not a DNS name, for the reason `problem`.
pub fn diagnostic(site: Site, i: usize, host: &Located<String>, problem: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{}` is not a valid host: {problem}", host.value),
    )
    .field(format!("spec.hosts[{i}]"))
    .help(match host_fix(host) {
        Some(fixed) => format!("use a DNS name, such as `{fixed}`"),
        None => "a host is a DNS name such as `my-app.mesh.internal`".to_owned(),
    })
}
