//! The networks of clients and endpoints, as istiod reads them (`Controller.Network`,
//! `workloadEntryNetwork`, `AugmentLabels`); [`super::split`] splits the endpoints by them.

use super::Labels;
use crate::model::labels::LabelMap;
use crate::model::types::Cluster;

/// The label that puts a pod, a WorkloadEntry, a namespace or a gateway Service on a network.
pub const NETWORK: &str = "topology.istio.io/network";
const SYSTEM_NAMESPACE: &str = "istio-system";

/// The cluster's network: its `istio-system` namespace's label (empty without it).
pub fn system_network(cluster: &Cluster) -> &str {
    (cluster.namespaces.get(SYSTEM_NAMESPACE))
        .and_then(|l| l.get(NETWORK))
        .unwrap_or("")
}

/// The network of a workload with `labels` in `cluster`: its own label, else the cluster's
/// (`Controller.Network`; meshNetworks' CIDRs are not read).
pub fn of_labels<'a>(cluster: &'a Cluster, labels: &'a impl LabelMap) -> &'a str {
    labels
        .label(NETWORK)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| system_network(cluster))
}

/// `topology` with the network label istiod adds (`AugmentLabels`), unless empty or set.
pub fn with_label(mut topology: Labels, network: &str) -> Labels {
    if !network.is_empty() {
        (topology.entry(NETWORK.into())).or_insert_with(|| network.into());
    }
    topology
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `AugmentLabels`: the network label is added when the workload has a network and no
    /// label of its own, so `failoverPriority` and `sourceLabels` can compare it.
    #[test]
    fn the_network_joins_the_topology_labels_unless_set_or_empty() {
        let own: Labels = [(NETWORK.to_owned(), "mine".to_owned())].into();
        assert_eq!(with_label(Labels::new(), "net1")[NETWORK], "net1");
        assert_eq!(with_label(own.clone(), "net1"), own);
        assert!(with_label(Labels::new(), "").is_empty());
    }
}
