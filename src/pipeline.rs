//! The order of the stages, and the rules the pipeline runs between them.

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::rules;

/// The rules that need only the typed world, run once it is assembled, before resolution.
pub const WORLD_RULES: &[fn(&World, &mut Diagnostics)] = &[
    rules::vd::invalid_host::check,
    rules::vd::duplicate_host::check,
    rules::vd::duplicate_port::check,
    rules::vd::nothing_to_serve::check,
    rules::vd::target_port_without_backing::check,
    rules::policy::unsupported_policy_target::check,
    rules::policy::invalid_weights::check,
    rules::policy::zone_failover::check,
    rules::policy::mixed_priority_labels::check,
    rules::policy::mappings_and_priority_labels::check,
    rules::routing::route_table_without_hosts::check,
    rules::routing::invalid_route_host::check,
    rules::routing::delegation_not_translated::check,
];

/// Runs [`WORLD_RULES`] on `world`.
pub fn check_world(world: &World, diags: &mut Diagnostics) {
    for rule in WORLD_RULES {
        rule(world, diags);
    }
}
