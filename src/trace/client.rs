//! The client of a trace: its cluster, namespace, labels and locality, as istiod knows a proxy.

use super::ClientJson;
use super::Labels;
use super::question::Question;
use crate::model::World;
use crate::model::labels::LabelMap;
use crate::model::types::{Cluster, Locality};
use crate::text::unknown_name_hint;
use anyhow::{Result, bail};

/// The labels istiod adds to every proxy and endpoint (`AugmentLabels`).
pub const REGION: &str = "topology.kubernetes.io/region";
pub const ZONE: &str = "topology.kubernetes.io/zone";
pub const SUBZONE: &str = "topology.istio.io/subzone";
pub const CLUSTER: &str = "topology.istio.io/cluster";
pub const HOSTNAME: &str = "kubernetes.io/hostname";

pub struct Client {
    pub cluster: String,
    pub namespace: String,
    pub workload: Option<String>,
    pub labels: Labels,
    pub locality: Locality,
    pub node: Option<String>,
    /// The proxy's network: its pod's `topology.istio.io/network` label (the injector writes
    /// the network there), else its cluster's `istio-system` namespace's.
    pub network: String,
}

/// The client `question` names. `Err` names what the input does not have.
pub fn client(world: &World, question: &Question) -> Result<Client> {
    let from = &question.from;
    let Some(cluster) = world.clusters.get(&from.cluster) else {
        let clusters: Vec<&String> = world.clusters.keys().collect();
        bail!(
            "--from {}: the input has no cluster of that name {}",
            from.cluster,
            unknown_name_hint(&from.cluster, &clusters)
        );
    };
    if !cluster.namespaces.contains_key(&from.namespace) {
        bail!(
            "--from {}/{}: cluster {} has no namespace of that name {}",
            from.cluster,
            from.namespace,
            from.cluster,
            unknown_name_hint(
                &from.namespace,
                &cluster.namespaces.keys().collect::<Vec<_>>()
            )
        );
    }
    let workload = match &from.workload {
        None => None,
        Some(name) => {
            let in_namespace = cluster
                .workloads
                .iter()
                .filter(|w| w.meta.namespace == from.namespace);
            let found = in_namespace.clone().find(|w| &w.meta.name == name);
            if found.is_none() {
                bail!(
                    "--from {}/{}/{name}: no Deployment, Pod or other workload of that name in {}/{} {}",
                    from.cluster,
                    from.namespace,
                    from.cluster,
                    from.namespace,
                    unknown_name_hint(
                        name,
                        &in_namespace.map(|w| &w.meta.name).collect::<Vec<_>>()
                    )
                );
            }
            found
        }
    };
    let node = workload.and_then(|w| w.node_name.clone());
    let locality = match &question.locality {
        Some(l) => l.clone(),
        None => locality_of(cluster, node.as_deref()),
    };
    let labels = (question.labels.clone())
        .or_else(|| workload.map(|w| w.pod_labels.to_map()))
        .unwrap_or_default();
    Ok(Client {
        cluster: from.cluster.clone(),
        namespace: from.namespace.clone(),
        workload: from.workload.clone(),
        network: super::network::of_labels(cluster, &labels).to_owned(),
        labels,
        locality,
        node,
    })
}

/// A pod's locality: its node's, else the cluster's (from its Nodes, as for gateways).
pub fn locality_of(cluster: &Cluster, node: Option<&str>) -> Locality {
    node.and_then(|n| cluster.nodes.iter().find(|k| k.name == n))
        .map(|k| k.locality.clone())
        .filter(|l| !l.region.is_empty())
        .unwrap_or_else(|| crate::resolve::locality::of_cluster(cluster).0)
}

/// `labels` with the topology labels istiod adds for a workload in `cluster` at `locality`.
pub fn augmented(
    labels: &impl LabelMap,
    cluster: &str,
    locality: &Locality,
    node: Option<&str>,
) -> Labels {
    let mut out: Labels = labels
        .label_pairs()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    for (key, value) in [
        (REGION, &locality.region),
        (ZONE, &locality.zone),
        (SUBZONE, &locality.subzone),
    ] {
        if !value.is_empty() {
            out.insert(key.into(), value.clone());
        }
    }
    out.insert(CLUSTER.into(), cluster.into());
    if let Some(node) = node {
        out.insert(HOSTNAME.into(), node.into());
    }
    out
}

impl Client {
    /// The proxy's labels as `failoverPriority` compares them.
    pub fn proxy_labels(&self) -> Labels {
        let node = self.node.as_deref();
        let labels = augmented(&self.labels, &self.cluster, &self.locality, node);
        super::network::with_label(labels, &self.network)
    }

    pub fn json(&self) -> ClientJson {
        ClientJson {
            cluster: self.cluster.clone(),
            namespace: self.namespace.clone(),
            workload: self.workload.clone(),
            labels: self.labels.clone(),
            locality: self.locality.istio(),
        }
    }
}
