//! `load`: files below INPUT → raw documents that remember their file, line and cluster.
//!
//! Nothing here knows what a VirtualDestination is; that is `model`'s job. Load only finds the
//! files, parses them (in parallel: files are independent), unwraps `List`s and decides which
//! cluster each document belongs to.

mod json;
pub mod node;
mod parse;
pub mod yaml;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use anyhow::{Context, Result};
use node::{Node, Pos};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use parse::{ParsedFile, parse_documents};

/// Where Gloo config outside `clusters/` lives unless `vdc.yaml` says otherwise.
pub const DEFAULT_MANAGEMENT_CLUSTER: &str = "mgmt";

/// One source file, kept so diagnostics can quote the offending line.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to INPUT, `/`-separated on every platform.
    pub path: Arc<str>,
    pub text: String,
}

impl SourceFile {
    pub fn line(&self, line: u32) -> Option<&str> {
        self.text.lines().nth((line as usize).checked_sub(1)?)
    }
}

/// One Kubernetes object as found in the input.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: Arc<str>,
    /// The cluster folder it came from; `None` for config outside `clusters/`.
    pub cluster: Option<String>,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub node: Node,
}

impl Document {
    pub fn pos(&self) -> Pos {
        self.node.pos
    }

    /// `apiVersion` without its version: `networking.gloo.solo.io/v2` → `networking.gloo.solo.io`.
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }
}

/// `vdc.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub management_cluster: String,
    /// `networking.istio.io/v1` unless asked for `v1beta1`.
    pub istio_api_version: String,
    /// Warning and info codes not to report (`ignore:`), as ruff's `ignore` does.
    pub ignore: Vec<crate::diagnostic::Code>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            management_cluster: DEFAULT_MANAGEMENT_CLUSTER.to_owned(),
            istio_api_version: "networking.istio.io/v1".to_owned(),
            ignore: Vec::new(),
        }
    }
}

/// Everything read from INPUT: documents as they were found, or already decoded by the
/// function given to [`load_with`].
#[derive(Debug)]
pub struct Loaded<T = Document> {
    pub settings: Settings,
    /// Clusters that exist because `clusters/<name>/` exists.
    pub clusters: BTreeSet<String>,
    pub documents: Vec<T>,
    pub sources: Vec<Arc<SourceFile>>,
    pub diagnostics: Diagnostics,
    /// Documents of kinds vdc does not read, counted and otherwise ignored.
    pub skipped: usize,
}

impl<T> Default for Loaded<T> {
    fn default() -> Self {
        Loaded {
            settings: Settings::default(),
            clusters: BTreeSet::new(),
            documents: Vec::new(),
            sources: Vec::new(),
            diagnostics: Diagnostics::default(),
            skipped: 0,
        }
    }
}

impl<T> Loaded<T> {
    /// Adds parsed files in order, the document list sized once: a large input has hundreds
    /// of thousands of documents, and growing the list step by step copies them over and over.
    fn add_all(&mut self, files: Vec<ParsedFile<T>>) {
        self.documents
            .reserve(files.iter().map(|f| f.documents.len()).sum());
        files.into_iter().for_each(|file| self.add(file));
    }

    /// Adds one parsed file (see [`parse_source`]) as [`load`] adds each file it reads.
    pub fn add(&mut self, file: ParsedFile<T>) {
        self.documents.extend(file.documents);
        self.diagnostics.extend(file.diagnostics);
        self.skipped += file.skipped;
        let at = self
            .sources
            .partition_point(|s| s.path.as_ref() < file.source.path.as_ref());
        self.sources.insert(at, file.source);
    }

    pub fn source(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.sources
            .binary_search_by(|s| (*s.path).cmp(path))
            .ok()
            .map(|i| &self.sources[i])
    }
}

const SETTINGS_FILE: &str = "vdc.yaml";

