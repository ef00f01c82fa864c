//! **VDC603 invalid-weights, VDC604 mixed-priority-labels, VDC605 mappings-and-priority-labels,
//! VDC606 zone-failover, VDC607 unsupported-policy-target** for FailoverPolicy.
//!
//! What and why:
//! - weights of one mapping's `to` list above 100 in total, or not reaching 100 with no
//!   unweighted target to take the rest, or leaving unweighted targets less than 1% each: Istio
//!   requires `distribute` weights to sum to exactly 100 and refuses the DestinationRule;
//! - `priorityLabels.labels` mixing plain keys and `key=value` pairs: Gloo refuses the policy;
//! - both `localityMappings` and `priorityLabels`: only the mappings take effect (warning);
//! - an unweighted mapping naming a zone or subZone: Istio fails over by region only, so the
//!   zone is ignored (warning);
//! - `kind: EXTERNAL_SERVICE` in `applyToDestinations`: Gloo does not support failover there.
//!
//! Example: `to: [{region: us-east-1, weight: 80}, {region: us-west-1, weight: 30}]` sums to
//! 110. Fix: make the weights sum to 100.

use crate::diagnostic::Code;
use crate::model::decode::Cx;
use crate::model::types::FailoverPolicy;

pub(super) fn check(cx: &mut Cx, policy: &FailoverPolicy) {
    for (i, d) in policy.apply_to.iter().enumerate() {
        if d.kind == "EXTERNAL_SERVICE" {
            cx.report_with_help(
                Code::UnsupportedPolicyTarget,
                d.selector.pos,
                &format!("spec.applyToDestinations[{i}].kind"),
                "a FailoverPolicy cannot apply to EXTERNAL_SERVICE destinations",
                "apply it to the VirtualDestination in front of the external service",
            );
        }
    }
    for (i, m) in policy.mappings.iter().enumerate() {
        let path = format!("spec.config.localityMappings[{i}].to");
        let weighted: Vec<u32> =
            m.to.iter()
                .filter_map(|t| t.weight.as_ref().map(|w| w.value))
                .collect();
        let unweighted = m.to.len() - weighted.len();
        let sum: u32 = weighted.iter().sum();
        if !weighted.is_empty() {
            let problem = if sum > 100 {
                Some(format!("the weights sum to {sum}, more than 100"))
            } else if unweighted == 0 && sum != 100 {
                Some(format!("the weights sum to {sum}; Istio needs exactly 100"))
            } else if unweighted > 0 && (100 - sum) < unweighted as u32 {
                Some(format!(
                    "the weights sum to {sum}, leaving {} for {unweighted} unweighted targets (at least 1 each)",
                    100 - sum
                ))
            } else {
                None
            };
            if let Some(problem) = problem {
                cx.report_with_help(
                    Code::InvalidWeights,
                    m.pos,
                    &path,
                    format!("locality mapping from `{}`: {problem}", m.from.region),
                    "make the weights of each mapping's `to` list sum to 100 (unweighted targets share what is left)",
                );
            }
        } else if m.from.zone.is_some()
            || m.from.sub_zone.is_some()
            || m.to
                .iter()
                .any(|t| t.locality.zone.is_some() || t.locality.sub_zone.is_some())
        {
            cx.report_with_help(
                Code::ZoneFailover,
                m.pos,
                &format!("spec.config.localityMappings[{i}]"),
                "this mapping names a zone or subZone, but Istio fails over by region only: the zones are ignored",
                "give the targets weights to route by zone with `distribute`, or drop the zones",
            );
        }
    }
    let with_value = policy
        .priority_labels
        .iter()
        .filter(|l| l.contains('='))
        .count();
    if with_value != 0 && with_value != policy.priority_labels.len() {
        cx.report_with_help(
            Code::MixedPriorityLabels,
            cx_pos(policy),
            "spec.config.priorityLabels.labels",
            "`priorityLabels.labels` mixes plain label keys and `key=value` pairs",
            "use only keys (`[region, zone]`) or only `key=value` pairs",
        );
    }
    if !policy.mappings.is_empty() && !policy.priority_labels.is_empty() {
        cx.report_with_help(
            Code::MappingsAndPriorityLabels,
            cx_pos(policy),
            "spec.config",
            "the policy sets both `localityMappings` and `priorityLabels`; only the mappings take effect",
            "remove one of them",
        );
    }
}

fn cx_pos(policy: &FailoverPolicy) -> crate::load::node::Pos {
    policy.meta.pos
}
