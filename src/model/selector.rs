//! What a selector picks: the one definition of label and object matching, used by every stage
//! that selects (workspaces, backing services, policies, gateways, routes, external backends).

use super::types::{Cluster, Labels, Meta, ObjectSelector, ResourceSelector, Service, Workload};

/// Every label the selector names is on the object with that value. An empty selector picks
/// every object, as in Kubernetes.
pub fn labels_match(selector: &Labels, labels: &Labels) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
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
    /// Workloads are sorted by namespace (see `model::assemble`), so this is a range, not a scan.
    pub fn workloads_behind<'a>(
        &'a self,
        svc: &'a Service,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        let ns = svc.meta.namespace.as_str();
        let start = self
            .workloads
            .partition_point(|w| w.meta.namespace.as_str() < ns);
        let end = self
            .workloads
            .partition_point(|w| w.meta.namespace.as_str() <= ns);
        self.workloads[start..end]
            .iter()
            .filter(move |w| !svc.selector.is_empty() && labels_match(&svc.selector, &w.pod_labels))
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
