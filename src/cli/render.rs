//! `vdc render`: the objects go to stdout, or to a tree of files with `--out`.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{GlobalArgs, RenderArgs};
use super::progress_line::ProgressLine;
use super::terminal::print_diagnostics;
use super::{STDOUT, Status, ensure_known_clusters};
use crate::Streamed;
use crate::emit::{self, Format, Packed};
use crate::report;
use crate::translate::Output;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(super) fn render(args: RenderArgs, global: &GlobalArgs) -> Result<Status> {
    // The benchmark's floor (scripts/bench): only read and parse INPUT, on one thread. An
    // environment switch rather than a flag, so completions and help never offer it.
    if std::env::var_os("VDC_PARSE_ONLY").is_some_and(|v| v == "1") {
        return parse_only(&args.input);
    }
    if let Some(dir) = &args.out {
        emit::refuse_overlap(&args.input, dir)?;
    }
    let progress = ProgressLine::start(global.quiet);
    let cache = args.cache.open();
    let format = Format::from(args.format);
    if args.out.is_none() && format == Format::Yaml {
        // The YAML of each selected cluster is made while its objects are generated for the
        // checks, and held (packed) until all have passed: generating every object twice cost
        // a third of a fleet's render.
        let keep = |cluster: &str, outputs: &[Output]| -> Result<Option<Packed>> {
            if !selected(&args, cluster) {
                return Ok(None);
            }
            Packed::stream(&outputs.iter().collect::<Vec<_>>(), format).map(Some)
        };
        return crate::compile_streamed_keeping(&args.input, cache.as_ref(), &keep, |c, kept| {
            drop(progress);
            write_compiled(&args, global, &c, Some(kept))
        });
    }
    crate::compile_streamed(&args.input, cache.as_ref(), |c| {
        drop(progress);
        write_compiled(&args, global, &c, None)
    })
}

/// Whether `cluster` is one `args` asks for, by `--cluster` and `--shard`.
fn selected(args: &RenderArgs, cluster: &str) -> bool {
    (args.clusters.is_empty() || args.clusters.iter().any(|c| c == cluster))
        && args.shard.is_none_or(|shard| shard.contains(cluster))
}

/// Reports the diagnostics of `c` and, when it has no error, writes its objects cluster by
/// cluster: the YAML `kept` while the checks ran, or else each cluster's objects generated,
/// written and dropped before the next.
fn write_compiled(
    args: &RenderArgs,
    global: &GlobalArgs,
    c: &Streamed,
    kept: Option<Vec<Result<Option<Packed>>>>,
) -> Result<Status> {
    print_diagnostics(&c.diagnostics, &args.input, &c.sources, global);
    if c.has_errors() {
        return Ok(Status::Problems);
    }
    ensure_known_clusters(&args.clusters, &c.clusters)?;
    let selected = |cluster: &str| selected(args, cluster);
    let clusters_out = c.clusters.iter().filter(|c| selected(c)).count();
    let format = Format::from(args.format);
    anyhow::ensure!(
        args.out.is_some() || format != Format::Json || clusters_out <= 1,
        "--format json on stdout is one List, which cannot say which cluster each object is for; choose one with --cluster NAME, or write a tree per cluster with --out DIR"
    );
    let objects: Vec<&str> = c
        .clusters_with_objects()
        .into_iter()
        .filter(|name| selected(name))
        .collect();
    let changed = match &args.out {
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match kept {
                Some(kept) => write_kept(kept, &mut stdout),
                None => {
                    debug_assert_eq!(format, Format::Json, "render keeps every YAML stream");
                    write_json(c, &objects, &mut stdout)
                }
            }
            .context(STDOUT)?;
            false
        }
        Some(dir) => {
            let tree = Tree {
                dir,
                format,
                clusters: clusters_out,
            };
            let changed = write_out_tree(&tree, c, &objects, &selected, global.quiet)
                .map_err(|err| with_edit_hint(err, &args.input, dir))?;
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
    for packed in kept {
        if let Some(packed) = packed? {
            packed.write_to(out)?;
        }
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

/// `make` for each of `clusters`, in their order, a few clusters at a time on every thread:
/// generating and serialising a cluster's objects is independent of the other clusters' and is
/// most of what is left of a render once the input is resolved. Memory holds at most twice as
/// many clusters' results as there are threads.
fn per_cluster_in_parallel<'a, T: Send + 'a>(
    clusters: &'a [&'a str],
    make: impl Fn(&str) -> T + Sync + 'a,
) -> impl Iterator<Item = T> + 'a {
    let window = 2 * rayon::current_num_threads();
    clusters
        .chunks(window)
        .flat_map(move |chunk| chunk.par_iter().map(|name| make(name)).collect::<Vec<_>>())
}

/// A render refused because files of DIR were edited by hand says how to discard the edits and
/// render, as one command.
fn with_edit_hint(err: anyhow::Error, input: &Path, dir: &Path) -> anyhow::Error {
    if super::hints::edited_files(dir).is_empty() {
        return err;
    }
    anyhow::anyhow!(
        "{err:#}\nvdc: to discard the edits and render, run: {}",
        super::hints::update_command(input, dir)
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

/// The `--out` tree being written: where, in what format, and for how many clusters.
struct Tree<'a> {
    dir: &'a Path,
    format: Format,
    clusters: usize,
}

/// Writes the selected clusters' objects under `tree.dir`, leaving the other clusters' folders
/// alone, and reports on stderr what changed; returns whether a file was written or removed.
fn write_out_tree(
    tree: &Tree,
    c: &Streamed,
    clusters: &[&str],
    selected: &dyn Fn(&str) -> bool,
    quiet: bool,
) -> Result<bool> {
    let progress = ProgressLine::start(quiet);
    // One batch per cluster: its objects are generated, rendered and written, then dropped.
    let objects = AtomicUsize::new(0);
    let batches = per_cluster_in_parallel(clusters, |name| {
        let outputs = c.objects(name);
        objects.fetch_add(outputs.len(), Ordering::Relaxed);
        emit::cluster_files(&outputs.iter().collect::<Vec<_>>(), tree.format)
    });
    let summary = emit::write_tree(tree.dir, batches, |path| {
        !selected(path.split('/').next().unwrap_or_default())
    })?;
    drop(progress);
    for note in &summary.notes {
        eprintln!("vdc: warning: {}", report::escape_controls(note));
    }
    if !quiet {
        eprintln!(
            "vdc: {} objects in {} clusters → {} ({} written, {} unchanged, {} removed)",
            objects.load(Ordering::Relaxed),
            tree.clusters,
            tree.dir.display(),
            summary.written,
            summary.unchanged,
            summary.removed
        );
    }
    Ok(summary.written + summary.removed > 0)
}
