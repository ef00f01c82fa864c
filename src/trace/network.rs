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
