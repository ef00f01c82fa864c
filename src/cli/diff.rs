//! `vdc diff`: which objects change from OLD to NEW, for a person, a program or a pull request.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{DiffArgs, DiffFormat, GlobalArgs};
use super::progress_line::ProgressLine;
use super::terminal::{print_diagnostics, use_color};
use super::{STDOUT, Status};
use crate::diff::{self, Change};
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Exit 0 without differences, 1 with, 2 when a side cannot be read or is invalid INPUT — the
/// same in every format, so a pre-commit hook or CI job can rely on the status alone.
pub(super) fn diff(args: DiffArgs, global: &GlobalArgs) -> Result<Status> {
    anyhow::ensure!(
        args.max_chars.is_none() || args.format == DiffFormat::Markdown,
        "--max-chars cuts the markdown comment, so it goes with -o markdown; the {} output is never cut",
        args.format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_owned())
    );
    if !args.trace.is_empty() {
        return super::diff_trace::diff_trace(&args, global);
    }
    if let Some(flag) = args.request.first_given() {
        anyhow::bail!("{flag} describes the request of a trace: give --trace FROM TO with it");
    }
    refuse_before_reading(&args)?;
    let progress = ProgressLine::start(global.quiet);
    let compared = diff::with_sides(&args.old, &args.new, |old, new| {
        if old.invalid().is_none() && new.invalid().is_none() {
            // `--stat` needs no text diffs, unless `--full-diff` keeps them in a file.
            let with_diff = !args.stat || args.full_diff.is_some();
            let compared = diff::compare_sides(&old, &new, context_lines(&args), with_diff)?;
            print_warnings(progress, [(&new, &args.new), (&old, &args.old)], global);
            return Ok(Some(compared));
        }
        // A side that cannot be read is an error before an invalid one, whichever side it is.
        old.readable("OLD")?;
        new.readable("NEW")?;
        drop(progress);
        for (side, path) in [(&old, &args.old), (&new, &args.new)] {
            if let Some(c) = side.invalid() {
                print_diagnostics(&c.diagnostics, path, &c.sources, global);
                eprintln!(
                    "vdc: {} is not valid input, so nothing was compared",
                    path.display()
                );
            }
        }
        Ok(None)
    })?;
    let Some(diff::Compared {
        mut changes,
        clusters,
        mut hand_edits,
    }) = compared
    else {
        return Ok(Status::Failure);
    };
    if args.context.is_some() {
        eprintln!(
            "vdc: warning: `vdc diff --context N` is now `--unified N` (`-U N`, as in git \
             diff); --context names a kubeconfig context in `vdc snapshot`"
        );
    }
    if !args.clusters.is_empty() {
        let known: Vec<&String> = clusters.iter().collect();
        for wanted in &args.clusters {
            anyhow::ensure!(
                clusters.contains(wanted),
                "--cluster {wanted}: neither side has objects in a cluster of that name {}",
                crate::text::unknown_name_hint(wanted, &known)
            );
        }
        changes.retain(|c| args.clusters.contains(&c.cluster));
        hand_edits.retain(|(_, e)| args.clusters.iter().any(|c| e.file.starts_with(c)));
    }
    write_changes(&mut changes, &args, global, !hand_edits.is_empty())?;
    report_hand_edits(&hand_edits);
    if changes.is_empty() && hand_edits.is_empty() {
        return Ok(Status::Clean);
    }
    let edited: Vec<String> = (hand_edits.iter())
        .filter(|(root, e)| *root == args.old && !e.missing)
        .map(|(_, e)| e.file.to_string_lossy().into_owned())
        .collect();
    direction_hint(&args, &edited);
    Ok(Status::Problems)
}

/// On stderr, once `progress` is erased: the diagnostics of the first side of `sides` that is an
/// INPUT (NEW, then OLD), as `render` prints them. Warnings say what the output leaves out (an
/// untranslated field, a Service passed over): a diff that hid them could show "No changes." for
/// a change vdc dropped. OLD's are not printed beside NEW's: those the change keeps would be
/// shown twice, and those it removes no longer apply.
fn print_warnings(
    progress: ProgressLine,
    sides: [(&diff::Side, &std::path::PathBuf); 2],
    global: &GlobalArgs,
) {
    drop(progress);
    let input = sides
        .into_iter()
        .find_map(|(side, path)| Some((side.compiled()?, path)));
    if let Some((c, path)) = input.filter(|(c, _)| !c.diagnostics.is_empty()) {
        print_diagnostics(&c.diagnostics, path, &c.sources, global);
    }
}

/// On stderr: each file vdc wrote that is missing or was changed since, and what render does
/// about it.
fn report_hand_edits(hand_edits: &[(std::path::PathBuf, diff::HandEdit)]) {
    for (root, edit) in hand_edits {
        let file = root.join(&edit.file);
        let file = crate::report::escape_controls(&file.to_string_lossy()).into_owned();
        if edit.missing {
            eprintln!("vdc: {file} is missing: vdc wrote it there, and render writes it again");
        } else {
            eprintln!(
                "vdc: {file} was changed after vdc wrote it, so render refuses to overwrite it: restore it, or move it away"
            );
        }
    }
}

