//! What each policy changes in what it selects: FailoverPolicy → a DestinationRule port entry's
//! `loadBalancer`, OutlierDetectionPolicy → its `outlierDetection`.

use super::istio::*;
use crate::model::policy::{
    FailoverSettings, Millis, OutlierDetectionSettings, Policy, PolicySettings,
};
use crate::model::types::LocalitySpec;
use crate::resolve::weights::complete_weights;
use std::collections::BTreeMap;

/// A locality as Istio's `distribute` wants it: `region/*` when only the region is given,
/// `region/zone/*` with a zone, `region/zone/subzone` with all three. Istio's webhook
/// (`validateLocalities`) accepts one `*` at most, and only as the last segment: a
/// `region/*/*` makes it reject the whole DestinationRule.
fn distribute_key(l: &LocalitySpec) -> String {
    match (l.zone.as_deref(), l.sub_zone.as_deref()) {
        (None, _) => format!("{}/*", l.region),
        (Some(zone), None) => format!("{}/{zone}/*", l.region),
        (Some(zone), Some(sub_zone)) => format!("{}/{zone}/{sub_zone}", l.region),
    }
}

/// Sets what `policy` changes on the DestinationRule entry of a port it applies to.
pub fn change_port_entry(policy: &Policy, entry: &mut PortTrafficPolicy) {
    match &policy.settings {
        PolicySettings::Failover(f) => entry.load_balancer = Some(locality_lb(f)),
        PolicySettings::OutlierDetection(o) => entry.outlier_detection = Some(outlier_detection(o)),
    }
}

fn locality_lb(policy: &FailoverSettings) -> LoadBalancer {
    let mut setting = LocalityLbSetting::default();
    let weighted = policy
        .mappings
        .iter()
        .any(|m| m.to.iter().any(|t| t.weight.is_some()));
    if policy.mappings.is_empty() && policy.priority_labels.is_empty() {
        setting.enabled = Some(true);
    } else if policy.mappings.is_empty() {
        setting.failover_priority = policy.priority_labels.clone();
    } else if weighted {
        for m in &policy.mappings {
            let weights: Vec<Option<u32>> =
                m.to.iter()
                    .map(|t| t.weight.as_ref().map(|w| w.value))
                    .collect();
            // Validation refused the mappings whose weights cannot sum to 100.
            let completed = complete_weights(&weights).completed;
            let mut to = BTreeMap::new();
            for (target, weight) in m.to.iter().zip(completed) {
                if weight > 0 {
                    *to.entry(distribute_key(&target.locality)).or_insert(0) += weight;
                }
            }
            setting.distribute.push(Distribute {
                from: distribute_key(&m.from),
                to,
            });
        }
    } else {
        for m in &policy.mappings {
            for t in &m.to {
                let entry = Failover {
                    from: m.from.region.clone(),
                    to: t.locality.region.clone(),
                };
                if !setting.failover.contains(&entry) {
                    setting.failover.push(entry);
                }
            }
        }
    }
    LoadBalancer {
        locality_lb_setting: setting,
    }
}

/// A duration in seconds, as Istio prints them: `5s`, `90s`, `0.5s`.
pub fn seconds(ms: Millis) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        let text = format!("{}.{:03}", ms / 1000, ms % 1000);
        format!("{}s", text.trim_end_matches('0'))
    }
}

fn outlier_detection(p: &OutlierDetectionSettings) -> OutlierDetection {
    OutlierDetection {
        base_ejection_time: seconds(p.base_ejection_time),
        consecutive5xx_errors: p.consecutive_errors,
        consecutive_gateway_errors: p.consecutive_gateway_errors,
        interval: seconds(p.interval),
        max_ejection_percent: p.max_ejection_percent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribute_localities_have_one_trailing_wildcard_at_most() {
        let at = |region: &str, zone: Option<&str>, sub_zone: Option<&str>| LocalitySpec {
            region: region.into(),
            zone: zone.map(Into::into),
            sub_zone: sub_zone.map(Into::into),
        };
        assert_eq!(distribute_key(&at("us-east-1", None, None)), "us-east-1/*");
        assert_eq!(
            distribute_key(&at("us-east-1", Some("us-east-1a"), None)),
            "us-east-1/us-east-1a/*"
        );
        assert_eq!(
            distribute_key(&at("us-east-1", Some("us-east-1a"), Some("sz1"))),
            "us-east-1/us-east-1a/sz1"
        );
    }

    #[test]
    fn durations_in_seconds() {
        assert_eq!(seconds(5_000), "5s");
        assert_eq!(seconds(90_000), "90s");
        assert_eq!(seconds(500), "0.5s");
        assert_eq!(seconds(1_250), "1.25s");
    }
}
