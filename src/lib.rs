//! vdc: an offline compiler for multicluster service routing.
//!
//! The pipeline reads from the module names: [`load`] (files → documents with positions) →
//! [`model`] (typed input) → [`resolve`] (who takes part, where, with what) → [`rules`] (one file per diagnostic code, run by
//! [`pipeline`]) → [`translate`] (pure) →
//! [`emit`] (Kubernetes-safe YAML). Problems in the input are [`diagnostic::Diagnostic`] values;
//! failures of the tool itself are `anyhow` errors. Only [`cli`] writes to the terminal.
//! `docs/architecture.md` says what each stage owns and where a new rule, kind or output goes.

pub mod cli;
#[macro_use]
pub mod diagnostic;
pub mod diff;
pub mod dns;
pub mod emit;
pub mod explain;
pub mod fsio;
pub mod hash;
pub mod held;
pub mod input_shape;
pub mod load;
pub mod model;
pub mod names;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod shard;
pub mod snapshot;
pub mod span;
pub mod text;
pub mod trace;
pub mod translate;

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
    /// The typed input it was compiled from, freed with it.
    _input: Input,
}

/// A compilation's typed input. A large input's world is hundreds of thousands of small
/// allocations, and freeing them one by one takes a noticeable part of a run, so it is freed on
/// another thread when the compilation is dropped; a caller about to exit can instead leave it
/// to the operating system with `std::mem::forget` on the compilation.
struct Input(Option<model::World>);

impl Drop for Input {
    fn drop(&mut self) {
        if let Some(world) = self.0.take() {
            std::thread::spawn(move || drop(world));
        }
    }
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
}

/// Runs the whole pipeline on `input`. `Err` only when the tool cannot do its job.
pub fn compile(input: &Path) -> Result<Compilation> {
    compile_cached(input, None)
}

/// [`compile`], taking the files of cluster state that did not change from `cache`: the same
/// output, byte for byte, as without it.
pub fn compile_cached(
    input: &Path,
    cache: Option<&model::cache::DecodeCache>,
) -> Result<Compilation> {
    match pipeline::read(input, cache)? {
        pipeline::Input::Read(read) => Ok(compile_world(read.world, read.loaded)),
        pipeline::Input::NotAnInput(d) => Ok(Compilation {
            diagnostics: vec![d],
            outputs: Vec::new(),
            sources: Vec::new(),
            clusters: Vec::new(),
            _input: Input(None),
        }),
    }
}

/// [`compile`] for input already loaded and decoded, such as files held in memory, parsed with
/// [`load::parse_source`] and decoded with [`model::decode`]: the same checks, the same output.
pub fn compile_loaded(loaded: load::Loaded<model::DecodedDocument>) -> Compilation {
    let model::ReadInput { world, loaded } = model::assemble_loaded(loaded);
    compile_world(world, loaded)
}

/// [`compile`] for both sides of a diff. Files the sides share are parsed once, and the sides'
/// resolution and translation run side by side, so this costs little more than one compile.
pub fn compile_pair(old: &Path, new: &Path) -> Result<(Compilation, Compilation)> {
    let (old, new) = model::read_pair(old, new)?;
    Ok(rayon::join(
        || compile_world(old.world, old.loaded),
        || compile_world(new.world, new.loaded),
    ))
}

/// Resolution, translation and the checks against the clusters' own objects.
fn compile_world(world: model::World, loaded: load::Loaded<model::DecodedDocument>) -> Compilation {
    let compiled = pipeline::compile(&world, loaded.diagnostics, pipeline::Collisions::Gate);
    let clusters = world.clusters.keys().cloned().collect();
    let outputs = compiled.outputs();
    let diagnostics = pipeline::reported(compiled.diagnostics, &loaded.settings);
    Compilation {
        diagnostics,
        outputs,
        clusters,
        sources: loaded.sources,
        _input: Input(Some(world)),
    }
}

/// A compilation that does not hold its objects: each cluster's are generated when asked for
/// (or handed to a command as they are generated for the checks, [`stream_input_keeping`]),
/// so a command holds a few clusters' objects, not the fleet's. The same diagnostics, and the
/// same objects, as [`Compilation`].
pub struct Streamed<'w> {
    /// Sorted by (file, line, code).
    pub diagnostics: Vec<Diagnostic>,
    /// The input files, for quoting source lines in diagnostics.
    pub sources: Vec<Arc<load::SourceFile>>,
    pub clusters: Vec<String>,
    compiled: Option<pipeline::Compiled<'w>>,
}

