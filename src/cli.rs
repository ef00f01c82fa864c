//! The command line: the only place that writes to the terminal.

use crate::emit::{self, Format};
use crate::report::{self, Sources};
use crate::{Compilation, compile};
use anyhow::Result;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// vdc compiles Gloo Mesh v2 VirtualDestinations and the cluster state around them into the
/// Istio objects each cluster needs.
#[derive(Debug, Parser)]
#[command(name = "vdc", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output: auto (only on a terminal; NO_COLOR is honoured), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only problems: no summary line.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate INPUT and write the Istio objects of every cluster (stdout, or a tree with --out).
    Render(RenderArgs),
    /// Validate INPUT and report every problem; writes nothing.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The input folder: clusters/<cluster>/… plus Gloo config.
    pub input: PathBuf,
    /// Write one file per object under DIR/<cluster>/<namespace>/ instead of to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only these clusters (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The input folder.
    pub input: PathBuf,
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,
    /// Treat warnings as errors for the exit status.
    #[arg(long)]
    pub deny_warnings: bool,
}

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

fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Render(args) => render(args, &cli.global),
        Command::Check(args) => check(args, &cli.global),
    }
}

fn print_diagnostics(c: &Compilation, global: &GlobalArgs) {
    let stderr = std::io::stderr();
    let color = use_color(global.color, stderr.is_terminal());
    let mut err = stderr.lock();
    let sources = Sources(&c.sources);
    for d in &c.diagnostics {
        let _ = writeln!(err, "{}", report::human(d, &sources, color));
    }
    if !global.quiet && !c.diagnostics.is_empty() {
        let _ = writeln!(err, "vdc: {}", report::summary(&c.diagnostics));
    }
}

fn render(args: RenderArgs, global: &GlobalArgs) -> Result<Status> {
    let c = compile(&args.input)?;
    print_diagnostics(&c, global);
    if c.has_errors() {
        return Ok(Status::Problems);
    }
    for wanted in &args.clusters {
        anyhow::ensure!(
            c.clusters.contains(wanted),
            "--cluster {wanted}: the input has no cluster of that name (it has {})",
            c.clusters.join(", ")
        );
    }
    let selected =
        |cluster: &str| args.clusters.is_empty() || args.clusters.iter().any(|c| c == cluster);
    let outputs: Vec<_> = c
        .outputs
        .iter()
        .filter(|o| selected(&o.cluster))
        .cloned()
        .collect();
    match &args.out {
        None => {
            let text = emit::stream(&outputs, args.format)?;
            std::io::stdout().lock().write_all(text.as_bytes())?;
        }
        Some(dir) => {
            let files = emit::files(&outputs, args.format)?;
            let summary = emit::write_tree(dir, &files, |path| {
                !selected(path.split('/').next().unwrap_or_default())
            })?;
            if !global.quiet {
                eprintln!(
                    "vdc: {} objects in {} clusters → {} ({} written, {} unchanged, {} removed)",
                    outputs.len(),
                    c.clusters.iter().filter(|c| selected(c)).count(),
                    dir.display(),
                    summary.written,
                    summary.unchanged,
                    summary.removed
                );
            }
        }
    }
    Ok(Status::Clean)
}

fn check(args: CheckArgs, global: &GlobalArgs) -> Result<Status> {
    let c = compile(&args.input)?;
    match args.format {
        DiagnosticFormat::Human => {
            print_diagnostics(&c, global);
            if c.diagnostics.is_empty() && !global.quiet {
                eprintln!("vdc: no problems found");
            }
        }
        DiagnosticFormat::Json => {
            let records: Vec<_> = c.diagnostics.iter().map(report::json_value).collect();
            println!("{}", serde_json::to_string_pretty(&records)?);
        }
        DiagnosticFormat::Sarif => {
            let prefix = args.input.to_string_lossy();
            let log = report::sarif(&c.diagnostics, &prefix);
            println!("{}", serde_json::to_string_pretty(&log)?);
        }
    }
    let warnings_fail = args.deny_warnings
        && c.diagnostics
            .iter()
            .any(|d| d.severity() == crate::diagnostic::Severity::Warning);
    Ok(if c.has_errors() || warnings_fail {
        Status::Problems
    } else {
        Status::Clean
    })
}
