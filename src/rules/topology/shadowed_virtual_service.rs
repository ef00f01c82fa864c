//! **VDC510 shadowed-virtual-service** (warning): Two generated VirtualServices route one host for the same sidecars; istiod uses only one.
//!
//! ## What it does
//!
//! Two VirtualServices vdc generates for sidecars (bound to `mesh`) in one cluster that name the
//! same host, are both visible in a namespace, and both keep a rule for a workload of the dump in
//! that namespace (their `sourceLabels` fit its labels) on a port they share (a match with a
//! `port` is built only into that port's routes): typically two RouteTables for one host
//! whose `workloadSelectors` pick the same workloads. Gloo translates each RouteTable to its own
//! VirtualService and does not merge them.
//!
//! ## Why is this bad?
//!
//! A sidecar has one route table per host. istiod builds it from the first VirtualService, by
//! creation time, that has rules for the sidecar, and ignores the other's rules there
//! (`istioctl analyze` reports IST0109). Which one is older depends on the order the objects were
//! applied, so one team's routes silently do nothing, and which team's can change on a re-apply.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` holds the workshop's RouteTable for
//! `productpage.global` on the productpage workloads, and a canary RouteTable for the same host
//! and workloads that sends user jason's requests elsewhere.
//!
//! `vdc check testdata/check/shadowed-virtual-service` prints:
//!
//! ```text
//! warning[VDC510]: RouteTable bookinfo-frontends/productpage and RouteTable bookinfo-frontends/productpage-canary both route host `productpage.global` for the sidecars of Deployment bookinfo-frontends/productpage-v1 in cluster `cluster1`: istiod builds a sidecar's routes for a host from one VirtualService, the older, and ignores the other's there
//!   --> testdata/check/shadowed-virtual-service/clusters/cluster1/gloo/routing.yaml:27:1
//!    |
//! 27 | apiVersion: networking.gloo.solo.io/v2
//!    | ^^^^^^^^^^
//!    = object: RouteTable bookinfo-frontends/productpage-canary in cluster cluster1
//!    = field: spec.hosts
//!    = help: put the routes in one RouteTable, or delegate from one to the other, so each sidecar has one set of routes for the host
//!    = see: vdc rule VDC510
//! ```
//!
//! ## Fix
//!
//! Put the routes in one RouteTable, or delegate from one RouteTable to the other
//! (`delegate.routeTables`), so that each sidecar has one set of routes for the host; or make
//! their `workloadSelectors` pick different workloads.
//!
//! Fixture: `testdata/check/shadowed-virtual-service/`. Long form: `docs/diagnostics.md#vdc510`.

use super::generated_object_collision::{meta_of, parent};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::World;
use crate::model::selector::labels_match;
use crate::model::types::Workload;
use crate::translate::Output;
use crate::translate::istio::{Spec, VirtualService};
use std::collections::BTreeMap;

pub const CODE: Code = Code::ShadowedVirtualService;

/// The generated VirtualServices of one cluster's `outputs`, by host, that sidecars use (bound
/// to `mesh`): two of one host that both keep rules for a workload in a namespace where both
/// are visible.
pub fn check(world: &World, outputs: &[Output]) -> Diagnostics {
    let mut by_host: BTreeMap<&str, Vec<(&Output, &VirtualService)>> = BTreeMap::new();
    for out in outputs {
        if let Spec::VirtualService(vs) = &out.object.spec
            && (vs.gateways.is_empty() || vs.gateways.iter().any(|g| g == "mesh"))
        {
            for host in vs.hosts.iter().filter(|h| *h != "*") {
                by_host.entry(host).or_default().push((out, vs));
            }
        }
    }
    let mut diags = Diagnostics::default();
    for (host, services) in by_host {
        for (i, &(a, va)) in services.iter().enumerate() {
            for &(b, vb) in &services[i + 1..] {
                let Some(cluster) = world.clusters.get(&a.cluster) else {
                    continue;
                };
                let both = |w: &&Workload| {
                    let ns = w.meta.namespace.as_str();
                    let seen = visible(va, &a.object.metadata.namespace, ns)
                        && visible(vb, &b.object.metadata.namespace, ns);
                    seen && kept_ports(va, &w.pod_labels)
                        .zip(kept_ports(vb, &w.pod_labels))
                        .is_some_and(|(pa, pb)| share_a_port(&pa, &pb))
                };
                if let Some(workload) = cluster.workloads.iter().find(both) {
                    diags.push(diagnostic(world, a, b, host, workload));
                }
            }
        }
    }
    diags
}

