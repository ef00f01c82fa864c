//! `load`: files below INPUT → raw documents that remember their file, line and cluster.
//!
//! Nothing here knows what a VirtualDestination is; that is `model`'s job. Load only finds the
//! files, parses them (in parallel: files are independent), unwraps `List`s and decides which
//! cluster each document belongs to.

mod discover;
mod ignore;
mod json;
pub mod node;
mod parse;
mod source;
pub mod stamps;
mod text;
pub mod tree_cost;
pub mod yaml;

use crate::diagnostic::Diagnostics;
use anyhow::Result;
use discover::{InputFile, cluster_of, discover};
pub use ignore::IgnoredFinding;
use node::{Node, Pos};
use rayon::prelude::*;
use stamps::{InputStamps, Stamp};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

pub use parse::{ParsedFile, parse_documents, parse_file_text, parse_file_text_within};
pub use source::{FileDigest, Reread, SourceFile, digest, work};

/// Where Gloo config outside `clusters/` lives unless `vdc.yaml` says otherwise.
pub const DEFAULT_MANAGEMENT_CLUSTER: &str = "mgmt";

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
    /// Findings of one object not to report (`ignore:` entries with `code` and `object`).
    pub ignore_findings: Vec<IgnoredFinding>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            management_cluster: DEFAULT_MANAGEMENT_CLUSTER.to_owned(),
            istio_api_version: "networking.istio.io/v1".to_owned(),
            ignore: Vec::new(),
            ignore_findings: Vec::new(),
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
    /// Each file's documents, files in reading order. They stay in their files' lists: joining
    /// them into one list held both copies at once, a fifth of the input's size on a large fleet.
    pub documents: Vec<Vec<T>>,
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
    /// Adds parsed files in order.
    fn add_all(&mut self, files: Vec<ParsedFile<T>>) {
        self.documents.reserve(files.len());
        files.into_iter().for_each(|file| self.add(file));
    }

    /// Adds one parsed file (see [`parse_source`]) as [`load`] adds each file it reads.
    pub fn add(&mut self, mut file: ParsedFile<T>) {
        if !file.documents.is_empty() {
            // A list grown by pushing has up to twice the room it needs, and these lists wait
            // together until the world is assembled.
            file.documents.shrink_to_fit();
            self.documents.push(file.documents);
        }
        self.diagnostics.extend(file.diagnostics);
        self.skipped += file.skipped;
        let at = self
            .sources
            .partition_point(|s| s.path.as_ref() < file.source.path.as_ref());
        self.sources.insert(at, file.source);
    }

    /// How many documents were found, in every file.
    pub fn document_count(&self) -> usize {
        self.documents.iter().map(Vec::len).sum()
    }

    pub fn source(&self, path: &str) -> Option<&Arc<SourceFile>> {
        self.sources
            .binary_search_by(|s| (*s.path).cmp(path))
            .ok()
            .map(|i| &self.sources[i])
    }
}

/// Reads every input file below `root`. Fails only when the tool cannot do its job (the root is
/// unreadable); every problem inside the files becomes a diagnostic. The files' texts are kept.
pub fn load(root: &Path) -> Result<Loaded> {
    let (mut loaded, files) = discover(root)?;
    crate::progress::start(crate::progress::Phase::Reading, files.len());
    let budget = parse::RunBudget::default();
    let parsed: Vec<_> = files
        .par_iter()
        .map(|f| parse_input(f, parse::read_bytes(&f.path, &budget)))
        .collect();
    loaded.add_all(parsed);
    Ok(loaded)
}

/// One input file, handed to the function that makes its documents (see [`load_files_with`]).
/// Its bytes are read before, unless its status vouched for its digest (see
/// [`load_files_known`]): then they are read only if asked for.
pub struct FileInput<'a> {
    /// Its path below INPUT, `/`-separated.
    pub rel: &'a str,
    /// Where it is on disk.
    pub location: &'a Path,
    /// Its bytes, or why they could not be read; `None` while they are not read.
    bytes: Option<parse::FileBytes>,
    /// The digest of its bytes: of those read, or the one its status vouched for.
    pub digest: Option<FileDigest>,
    cluster: Option<&'a str>,
    /// What reading it later needs, when it was not read before.
    deferred: Option<Deferred<'a>>,
}

/// What reading a file that was not read before needs, and where the read is reported.
struct Deferred<'a> {
    budget: &'a parse::RunBudget,
    /// Bytes already counted against the budget for it (its size when it was vouched for).
    taken: u64,
    /// Set once the file is read: what was read (`None` when it could not be).
    read: &'a OnceLock<Option<ReadFile>>,
}

