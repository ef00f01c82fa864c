//! `vdc explain`: what vdc resolved and generated for each VirtualDestination, and why.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{ExplainArgs, GlobalArgs, ReportFormat};
use super::progress_line::ProgressLine;
use super::terminal::{print_diagnostics, use_color};
use super::{STDOUT, Status};
use crate::explain;
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};

/// Exit 1 when INPUT has errors (nothing to explain), 2 when a named VD or object does not
/// exist.
pub(super) fn explain(args: ExplainArgs, global: &GlobalArgs) -> Result<Status> {
    let mut explained = {
        let _progress = ProgressLine::start(global.quiet);
        let asked = if args.objects.is_empty() {
            explain::Asked::Vds(&args.vds)
        } else {
            explain::Asked::Objects(&args.objects)
        };
        explain::explain_asked(&args.input, asked)?
    };
    print_diagnostics(
        &explained.diagnostics,
        &args.input,
        &explained.sources,
        global,
    );
    // After the diagnostics, which may say why a cluster is missing, and before deciding
    // whether there is anything to explain, so that a typo is named either way.
    explained.keep_clusters(&args.clusters)?;
    if explained.has_errors() {
        return Ok(Status::Problems);
    }
    let mut stdout = std::io::stdout().lock();
    if !args.objects.is_empty() {
        let text = match args.format {
            ReportFormat::Human => explain::objects_human(&explained.objects),
            ReportFormat::Json => serde_json::to_string_pretty(&explained.objects)? + "\n",
        };
        stdout.write_all(text.as_bytes()).context(STDOUT)?;
        return Ok(Status::Clean);
    }
    match args.format {
        ReportFormat::Human => {
            let color = use_color(global.color, std::io::stdout().is_terminal());
            let text = explain::human(&explained.explanations, color);
            stdout.write_all(text.as_bytes()).context(STDOUT)?;
        }
        ReportFormat::Json => writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&explained.explanations)?
        )
        .context(STDOUT)?,
    }
    Ok(Status::Clean)
}
