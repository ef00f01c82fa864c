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
use crate::resolve::Resolved;
use std::collections::HashMap;

pub const CODE: Code = Code::HostConflict;

/// Two VirtualDestinations serving one host in one cluster: Istio would pick one at random.
pub fn check(_world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let mut claimed: HashMap<(&str, &str), &VirtualDestination> = HashMap::new();
    for r in &resolved.vds {
        for cluster in r.placements.keys() {
            for host in &r.vd.hosts {
                let key = (cluster.as_str(), host.as_str());
                match claimed.get(&key) {
                    Some(first) if first.meta != r.vd.meta => {
                        let site = r.vd.meta.site(host.pos);
                        diags.push(diagnostic(site, &host.value, first, r.vd, cluster));
                    }
                    Some(_) => {}
                    None => {
                        claimed.insert(key, r.vd);
                    }
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