impl Streamed<'_> {
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }

    /// The clusters that may get objects, in name order: none when nothing is generated (an
    /// error was found).
    pub fn clusters_with_objects(&self) -> Vec<&str> {
        match self.compiled.as_ref().and_then(|c| c.plan.as_ref()) {
            Some(plan) => plan.clusters().collect(),
            None => Vec::new(),
        }
    }

    /// The objects of `cluster`, sorted by (namespace, kind, name), as [`Compilation::outputs`]
    /// holds them.
    pub fn objects(&self, cluster: &str) -> Vec<translate::Output> {
        self.compiled
            .as_ref()
            .map(|c| c.objects(cluster))
            .unwrap_or_default()
    }
}

/// [`compile_cached`] of INPUT already read by [`pipeline::read`], handing `then` a
/// [`Streamed`] compilation instead of one holding every object. The typed input lives as long
/// as `then` runs and is freed afterwards on another thread.
pub fn stream_input<R>(input: pipeline::Input, then: impl FnOnce(Streamed<'_>) -> R) -> R {
    stream_input_keeping(input, &|_, _| (), |streamed, _| then(streamed))
}

/// [`stream_input`], also handing `keep` each cluster's objects while they are generated for
/// the checks, and `then` what it made of them ([`pipeline::compile_keeping`]): a command that
/// writes every cluster's objects once the checks pass need not generate them twice.
pub fn stream_input_keeping<K: Send, R>(
    input: pipeline::Input,
    keep: &(dyn Fn(&str, &[translate::Output]) -> K + Sync),
    then: impl FnOnce(Streamed<'_>, Vec<K>) -> R,
) -> R {
    let read = match input {
        pipeline::Input::Read(read) => read,
        pipeline::Input::NotAnInput(d) => {
            let streamed = Streamed {
                diagnostics: vec![d],
                sources: Vec::new(),
                clusters: Vec::new(),
                compiled: None,
            };
            return then(streamed, Vec::new());
        }
    };
    let model::ReadInput { world, loaded } = read;
    let (streamed, kept) = streamed_keeping(&world, loaded, keep);
    let result = then(streamed, kept);
    drop(Input(Some(world)));
    result
}

/// [`compile_pair`] handing `then` both sides [`Streamed`]: files the sides share are parsed
/// once, the sides resolve side by side, and neither holds its objects. `Err` only when the
/// tool cannot read a side.
pub fn compile_pair_streamed<R>(
    old: &Path,
    new: &Path,
    then: impl FnOnce(Streamed<'_>, Streamed<'_>) -> R,
) -> Result<R> {
    let (old, new) = model::read_pair(old, new)?;
    let (old_world, new_world) = (old.world, new.world);
    let (a, b) = rayon::join(
        || streamed(&old_world, old.loaded),
        || streamed(&new_world, new.loaded),
    );
    let result = then(a, b);
    drop(Input(Some(old_world)));
    drop(Input(Some(new_world)));
    Ok(result)
}

/// Resolution and the checks, as [`compile_world`] runs them, keeping the plan instead of the
/// objects.
fn streamed(world: &model::World, loaded: load::Loaded<model::DecodedDocument>) -> Streamed<'_> {
    streamed_keeping(world, loaded, &|_, _| ()).0
}

/// [`streamed`], with what `keep` made of each cluster's objects.
fn streamed_keeping<'w, K: Send>(
    world: &'w model::World,
    loaded: load::Loaded<model::DecodedDocument>,
    keep: &(dyn Fn(&str, &[translate::Output]) -> K + Sync),
) -> (Streamed<'w>, Vec<K>) {
    let (mut compiled, kept) =
        pipeline::compile_keeping(world, loaded.diagnostics, pipeline::Collisions::Gate, keep);
    let diagnostics = std::mem::take(&mut compiled.diagnostics);
    let streamed = Streamed {
        diagnostics: pipeline::reported(diagnostics, &loaded.settings),
        sources: loaded.sources,
        clusters: world.clusters.keys().cloned().collect(),
        compiled: Some(compiled),
    };
    (streamed, kept)
}
