//! `vdc diff OLD NEW --trace FROM TO`: the same trace questions asked of both sides, and how
//! the change moves the traffic, for a person, a program or a pull request.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{DiffArgs, DiffFormat, GlobalArgs};
use super::progress_line::ProgressLine;
use super::terminal::print_diagnostics;
use super::trace::request_question;
use super::{STDOUT, Status};
use crate::diff::traffic::{self, TraceDiff};
use crate::trace::{self, Loaded, Question};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;

/// Exit 0 when every answer is the same on both sides, 1 when traffic moves, 2 when a side
/// cannot be traced (not an INPUT folder, or one with errors) or a question cannot be answered
/// on a side.
pub(super) fn diff_trace(args: &DiffArgs, global: &GlobalArgs) -> Result<Status> {
    let questions = args
        .trace
        .chunks(2)
        .map(|pair| match pair {
            [from, to] => Ok((from, to, request_question(from, to, &args.request)?)),
            _ => bail!("--trace takes two values: FROM and TO"),
        })
        .collect::<Result<Vec<_>>>()?;
    traceable("OLD", &args.old)?;
    traceable("NEW", &args.new)?;
    let (old, new) = {
        let _progress = ProgressLine::start(global.quiet);
        trace::load_pair(&args.old, &args.new)?
    };
    let mut invalid = false;
    for (side, path) in [(&old, &args.old), (&new, &args.new)] {
        if side.has_errors() {
            print_diagnostics(&side.diagnostics, path, &side.sources, global);
            eprintln!(
                "vdc: {} is not valid input, so nothing was traced",
                path.display()
            );
            invalid = true;
        }
    }
    if invalid {
        return Ok(Status::Failure);
    }
    for (_, _, q) in &questions {
        // A cluster or address one side adds or removes is a fair target: either side will do.
        trace::check_fail_targets(&[&old, &new], &q.fail)?;
    }
    let diffs = questions
        .iter()
        .map(|(from, to, q)| compare(&old, &new, args, (from, to), q))
        .collect::<Result<Vec<_>>>()?;
    // Both inputs are freed by the operating system as the process ends, faster than one by one.
    std::mem::forget((old, new));
    write(&diffs, args, global)?;
    Ok(match diffs.iter().all(|d| d.moves.is_empty()) {
        true => Status::Clean,
        false => Status::Problems,
    })
}

/// `Err` unless `path` is an INPUT folder: a rendered folder holds the Istio objects but not the
/// cluster state (Services, pods, nodes, gateways) a trace reads.
fn traceable(side: &str, path: &Path) -> Result<()> {
    if crate::diff::is_input(path) {
        return Ok(());
    }
    let what = if path.join(".vdc-manifest").is_file() {
        "is rendered output"
    } else if path.is_dir() {
        "has no clusters/ folder"
    } else {
        "is not a folder"
    };
    bail!(
        "--trace needs an INPUT folder on both sides, and {side} {} {what}: a rendered folder \
         holds the Istio objects but not the cluster state (Services, pods, nodes) a trace \
         reads; give the INPUT folder it was rendered from",
        path.display()
    )
}

fn compare(
    old: &Loaded,
    new: &Loaded,
    args: &DiffArgs,
    (from, to): (&str, &str),
    question: &Question,
) -> Result<TraceDiff> {
    let ask = |loaded: &Loaded, side: &str, path: &Path| {
        trace::trace(loaded, question)
            .with_context(|| format!("--trace {from} {to} on {side} {}", path.display()))
    };
    let before = ask(old, "OLD", &args.old)?;
    let after = ask(new, "NEW", &args.new)?;
    Ok(traffic::compare(from, to, before, after))
}

fn write(diffs: &[TraceDiff], args: &DiffArgs, global: &GlobalArgs) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let text = match args.format {
        DiffFormat::Human if global.quiet && diffs.iter().all(|d| d.moves.is_empty()) => {
            String::new()
        }
        DiffFormat::Human => traffic::human(diffs),
        DiffFormat::Json => serde_json::to_string_pretty(diffs)? + "\n",
        DiffFormat::Markdown => traffic::markdown(diffs, args.max_chars()),
    };
    stdout.write_all(text.as_bytes()).context(STDOUT)
}
