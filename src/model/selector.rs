//! What a selector picks: the one definition of label and object matching, used by every stage
//! that selects (workspaces, backing services, policies, gateways, routes, external backends).

use super::labels::LabelMap;
use super::types::{
    Cluster, Labels, Meta, ObjectSelector, ResourceSelector, Service, Workload, Workspace,
};
use crate::names::glob_match;

/// Every label the selector names is on the object with that value. An empty selector picks
/// every object, as in Kubernetes.
pub fn labels_match(selector: &impl LabelMap, labels: &impl LabelMap) -> bool {
    selector
        .label_pairs()
        .all(|(k, v)| labels.label(k) == Some(v))
}

/// The facts of one object that an [`ObjectSelector`] is matched against.
pub struct Candidate<'a> {
    pub labels: &'a Labels,
    /// `None` when the object's name takes no part in selection: a RouteTable's workload
    /// selectors pick pods by labels and place, and a pod's own name is generated.
    pub name: Option<&'a str>,
    pub namespace: &'a str,
    pub cluster: &'a str,
    /// The workspace that holds the object's namespace, when one does.
    pub workspace: Option<&'a str>,
}

impl<'a> Candidate<'a> {
    /// The object `meta` describes, in `workspace`.
    pub fn of(meta: &'a Meta, workspace: Option<&'a str>) -> Self {
        Candidate {
            labels: &meta.labels,
            name: Some(&meta.name),
            namespace: &meta.namespace,
            cluster: &meta.cluster,
            workspace,
        }
    }
}

impl ObjectSelector {
    /// Whether the selector sets nothing (no labels, name, namespace, cluster or workspace): it
    /// selects everything, which some Gloo fields read as their default instead.
    pub fn is_blank(&self) -> bool {
        self.labels.is_empty()
            && self.name.is_none()
            && self.namespace.is_none()
            && self.cluster.is_none()
            && self.workspace.is_none()
    }

    /// The selector picks `object`: its labels match and each of name, namespace, cluster and
    /// workspace that the selector sets equals the object's.
    pub fn matches(&self, object: &Candidate) -> bool {
        fn unset_or(wanted: &Option<String>, have: &str) -> bool {
            wanted.as_deref().is_none_or(|w| w == have)
        }
        labels_match(&self.labels, object.labels)
            && object.name.is_none_or(|name| unset_or(&self.name, name))
            && unset_or(&self.namespace, object.namespace)
            && unset_or(&self.cluster, object.cluster)
            && self
                .workspace
                .as_deref()
                .is_none_or(|w| Some(w) == object.workspace)
    }
}

impl ResourceSelector {
    /// A workspace's import or export entry takes in the object `meta` of Gloo kind `kind`
    /// (`ALL` takes in every kind).
    pub fn matches(&self, kind: &str, meta: &Meta) -> bool {
        let unset_or =
            |wanted: &Option<String>, have: &str| wanted.as_deref().is_none_or(|w| w == have);
        (self.kind == "ALL" || self.kind == kind)
            && labels_match(&self.labels, &meta.labels)
            && unset_or(&self.name, &meta.name)
            && unset_or(&self.namespace, &meta.namespace)
            && unset_or(&self.cluster, &meta.cluster)
    }
}

