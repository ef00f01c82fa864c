//! The command line: the only place that writes to the terminal. [`args`] holds what clap
//! reads; each subcommand's terminal code has a file of its own.

/// Messages on stderr never panic, even when stderr is closed or full: `std`'s `eprintln!`
/// would, so this one, which drops what cannot be written, takes its place in this module.
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod check;
mod diff;
mod diff_trace;
mod explain;
mod generated;
mod hints;
mod progress_line;
mod render;
mod rule;
mod snapshot;
mod terminal;
mod trace;

pub use args::{
    CheckArgs, Cli, ColorChoice, Command, CompletionsArgs, DiagnosticFormat, DiffArgs, DiffFormat,
    ExplainArgs, FailOn, GlobalArgs, ObjectFormat, RenderArgs, ReportFormat, RequestArgs, RuleArgs,
    SnapshotArgs, TraceArgs,
};
pub use generated::{completion_script, man_pages};

use crate::model::cache::DecodeCache;
use crate::pipeline;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// The context of every failed write to stdout.
pub(crate) const STDOUT: &str = "writing to stdout";

/// The exit status of §1: 0 clean, 1 problems or differences found, 2 the tool could not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean,
    Problems,
    Failure,
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(match s {
            Status::Clean => 0,
            Status::Problems => 1,
            Status::Failure => 2,
        })
    }
}

/// Runs one subcommand; its diagnostics and results are written by then.
pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Render(args) => render::render(args, &cli.global),
        Command::Check(args) => check::check(args, &cli.global),
        Command::Diff(args) => diff::diff(args, &cli.global),
        Command::Explain(args) => explain::explain(args, &cli.global),
        Command::Trace(args) => trace::trace(args, &cli.global),
        Command::Snapshot(args) => snapshot::snapshot(args, &cli.global),
        Command::Rule(args) => rule::rule(args),
        Command::Completions(args) => generated::completions(args),
    }
}

/// The decode cache `args` ask for; a `--cache` that cannot be used is said so, once: the run
/// goes on without one, which changes no answer, but the user asked for it.
#[allow(clippy::disallowed_methods)] // terminal code: it writes the warning
fn open_cache(args: &args::CacheArgs) -> Option<DecodeCache> {
    use std::io::Write;
    if let Some(why) = args.unusable() {
        eprintln!("vdc: warning: {why}");
    }
    args.open()
}

/// Reads INPUT and hands `usage` its clusters, so that arguments naming or counting them are
/// checked before any work is done for them: on a fleet, a `--cluster` typo would otherwise
/// cost a whole render. When reading found an error, `usage` is not asked: the diagnostics,
/// which may say why a cluster is missing, come first.
fn read_checking_usage(
    input: &Path,
    cache: Option<&DecodeCache>,
    usage: impl FnOnce(&[String]) -> Result<()>,
) -> Result<pipeline::Input> {
    let read = pipeline::read(input, cache)?;
    if let pipeline::Input::Read(r) = &read
        && !r.loaded.diagnostics.has_errors()
    {
        let clusters: Vec<String> = r.world.clusters.keys().cloned().collect();
        usage(&clusters)?;
    }
    Ok(read)
}

/// Every `--cluster NAME` must name a cluster of the input: a typo would otherwise select nothing
/// and look like a clean run.
fn ensure_known_clusters(wanted: &[String], clusters: &[String]) -> Result<()> {
    for wanted in wanted {
        anyhow::ensure!(
            clusters.contains(wanted),
            "--cluster {wanted}: the input has no cluster of that name {}",
            crate::text::unknown_name_hint(wanted, clusters)
        );
    }
    Ok(())
}
