//! vdc: an offline compiler for multicluster service routing.
//!
//! The pipeline reads from the module names: [`load`] (files → documents with positions) →
//! [`model`] (typed, resolved input) → [`validate`] (per-object rules) → [`translate`] (pure) →
//! [`emit`] (Kubernetes-safe YAML). Problems in the input are [`diagnostic::Diagnostic`] values;
//! failures of the tool itself are `anyhow` errors. Only [`cli`] writes to the terminal.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod explain;
pub mod load;
pub mod model;
pub mod report;
pub mod translate;
pub mod validate;

use anyhow::Result;
use diagnostic::Diagnostic;
use std::path::Path;
use std::sync::Arc;

/// The result of compiling one INPUT folder.
pub struct Compilation {
    /// Sorted by (file, line, code).
    pub diagnostics: Vec<Diagnostic>,
    /// Every generated object, sorted by (cluster, namespace, kind, name). Empty when any
    /// error-level diagnostic was found: nothing is generated from invalid input.
    pub outputs: Vec<translate::Output>,
    /// The input files, for quoting source lines in diagnostics.
    pub sources: Vec<Arc<load::SourceFile>>,
    pub clusters: Vec<String>,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity() == diagnostic::Severity::Error)
    }
}

/// Runs the whole pipeline on `input`. `Err` only when the tool cannot do its job.
pub fn compile(input: &Path) -> Result<Compilation> {
    let (world, loaded) = model::read(input)?;
    Ok(finish(&world, loaded.diagnostics, loaded.sources))
}

/// [`compile`] for input already loaded and decoded, such as files held in memory, parsed with
/// [`load::parse_source`] and decoded with [`model::decode`]: the same checks, the same output.
pub fn compile_loaded(loaded: load::Loaded<model::Piece>) -> Compilation {
    let (world, loaded) = model::assemble_loaded(loaded);
    finish(&world, loaded.diagnostics, loaded.sources)
}

/// Resolution, translation and the checks against the clusters' own objects.
fn finish(
    world: &model::World,
    mut diagnostics: diagnostic::Diagnostics,
    sources: Vec<Arc<load::SourceFile>>,
) -> Compilation {
    let (resolved, resolve_diags) = model::resolve::resolve(world);
    diagnostics.extend(resolve_diags);
    let outputs = if diagnostics.has_errors() {
        Vec::new()
    } else {
        translate::translate(&resolved)
    };
    diagnostics.extend(validate::user_objects::check(world, &outputs));
    Compilation {
        diagnostics: diagnostics.into_sorted(),
        outputs,
        clusters: world.clusters.keys().cloned().collect(),
        sources,
    }
}