/// A file's bytes as read: how many, their digest, and the file's stamp just before the read.
#[derive(Clone, Copy)]
struct ReadFile {
    len: u64,
    digest: FileDigest,
    stamp: Option<Stamp>,
}

impl FileInput<'_> {
    /// Whether its bytes were read (only then does `digest` come from them).
    pub fn is_read(&self) -> bool {
        self.bytes.is_some()
    }

    /// Reads its bytes, if they were not read before; `digest` is then theirs, whatever was
    /// vouched for before (the file may have changed since its status was taken).
    pub fn read(&mut self) {
        let Some(deferred) = self.deferred.as_ref().filter(|_| self.bytes.is_none()) else {
            return;
        };
        let read = parse::read_bytes_with_status(self.location, deferred.budget, deferred.taken);
        let found = read.as_ref().ok().map(|(bytes, meta)| ReadFile {
            len: bytes.len() as u64,
            digest: source::digest(bytes),
            stamp: Stamp::of(meta),
        });
        let _ = deferred.read.set(found);
        self.digest = found.map(|f| f.digest);
        self.bytes = Some(read.map(|(bytes, _)| bytes));
    }

    /// The file's documents, as [`load`] parses them (reading it first if need be).
    pub fn parse(mut self) -> ParsedFile {
        self.read();
        let bytes = self
            .bytes
            .unwrap_or_else(|| Err("internal error: the file was not read".to_owned()));
        parse::parse_bytes(bytes, self.rel, self.cluster)
    }
}

/// [`load`], with each document handed to `decode` as soon as its file is parsed, on the
/// thread that parsed it: the syntax trees of a large input never all live at once, and each
/// file's text is let go of once its documents are decoded (see [`SourceFile`]).
pub fn load_with<T, F>(root: &Path, decode: F) -> Result<Loaded<T>>
where
    T: Send,
    F: Fn(&Settings, Document, &Arc<SourceFile>) -> T + Sync,
{
    load_files_with(root, |settings, file| {
        file.parse().decode(settings, &decode)
    })
}

/// [`load_with`], with each file handed whole to `per_file`, which makes its documents (from a
/// cache, say, rather than by parsing it). Each file's text is let go of once `per_file` is done.
pub fn load_files_with<T, F>(root: &Path, per_file: F) -> Result<Loaded<T>>
where
    T: Send,
    F: Fn(&Settings, FileInput) -> ParsedFile<T> + Sync,
{
    let (mut loaded, _, parsed) = read_each(root, |f, budget, settings| {
        read_file(f, parse::read_bytes(&f.path, budget), settings, &per_file)
    })?;
    loaded.add_all(parsed);
    Ok(loaded)
}

/// Finds INPUT's files and hands each to `read` with the run's byte budget and settings, on
/// every core; the results are in the files' order.
fn read_each<T, R: Send>(
    root: &Path,
    read: impl Fn(&InputFile, &parse::RunBudget, &Settings) -> R + Sync,
) -> Result<(Loaded<T>, Vec<InputFile>, Vec<R>)> {
    let (loaded, files) = discover(root)?;
    crate::progress::start(crate::progress::Phase::Reading, files.len());
    let budget = parse::RunBudget::default();
    let results = files
        .par_iter()
        .map(|f| read(f, &budget, &loaded.settings))
        .collect();
    Ok((loaded, files, results))
}

/// [`load_files_with`], where a file whose status is the one `known` recorded is not read
/// before `per_file` is called: its digest is the one recorded, and its bytes are read only if
/// `per_file` asks for them ([`FileInput::read`], [`FileInput::parse`]). Returns the stamps of
/// this run's files, for the next run (see [`stamps`]).
pub fn load_files_known<T, F>(
    root: &Path,
    known: &InputStamps,
    per_file: F,
) -> Result<(Loaded<T>, InputStamps)>
where
    T: Send,
    F: Fn(&Settings, FileInput) -> ParsedFile<T> + Sync,
{
    let started = SystemTime::now();
    let (mut loaded, files, parsed): (_, _, Vec<_>) = read_each(root, |f, budget, settings| {
        read_known(f, known, budget, settings, &per_file)
    })?;
    let mut stamps = InputStamps::default();
    for (file, (_, read)) in files.iter().zip(&parsed) {
        if let Some(ReadFile {
            digest,
            stamp: Some(stamp),
            ..
        }) = read
        {
            stamps.record(&file.rel, *stamp, *digest, started);
        }
    }
    loaded.add_all(parsed.into_iter().map(|(file, _)| file).collect());
    Ok((loaded, stamps))
}

