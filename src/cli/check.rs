//! `vdc check`: the report goes to stdout, as ruff, istioctl analyze and kubeconform write theirs.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::{GlobalArgs, STDOUT, Status, use_color, write_diagnostics};
use crate::diagnostic::{Code, Severity};
use crate::{compile, report};
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…,line=…::`): annotations without code
    /// scanning.
    Github,
}

/// The least severe diagnostic that makes `check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The input folder.
    pub input: PathBuf,
    /// human: rustc-style with the source line; json: one record per diagnostic; sarif: for code
    /// scanning; github: workflow commands that annotate the files of a pull request.
    #[arg(short = 'o', long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Treat warnings as errors for the exit status (the same as --fail-on warning).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 1 on diagnostics of this severity or worse: error (the default) or warning.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Do not report this warning or note: a code such as VDC413, or its name (repeatable).
    #[arg(long = "ignore", value_name = "CODE", value_parser = ignorable)]
    pub ignore: Vec<Code>,
    /// Only diagnostics about these clusters, and those about no cluster (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
}

fn ignorable(name: &str) -> Result<Code, String> {
    match Code::parse(name) {
        Some(code) if code.severity() == Severity::Error => Err(format!(
            "{} is an error, and errors cannot be ignored",
            code.as_str()
        )),
        Some(code) => Ok(code),
        None => Err("not a diagnostic code of vdc (see docs/diagnostics.md)".into()),
    }
}

pub(super) fn check(args: CheckArgs, global: &GlobalArgs) -> Result<Status> {
    let mut c = {
        let _progress = super::ProgressLine::start(global.quiet);
        compile(&args.input)?
    };
    for wanted in &args.clusters {
        anyhow::ensure!(
            c.clusters.contains(wanted),
            "--cluster {wanted}: the input has no cluster of that name (it has {})",
            c.clusters.join(", ")
        );
    }
    c.diagnostics.retain(|d| {
        !args.ignore.contains(&d.code)
            && (args.clusters.is_empty()
                || d.cluster_name()
                    .is_none_or(|n| args.clusters.iter().any(|c| c == n)))
    });
    let input = args.input.to_string_lossy();
    let stdout = std::io::stdout();
    let color = use_color(global.color, stdout.is_terminal());
    let mut out = stdout.lock();
    match args.format {
        DiagnosticFormat::Human => {
            write_diagnostics(
                &mut out,
                color,
                &c.diagnostics,
                &args.input,
                &c.sources,
                global,
            )
            .context(STDOUT)?;
            if c.diagnostics.is_empty() && !global.quiet {
                writeln!(out, "vdc: no problems found").context(STDOUT)?;
            }
        }
        DiagnosticFormat::Json => {
            let records: Vec<_> = c
                .diagnostics
                .iter()
                .map(|d| report::json_value(d, &input))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&records)?).context(STDOUT)?;
        }
        DiagnosticFormat::Sarif => {
            let log = report::sarif(&c.diagnostics, &input);
            writeln!(out, "{}", serde_json::to_string_pretty(&log)?).context(STDOUT)?;
        }
        DiagnosticFormat::Github => {
            for d in &c.diagnostics {
                writeln!(out, "{}", report::github(d, &input)).context(STDOUT)?;
            }
        }
    }
    out.flush().context(STDOUT)?;
    let threshold = if args.deny_warnings {
        FailOn::Warning
    } else {
        args.fail_on
    };
    let fails = |s: Severity| match threshold {
        FailOn::Error => s == Severity::Error,
        FailOn::Warning => s != Severity::Info,
    };
    let status = if c.diagnostics.iter().any(|d| fails(d.severity())) {
        Status::Problems
    } else {
        Status::Clean
    };
    std::mem::forget(c);
    Ok(status)
}
