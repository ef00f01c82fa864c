//! **VDC414 host-is-service-fqdn** (warning): A VirtualDestination host equals a Kubernetes Service FQDN.
//!
//! ## What it does
//!
//! A VirtualDestination host equal to the cluster-local name
//! `<service>.<namespace>.svc.<clusterDomain>` of a Service in the input.
//!
//! ## Why is this bad?
//!
//! The generated ServiceEntry takes over that name for every client that sees it: calls meant
//! for the plain Kubernetes Service go through the VirtualDestination instead.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   hosts:
//!   - productpage.bookinfo-frontends.svc.cluster.local
//! ```
//!
//! ## Fix
//!
//! Give the VirtualDestination a host of its own, such as `productpage.global` or
//! `productpage.mesh.internal`.
//!
//! Fixture: `testdata/check/host-is-service-fqdn/`. Long form: `docs/diagnostics.md#vdc414`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::types::Service;
use crate::resolve::Resolved;
use std::collections::HashMap;

pub const CODE: Code = Code::HostIsServiceFqdn;

/// A VD host equal to a Service's cluster-local name shadows the real Service for every client
/// that sees the ServiceEntry.
pub fn check(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    let mut fqdns: HashMap<String, &Service> = HashMap::new();
    for c in world.clusters.values() {
        for svc in &c.services {
            fqdns
                .entry(format!(
                    "{}.{}.svc.{}",
                    svc.meta.name, svc.meta.namespace, c.cluster_domain
                ))
                .or_insert(svc);
        }
    }
    for r in &resolved.vds {
        for host in &r.vd.hosts {
            if let Some(svc) = fqdns.get(host.value.trim_end_matches('.')) {
                diags.push(diagnostic(r.vd.meta.site(host.pos), &host.value, svc));
            }
        }
    }
}

/// `host` is the cluster-local name of `svc`.
pub fn diagnostic(site: Site, host: &str, svc: &Service) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "host `{}` is the cluster-local name of Service {}/{} in cluster `{}`; the VirtualDestination would shadow that Service for its clients",
        host, svc.meta.namespace, svc.meta.name, svc.meta.cluster
    ))
    .field("spec.hosts")
    .help("use a host of its own, such as `<name>.global` or `<name>.mesh.internal`")
}