/// Reads every input file below `root`. Fails only when the tool cannot do its job (the root is
/// unreadable); every problem inside the files becomes a diagnostic.
pub fn load(root: &Path) -> Result<Loaded> {
    load_with(root, |_, doc, _| doc)
}

/// [`load`], with each document handed to `decode` as soon as its file is parsed, on the
/// thread that parsed it: the syntax trees of a large input never all live at once.
pub fn load_with<T, F>(root: &Path, decode: F) -> Result<Loaded<T>>
where
    T: Send,
    F: Fn(&Settings, Document, &Arc<SourceFile>) -> T + Sync,
{
    let (mut loaded, files) = discover(root)?;
    crate::progress::start(crate::progress::Phase::Reading, files.len());
    let settings = &loaded.settings;
    let parsed: Vec<_> = files
        .par_iter()
        .map(|f| parse_input(f, parse::read_bytes(&f.path)).decode(settings, &decode))
        .collect();
    loaded.add_all(parsed);
    Ok(loaded)
}

/// [`load_with`] for two roots at once, as `diff` compares them: a file at the same path with the
/// same bytes on both sides is parsed and decoded once and its documents given to both. Two
/// versions of one repository share almost every file, so this costs little more than one load.
pub fn load_pair_with<T, F>(old: &Path, new: &Path, decode: F) -> Result<(Loaded<T>, Loaded<T>)>
where
    T: Send + Clone,
    F: Fn(&Settings, Document, &Arc<SourceFile>) -> T + Sync,
{
    let (mut a, files_a) = discover(old)?;
    let (mut b, files_b) = discover(new)?;
    crate::progress::start(
        crate::progress::Phase::Reading,
        files_a.len() + files_b.len(),
    );
    // A file of `b` by its path (which also decides its cluster), with its place in `b`'s
    // reading order. Decoding depends on the settings, so sides that differ there share nothing.
    let twins: HashMap<&str, (usize, &InputFile)> = if a.settings == b.settings {
        files_b
            .iter()
            .enumerate()
            .map(|(i, f)| (f.rel.as_str(), (i, f)))
            .collect()
    } else {
        HashMap::new()
    };
    let parse = |f: &InputFile, bytes, settings| parse_input(f, bytes).decode(settings, &decode);
    // Each file of `a`, with its twin's result (and the twin's place in `b`) when it has one.
    let parsed_a: Vec<(ParsedFile<T>, Option<Placed<T>>)> = files_a
        .par_iter()
        .map(|f| {
            let bytes = parse::read_bytes(&f.path);
            let Some(&(i, twin)) = twins.get(f.rel.as_str()) else {
                return (parse(f, bytes, &a.settings), None);
            };
            let twin_bytes = parse::read_bytes(&twin.path);
            if twin_bytes == bytes {
                let shared = parse(f, bytes, &a.settings);
                (shared.clone(), Some((i, shared)))
            } else {
                let theirs = parse(twin, twin_bytes, &b.settings);
                (parse(f, bytes, &a.settings), Some((i, theirs)))
            }
        })
        .collect();
    let (parsed_a, twins_b): (Vec<_>, Vec<_>) = parsed_a.into_iter().unzip();
    let mut parsed_b: Vec<Placed<T>> = twins_b.into_iter().flatten().collect();
    let placed: HashSet<usize> = parsed_b.iter().map(|(i, _)| *i).collect();
    parsed_b.par_extend(
        files_b
            .par_iter()
            .enumerate()
            .filter(|(i, _)| !placed.contains(i))
            .map(|(i, f)| (i, parse(f, parse::read_bytes(&f.path), &b.settings))),
    );
    parsed_b.sort_by_key(|(i, _)| *i);
    a.add_all(parsed_a);
    b.add_all(parsed_b.into_iter().map(|(_, file)| file).collect());
    Ok((a, b))
}

/// A file found below INPUT that vdc reads.
struct InputFile {
    path: PathBuf,
    rel: String,
    cluster: Option<String>,
}

