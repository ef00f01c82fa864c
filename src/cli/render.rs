//! `vdc render`: the objects go to stdout, or to a tree of files with `--out`.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{GlobalArgs, RenderArgs};
use super::progress_line::ProgressLine;
use super::terminal::print_diagnostics;
use super::{STDOUT, Status, ensure_known_clusters, read_checking_usage};
use crate::Streamed;
use crate::emit::{self, Format, Packed, PackedFiles};
use crate::report;
use crate::translate::Output;
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

pub(super) fn render(args: RenderArgs, global: &GlobalArgs) -> Result<Status> {
    // The benchmark's floor (scripts/bench): only read and parse INPUT, on one thread. An
    // environment switch rather than a flag, so completions and help never offer it.
    if std::env::var_os("VDC_PARSE_ONLY").is_some_and(|v| v == "1") {
        return parse_only(&args.input);
    }
    if let Some(dir) = &args.out {
        anyhow::ensure!(
            dir.as_os_str() != "-",
            "--out -: render writes to stdout without --out; --out takes a folder"
        );
        emit::refuse_out_dir(&args.input, dir)?;
        if let Some(cache) = args.cache.dir() {
            emit::refuse_cache_dir(dir, &cache)?;
        }
    }
    let progress = ProgressLine::start(global.quiet);
    let cache = super::open_cache(&args.cache);
    let format = Format::from(args.format);
    // What each selected cluster's objects become (the YAML stream, or the files of the tree) is
    // made while they are generated for the checks, and held packed until every cluster has
    // passed them: generating every object twice cost a third of a fleet's render.
    let then = |c: Streamed, to: To| {
        drop(progress);
        write_compiled(&args, global, &c, to)
    };
    let input = read_checking_usage(&args.input, cache.as_ref(), |clusters| {
        usage(&args, clusters)
    })?;
    match &args.out {
        Some(dir) => {
            let keep = |cluster: &str, outputs: &[Output]| {
                kept_if_selected(&args, cluster, || PackedFiles::of(&all(outputs), format))
            };
            crate::stream_input_keeping(input, &keep, |c, kept| then(c, To::Tree(dir, kept)))
        }
        None if format == Format::Yaml => {
            let keep = |cluster: &str, outputs: &[Output]| {
                kept_if_selected(&args, cluster, || Packed::yaml_stream(&all(outputs)))
            };
            crate::stream_input_keeping(input, &keep, |c, kept| then(c, To::Stdout(kept)))
        }
        // One JSON List of at most one cluster's objects, generated again to be written.
        None => crate::stream_input(input, |c| then(c, To::StdoutJson)),
    }
}

/// Whether `args` can be carried out on an input of `clusters`: every `--cluster` names one,
/// and JSON on stdout, one `List`, is for at most one.
fn usage(args: &RenderArgs, clusters: &[String]) -> Result<()> {
    ensure_known_clusters(&args.clusters, clusters)?;
    let clusters_out = clusters.iter().filter(|c| selected(args, c)).count();
    anyhow::ensure!(
        args.out.is_some() || Format::from(args.format) != Format::Json || clusters_out <= 1,
        "--format json on stdout is one List, which cannot say which cluster each object is for; choose one with --cluster NAME, or write a tree per cluster with --out DIR"
    );
    Ok(())
}

/// What `keep` makes of a cluster's objects, when `args` selects the cluster.
fn kept_if_selected<T>(
    args: &RenderArgs,
    cluster: &str,
    keep: impl FnOnce() -> Result<T>,
) -> Result<Option<T>> {
    if selected(args, cluster) {
        keep().map(Some)
    } else {
        Ok(None)
    }
}

fn all(outputs: &[Output]) -> Vec<&Output> {
    outputs.iter().collect()
}

/// Where render writes, with what it kept of each cluster's objects (in cluster order; `None`
/// for a cluster not selected) while they were generated for the checks.
enum To<'a> {
    Stdout(Vec<Result<Option<Packed>>>),
    StdoutJson,
    Tree(&'a Path, Vec<Result<Option<PackedFiles>>>),
}

/// Whether `cluster` is one `args` asks for, by `--cluster` and `--shard`.
fn selected(args: &RenderArgs, cluster: &str) -> bool {
    (args.clusters.is_empty() || args.clusters.iter().any(|c| c == cluster))
        && args.shard.is_none_or(|shard| shard.contains(cluster))
}

