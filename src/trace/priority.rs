//! Locality priorities and weights, computed the way istiod computes them for one client:
//! `ApplyLocalityLoadBalancer` and its helpers in Istio's
//! `pilot/pkg/networking/core/loadbalancer/loadbalancer.go`, with the effective setting chosen
//! as `GetEffectiveLbSetting` chooses it. The data is Envoy's: localities (each a group of
//! endpoints with a weight and a priority) in the order istiod lists them, sorted by locality.
//!
//! Istio iterates a `distribute` entry's `to` map in Go's (random) map order; where two keys
//! match the same locality the first one iterated claims it. vdc takes the keys in the order
//! the DestinationRule writes them (sorted), so its answer is one of Istio's possible ones.

use super::Labels;
use crate::model::types::Locality;
use crate::translate::istio::{Distribute, Failover, LocalityLbSetting};
use std::collections::BTreeMap;

/// The label Istio treats specially when it is the first `failoverPriority` entry.
const NETWORK_LABEL: &str = "topology.istio.io/network";

/// One endpoint of a locality: `id` is the caller's index, `weight` its own LB weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbEndpoint {
    pub id: usize,
    pub labels: Labels,
    pub weight: u32,
}

/// Envoy's `LocalityLbEndpoints`: endpoints sharing a locality, a weight and a priority. A
/// locality `distribute` leaves out keeps its place with no endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalityGroup {
    pub locality: Locality,
    pub weight: Option<u32>,
    pub priority: u32,
    pub endpoints: Vec<LbEndpoint>,
}

/// Groups endpoints by locality as istiod's endpoint builder does: one group per locality,
/// sorted by locality, weighing the sum of its endpoints' weights, all at priority 0.
pub fn group_by_locality(endpoints: Vec<(Locality, LbEndpoint)>) -> Vec<LocalityGroup> {
    let mut by_locality: BTreeMap<String, LocalityGroup> = BTreeMap::new();
    for (locality, endpoint) in endpoints {
        let group = by_locality
            .entry(locality_label(&locality))
            .or_insert_with(|| LocalityGroup {
                locality,
                weight: Some(0),
                priority: 0,
                endpoints: Vec::new(),
            });
        group.weight = group.weight.map(|w| w.saturating_add(endpoint.weight));
        group.endpoints.push(endpoint);
    }
    by_locality.into_values().collect()
}

/// `region/zone/subzone` as written on an endpoint (the key istiod sorts localities by).
fn locality_label(l: &Locality) -> String {
    if l.subzone.is_empty() && l.zone.is_empty() {
        l.region.clone()
    } else if l.subzone.is_empty() {
        format!("{}/{}", l.region, l.zone)
    } else {
        format!("{}/{}/{}", l.region, l.zone, l.subzone)
    }
}

/// Istio's `GetEffectiveLbSetting` for locality settings: the DestinationRule's beats the
/// mesh's; either one with `enabled: false` switches locality load balancing off (`None`).
pub fn effective_setting<'a>(
    mesh: Option<&'a LocalityLbSetting>,
    rule: Option<&'a LocalityLbSetting>,
) -> Option<&'a LocalityLbSetting> {
    let chosen = rule.or(mesh)?;
    (chosen.enabled != Some(false)).then_some(chosen)
}

/// Which part of `ApplyLocalityLoadBalancer` acts on a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing: no effective setting, or failover without outlier detection.
    Off,
    Proximity,
    Failover,
    FailoverPriority,
    Distribute,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Off => "off",
            Mode::Proximity => "proximity",
            Mode::Failover => "failover",
            Mode::FailoverPriority => "failoverPriority",
            Mode::Distribute => "distribute",
        }
    }
}