/// Hands one file to `per_file`, read before unless `known` vouches for its digest, then lets
/// go of its text. Returns what its bytes were (read, or vouched for).
fn read_known<T>(
    file: &InputFile,
    known: &InputStamps,
    budget: &parse::RunBudget,
    settings: &Settings,
    per_file: &impl Fn(&Settings, FileInput) -> ParsedFile<T>,
) -> (ParsedFile<T>, Option<ReadFile>) {
    // A file over the run's budget is read, so that it is refused as a cold run refuses it.
    let vouched = std::fs::metadata(&file.path)
        .ok()
        .and_then(|meta| known.vouched(&file.rel, &meta))
        .filter(|(stamp, _)| budget.take(stamp.size()).is_ok());
    let reading = OnceLock::new();
    let mut input = FileInput {
        rel: &file.rel,
        location: &file.path,
        bytes: None,
        digest: vouched.map(|(_, digest)| digest),
        cluster: file.cluster.as_deref(),
        deferred: Some(Deferred {
            budget,
            taken: vouched.map_or(0, |(stamp, _)| stamp.size()),
            read: &reading,
        }),
    };
    if vouched.is_none() {
        input.read();
    }
    let mut parsed = per_file(settings, input);
    crate::progress::step();
    let found = match reading.get() {
        Some(read) => *read,
        None => vouched.map(|(stamp, digest)| ReadFile {
            len: stamp.size(),
            digest,
            stamp: Some(stamp),
        }),
    };
    if let Some(found) = found {
        parsed.source = Arc::new(parsed.source.forget_text(
            file.path.clone(),
            found.len,
            found.digest,
        ));
    }
    (parsed, found)
}

/// Hands one file to `per_file`, then lets go of its text.
fn read_file<T>(
    file: &InputFile,
    bytes: parse::FileBytes,
    settings: &Settings,
    per_file: &impl Fn(&Settings, FileInput) -> ParsedFile<T>,
) -> ParsedFile<T> {
    let read = bytes
        .as_ref()
        .ok()
        .map(|b| (b.len() as u64, source::digest(b)));
    let digest = read.map(|(_, digest)| digest);
    let input = FileInput {
        rel: &file.rel,
        location: &file.path,
        bytes: Some(bytes),
        digest,
        cluster: file.cluster.as_deref(),
        deferred: None,
    };
    let mut parsed = per_file(settings, input);
    crate::progress::step();
    if let Some((len, digest)) = read {
        parsed.source = Arc::new(parsed.source.forget_text(file.path.clone(), len, digest));
    }
    parsed
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
    let twins = twins_of(&a.settings, &b.settings, &files_b);
    let budget = parse::RunBudget::default();
    let per_file = |settings: &Settings, file: FileInput| file.parse().decode(settings, &decode);
    let parse = |f: &InputFile, bytes, settings| read_file(f, bytes, settings, &per_file);
    // Each file of `a`, with its twin's result (and the twin's place in `b`) when it has one.
    let parsed_a: Vec<(ParsedFile<T>, Option<Placed<T>>)> = files_a
        .par_iter()
        .map(|f| {
            let bytes = parse::read_bytes(&f.path, &budget);
            let Some(&(i, twin)) = twins.get(f.rel.as_str()) else {
                return (parse(f, bytes, &a.settings), None);
            };
            let twin_bytes = parse::read_bytes(&twin.path, &budget);
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
            .map(|(i, f)| {
                (
                    i,
                    parse(f, parse::read_bytes(&f.path, &budget), &b.settings),
                )
            }),
    );
    parsed_b.sort_by_key(|(i, _)| *i);
    a.add_all(parsed_a);
    b.add_all(parsed_b.into_iter().map(|(_, file)| file).collect());
    Ok((a, b))
}

/// Each file of the second root by its path (which also decides its cluster), with its place
/// in that root's reading order. Decoding depends on the settings, so sides that differ there
/// share nothing.
fn twins_of<'f>(
    settings_a: &Settings,
    settings_b: &Settings,
    files_b: &'f [InputFile],
) -> HashMap<&'f str, (usize, &'f InputFile)> {
    if settings_a != settings_b {
        return HashMap::new();
    }
    files_b
        .iter()
        .enumerate()
        .map(|(i, f)| (f.rel.as_str(), (i, f)))
        .collect()
}

/// A parsed file of the second root, with its place in that root's reading order.
type Placed<T> = (usize, ParsedFile<T>);

fn parse_input(file: &InputFile, bytes: parse::FileBytes) -> ParsedFile {
    let parsed = parse::parse_bytes(bytes, &file.rel, file.cluster.as_deref());
    crate::progress::step();
    parsed
}

/// One file's contents held in memory, parsed as [`load`] parses the file it reads at `rel`
/// (a `/`-separated path below INPUT, which decides the cluster its documents belong to).
pub fn parse_source(rel: &str, bytes: Vec<u8>) -> ParsedFile {
    parse::parse_bytes(Ok(bytes), rel, cluster_of(rel))
}
