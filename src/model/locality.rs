//! A cluster's locality from its Nodes' topology labels, for east-west gateways whose pods'
//! nodes the dump does not show.

use super::types::{Cluster, Locality};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::BTreeMap;

/// The locality of `c` and what to say about it (without a position: the caller points it at
/// the cluster's dump).
///
/// Nodes of one region spread over several zones (every multi-AZ cluster) give the
/// region-level locality, all Istio's failover needs: info VDC508. Nodes in several regions
/// (or some without labels) give the most common locality: warning VDC503, as the gateway may
/// run elsewhere. No region at all: warning VDC502.
pub(super) fn of_cluster(c: &Cluster) -> (Locality, Option<Diagnostic>) {
    let mut counts: BTreeMap<&Locality, usize> = BTreeMap::new();
    for n in &c.nodes {
        *counts.entry(&n.locality).or_default() += 1;
    }
    let best = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(l, _)| (*l).clone())
        .unwrap_or_default();
    if best.region.is_empty() {
        let d = Diagnostic::new(
            Code::NoLocality,
            format!("cluster `{}` has no node with a `topology.kubernetes.io/region` label, so its WorkloadEntries carry no locality and locality-aware routing cannot prefer it", c.name),
        ).help("include the cluster's Nodes, with their topology labels, in its dump");
        return (best, Some(d));
    }
    if counts.len() == 1 {
        return (best, None);
    }
    if counts.keys().all(|l| l.region == best.region) {
        let common = shared_prefix(counts.keys().copied());
        let zones = counts
            .keys()
            .map(|l| &l.zone)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let spread = if zones > 1 {
            format!("{zones} zones")
        } else {
            format!("{} subzones", counts.len())
        };
        let d = Diagnostic::new(
            Code::MultiZoneCluster,
            format!(
                "the nodes of cluster `{}` are in {spread} of region `{}`; without the east-west gateway's Pods in the dump, vdc gives its endpoints the locality {}",
                c.name,
                best.region,
                common.istio()
            ),
        )
        .help("nothing to do: region-level locality is all Istio's failover needs; to route by zone, include the gateway's Pods (with `spec.nodeName`) in the dump");
        return (common, Some(d));
    }
    let d = Diagnostic::new(
        Code::MixedLocality,
        format!(
            "the nodes of cluster `{}` are in {} different localities; vdc uses the most common, {}",
            c.name,
            counts.len(),
            best.istio()
        ),
    ).help("nothing to do if the east-west gateway runs there; otherwise include the gateway's Pods (with `spec.nodeName`) in the dump, and vdc uses their node's locality");
    (best, Some(d))
}

/// The region, zone and subzone every locality agrees on (the finer parts stop at the first
/// disagreement).
fn shared_prefix<'a>(mut all: impl Iterator<Item = &'a Locality>) -> Locality {
    let Some(first) = all.next() else {
        return Locality::default();
    };
    let mut out = first.clone();
    for l in all {
        if l.zone != out.zone {
            out.zone.clear();
        }
        if out.zone.is_empty() || l.subzone != out.subzone {
            out.subzone.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(region: &str, zone: &str, subzone: &str) -> Locality {
        Locality {
            region: region.into(),
            zone: zone.into(),
            subzone: subzone.into(),
        }
    }

    #[test]
    fn zones_of_one_region_share_the_region() {
        let all = [at("r", "a", "x"), at("r", "b", "x")];
        assert_eq!(shared_prefix(all.iter()), at("r", "", ""));
        let all = [at("r", "a", "x"), at("r", "a", "y")];
        assert_eq!(shared_prefix(all.iter()), at("r", "a", ""));
        let all = [at("r", "a", "x"), at("r", "a", "x")];
        assert_eq!(shared_prefix(all.iter()), at("r", "a", "x"));
    }
}