/// The lines of context around each change: `--unified`, or the `--context` it replaced.
fn context_lines(args: &DiffArgs) -> usize {
    args.context.unwrap_or(args.unified)
}

/// The changes on stdout in `--format`; a quiet human diff without changes writes nothing, nor
/// one that found only files changed `by_hand`. With
/// `--full-diff FILE`, FILE gets the human form of every change too, with its text diff even
/// when `--stat` leaves those out of stdout.
fn write_changes(
    changes: &mut [Change],
    args: &DiffArgs,
    global: &GlobalArgs,
    by_hand: bool,
) -> Result<()> {
    if let Some(file) = &args.full_diff {
        std::fs::write(file, diff::human(changes, false))
            .with_context(|| format!("writing the full diff to {}", file.display()))?;
    }
    if args.stat {
        for change in changes.iter_mut() {
            change.diff = None;
        }
    }
    let changes = &*changes;
    let full_diff = args.full_diff.as_ref().map(|f| f.to_string_lossy());
    let mut stdout = std::io::stdout().lock();
    match args.format {
        // "No changes." would belie the files changed by hand reported after it.
        DiffFormat::Human if changes.is_empty() && (global.quiet || by_hand) => {}
        DiffFormat::Human => {
            let color = use_color(global.color, std::io::stdout().is_terminal());
            stdout
                .write_all(diff::human(changes, color).as_bytes())
                .context(STDOUT)?;
        }
        DiffFormat::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(changes)?).context(STDOUT)?
        }
        DiffFormat::Markdown => stdout
            .write_all(diff::markdown(changes, args.max_chars(), full_diff.as_deref()).as_bytes())
            .context(STDOUT)?,
    }
    Ok(())
}

/// On stderr, after a diff that found changes: the command that brings a stale rendered OLD up to
/// date with INPUT NEW, or a note that INPUT OLD against rendered NEW reads backwards.
fn direction_hint(args: &DiffArgs, edited: &[String]) {
    let (old, new) = (&args.old, &args.new);
    match (diff::is_input(old), diff::is_input(new)) {
        (false, true) => update_hint(args, edited),
        (true, false) => eprintln!(
            "vdc: note: this reads from INPUT {} to the rendered {}; what `vdc render {} --out {}` would change is `vdc diff {} {}`",
            old.display(),
            new.display(),
            old.display(),
            new.display(),
            new.display(),
            old.display()
        ),
        _ => {}
    }
}

/// The command that brings rendered OLD up to date with INPUT NEW, as far as this diff compared
/// them: every cluster, or those of the diff's `--cluster` (a render with `--cluster` keeps the
/// other clusters' files). An empty OLD gets it too: it is what a first commit's output check
/// needs. A folder `render --out` would refuse gets a note instead.
fn update_hint(args: &DiffArgs, edited: &[String]) {
    let (old, new) = (&args.old, &args.new);
    if !render_would_write(new, old) {
        eprintln!(
            "vdc: {} is not what {} renders to, and not a folder `vdc render --out` may write to",
            old.display(),
            new.display(),
        );
        return;
    }
    eprintln!(
        "vdc: {} is not what {} renders to; to update it, run: {}",
        old.display(),
        new.display(),
        render_command(args, edited)
    );
}

/// The command that renders INPUT NEW into OLD for the diff's clusters, after removing the
/// files `edited` by hand.
fn render_command(args: &DiffArgs, edited: &[String]) -> String {
    let selection = super::hints::selection(&args.clusters, None);
    super::hints::update_command(&args.new, &args.old, &selection, edited)
}

/// What is refused before either side is read: `--full-diff -`, and a missing OLD beside an
/// INPUT NEW. That is the output check of a repository that has not rendered yet (git keeps no
/// empty folder, so a fresh clone has none): still an error, since OLD may be a typo, but one
/// that gives the render that creates it.
fn refuse_before_reading(args: &DiffArgs) -> Result<()> {
    anyhow::ensure!(
        args.full_diff.as_ref().is_none_or(|f| f.as_os_str() != "-"),
        "--full-diff -: the diff goes to stdout already; --full-diff takes a file to keep it in"
    );
    let (old, new) = (&args.old, &args.new);
    let missing = matches!(std::fs::symlink_metadata(old), Err(e) if e.kind() == std::io::ErrorKind::NotFound);
    if missing && diff::is_input(new) && crate::emit::refuse_out_dir(new, old).is_ok() {
        anyhow::bail!(
            "OLD side {} does not exist; if it is the output of INPUT {} not rendered yet, create it with: {}",
            old.display(),
            new.display(),
            render_command(args, &[])
        );
    }
    Ok(())
}

/// Whether `render INPUT --out dir` would write to `dir`: a folder vdc wrote, or an empty one,
/// outside INPUT and not holding the working folder. The command a hint prints must be one that
/// works.
fn render_would_write(input: &Path, dir: &Path) -> bool {
    crate::emit::refuse_out_dir(input, dir).is_ok()
        && (dir.join(".vdc-manifest").is_file()
            || std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none()))
}
