//! **VDC409 host-conflict** (error): Two VirtualDestinations serve one host in one cluster.
//!
//! ## What it does
//!
//! Two VirtualDestinations that serve the same host in a cluster where both generate objects.
//!
//! ## Why is this bad?
//!
//! Each generates a ServiceEntry for the host; Istio then routes the host to one of them at
//! random, so traffic goes to the wrong backends some of the time.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage-v2.yaml`:
//!
//! ```yaml
//! kind: VirtualDestination
//! metadata:
//!   name: productpage-v2
//!   namespace: bookinfo-frontends
//! spec:
//!   hosts:
//!   - productpage.global      # productpage serves it already
//! ```
//!
//! ## Fix
//!
//! Give each VirtualDestination its own host, or delete the one that is no longer needed.
//!
//! Fixture: `testdata/check/host-conflict/`. Long form: `docs/diagnostics.md#vdc409`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::types::VirtualDestination;
use crate::resolve::{Resolved, ResolvedVd};
use std::collections::HashMap;

pub const CODE: Code = Code::HostConflict;

/// Two VirtualDestinations serving one host in one cluster: Istio would pick one at random.
/// Only VDs that share a host can conflict, so clusters are compared among those alone: a claim
/// per (cluster, host) of the whole fleet was millions of entries.
pub fn check(_world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let mut by_host: HashMap<&str, Vec<&ResolvedVd>> = HashMap::new();
    for r in &resolved.vds {
        for host in &r.vd.hosts {
            let sharing = by_host.entry(host.as_str()).or_default();
            if !sharing.last().is_some_and(|last| std::ptr::eq(*last, r)) {
                sharing.push(r);
            }
        }
    }
    for (host, sharing) in by_host {
        if sharing.len() > 1 {
            check_host(host, &sharing, diags);
        }
    }
}

/// The first of `sharing` (in resolution order) to serve `host` in a cluster claims it there;
/// each other VD serving it there conflicts with that one.
fn check_host(host: &str, sharing: &[&ResolvedVd], diags: &mut Diagnostics) {
    let mut claimed: HashMap<&str, &VirtualDestination> = HashMap::new();
    for r in sharing {
        for cluster in r.placements.keys() {
            match claimed.get(cluster.as_str()) {
                Some(first) if first.meta != r.vd.meta => {
                    // Each of the VD's entries for `host` is reported, as each is a claim.
                    for h in r.vd.hosts.iter().filter(|h| h.as_str() == host) {
                        let site = r.vd.meta.site(h.pos);
                        diags.push(diagnostic(site, &h.value, first, r.vd, cluster));
                    }
                }
                Some(_) => {}
                None => {
                    claimed.insert(cluster.as_str(), r.vd);
                }
            }
        }
    }
}

/// `host` is served by `first` and by `second` in `cluster`.
pub fn diagnostic(
    site: Site,
    host: &str,
    first: &VirtualDestination,
    second: &VirtualDestination,
    cluster: &str,
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "host `{}` is served by VirtualDestinations {}/{} and {}/{} in cluster `{cluster}`; Istio would route to one of them at random",
        host, first.meta.namespace, first.meta.name, second.meta.namespace, second.meta.name
    ))
    .field("spec.hosts")
    .help("give each VirtualDestination its own host")
}
