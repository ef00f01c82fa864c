//! Endpoints toward remote east-west gateways: WorkloadEntries in backing clusters, inline
//! ServiceEntry endpoints in client-only clusters, with the labels of the subsets each remote
//! cluster can serve.
//!
//! Istio fills a subset's cluster with the endpoints whose labels carry the subset's labels,
//! and a remote gateway address is one endpoint. Without the subset labels on it, a subset
//! whose pods run only in another cluster has no endpoint (503). So the endpoint toward a
//! remote cluster carries the labels of every subset that cluster's pods serve; the sidecar then
//! sends `outbound_.<port>_.<subset>_.<host>` and the remote gateway routes it by the subset of
//! the DestinationRule it sees. Two subsets with different values of one key cannot share an
//! endpoint, so such a remote cluster gets one endpoint per conflicting group, and every
//! endpoint gets a weight that keeps each remote address's share of traffic without a subset
//! what it was with one endpoint.

use super::istio::{Labels, WorkloadEntry};
use crate::model::selector::labels_match;
use crate::resolve::ResolvedVd;

/// One endpoint, and the subsets (by name) that made it an extra endpoint of its address
/// (empty for the first endpoint of each address, which keeps its name).
pub(super) type RemoteEntry = (WorkloadEntry, Vec<String>);

fn compatible(labels: &Labels, wanted: &Labels) -> bool {
    wanted
        .iter()
        .all(|(k, v)| labels.get(k).is_none_or(|have| have == v))
}

/// Label sets for one remote address: the base labels plus the subsets that cluster serves,
/// merged while their keys agree.
fn groups(
    base: &Labels,
    subsets: impl Iterator<Item = (String, Labels)>,
) -> Vec<(Labels, Vec<String>)> {
    let mut groups: Vec<(Labels, Vec<String>)> = vec![(base.clone(), Vec::new())];
    for (name, labels) in subsets {
        // A subset the base labels already carry matches every endpoint; one that contradicts
        // them could never be selected by the ServiceEntry.
        if labels_match(&labels, base) || !compatible(base, &labels) {
            continue;
        }
        match groups.iter_mut().find(|(g, _)| compatible(g, &labels)) {
            Some((g, names)) => {
                g.extend(labels);
                names.push(name);
            }
            None => {
                let mut g = base.clone();
                g.extend(labels);
                groups.push((g, vec![name]));
            }
        }
    }
    groups
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// The weight of each endpoint of each address, given how many endpoints each address has:
/// every address carries the same total (the least common multiple of the counts), so its
/// share of traffic without a subset among the remote addresses is what it was with one
/// endpoint each. `None` where the weight is Istio's default, 1.
fn weights(counts: &[usize]) -> Vec<Option<u32>> {
    let total = counts
        .iter()
        .map(|&n| n as u32)
        .fold(1, |acc, n| acc / gcd(acc, n) * n);
    counts
        .iter()
        .map(|&n| Some(total / n as u32).filter(|w| *w > 1))
        .collect()
}

/// Every endpoint toward a remote gateway address as seen from `cluster`. `local` is what the
/// local ServiceEntry selects by; a client-only cluster uses each remote Service's selector.
/// `tls_termination`: the endpoints are the gateways' termination ports (client mode
/// `tlsTermination`), not their passthrough ports.
pub(super) fn remote_entries(
    vd: &ResolvedVd,
    cluster: &str,
    local: Option<&crate::model::types::Labels>,
    port_names: &[String],
    tls_termination: bool,
) -> Vec<RemoteEntry> {
    let mut per_address = Vec::new();
    for (addr, backing) in vd.remote_endpoints(cluster) {
        let base = local.unwrap_or(&backing.service.selector).to_map();
        let served = vd
            .subsets
            .iter()
            .filter(|(_, labels)| backing.may_serve(labels))
            .map(|(n, l)| (n.clone(), l.to_map()));
        per_address.push((addr, groups(&base, served)));
    }
    let counts: Vec<usize> = per_address.iter().map(|(_, g)| g.len()).collect();
    let mut entries: Vec<RemoteEntry> = Vec::new();
    for ((addr, groups), weight) in per_address.into_iter().zip(weights(&counts)) {
        let port = if tls_termination {
            addr.termination_port
        } else {
            addr.port
        };
        for (i, (labels, subsets)) in groups.into_iter().enumerate() {
            let subsets = if i == 0 { Vec::new() } else { subsets };
            let entry = WorkloadEntry {
                address: addr.address.clone(),
                labels,
                locality: addr.locality.clone(),
                ports: port_names.iter().map(|name| (name.clone(), port)).collect(),
                weight,
            };
            entries.push((entry, subsets));
        }
    }
    entries.sort_by(|a, b| {
        (&a.0.address, &a.0.locality, &a.1).cmp(&(&b.0.address, &b.0.locality, &b.1))
    });
    entries.dedup();
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_address_keeps_the_same_total_weight() {
        assert_eq!(weights(&[1, 1]), [None, None]);
        assert_eq!(weights(&[2, 2]), [None, None]);
        assert_eq!(weights(&[1, 2]), [Some(2), None]);
        assert_eq!(weights(&[2, 3, 1]), [Some(3), Some(2), Some(6)]);
    }

    #[test]
    fn subsets_of_distinct_keys_share_one_endpoint() {
        let base = labels(&[("app", "reviews")]);
        let got = groups(
            &base,
            [
                ("tier-gold".to_owned(), labels(&[("tier", "gold")])),
                ("version-v3".to_owned(), labels(&[("version", "v3")])),
            ]
            .into_iter(),
        );
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].0,
            labels(&[("app", "reviews"), ("tier", "gold"), ("version", "v3")])
        );
    }

    #[test]
    fn conflicting_subsets_get_an_endpoint_each() {
        let base = labels(&[("app", "reviews")]);
        let got = groups(
            &base,
            [
                ("version-v1".to_owned(), labels(&[("version", "v1")])),
                ("version-v3".to_owned(), labels(&[("version", "v3")])),
                ("app-other".to_owned(), labels(&[("app", "other")])),
                ("app-reviews".to_owned(), labels(&[("app", "reviews")])),
            ]
            .into_iter(),
        );
        let names: Vec<&Vec<String>> = got.iter().map(|(_, n)| n).collect();
        assert_eq!(
            names,
            [
                &vec!["version-v1".to_owned()],
                &vec!["version-v3".to_owned()]
            ]
        );
    }
}
