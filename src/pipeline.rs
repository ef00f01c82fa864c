//! The order of the stages, and the rules the pipeline runs between them.

use crate::diagnostic::Diagnostics;
use crate::model::World;
use crate::model::resolve::Resolved;
use crate::rules;
use crate::translate::Output;

/// The rules that need only the typed world, run once it is assembled, before resolution.
pub const WORLD_RULES: &[fn(&World, &mut Diagnostics)] = &[
    rules::workspace::implicit_global_workspace::check,
    rules::workspace::unknown_cluster::check,
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

/// The rules that read the resolution, run after it and before the translation gate, so an
/// error they find still keeps invalid input from being translated.
pub const RESOLVED_RULES: &[fn(&World, &Resolved, &mut Diagnostics)] = &[
    rules::topology::default_trust_domain::check,
    rules::vd::host_is_service_fqdn::check,
    rules::topology::dns_capture_off::check,
    rules::vd::host_conflict::check,
];

/// Runs [`RESOLVED_RULES`].
pub fn check_resolved(world: &World, resolved: &Resolved, diags: &mut Diagnostics) {
    for rule in RESOLVED_RULES {
        rule(world, resolved, diags);
    }
}

/// The rules that compare the generated objects with what the clusters already hold.
pub const OUTPUT_RULES: &[fn(&World, &[Output]) -> Diagnostics] = &[
    rules::topology::user_object_conflict::check,
    rules::topology::east_west_gateway_overlap::check,
];

/// Runs [`OUTPUT_RULES`].
pub fn check_outputs(world: &World, outputs: &[Output], diags: &mut Diagnostics) {
    for rule in OUTPUT_RULES {
        diags.extend(rule(world, outputs));
    }
}
