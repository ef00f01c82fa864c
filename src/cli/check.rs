//! `vdc check`: the report goes to stdout, as ruff, istioctl analyze and kubeconform write theirs.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use super::args::{CheckArgs, DiagnosticFormat, FailOn, GlobalArgs};
use super::progress_line::ProgressLine;
use super::terminal::{print_diagnostics, use_color, write_diagnostics};
use super::{STDOUT, Status, ensure_known_clusters, read_checking_usage};
use crate::diagnostic::Severity;
use crate::{Streamed, report};
use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};

pub(super) fn check(args: CheckArgs, global: &GlobalArgs) -> Result<Status> {
    let progress = ProgressLine::start(global.quiet);
    let cache = super::open_cache(&args.cache);
    let input = read_checking_usage(&args.input, cache.as_ref(), |clusters| {
        ensure_known_clusters(&args.clusters, clusters)
    })?;
    crate::stream_input(input, |c| {
        drop(progress);
        report_compiled(&args, global, c)
    })
}

/// Reports what `check` found in `c`, the objects of which it never holds: the rules on the
/// output ran cluster by cluster while it was compiled.
fn report_compiled(args: &CheckArgs, global: &GlobalArgs, mut c: Streamed) -> Result<Status> {
    // Reached with an unknown name only when reading found an error: its diagnostics, which
    // may say why the cluster is missing, come first, as render shows them.
    if !c.clusters.is_empty()
        && let Err(err) = ensure_known_clusters(&args.clusters, &c.clusters)
    {
        print_diagnostics(&c.diagnostics, &args.input, &c.sources, global);
        return Err(err);
    }
    let about_selected = |d: &crate::diagnostic::Diagnostic| {
        args.clusters.is_empty()
            || d.cluster_name()
                .is_none_or(|n| args.clusters.iter().any(|c| c == n))
    };
    // Errors about other clusters still stop `render --cluster` (INPUT renders all or nothing),
    // so a check of some clusters that hides them must not pass.
    let errors_elsewhere = c
        .diagnostics
        .iter()
        .filter(|d| !args.ignore.contains(&d.code) && d.severity() == Severity::Error)
        .filter(|d| !about_selected(d))
        .count();
    c.diagnostics
        .retain(|d| !args.ignore.contains(&d.code) && about_selected(d));
    write_report(args, global, &c, errors_elsewhere)?;
    let threshold = if args.deny_warnings {
        FailOn::Warning
    } else {
        args.fail_on
    };
    let fails = |s: Severity| match threshold {
        FailOn::Error => s == Severity::Error,
        FailOn::Warning => s != Severity::Info,
    };
    if errors_elsewhere > 0 {
        eprintln!(
            "vdc: {} about other clusters not shown (--cluster); render refuses all of INPUT while they stand",
            crate::text::counted(errors_elsewhere, "error")
        );
    }
    let status = if errors_elsewhere > 0 || c.diagnostics.iter().any(|d| fails(d.severity())) {
        Status::Problems
    } else {
        Status::Clean
    };
    Ok(status)
}

/// The report of `c`'s diagnostics on stdout, in `--format`.
fn write_report(
    args: &CheckArgs,
    global: &GlobalArgs,
    c: &Streamed,
    errors_elsewhere: usize,
) -> Result<()> {
    let input = args.input.to_string_lossy();
    let stdout = std::io::stdout();
    let color = use_color(global.color, stdout.is_terminal());
    let mut out = stdout.lock();
    // What the machine-readable formats show; the human report limits its own.
    let shown = crate::diagnostic::limit_run(&c.diagnostics);
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
            if c.diagnostics.is_empty() && errors_elsewhere == 0 && !global.quiet {
                writeln!(out, "vdc: no problems found").context(STDOUT)?;
            }
        }
        DiagnosticFormat::Json => {
            let records: Vec<_> = shown
                .iter()
                .map(|d| report::json_value(d, &input))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&records)?).context(STDOUT)?;
        }
        DiagnosticFormat::Sarif => {
            let log = report::sarif(&shown, &from_repository_root(&args.input));
            writeln!(out, "{}", serde_json::to_string_pretty(&log)?).context(STDOUT)?;
        }
        DiagnosticFormat::Github => {
            let input = from_repository_root(&args.input);
            for d in shown.iter() {
                writeln!(out, "{}", report::github(d, &input)).context(STDOUT)?;
            }
        }
    }
    out.flush().context(STDOUT)?;
    Ok(())
}

/// INPUT as SARIF and GitHub annotations name it. GitHub resolves a relative path (a SARIF
/// `uri`, a workflow command's `file`) against the root of the repository, not the folder vdc
/// ran in: inside a git work tree, INPUT is named from its root (`infra/mesh` for `mesh` run in
/// `infra/`), or absolute (a `file://` URI in SARIF) when it lies outside that tree
/// (`../mesh`); outside any work tree, as given.
fn from_repository_root(input: &Path) -> String {
    let as_given = || input.to_string_lossy().into_owned();
    let Ok(cwd) = std::env::current_dir() else {
        return as_given();
    };
    let Some(root) = cwd.ancestors().find(|d| d.join(".git").exists()) else {
        return as_given();
    };
    let absolute = lexically_normal(&cwd.join(input));
    match absolute.strip_prefix(root) {
        Ok(inside) if inside.as_os_str().is_empty() => ".".to_owned(),
        Ok(inside) => inside.to_string_lossy().into_owned(),
        Err(_) => absolute.to_string_lossy().into_owned(),
    }
}

/// `path` without `.` and with each `..` taking off the folder before it.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
