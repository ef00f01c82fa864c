//! The command line: the only place that writes to the terminal.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

mod check;
mod progress_line;

pub use check::{CheckArgs, DiagnosticFormat, FailOn};

use crate::diagnostic::Diagnostic;
use crate::emit::{self, Format};
use crate::load::SourceFile;
use crate::report::{self, Sources};
use crate::{compile, diff, explain};
use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use progress_line::ProgressLine;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Messages on stderr never panic, even when stderr is closed or full: `std`'s `eprintln!`
/// would, so this one, which drops what cannot be written, takes its place in this module.
/// The context of every failed write to stdout.
pub(crate) const STDOUT: &str = "writing to stdout";

macro_rules! eprintln {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// vdc compiles Gloo Mesh v2 VirtualDestinations and the cluster state around them into the
/// Istio objects each cluster needs.
#[derive(Debug, Parser)]
#[command(name = "vdc", version = env!("VDC_VERSION"), long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output: auto (only on a terminal; NO_COLOR and TERM=dumb are honoured),
    /// always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only problems: no summary line, no progress line.
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
    /// Show which objects in which clusters change from OLD to NEW (INPUT or rendered folders).
    Diff(DiffArgs),
    /// Explain, per VirtualDestination, what vdc resolved and generated, and why.
    Explain(ExplainArgs),
    /// Write INPUT's cluster state from live clusters with kubectl: only the kinds and fields
    /// vdc reads, one kubectl-style JSON List per cluster.
    Snapshot(SnapshotArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
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
    /// The objects' format: yaml (Kubernetes-safe YAML) or json.
    #[arg(short = 'o', long, value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
    /// With --out: exit 1 when OUT changed (a file written or removed), as `git diff --exit-code`
    /// does, so a hook that re-renders refuses the commit until the new files are added.
    #[arg(long, requires = "out")]
    pub exit_code: bool,
}

/// Output of commands whose result is a report rather than objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: an INPUT folder (has clusters/) or a rendered output folder; to check that
    /// OUT is up to date, OUT.
    pub old: PathBuf,
    /// The new side: an INPUT folder (has clusters/) or a rendered output folder; to check that
    /// OUT is up to date, INPUT.
    pub new: PathBuf,
    /// Print only the per-cluster counts, not the diffs (JSON: records without `diff`).
    #[arg(long)]
    pub stat: bool,
    /// human: counts per cluster, then unified diffs; json: one record per changed object;
    /// markdown: a pull-request comment (a table per cluster, a collapsed diff per object).
    #[arg(short = 'o', long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Only these clusters (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// markdown: cut the comment at about this many characters, with a note (GitHub allows
    /// 65,536 in a comment).
    #[arg(long, value_name = "N", default_value_t = 60_000)]
    pub max_chars: usize,
    /// Lines of context around each change in the unified diffs.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub context: usize,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The input folder.
    pub input: PathBuf,
    /// VirtualDestinations to explain, as NAME or NAMESPACE/NAME (default: all).
    #[arg(value_name = "VD")]
    pub vds: Vec<String>,
    /// human: one block per VirtualDestination; json: an array of records.
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Only the VirtualDestinations that take part in these clusters, and of each only what
    /// lands in them (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The input folder: each context's state goes to INPUT/clusters/<name>/state.json.
    pub input: PathBuf,
    /// A kubeconfig context to read (repeatable).
    #[arg(long = "context", value_name = "CTX", required = true)]
    pub contexts: Vec<String>,
    /// The cluster name of each --context, in order (default: the context's name).
    #[arg(long = "as", value_name = "NAME")]
    pub names: Vec<String>,
    /// Also export the Gloo config of the management context to INPUT/gloo/config.json.
    #[arg(long)]
    pub gloo: bool,
    /// The management context for --gloo (default: the first --context).
    #[arg(long, value_name = "CTX", requires = "gloo")]
    pub gloo_context: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
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
            stream_is_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

pub fn run(cli: Cli) -> Result<Status> {
    match cli.command {
        Command::Render(args) => render(args, &cli.global),
        Command::Check(args) => check::check(args, &cli.global),
        Command::Diff(args) => diff(args, &cli.global),
        Command::Explain(args) => explain(args, &cli.global),
        Command::Snapshot(args) => snapshot(args, &cli.global),
        Command::Completions(args) => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(completion_script(args.shell).as_bytes())
                .and_then(|()| stdout.flush())
                .context(STDOUT)?;
            Ok(Status::Clean)
        }
    }
}

