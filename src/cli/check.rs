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
use std::path::{Path, PathBuf};

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
/// ran in, so INPUT is named from the root of the work tree that holds it (`infra/mesh` for
/// `mesh` run in `infra/`), its links resolved. An INPUT in no work tree is named by its real,
/// absolute path (a `file://` URI in SARIF) when it is absolute or vdc runs in a work tree
/// (whose root a relative path would be read against), else as given.
fn from_repository_root(input: &Path) -> String {
    let as_given = || input.to_string_lossy().into_owned();
    let Ok(real) = std::fs::canonicalize(input) else {
        return as_given();
    };
    if let Some(root) = repository_root(&real) {
        return match real.strip_prefix(&root) {
            Ok(inside) if inside.as_os_str().is_empty() => ".".to_owned(),
            Ok(inside) => inside.to_string_lossy().into_owned(),
            Err(_) => real.to_string_lossy().into_owned(),
        };
    }
    let runs_in_a_repository = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .is_ok_and(|cwd| repository_root(&cwd).is_some());
    if input.is_absolute() || runs_in_a_repository {
        real.to_string_lossy().into_owned()
    } else {
        as_given()
    }
}

/// The root GitHub reads relative paths against, for `real` (a resolved path): the Actions
/// workspace (`GITHUB_WORKSPACE`) when it holds `real`, else the nearest folder above `real`
/// with a `.git` (a folder, or the file of a linked work tree).
fn repository_root(real: &Path) -> Option<PathBuf> {
    let workspace = std::env::var_os("GITHUB_WORKSPACE")
        .and_then(|w| std::fs::canonicalize(w).ok())
        .filter(|w| real.starts_with(w));
    workspace.or_else(|| {
        real.ancestors()
            .find(|d| d.join(".git").exists())
            .map(Path::to_path_buf)
    })
}