/// Reports the diagnostics of `c` and, when it has no error, writes its objects `to` stdout or
/// the tree, cluster by cluster.
fn write_compiled(args: &RenderArgs, global: &GlobalArgs, c: &Streamed, to: To) -> Result<Status> {
    print_diagnostics(&c.diagnostics, &args.input, &c.sources, global);
    // Asked again, after the diagnostics: `usage` was not asked when reading found an error
    // (which vdc.yaml may since have ignored). A folder that is no INPUT (VDC112) has no
    // clusters for an argument to name.
    if !c.clusters.is_empty() {
        usage(args, &c.clusters)?;
    }
    if c.has_errors() {
        return Ok(Status::Problems);
    }
    let selected = |cluster: &str| selected(args, cluster);
    let clusters_out = c.clusters.iter().filter(|c| selected(c)).count();
    let changed = match to {
        To::Stdout(kept) => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            write_kept(kept, &mut stdout).context(STDOUT)?;
            false
        }
        To::StdoutJson => {
            let objects: Vec<&str> = c
                .clusters_with_objects()
                .into_iter()
                .filter(|name| selected(name))
                .collect();
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            write_json(c, &objects, &mut stdout).context(STDOUT)?;
            false
        }
        To::Tree(dir, kept) => {
            let tree = Tree {
                dir,
                clusters: clusters_out,
            };
            let changed = write_out_tree(&tree, kept, &selected, global.quiet)
                .map_err(|err| with_edit_hint(err, args, dir))?;
            if changed && args.exit_code {
                exit_code_hint(dir);
            }
            changed
        }
    };
    Ok(if args.exit_code && changed {
        Status::Problems
    } else {
        Status::Clean
    })
}

/// The YAML streams kept of each selected cluster, in cluster order: one stream, each object
/// preceded by the path it would have under `--out` ([`emit::write_stream`]).
fn write_kept(kept: Vec<Result<Option<Packed>>>, out: &mut impl Write) -> Result<()> {
    // Every cluster's text is in hand: a cluster that could not be serialised stops the run
    // before the first byte is written.
    let kept: Vec<Option<Packed>> = kept.into_iter().collect::<Result<_>>()?;
    for packed in kept.iter().flatten() {
        packed.write_to(out)?;
    }
    out.flush()?;
    Ok(())
}

/// The JSON `List` of the objects of `clusters` (at most one: a List cannot say which cluster
/// each object is for).
fn write_json(c: &Streamed, clusters: &[&str], out: &mut impl Write) -> Result<()> {
    let objects: Vec<Output> = clusters.iter().flat_map(|name| c.objects(name)).collect();
    emit::write_stream(&objects.iter().collect::<Vec<_>>(), Format::Json, out)
}

/// A render refused because files of DIR were edited by hand says how to discard the edits and
/// render, as one command.
fn with_edit_hint(err: anyhow::Error, args: &RenderArgs, dir: &Path) -> anyhow::Error {
    let edited = super::hints::edited_files(dir);
    if edited.is_empty() {
        return err;
    }
    // The same clusters as this run, which the command renders again.
    let selection = super::hints::selection(&args.clusters, args.shard.map(|s| s.to_string()));
    anyhow::anyhow!(
        "{err:#}\nvdc: to discard the edits and render, run: {}",
        super::hints::update_command(&args.input, dir, &selection, &edited)
    )
}

/// `--exit-code` exits 1 because DIR changed: say so, and what lets the next run pass (a
/// pre-commit hook checks the staged files, so the new ones must be added).
fn exit_code_hint(dir: &Path) {
    let shown = crate::text::escape_controls(&dir.display().to_string()).into_owned();
    match super::hints::stage_command(dir) {
        Some(stage) => eprintln!(
            "vdc: {} was out of date and is now re-rendered, so this exits 1 (--exit-code); to commit it, run: {stage}",
            shown
        ),
        None => eprintln!(
            "vdc: {} was out of date and is now re-rendered, so this exits 1 (--exit-code)",
            shown
        ),
    }
}

/// Only reads and parses INPUT, on one thread, and says how many documents it found.
fn parse_only(input: &Path) -> Result<Status> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let loaded = pool.install(|| crate::load::load(input))?;
    eprintln!("vdc: parsed {} documents", loaded.document_count());
    Ok(Status::Clean)
}

/// The `--out` tree being written: where, and for how many clusters.
struct Tree<'a> {
    dir: &'a Path,
    clusters: usize,
}

/// Writes the files `kept` of the selected clusters under `tree.dir`, leaving the other
/// clusters' folders alone, and reports on stderr what changed; returns whether a file was
/// written or removed.
fn write_out_tree(
    tree: &Tree,
    kept: Vec<Result<Option<PackedFiles>>>,
    selected: &dyn Fn(&str) -> bool,
    quiet: bool,
) -> Result<bool> {
    let progress = ProgressLine::start(quiet);
    let objects: usize = kept.iter().flatten().flatten().map(|f| f.objects).sum();
    // A cluster that could not be serialised stops the run before anything is written.
    let kept: Vec<PackedFiles> = kept
        .into_iter()
        .filter_map(Result::transpose)
        .collect::<Result<_>>()?;
    // One batch per cluster, unpacked as the tree takes it.
    let batches = || kept.iter().map(PackedFiles::unpack);
    let summary = emit::write_tree(tree.dir, batches, |path| {
        !selected(path.split('/').next().unwrap_or_default())
    })?;
    drop(progress);
    for note in &summary.notes {
        eprintln!("vdc: warning: {}", report::escape_controls(note));
    }
    if !quiet {
        eprintln!(
            "vdc: {} in {} → {} ({} written, {} unchanged, {} removed)",
            crate::text::counted(objects, "object"),
            crate::text::counted(tree.clusters, "cluster"),
            tree.dir.display(),
            summary.written,
            summary.unchanged,
            summary.removed
        );
    }
    Ok(summary.written + summary.removed > 0)
}
