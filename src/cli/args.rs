//! The command line's arguments as clap reads them: every flag, its help and its default.
//! The man pages and completion scripts are generated from these types.

use crate::diagnostic::{Code, Severity};
use crate::emit;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use std::path::PathBuf;

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
    /// Explain, per VirtualDestination, what vdc resolved and generated, and why; with --object,
    /// why an object vdc writes exists.
    Explain(ExplainArgs),
    /// Where a workload's requests to a host go, in what priority, and what a failure leaves serving.
    Trace(TraceArgs),
    /// Write INPUT's cluster state from live clusters with kubectl: only the kinds and fields
    /// vdc reads, one kubectl-style JSON List per cluster.
    Snapshot(SnapshotArgs),
    /// Print the page of a diagnostic code (what it catches, why, an example, the fix), or with
    /// no code the list of every code.
    Rule(RuleArgs),
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
    /// Only the clusters of shard I of N (1 ≤ I ≤ N), a fixed assignment by cluster name: N
    /// runs, one per shard, write together what one run writes (see docs/ci.md).
    #[arg(long, value_name = "I/N", value_parser = crate::shard::Shard::parse, conflicts_with = "clusters")]
    pub shard: Option<crate::shard::Shard>,
    /// The objects' format: yaml (Kubernetes-safe YAML) or json.
    #[arg(short = 'o', long, value_enum, default_value_t = ObjectFormat::Yaml)]
    pub format: ObjectFormat,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// With --out: exit 1 when OUT changed (a file written or removed), as `git diff --exit-code`
    /// does, so a hook that re-renders refuses the commit until the new files are added.
    #[arg(long, requires = "out")]
    pub exit_code: bool,
}

/// The format of rendered objects, as the command line names it; emit's [`emit::Format`] is the
/// same choice without clap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObjectFormat {
    Yaml,
    Json,
}

impl From<ObjectFormat> for emit::Format {
    fn from(format: ObjectFormat) -> emit::Format {
        match format {
            ObjectFormat::Yaml => emit::Format::Yaml,
            ObjectFormat::Json => emit::Format::Json,
        }
    }
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
    /// Only diagnostics about these clusters, and those about no cluster (repeatable); an
    /// error about another cluster is counted and fails the check (it stops render too).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Where what each input file decodes to is kept between runs (see docs/performance.md).
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// Keep what each file of cluster state decodes to in DIR, so a later run parses only the
    /// files that changed (default: $XDG_CACHE_HOME/vdc, else ~/.cache/vdc; none when neither
    /// is set). Output is the same with or without it.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write the cache.
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
}

impl CacheArgs {
    /// The cache folder these arguments ask for, if any.
    pub fn dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        if let Some(dir) = &self.cache {
            return Some(dir.clone());
        }
        let absolute = |var: &str| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        };
        absolute("XDG_CACHE_HOME")
            .or_else(|| absolute("HOME").map(|home| home.join(".cache")))
            .map(|dir| dir.join("vdc"))
    }

    /// The cache these arguments ask for, if any can be used.
    pub fn open(&self) -> Option<crate::model::cache::DecodeCache> {
        if self.unusable().is_some() {
            return None;
        }
        crate::model::cache::DecodeCache::open(&self.dir()?)
    }

    /// Why the `--cache` given cannot be used: it names something other than a folder.
    pub fn unusable(&self) -> Option<String> {
        let dir = self.cache.as_ref()?;
        std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()).then(|| {
            format!(
                "--cache {} is not a folder, so this run reads and keeps no cache",
                crate::text::escape_controls(&dir.display().to_string())
            )
        })
    }
}

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

/// Parses `--ignore CODE`: a code or its name, of a warning or a note (errors cannot be ignored).
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
    /// human: counts per cluster, then each changed object with its clusters, its Gloo object
    /// and its diff; json: one record per changed object; markdown: a pull-request comment
    /// (a summary per Gloo object and per cluster, a collapsed diff per change).
    #[arg(short = 'o', long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Only these clusters (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// markdown: cut the comment at about this many characters, with a note (GitHub allows
    /// 65,536 in a comment) [default: 60000]. Only with -o markdown.
    #[arg(long, value_name = "N")]
    pub max_chars: Option<usize>,
    /// Also write the full diff, in the human form without colour, to FILE (for a CI artifact;
    /// the markdown comment's cut note names it).
    #[arg(long, value_name = "FILE")]
    pub full_diff: Option<PathBuf>,
    /// Lines of context around each change in the unified diffs (as `git diff -U`).
    #[arg(short = 'U', long, value_name = "N", default_value_t = 3)]
    pub unified: usize,
    /// Deprecated spelling of --unified: `--context` names a kubeconfig context elsewhere
    /// (`vdc snapshot`).
    #[arg(long, value_name = "N", hide = true, conflicts_with = "unified")]
    pub context: Option<usize>,
    /// Trace from FROM (CLUSTER/NAMESPACE[/WORKLOAD]) to TO (HOST[:PORT]) on both sides, which
    /// must be INPUT folders, and show how the traffic moves instead of the objects
    /// (repeatable; --path, --header, --labels, --locality and --fail apply to every trace).
    #[arg(
        long,
        num_args = 2,
        value_names = ["FROM", "TO"],
        action = clap::ArgAction::Append,
        conflicts_with_all = ["stat", "full_diff", "clusters", "unified", "context"]
    )]
    pub trace: Vec<String>,
    #[command(flatten)]
    pub request: RequestArgs,
}