impl Cluster {
    /// The workloads a Service selects: same namespace, pod labels matching its selector.
    pub fn workloads_behind<'a>(
        &'a self,
        svc: &'a Service,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        self.workloads_in(&svc.meta.namespace)
            .iter()
            .filter(move |w| !svc.selector.is_empty() && labels_match(&svc.selector, &w.pod_labels))
    }

    /// The workloads of namespace `ns`. Workloads are sorted by namespace (see
    /// `model::assemble`), so this is a range, not a scan.
    fn workloads_in(&self, ns: &str) -> &[Workload] {
        let start = self
            .workloads
            .partition_point(|w| w.meta.namespace.as_str() < ns);
        let end = self
            .workloads
            .partition_point(|w| w.meta.namespace.as_str() <= ns);
        &self.workloads[start..end]
    }

    /// Whether `w` is an endpoint of its own, as Istio counts them (one per pod): a Pod always;
    /// a controller (Deployment, ReplicaSet, StatefulSet, DaemonSet) only when the dump holds
    /// none of its Pods, nor, for a ReplicaSet, the Deployment that owns it — then it stands in
    /// for its pods, as one. A controller owns what carries its pod template's labels in its
    /// namespace, as its selector adopts it (`vdc snapshot` keeps no `ownerReferences`).
    pub fn stands_for_itself(&self, w: &Workload) -> bool {
        if w.meta.kind == "Pod" {
            return true;
        }
        !self.workloads_in(&w.meta.namespace).iter().any(|other| {
            let (owner, owned) = match other.meta.kind.as_str() {
                "Pod" => (w, other),
                "Deployment" if w.meta.kind == "ReplicaSet" => (other, w),
                _ => return false,
            };
            !owner.pod_labels.is_empty() && labels_match(&owner.pod_labels, &owned.pod_labels)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn meta() -> Meta {
        Meta {
            kind: "Service".into(),
            cluster: "cluster1".into(),
            namespace: "bookinfo".into(),
            name: "reviews".into(),
            labels: labels(&[("app", "reviews"), ("tier", "back")]),
            creation_timestamp: String::new(),
            file: "clusters/cluster1/state.yaml".into(),
            pos: Default::default(),
        }
    }

    fn workload(kind: &str, namespace: &str, name: &str, pod_labels: &[(&str, &str)]) -> Workload {
        Workload {
            meta: Meta {
                kind: kind.into(),
                namespace: namespace.into(),
                name: name.into(),
                ..meta()
            },
            pod_labels: labels(pod_labels),
            service_account: "default".into(),
            container_ports: Vec::new(),
            node_name: None,
        }
    }

    /// The names of the workloads that are endpoints of their own, from `workloads`.
    fn standing(mut workloads: Vec<Workload>) -> Vec<String> {
        workloads.sort_by(|a, b| a.meta.namespace.cmp(&b.meta.namespace));
        let cluster = Cluster {
            workloads,
            ..Cluster::default()
        };
        let alone = cluster
            .workloads
            .iter()
            .filter(|w| cluster.stands_for_itself(w));
        alone.map(|w| w.meta.name.clone()).collect()
    }

    #[test]
    fn a_controller_stands_in_for_its_pods_only_when_the_dump_has_none() {
        let app = [("app", "reviews"), ("version", "v1")];
        let hashed = |hash| {
            [
                ("app", "reviews"),
                ("version", "v1"),
                ("pod-template-hash", hash),
            ]
        };
        let deploy = || workload("Deployment", "bookinfo", "reviews-v1", &app);
        let rs = || workload("ReplicaSet", "bookinfo", "reviews-v1-6b7", &hashed("6b7"));
        let old_rs = || workload("ReplicaSet", "bookinfo", "reviews-v1-5c8", &hashed("5c8"));
        let pod = |name| workload("Pod", "bookinfo", name, &hashed("6b7"));
        // `kubectl get deploy,rs,pods`: the pods alone.
        let all = vec![
            deploy(),
            rs(),
            old_rs(),
            pod("reviews-v1-6b7-a"),
            pod("reviews-v1-6b7-b"),
        ];
        assert_eq!(standing(all), ["reviews-v1-6b7-a", "reviews-v1-6b7-b"]);
        // Without pods, the Deployment stands for its ReplicaSets, old ones included.
        assert_eq!(standing(vec![deploy(), rs(), old_rs()]), ["reviews-v1"]);
        // A ReplicaSet of its own, or a StatefulSet, stands in for its pods until they are there.
        assert_eq!(standing(vec![rs()]), ["reviews-v1-6b7"]);
        let sts = || workload("StatefulSet", "bookinfo", "reviews-v1", &app);
        assert_eq!(standing(vec![sts()]), ["reviews-v1"]);
        let sts_pod = workload("Pod", "bookinfo", "reviews-v1-0", &app);
        assert_eq!(standing(vec![sts(), sts_pod]), ["reviews-v1-0"]);
        // A Pod elsewhere, or one with other labels, is not the controller's.
        let elsewhere = workload("Pod", "other", "reviews-v1-x", &app);
        let v2 = workload("Pod", "bookinfo", "reviews-v2-x", &[("app", "reviews")]);
        assert_eq!(
            standing(vec![deploy(), elsewhere, v2]),
            ["reviews-v1", "reviews-v2-x", "reviews-v1-x"]
        );
        // A template without labels owns nothing.
        let bare = workload("Deployment", "bookinfo", "bare", &[]);
        assert_eq!(standing(vec![bare, pod("p")]), ["bare", "p"]);
    }

    #[test]
    fn labels_match_is_a_subset_test() {
        let have = labels(&[("app", "reviews"), ("tier", "back")]);
        assert!(labels_match(&Labels::new(), &have));
        assert!(labels_match(&labels(&[("app", "reviews")]), &have));
        assert!(!labels_match(&labels(&[("app", "ratings")]), &have));
        assert!(!labels_match(&labels(&[("zone", "a")]), &have));
    }

    #[test]
    fn object_selector_compares_only_the_fields_it_sets() {
        let m = meta();
        let object = Candidate::of(&m, Some("bookinfo-ws"));
        let mut sel = ObjectSelector::default();
        assert!(sel.matches(&object));
        sel.namespace = Some("bookinfo".into());
        sel.workspace = Some("bookinfo-ws".into());
        assert!(sel.matches(&object));
        sel.cluster = Some("cluster2".into());
        assert!(!sel.matches(&object));
        sel.cluster = None;
        assert!(
            !sel.matches(&Candidate::of(&m, None)),
            "a workspace is wanted"
        );
        sel.name = Some("ratings".into());
        assert!(!sel.matches(&object));
        let unnamed = Candidate {
            name: None,
            ..Candidate::of(&m, Some("bookinfo-ws"))
        };
        assert!(
            sel.matches(&unnamed),
            "the name is not compared when it takes no part"
        );
    }

    #[test]
    fn resource_selector_kind_all_takes_every_kind() {
        let m = meta();
        let mut sel = ResourceSelector {
            kind: "ALL".into(),
            labels: labels(&[("tier", "back")]),
            name: None,
            namespace: None,
            cluster: Some("cluster1".into()),
        };
        assert!(sel.matches("SERVICE", &m));
        sel.kind = "VIRTUAL_DESTINATION".into();
        assert!(!sel.matches("SERVICE", &m));
        assert!(sel.matches("VIRTUAL_DESTINATION", &m));
    }
}

/// The entry of a Workspace's `workloadClusters` (and, below it, of its `namespaces`) that takes
/// in one (cluster, namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceClaim {
    pub cluster_entry: usize,
    /// `None` when the entry lists no namespaces, and so takes in every one.
    pub namespace_entry: Option<usize>,
}

impl WorkspaceClaim {
    /// The claiming selector's field path, such as `spec.workloadClusters[0].namespaces[2]`.
    pub fn field(&self) -> String {
        match self.namespace_entry {
            Some(j) => format!(
                "spec.workloadClusters[{}].namespaces[{j}]",
                self.cluster_entry
            ),
            None => format!("spec.workloadClusters[{}]", self.cluster_entry),
        }
    }
}

impl Workspace {
    /// The first of the workspace's selectors that takes in `namespace` of `cluster`, given the
    /// cluster's labels (its KubernetesCluster's) and the namespace's.
    pub fn claim(
        &self,
        cluster: &str,
        cluster_labels: &Labels,
        namespace: &str,
        namespace_labels: &Labels,
    ) -> Option<WorkspaceClaim> {
        self.clusters.iter().enumerate().find_map(|(i, sel)| {
            let cluster_selected = sel.name.as_deref().is_none_or(|p| glob_match(p, cluster))
                && labels_match(&sel.labels, cluster_labels);
            if !cluster_selected {
                return None;
            }
            if sel.namespaces.is_empty() {
                return Some(WorkspaceClaim {
                    cluster_entry: i,
                    namespace_entry: None,
                });
            }
            let j = sel.namespaces.iter().position(|ns| {
                glob_match(&ns.name, namespace) && labels_match(&ns.labels, namespace_labels)
            })?;
            Some(WorkspaceClaim {
                cluster_entry: i,
                namespace_entry: Some(j),
            })
        })
    }

    /// Where the workspace turns config reading off for what `claim` takes in: the path of the
    /// `configEnabled: false` of its cluster entry, else of its namespace entry; `None` when
    /// Gloo reads the configuration there.
    pub fn config_disabled_at(&self, claim: WorkspaceClaim) -> Option<String> {
        let entry = self.clusters.get(claim.cluster_entry)?;
        let cluster_path = format!("spec.workloadClusters[{}]", claim.cluster_entry);
        if !entry.config_enabled {
            return Some(format!("{cluster_path}.configEnabled"));
        }
        let j = claim.namespace_entry?;
        let ns = entry.namespaces.get(j)?;
        (!ns.config_enabled).then(|| format!("{cluster_path}.namespaces[{j}].configEnabled"))
    }
}