/// Whether `vs`, in namespace `own`, is visible in `namespace` (Istio's `exportTo`).
fn visible(vs: &VirtualService, own: &str, namespace: &str) -> bool {
    vs.export_to.is_empty()
        || vs
            .export_to
            .iter()
            .any(|e| e == "*" || e == namespace || (e == "." && own == namespace))
}

/// The ports on which `vs` keeps a rule for a sidecar with `labels`.
enum Ports {
    All,
    These(std::collections::BTreeSet<u32>),
}

/// Where istiod keeps a rule of `vs` for a sidecar with `labels` (one without matches, or with
/// a match whose `sourceLabels` the sidecar has), by port: a match with a `port` is built only
/// into that port's routes (`translateRoute`). `None` when it keeps none.
fn kept_ports(vs: &VirtualService, labels: &crate::model::types::Labels) -> Option<Ports> {
    let http = (vs.http.iter()).map(|r| {
        r.matches
            .iter()
            .map(|m| (&m.source_labels, m.port))
            .collect()
    });
    let tcp = (vs.tcp.iter()).map(|r| {
        r.matches
            .iter()
            .map(|m| (&m.source_labels, m.port))
            .collect()
    });
    let mut these = std::collections::BTreeSet::new();
    let mut kept = false;
    for rule in http.chain(tcp).collect::<Vec<Vec<_>>>() {
        if rule.is_empty() {
            return Some(Ports::All);
        }
        for (_, port) in rule
            .into_iter()
            .filter(|(source, _)| labels_match(*source, labels))
        {
            kept = true;
            match port {
                None => return Some(Ports::All),
                Some(p) => {
                    these.insert(p);
                }
            }
        }
    }
    kept.then_some(Ports::These(these))
}

/// Whether two VirtualServices keeping rules on `a` and `b` meet on a port.
fn share_a_port(a: &Ports, b: &Ports) -> bool {
    match (a, b) {
        (Ports::All, _) | (_, Ports::All) => true,
        (Ports::These(x), Ports::These(y)) => !x.is_disjoint(y),
    }
}

/// `Kind namespace/name`: both sources are in the cluster the message names.
fn named(r: &crate::diagnostic::ObjectRef) -> String {
    format!("{} {}/{}", r.kind, r.namespace, r.name)
}

fn diagnostic(
    world: &World,
    a: &Output,
    b: &Output,
    host: &str,
    workload: &Workload,
) -> Diagnostic {
    let (from_a, from_b) = (parent(a), parent(b));
    let mut d = Diagnostic::new(
        CODE,
        format!(
            "{} and {} both route host `{host}` for the sidecars of {} {}/{} in cluster `{}`: istiod builds a sidecar's routes for a host from one VirtualService, the older, and ignores the other's there",
            named(&from_a),
            named(&from_b),
            workload.meta.kind,
            workload.meta.namespace,
            workload.meta.name,
            a.cluster
        ),
    )
    .field("spec.hosts")
    .help("put the routes in one RouteTable, or delegate from one to the other, so each sidecar has one set of routes for the host");
    if let Some(m) = meta_of(world, &from_b).or_else(|| meta_of(world, &from_a)) {
        d = d.at(&m.file, m.pos).object(m.object_ref());
    }
    d
}
