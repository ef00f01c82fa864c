//! The one driver of every command: reading INPUT, the order of the stages and the rules run
//! between them, and the diagnostics as they are reported.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Settings;
use crate::model::cache::DecodeCache;
use crate::model::{ReadInput, World};
use crate::progress;
use crate::resolve::Resolved;
use crate::rules;
use crate::translate::Output;
use anyhow::Result;
use std::path::Path;

/// INPUT as the pipeline starts from it: read and decoded, or not an input folder at all.
// Made once a run and taken apart at once, so its size costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Input {
    Read(ReadInput),
    /// VDC112 not-an-input: a cluster folder, a repository root or an empty folder, with the
    /// folder vdc expected.
    NotAnInput(Diagnostic),
}

/// Reads INPUT, unless its shape says it is not one. `Err` only when the tool cannot read it.
/// With a `cache`, files of cluster state that did not change are taken from it.
pub fn read(input: &Path, cache: Option<&DecodeCache>) -> Result<Input> {
    if input.is_dir()
        && let Some(d) = crate::input_shape::check(input)
    {
        return Ok(Input::NotAnInput(d));
    }
    Ok(Input::Read(match cache {
        Some(cache) => crate::model::read_cached(input, cache)?,
        None => crate::model::read(input)?,
    }))
}

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
    rules::policy::policy_selects_nothing::check,
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

/// What the pipeline made of a world: its resolution, the generated objects (none when an
/// error was found) and every diagnostic so far, unsorted.
pub struct Compiled<'w> {
    pub resolved: Resolved<'w>,
    pub outputs: Vec<Output>,
    pub diagnostics: Diagnostics,
}

/// Whether two generated objects with one identity withhold every output (VDC509). `render`
/// and `check` gate on it; `explain` explains the resolution and does not look for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collisions {
    Gate,
    Ignore,
}

/// The one order of the stages after assembly: the world rules, resolution and the rules on
/// it, then, when no error was found, translation and the rules on the outputs.
pub fn compile(
    world: &World,
    mut diagnostics: Diagnostics,
    collisions: Collisions,
) -> Compiled<'_> {
    progress::start(progress::Phase::Resolving, 0);
    check_world(world, &mut diagnostics);
    let (resolved, resolve_diags) = crate::resolve::resolve(world);
    diagnostics.extend(resolve_diags);
    check_resolved(world, &resolved, &mut diagnostics);
    let mut outputs = if diagnostics.has_errors() {
        Vec::new()
    } else {
        progress::start(progress::Phase::Translating, 0);
        crate::translate::translate(&resolved)
    };
    if collisions == Collisions::Gate {
        let found = rules::topology::generated_object_collision::check(world, &outputs);
        if found.has_errors() {
            outputs.clear();
        }
        diagnostics.extend(found);
    }
    check_outputs(world, &outputs, &mut diagnostics);
    Compiled {
        resolved,
        outputs,
        diagnostics,
    }
}

/// The diagnostics as every command reports them: sorted and deduplicated, without the codes
/// and the findings of one object that `vdc.yaml` or `--ignore` ignore.
pub fn reported(diagnostics: Diagnostics, settings: &Settings) -> Vec<Diagnostic> {
    let mut diagnostics = diagnostics.into_sorted();
    diagnostics.retain(|d| {
        !settings.ignore.contains(&d.code) && !settings.ignore_findings.iter().any(|f| f.covers(d))
    });
    diagnostics
}
