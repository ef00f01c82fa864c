//! A cluster's locality from its Nodes' topology labels, for east-west gateways whose pods'
//! nodes the dump does not show.

use crate::diagnostic::Diagnostic;
use crate::model::types::{Cluster, Locality};
use crate::rules::topology::{mixed_locality, multi_zone_cluster, no_locality};
use std::collections::BTreeMap;

/// The locality of `c` and what to say about it (without a position: the caller points it at
/// the cluster's dump).
///
/// Nodes of one region spread over several zones (every multi-AZ cluster) give the
/// region-level locality, all Istio's failover needs: info VDC508. Nodes in several regions
/// (or some without labels) give the most common locality: warning VDC503, as the gateway may
/// run elsewhere. No region at all: warning VDC502.
pub(crate) fn of_cluster(c: &Cluster) -> (Locality, Option<Diagnostic>) {
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
        return (best, Some(no_locality::diagnostic(&c.name)));
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
        let d = multi_zone_cluster::diagnostic(&c.name, &spread, &best.region, &common.istio());
        return (common, Some(d));
    }
    let d = mixed_locality::diagnostic(&c.name, counts.len(), &best.istio());
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