/// The mode `apply` takes for `setting` (`None`: no effective setting).
pub fn mode(setting: Option<&LocalityLbSetting>, enable_failover: bool) -> Mode {
    match setting {
        None => Mode::Off,
        Some(s) if !s.distribute.is_empty() => Mode::Distribute,
        Some(_) if !enable_failover => Mode::Off,
        Some(s) if !s.failover_priority.is_empty() => Mode::FailoverPriority,
        Some(s) if !s.failover.is_empty() => Mode::Failover,
        Some(_) => Mode::Proximity,
    }
}

/// `ApplyLocalityLoadBalancer`: `distribute` weights whatever else is set; otherwise, only when
/// failover is enabled (the cluster has outlier detection), `failoverPriority` labels, then
/// `failover` region mappings, or else region/zone/subzone proximity, set the priorities.
pub fn apply(
    groups: Vec<LocalityGroup>,
    proxy: &Locality,
    proxy_labels: &Labels,
    setting: Option<&LocalityLbSetting>,
    enable_failover: bool,
) -> Vec<LocalityGroup> {
    let Some(setting) = setting else {
        return groups;
    };
    let mut groups = groups;
    if !setting.distribute.is_empty() {
        apply_weights(proxy, &mut groups, &setting.distribute);
    } else if enable_failover {
        if setting.failover_priority.is_empty() {
            apply_locality_failover(proxy, &mut groups, &setting.failover);
        } else {
            groups = apply_failover_priorities(groups, proxy_labels, &setting.failover_priority);
            if !setting.failover.is_empty() {
                apply_locality_failover(proxy, &mut groups, &setting.failover);
            }
        }
    }
    groups
}

/// Istio's `LocalityMatch`: a rule `region/zone/subzone` where `*` (and, for zone and
/// subzone, absence) matches anything.
pub fn locality_match(locality: &Locality, rule: &str) -> bool {
    let mut parts = rule.split('/');
    let region = parts.next().unwrap_or("");
    let zone = parts.next().unwrap_or("");
    let subzone = parts.next().unwrap_or("");
    let fits = |want: &str, have: &str, open_when_empty: bool| {
        want == "*" || (open_when_empty && want.is_empty()) || want == have
    };
    fits(region, &locality.region, false)
        && fits(zone, &locality.zone, true)
        && fits(subzone, &locality.subzone, true)
}

/// `applyLocalityWeights`: the first `distribute` entry whose `from` matches the client shares
/// each `to` weight among the localities it matches, in proportion to their weights; the
/// localities no `to` matches lose their endpoints.
fn apply_weights(proxy: &Locality, groups: &mut [LocalityGroup], distribute: &[Distribute]) {
    let Some(rule) = distribute.iter().find(|d| locality_match(proxy, &d.from)) else {
        return;
    };
    let mut unmatched: Vec<bool> = vec![true; groups.len()];
    for (to, &weight) in &rule.to {
        let mut claimed: Vec<(usize, u32)> = Vec::new();
        let mut total: u32 = 0;
        for (i, group) in groups.iter().enumerate() {
            if unmatched[i] && locality_match(&group.locality, to) {
                unmatched[i] = false;
                let original = group.weight.unwrap_or(1);
                claimed.push((i, original));
                total = total.wrapping_add(original);
            }
        }
        for (i, original) in claimed {
            let share = f64::from(original.wrapping_mul(weight)) / f64::from(total);
            if share > 0.0 {
                // The share is at most `weight`, so it fits.
                groups[i].weight = Some(share.ceil() as u32);
            }
        }
    }
    for (group, dropped) in groups.iter_mut().zip(unmatched) {
        if dropped {
            group.endpoints.clear();
        }
    }
}

/// Istio's `LbPriority`: 0 same subzone, 1 same zone, 2 same region, 3 elsewhere.
fn proximity(proxy: &Locality, endpoint: &Locality) -> u32 {
    match (
        proxy.region == endpoint.region,
        proxy.zone == endpoint.zone,
        proxy.subzone == endpoint.subzone,
    ) {
        (true, true, true) => 0,
        (true, true, false) => 1,
        (true, false, _) => 2,
        (false, _, _) => 3,
    }
}