/// The completion script for `shell`; `completions/` holds a committed copy of each.
pub fn completion_script(shell: Shell) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "vdc", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The man pages in roff, as (file name, text): `vdc.1` and one `vdc-<command>.1` per command,
/// which `vdc.1` refers to. `docs/` holds committed copies, which a test keeps current.
pub fn man_pages() -> Result<Vec<(String, String)>> {
    // The package version alone: the commit `--version` names would make the committed pages
    // stale on every commit.
    let mut cmd = Cli::command()
        .version(env!("CARGO_PKG_VERSION"))
        .disable_help_subcommand(true);
    cmd.build();
    let mut commands = vec![cmd.clone()];
    commands.extend(cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    commands
        .into_iter()
        .map(|cmd| {
            let name = cmd.get_name().to_owned();
            let man = clap_mangen::Man::new(cmd);
            let mut page = Vec::new();
            man.render(&mut page)?;
            page.extend_from_slice(man_extra(&name).as_bytes());
            Ok((
                man.get_filename(),
                String::from_utf8_lossy(&page).into_owned(),
            ))
        })
        .collect()
}

/// The EXIT STATUS and EXAMPLES sections of a man page, in roff, for `vdc` or one command.
fn man_extra(command: &str) -> String {
    let one = match command {
        "check" => "error\\-level diagnostics (with \\fB\\-\\-fail\\-on warning\\fR, warnings too)",
        "diff" => "differences found",
        "render" => "error\\-level diagnostics; with \\fB\\-\\-exit\\-code\\fR, OUT changed",
        "explain" => "error\\-level diagnostics",
        "completions" | "snapshot" => "not used",
        _ => "error\\-level diagnostics (render, check, explain), or differences found (diff)",
    };
    let examples: &[&str] = match command {
        "render" => &[
            "vdc render mesh \\-\\-out rendered",
            "vdc render mesh \\-\\-cluster cluster1 | kubectl apply \\-f \\-",
        ],
        "check" => &[
            "vdc check mesh",
            "vdc check mesh \\-o github \\-\\-fail\\-on warning",
        ],
        "diff" => &[
            "vdc diff rendered mesh    # is rendered/ what mesh/ renders to?",
            "vdc diff base/mesh mesh \\-o markdown > comment.md",
        ],
        "explain" => &["vdc explain mesh productpage"],
        "snapshot" => &["vdc snapshot mesh \\-\\-context kind\\-c1 \\-\\-as cluster1 \\-\\-gloo"],
        "completions" => {
            &["vdc completions bash > ~/.local/share/bash\\-completion/completions/vdc"]
        }
        _ => &[
            "vdc render mesh \\-\\-out rendered",
            "vdc diff rendered mesh",
        ],
    };
    let mut out = format!(
        ".SH \"EXIT STATUS\"\n.TP\n0\nclean, or no difference\n.TP\n1\n{one}\n.TP\n2\nusage error, unreadable input, I/O failure, or kubectl failure\n.SH EXAMPLES\n"
    );
    for example in examples {
        out.push_str(&format!(".PP\n.nf\n{example}\n.fi\n"));
    }
    out
}

/// Diagnostics on stderr, their paths shown from where vdc ran (`input` joined with the file).
fn print_diagnostics(
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
fn write_diagnostics(
    out: &mut impl Write,
    color: bool,
    diagnostics: &[Diagnostic],
    input: &Path,
    sources: &[Arc<SourceFile>],
    global: &GlobalArgs,
) -> std::io::Result<()> {
    let sources = Sources(sources);
    let input = input.to_string_lossy();
    for d in diagnostics {
        writeln!(out, "{}", report::human(d, &input, &sources, color))?;
    }
    if !global.quiet && !diagnostics.is_empty() {
        writeln!(out, "vdc: {}", report::summary(diagnostics))?;
    }
    Ok(())
}

fn render(args: RenderArgs, global: &GlobalArgs) -> Result<Status> {
    // The benchmark's floor (scripts/bench): only read and parse INPUT, on one thread. An
    // environment switch rather than a flag, so completions and help never offer it.
    if std::env::var_os("VDC_PARSE_ONLY").is_some_and(|v| v == "1") {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
        let loaded = pool.install(|| crate::load::load(&args.input))?;
        eprintln!("vdc: parsed {} documents", loaded.documents.len());
        return Ok(Status::Clean);
    }
    if let Some(dir) = &args.out {
        emit::refuse_out_inside_input(&args.input, dir)?;
    }
    let c = {
        let _progress = ProgressLine::start(global.quiet);
        compile(&args.input)?
    };
    print_diagnostics(&c.diagnostics, &args.input, &c.sources, global);
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
    let outputs: Vec<_> = c.outputs.iter().filter(|o| selected(&o.cluster)).collect();
    let clusters_out = c.clusters.iter().filter(|c| selected(c)).count();
    anyhow::ensure!(
        args.out.is_some() || args.format != Format::Json || clusters_out <= 1,
        "--format json on stdout is one List, which cannot say which cluster each object is for; choose one with --cluster NAME, or write a tree per cluster with --out DIR"
    );
    let mut changed = false;
    match &args.out {
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            emit::write_stream(&outputs, args.format, &mut stdout).context(STDOUT)?;
        }
        Some(dir) => {
            let progress = ProgressLine::start(global.quiet);
            let files = emit::files(&outputs, args.format)?;
            let summary = emit::write_tree(dir, &files, |path| {
                !selected(path.split('/').next().unwrap_or_default())
            })?;
            drop(progress);
            for note in &summary.notes {
                eprintln!("vdc: warning: {}", report::escape_controls(note));
            }
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
            std::mem::forget(files);
            changed = summary.written + summary.removed > 0;
        }
    }
    // The process ends here: freeing the input and the output object by object would only delay
    // the exit, so they are left to the operating system.
    std::mem::forget(c);
    Ok(if args.exit_code && changed {
        Status::Problems
    } else {
        Status::Clean
    })
}

/// Exit 0 without differences, 1 with, 2 when a side cannot be read or is invalid INPUT — the
/// same in every format, so a pre-commit hook or CI job can rely on the status alone.
fn diff(args: DiffArgs, global: &GlobalArgs) -> Result<Status> {
    let (old, new) = {
        let _progress = ProgressLine::start(global.quiet);
        diff::load_pair(&args.old, &args.new)
    };
    let old = old.with_context(|| format!("OLD side {}", args.old.display()))?;
    let new = new.with_context(|| format!("NEW side {}", args.new.display()))?;
    let (old, new) = match (old, new) {
        (diff::Side::Objects(old), diff::Side::Objects(new)) => (old, new),
        (old, new) => {
            for (side, path) in [(old, &args.old), (new, &args.new)] {
                if let diff::Side::Invalid(c) = side {
                    print_diagnostics(&c.diagnostics, path, &c.sources, global);
                    eprintln!(
                        "vdc: {} is not valid input, so nothing was compared",
                        path.display()
                    );
                }
            }
            return Ok(Status::Failure);
        }
    };
    let mut changes = diff::compare(&old, &new, args.context, !args.stat);
    if !args.clusters.is_empty() {
        let known: Vec<&str> = old
            .keys()
            .chain(new.keys())
            .map(|id| id.cluster.as_str())
            .collect();
        for wanted in &args.clusters {
            anyhow::ensure!(
                known.contains(&wanted.as_str()),
                "--cluster {wanted}: neither side has objects in a cluster of that name"
            );
        }
        changes.retain(|c| args.clusters.contains(&c.cluster));
    }
    // Both sides are every generated object twice over; the process ends here, so they are left
    // to the operating system rather than freed one by one.
    std::mem::forget((old, new));
    let mut stdout = std::io::stdout().lock();
    match args.format {
        DiffFormat::Human if changes.is_empty() && global.quiet => {}
        DiffFormat::Human => {
            let color = use_color(global.color, std::io::stdout().is_terminal());
            stdout
                .write_all(diff::human(&changes, color).as_bytes())
                .context(STDOUT)?;
        }
        DiffFormat::Json => {
            writeln!(stdout, "{}", serde_json::to_string_pretty(&changes)?).context(STDOUT)?
        }
        DiffFormat::Markdown => stdout
            .write_all(diff::markdown(&changes, args.max_chars).as_bytes())
            .context(STDOUT)?,
    }
    if !changes.is_empty() {
        direction_hint(&args.old, &args.new);
    }
    Ok(if changes.is_empty() {
        Status::Clean
    } else {
        Status::Problems
    })
}

/// On stderr, after a diff that found changes: the command that brings a stale rendered OLD up to
/// date with INPUT NEW, or a note that INPUT OLD against rendered NEW reads backwards.
fn direction_hint(old: &Path, new: &Path) {
    match (diff::is_input(old), diff::is_input(new)) {
        (false, true) => eprintln!(
            "vdc: {} is not what {} renders to; to update it, run: vdc render {} --out {}",
            old.display(),
            new.display(),
            new.display(),
            old.display()
        ),
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

/// Exit 2 when kubectl is missing or fails: nothing is written then.
fn snapshot(args: SnapshotArgs, global: &GlobalArgs) -> Result<Status> {
    anyhow::ensure!(
        args.names.is_empty() || args.names.len() == args.contexts.len(),
        "--as names the cluster of each --context in order: {} --as for {} --context",
        args.names.len(),
        args.contexts.len()
    );
    let mut clusters = Vec::new();
    for (i, context) in args.contexts.iter().enumerate() {
        let name = args.names.get(i).unwrap_or(context);
        anyhow::ensure!(
            crate::dns::is_dns_label(name),
            "cluster name `{name}` (of context `{context}`) is not a DNS label, which a cluster folder must be; name it with --as NAME"
        );
        clusters.push((context.clone(), name.clone()));
    }
    let gloo_context = args.gloo.then(|| {
        args.gloo_context
            .unwrap_or_else(|| args.contexts[0].clone())
    });
    let kubectl = crate::snapshot::find_kubectl()?;
    let request = crate::snapshot::Request {
        clusters,
        gloo_context,
    };
    let written = {
        let _progress = ProgressLine::start(global.quiet);
        crate::snapshot::snapshot(&kubectl, &args.input, &request)?
    };
    if !global.quiet {
        for w in written {
            eprintln!(
                "vdc: context {}: {} objects → {}",
                w.context,
                w.objects,
                w.path.display()
            );
        }
    }
    Ok(Status::Clean)
}

/// Exit 1 when INPUT has errors (nothing to explain), 2 when a named VD does not exist.
fn explain(args: ExplainArgs, global: &GlobalArgs) -> Result<Status> {
    let mut explained = {
        let _progress = ProgressLine::start(global.quiet);
        explain::explain(&args.input, &args.vds)?
    };
    print_diagnostics(
        &explained.diagnostics,
        &args.input,
        &explained.sources,
        global,
    );
    if explained.has_errors() {
        return Ok(Status::Problems);
    }
    explained.keep_clusters(&args.clusters)?;
    let mut stdout = std::io::stdout().lock();
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
