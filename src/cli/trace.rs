//! `vdc trace`: one question about where traffic goes, answered in words or JSON.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{GlobalArgs, ReportFormat, RequestArgs, TraceArgs};
use super::progress_line::ProgressLine;
use super::terminal::print_diagnostics;
use super::{STDOUT, Status};
use crate::trace::{self, Outcome, Question};
use anyhow::{Context, Result, bail};
use std::io::Write;

/// Exit 0 when the outcome is `ok`, 1 otherwise, 2 when the question cannot be answered (bad
/// arguments, unreadable input, or input with errors, from which nothing is rendered).
pub(super) fn trace(args: TraceArgs, global: &GlobalArgs) -> Result<Status> {
    let question = question(&args)?;
    let loaded = {
        let _progress = ProgressLine::start(global.quiet);
        trace::load(&args.input, super::open_cache(&args.cache).as_ref())?
    };
    let loaded = match loaded {
        Ok(loaded) => loaded,
        Err(d) => {
            print_diagnostics(&[d], &args.input, &[], global);
            return Ok(Status::Failure);
        }
    };
    if loaded.has_errors() {
        print_diagnostics(&loaded.diagnostics, &args.input, &loaded.sources, global);
        eprintln!(
            "vdc: error: {} has errors, so nothing is rendered to trace",
            args.input.display()
        );
        return Ok(Status::Failure);
    }
    trace::check_fail_targets(&[&loaded], &question.fail)?;
    let answer = trace::trace(&loaded, &question)?;
    let mut stdout = std::io::stdout().lock();
    match args.format {
        ReportFormat::Human => stdout
            .write_all(trace::human(&answer).as_bytes())
            .context(STDOUT)?,
        ReportFormat::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(&answer)?).context(STDOUT)?
        }
    }
    // The answer is written before the input is freed; exiting frees it faster.
    std::mem::forget(loaded);
    Ok(match answer.outcome {
        Outcome::Ok => Status::Clean,
        _ => Status::Problems,
    })
}

/// The question the arguments ask.
fn question(args: &TraceArgs) -> Result<Question> {
    request_question(&args.from, &args.to, &args.request)
}

/// The question from FROM to TO with `request`'s details. `Err` on a malformed one.
pub(super) fn request_question(from: &str, to: &str, request: &RequestArgs) -> Result<Question> {
    let mut q = Question::new(from.parse()?, to)?;
    if let Some(path) = &request.path {
        if !path.starts_with('/') {
            bail!("--path {path}: a path starts with /");
        }
        q.path = path.clone();
    }
    for header in &request.headers {
        let (name, value) = trace::parse_header(header)?;
        q.headers.insert(name, value);
    }
    q.labels = request
        .labels
        .as_deref()
        .map(trace::parse_labels)
        .transpose()?;
    q.locality = request
        .locality
        .as_deref()
        .map(trace::parse_locality)
        .transpose()?;
    q.fail = request
        .fail
        .iter()
        .map(|f| f.parse())
        .collect::<Result<_>>()?;
    Ok(q)
}