/// `applyLocalityFailover`: proximity, with another region at 3 when the client region's
/// `failover` entry names it and at 4 when it names another; composed with the priority the
/// group already has (times 5), then renumbered without gaps.
fn apply_locality_failover(proxy: &Locality, groups: &mut [LocalityGroup], failover: &[Failover]) {
    for group in groups.iter_mut() {
        let mut priority = proximity(proxy, &group.locality);
        if priority == 3
            && let Some(mapping) = failover.iter().find(|f| f.from == proxy.region)
            && group.locality.region != mapping.to
        {
            priority = 4;
        }
        group.priority = group.priority * 5 + priority;
    }
    renumber(groups);
}

/// Priorities from 0 without gaps, in the order of the raw priorities.
fn renumber(groups: &mut [LocalityGroup]) {
    let mut raw: Vec<u32> = groups.iter().map(|g| g.priority).collect();
    raw.sort_unstable();
    raw.dedup();
    for group in groups.iter_mut() {
        group.priority = raw.partition_point(|&p| p < group.priority) as u32;
    }
}

/// `applyFailoverPriorities`: each locality is split by how many leading `failoverPriority`
/// labels its endpoints share with the client; the pieces are renumbered without gaps. A
/// client without labels leaves the groups as they are.
fn apply_failover_priorities(
    groups: Vec<LocalityGroup>,
    proxy_labels: &Labels,
    failover_priority: &[String],
) -> Vec<LocalityGroup> {
    if proxy_labels.is_empty() || groups.is_empty() {
        return groups;
    }
    let mut out: Vec<LocalityGroup> = groups
        .iter()
        .flat_map(|g| split_by_labels(g, proxy_labels, failover_priority))
        .collect();
    renumber(&mut out);
    out
}

/// `applyFailoverPriorityPerLocality`. An endpoint whose first differing label is the `j`th
/// gets `len - j`; all matching gets 0. When the first label is the network label, a network
/// mismatch does not stop the comparison but adds `len` to the result.
fn split_by_labels(
    group: &LocalityGroup,
    proxy_labels: &Labels,
    failover_priority: &[String],
) -> Vec<LocalityGroup> {
    let lowest = failover_priority.len() as u32;
    let network_first = failover_priority.first().map(String::as_str) == Some(NETWORK_LABEL);
    // `label=value` compares endpoints with `value` instead of the client's label.
    let wanted: Vec<(&str, Option<&str>)> = failover_priority
        .iter()
        .map(|entry| {
            let parts: Vec<&str> = entry.split('=').collect();
            (parts[0], (parts.len() == 2).then(|| parts[1]))
        })
        .collect();
    let mut by_priority: BTreeMap<u32, Vec<LbEndpoint>> = BTreeMap::new();
    for endpoint in &group.endpoints {
        let mut priority = 0;
        let mut adjust = 0;
        for (j, (label, fixed)) in wanted.iter().enumerate() {
            let client =
                fixed.unwrap_or_else(|| proxy_labels.get(*label).map_or("", String::as_str));
            let own = endpoint.labels.get(*label).map_or("", String::as_str);
            if client != own {
                if j == 0 && network_first {
                    adjust = lowest;
                    continue;
                }
                priority = lowest - j as u32;
                break;
            }
        }
        by_priority
            .entry(priority + adjust)
            .or_default()
            .push(endpoint.clone());
    }
    by_priority
        .into_iter()
        .map(|(priority, endpoints)| LocalityGroup {
            locality: group.locality.clone(),
            weight: Some(
                endpoints
                    .iter()
                    .fold(0u32, |sum, e| sum.wrapping_add(e.weight)),
            ),
            priority,
            endpoints,
        })
        .collect()
}

#[cfg(test)]
#[path = "priority_tests.rs"]
mod tests;
