//! The Istio config one cluster's sidecars see: the objects vdc generates for it, the
//! cluster's own Services and WorkloadEntries, and the rules istiod applies to them
//! (`exportTo`, host matching).

use crate::model::World;
use crate::model::types::Cluster;
use crate::translate::Output;
use crate::translate::istio::{ObjectMeta, Spec};

/// The config of one cluster, over the whole input (a gateway endpoint leads to another).
#[derive(Clone, Copy)]
pub struct ClusterView<'a> {
    pub world: &'a World,
    pub name: &'a str,
    /// The cluster's dump (an empty cluster when the input has none of that name).
    pub cluster: &'a Cluster,
    /// This cluster's generated objects.
    pub objects: &'a [Output],
    /// Every cluster's generated objects, sorted by cluster.
    all: &'a [Output],
}

static NO_CLUSTER: std::sync::LazyLock<Cluster> = std::sync::LazyLock::new(Cluster::default);

impl<'a> ClusterView<'a> {
    pub fn new(world: &'a World, outputs: &'a [Output], name: &'a str) -> ClusterView<'a> {
        let start = outputs.partition_point(|o| o.cluster.as_str() < name);
        let end = outputs.partition_point(|o| o.cluster.as_str() <= name);
        ClusterView {
            world,
            name,
            cluster: world.clusters.get(name).unwrap_or(&NO_CLUSTER),
            objects: &outputs[start..end],
            all: outputs,
        }
    }

    /// The view of another cluster of the same input.
    pub fn other(&self, name: &'a str) -> ClusterView<'a> {
        ClusterView::new(self.world, self.all, name)
    }

    /// Generated objects of one spec type, with their metadata.
    pub fn each<T: 'a>(
        &self,
        pick: fn(&'a Spec) -> Option<&'a T>,
    ) -> impl Iterator<Item = (&'a ObjectMeta, &'a T)> + 'a {
        self.objects
            .iter()
            .filter_map(move |o| pick(&o.object.spec).map(|s| (&o.object.metadata, s)))
    }

    /// The DNS suffix of the cluster's Services.
    pub fn cluster_domain(&self) -> &'a str {
        self.cluster.domain()
    }

    /// Objects of `kind` already in the cluster that name `host`: vdc keeps only their hosts,
    /// so a trace can say they exist but not what they do.
    pub fn existing(&self, kind: &str, host: &str) -> Vec<String> {
        self.cluster
            .istio_objects
            .iter()
            .filter(|o| o.meta.kind == kind && o.hosts.iter().any(|h| host_matches(h, host)))
            .map(|o| format!("{}/{}", o.meta.namespace, o.meta.name))
            .collect()
    }
}

pub fn service_entry(spec: &Spec) -> Option<&crate::translate::istio::ServiceEntry> {
    match spec {
        Spec::ServiceEntry(s) => Some(s),
        _ => None,
    }
}

pub fn workload_entry(spec: &Spec) -> Option<&crate::translate::istio::WorkloadEntry> {
    match spec {
        Spec::WorkloadEntry(s) => Some(s),
        _ => None,
    }
}

pub fn destination_rule(spec: &Spec) -> Option<&crate::translate::istio::DestinationRule> {
    match spec {
        Spec::DestinationRule(s) => Some(s),
        _ => None,
    }
}

pub fn virtual_service(spec: &Spec) -> Option<&crate::translate::istio::VirtualService> {
    match spec {
        Spec::VirtualService(s) => Some(s),
        _ => None,
    }
}

pub fn gateway(spec: &Spec) -> Option<&crate::translate::istio::Gateway> {
    match spec {
        Spec::Gateway(s) => Some(s),
        _ => None,
    }
}

/// Whether an object in `own` namespace with this `exportTo` is visible in `client`
/// namespace (no `exportTo` at all exports everywhere).
pub fn exported_to(export_to: &[String], own: &str, client: &str) -> bool {
    export_to.is_empty()
        || export_to
            .iter()
            .any(|e| e == "*" || e == client || (e == "." && own == client))
}

/// Whether a config host (exact, `*`, or `*.suffix`) covers `host`.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    pattern == host
        || pattern == "*"
        || pattern
            .strip_prefix('*')
            .is_some_and(|suffix| suffix.starts_with('.') && host.ends_with(suffix))
}

/// How specific a host pattern is: exact beats any wildcard, a longer wildcard a shorter one.
pub fn specificity(pattern: &str) -> (bool, usize) {
    (!pattern.starts_with('*'), pattern.len())
}

pub use crate::dns::qualified;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_and_hosts() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(exported_to(&[], "a", "b"));
        assert!(exported_to(&list(&["."]), "a", "a"));
        assert!(!exported_to(&list(&["."]), "a", "b"));
        assert!(exported_to(&list(&["x", "b"]), "a", "b"));
        assert!(!exported_to(&list(&["~"]), "a", "a"));
        assert!(host_matches("*.global", "reviews.global"));
        assert!(!host_matches("*.global", "global"));
        assert!(host_matches("Reviews.Global", "reviews.global"));
        assert!(specificity("a.b") > specificity("*.b"));
        assert_eq!(
            qualified("reviews", "ns", "cluster.local"),
            "reviews.ns.svc.cluster.local"
        );
    }
}