impl DiffArgs {
    /// `--max-chars`, or its default: under GitHub's 65,536 characters a comment.
    pub fn max_chars(&self) -> usize {
        self.max_chars.unwrap_or(60_000)
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The input folder.
    pub input: PathBuf,
    /// VirtualDestinations to explain, as NAME, NAMESPACE/NAME or CLUSTER/NAMESPACE/NAME (the
    /// cluster whose config defines it) (default: all).
    #[arg(value_name = "VD")]
    pub vds: Vec<String>,
    /// human: one block per VirtualDestination; json: an array of records.
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Only the VirtualDestinations that take part in these clusters, and of each only what
    /// lands in them (repeatable).
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// Explain an object vdc writes instead: why it exists, the Gloo object it comes from and
    /// why it is in its cluster. REF is CLUSTER/KIND/NAMESPACE/NAME or the path `render` writes
    /// it to (repeatable; not with VD names or --cluster).
    #[arg(long = "object", value_name = "REF", conflicts_with_all = ["vds", "clusters"])]
    pub objects: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The input folder.
    pub input: PathBuf,
    /// The client: CLUSTER/NAMESPACE, or CLUSTER/NAMESPACE/WORKLOAD for a Deployment, Pod, …
    /// of the dump (its labels and its node's locality).
    #[arg(long, value_name = "CLUSTER/NAMESPACE[/WORKLOAD]")]
    pub from: String,
    /// The host the client calls, with the port when its service has several.
    #[arg(long, value_name = "HOST[:PORT]")]
    pub to: String,
    /// human: the route, the priorities and the outcome; json: one record (a stable contract).
    #[arg(short = 'o', long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub cache: CacheArgs,
    #[command(flatten)]
    pub request: RequestArgs,
}

/// The request a trace asks about and what fails, beyond its client and host: `vdc trace`'s,
/// and `vdc diff --trace`'s for every question on both sides.
#[derive(Debug, Args)]
#[command(next_help_heading = "The request traced")]
pub struct RequestArgs {
    /// The request path (and query string) that routes match on (default: /).
    #[arg(long, value_name = "PATH")]
    pub path: Option<String>,
    /// A request header, NAME=VALUE or 'NAME: VALUE' (repeatable).
    #[arg(long = "header", value_name = "NAME=VALUE")]
    pub headers: Vec<String>,
    /// The client's labels, instead of the workload's: KEY=VALUE[,KEY=VALUE…].
    #[arg(long, value_name = "LABELS")]
    pub labels: Option<String>,
    /// The client's locality, instead of its node's or its cluster's.
    #[arg(long, value_name = "REGION[/ZONE[/SUBZONE]]")]
    pub locality: Option<String>,
    /// Take endpoints down, as outlier detection ejects them: cluster:NAME, region:REGION,
    /// zone:REGION/ZONE, address:IP or address:NAMESPACE/POD (repeatable).
    #[arg(long = "fail", value_name = "TARGET")]
    pub fail: Vec<String>,
}

impl RequestArgs {
    /// The first of these flags given, if any: `diff` takes them only with `--trace`.
    pub fn first_given(&self) -> Option<&'static str> {
        [
            ("--path", self.path.is_some()),
            ("--header", !self.headers.is_empty()),
            ("--labels", self.labels.is_some()),
            ("--locality", self.locality.is_some()),
            ("--fail", !self.fail.is_empty()),
        ]
        .into_iter()
        .find_map(|(flag, given)| given.then_some(flag))
    }
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
    /// Also export the Gloo config of every context: each cluster's to
    /// INPUT/clusters/<name>/gloo/config.json, --gloo-context's to INPUT/gloo/config.json.
    #[arg(long)]
    pub gloo: bool,
    /// A management context for --gloo that is no workload cluster: its Gloo config goes to
    /// INPUT/gloo/config.json. One also given as --context is read once, as that cluster.
    #[arg(long, value_name = "CTX", requires = "gloo")]
    pub gloo_context: Option<String>,
    /// How long one kubectl call may take, in seconds, before vdc stops it and fails (nothing
    /// is written then).
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A code such as VDC413, or its name such as selector-matches-nothing (default: list all).
    pub code: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}
