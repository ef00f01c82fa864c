//! The policy rules: one file per code, named by its slug.

pub mod authority_set_twice;
pub mod failover_without_outlier_detection;
pub mod invalid_policy_value;
pub mod invalid_weights;
pub mod mappings_and_priority_labels;
pub mod mirror_subset;
pub mod mixed_priority_labels;
pub mod overlapping_localities;
pub mod policy_conflict;
pub mod policy_selects_nothing;
pub mod route_policy_not_applicable;
pub mod service_isolation;
pub mod unresolved_mirror;
pub mod unsupported_policy_target;
pub mod zone_failover;