/// A parsed file of the second root, with its place in that root's reading order.
type Placed<T> = (usize, ParsedFile<T>);

fn parse_input(file: &InputFile, bytes: parse::FileBytes) -> ParsedFile {
    let parsed = parse::parse_bytes(bytes, &file.rel, file.cluster.as_deref());
    crate::progress::step();
    parsed
}

/// Walks `root`: the clusters, the settings, and the files to read (not yet read).
fn discover<T>(root: &Path) -> Result<(Loaded<T>, Vec<InputFile>)> {
    let meta =
        std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    anyhow::ensure!(meta.is_dir(), "{} is not a directory", root.display());
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))?;

    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                loaded.diagnostics.push(
                    Diagnostic::new(Code::UnreadableFile, format!("cannot read {path}: {err}"))
                        .at(&Arc::from(path.as_str()), Pos::default()),
                );
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            let escapes = entry
                .path()
                .canonicalize()
                .map_or(true, |target| !target.starts_with(&canonical_root));
            if escapes {
                loaded.diagnostics.push(
                    Diagnostic::new(
                        Code::SymlinkEscape,
                        "this file is a symbolic link that leads out of INPUT; it is not read",
                    )
                    .at(&Arc::from(rel.as_str()), Pos::default()),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        let parts: Vec<&str> = rel.split('/').collect();
        if entry.file_type().is_dir() {
            if parts.len() == 2 && parts[0] == "clusters" {
                loaded.clusters.insert(parts[1].to_owned());
            }
            continue;
        }
        if rel == SETTINGS_FILE {
            continue;
        }
        if is_input_file(&rel) {
            let cluster = cluster_of(&rel).map(str::to_owned);
            files.push(InputFile {
                path: entry.into_path(),
                rel,
                cluster,
            });
        }
    }

    // A cluster whose folder holds no input file has no state: most likely a dump that was
    // never written.
    let dumped: BTreeSet<&str> = files.iter().filter_map(|f| f.cluster.as_deref()).collect();
    for cluster in loaded
        .clusters
        .iter()
        .filter(|c| !dumped.contains(c.as_str()))
    {
        let folder = format!("clusters/{cluster}");
        loaded.diagnostics.push(
            Diagnostic::new(
                Code::EmptyFile,
                format!("{folder}/ holds no input file, so cluster `{cluster}` has no state"),
            )
            .at(&Arc::from(folder.as_str()), Pos::default())
            .help("add the cluster's state dump (`kubectl get … -o yaml`), or delete the folder"),
        );
    }

    let settings_path = root.join(SETTINGS_FILE);
    if settings_path.is_file() {
        let (settings, diags) = parse::read_settings(&settings_path, SETTINGS_FILE);
        loaded.settings = settings;
        loaded.diagnostics.extend(diags);
        // Kept so that diagnostics about vdc.yaml quote its lines like any other file's.
        if let Ok(text) = std::fs::read_to_string(&settings_path) {
            loaded.sources.push(Arc::new(SourceFile {
                path: Arc::from(SETTINGS_FILE),
                text,
            }));
        }
    }

    Ok((loaded, files))
}

/// One file's contents held in memory, parsed as [`load`] parses the file it reads at `rel`
/// (a `/`-separated path below INPUT, which decides the cluster its documents belong to).
pub fn parse_source(rel: &str, bytes: Vec<u8>) -> ParsedFile {
    parse::parse_bytes(Ok(bytes), rel, cluster_of(rel))
}

/// The cluster of a file at `rel`: `clusters/<cluster>/…`, or `None` for the management cluster.
fn cluster_of(rel: &str) -> Option<&str> {
    let mut parts = rel.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("clusters"), Some(cluster), Some(_)) => Some(cluster),
        _ => None,
    }
}

fn is_input_file(rel: &str) -> bool {
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| rel.to_ascii_lowercase().ends_with(ext))
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
