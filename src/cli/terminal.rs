//! What the subcommands share to write to the terminal: whether to colour, and the human
//! report of diagnostics.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{ColorChoice, GlobalArgs};
use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::report::{self, Sources};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

/// Whether to colour a stream: as `--color` says, and on `auto` only a terminal that neither
/// `NO_COLOR` nor `TERM=dumb` turns off.
pub(super) fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Diagnostics on stderr, their paths shown from where vdc ran (`input` joined with the file).
pub(super) fn print_diagnostics(
    diagnostics: &[Diagnostic],
    input: &Path,
    sources: &[Arc<SourceFile>],
    global: &GlobalArgs,
) {
    let stderr = std::io::stderr();
    let color = use_color(global.color, stderr.is_terminal());
    // Nothing is left to tell the user when stderr itself fails.
    let _ = write_diagnostics(
        &mut stderr.lock(),
        color,
        diagnostics,
        input,
        sources,
        global,
    );
}

/// The human report: each diagnostic, then (unless quiet) the summary line.
pub(super) fn write_diagnostics(
    out: &mut impl Write,
    color: bool,
    diagnostics: &[Diagnostic],
    input: &Path,
    sources: &[Arc<SourceFile>],
    global: &GlobalArgs,
) -> std::io::Result<()> {
    let sources = Sources::new(sources);
    let input = input.to_string_lossy();
    for d in crate::diagnostic::limit_run(diagnostics).iter() {
        writeln!(out, "{}", report::human(d, &input, &sources, color))?;
    }
    if !global.quiet && !diagnostics.is_empty() {
        writeln!(out, "vdc: {}", report::summary(diagnostics))?;
    }
    Ok(())
}
