//! Walking INPUT: which clusters exist, which files to read (not yet read), and `vdc.yaml`.

use super::node::Pos;
use super::{Loaded, SourceFile, parse};
use crate::diagnostic::{Diagnostics, Site};
use crate::rules::load::{empty_file, symlink_escape, unreadable_file};
use anyhow::{Context, Result};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(super) const SETTINGS_FILE: &str = "vdc.yaml";

/// A file found below INPUT that vdc reads.
pub(super) struct InputFile {
    pub(super) path: PathBuf,
    pub(super) rel: String,
    pub(super) cluster: Option<String>,
}

/// What walking INPUT found: the cluster folders, the files to read, and the entries that
/// could not be walked or whose links lead outside INPUT.
#[derive(Default)]
struct Walk {
    clusters: BTreeSet<String>,
    files: Vec<InputFile>,
    diagnostics: Diagnostics,
    /// Folders not read because links made them a folder read already, by path.
    read_already: BTreeSet<String>,
}

/// Walks `root`: the clusters, the settings, and the files to read (not yet read).
pub(super) fn discover<T>(root: &Path) -> Result<(Loaded<T>, Vec<InputFile>)> {
    let canonical_root = readable_folder(root)?;
    let walk = walk(root, &canonical_root);
    let mut loaded = Loaded {
        clusters: walk.clusters,
        diagnostics: walk.diagnostics,
        ..Loaded::default()
    };
    report_empty_cluster_folders(&mut loaded, &walk.files);
    report_unread_cluster_folders(root, &mut loaded, &walk.read_already);
    read_settings(root, &canonical_root, &mut loaded);
    Ok((loaded, walk.files))
}

/// `root` made canonical, or the error that INPUT is not a folder vdc can read.
fn readable_folder(root: &Path) -> Result<PathBuf> {
    let meta =
        std::fs::metadata(root).with_context(|| format!("cannot read {}", root.display()))?;
    anyhow::ensure!(meta.is_dir(), "{} is not a directory", root.display());
    root.canonicalize()
        .with_context(|| format!("cannot resolve {}", root.display()))
}

/// Every entry below `root` in file-name order, hidden ones left out, each entry sorted into
/// a cluster folder, an input file or a diagnostic.
fn walk(root: &Path, canonical_root: &Path) -> Walk {
    let mut found = Walk::default();
    let mut folders = FoldersOnce::default();
    let mut walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            !hidden && folders.first_time(root, e)
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                found.diagnostics.push(unwalkable(root, &err));
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() && escapes(&entry, canonical_root) {
            let site = Site::at(&Arc::from(rel.as_str()), Pos::default());
            found.diagnostics.push(symlink_escape::diagnostic(site));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            found.clusters.extend(cluster_folder(&rel));
        } else if rel != SETTINGS_FILE && is_input_file(&rel) {
            if let Some(escaped) = not_utf8(root, entry.path()) {
                // Its name would read as another's (each invalid byte as U+FFFD): its
                // diagnostics could quote the other file's lines.
                let site = Site::at(&Arc::from(escaped.as_str()), Pos::default());
                let case = unreadable_file::Case::NameNotUtf8 { path: &escaped };
                found
                    .diagnostics
                    .push(unreadable_file::diagnostic(site, case));
                continue;
            }
            let cluster = cluster_of(&rel).map(str::to_owned);
            found.files.push(InputFile {
                path: entry.into_path(),
                rel,
                cluster,
            });
        }
    }
    drop(walker);
    folders.report(&mut found);
    found
}

/// Links are followed, but a folder reached twice (through links that form a DAG) is read at
/// its first path only: walking every path would cost 2^N for N links in a row. Every later
/// path is reported (VDC103) when the folder holds input files: they would have counted there
/// too.
#[derive(Default)]
struct FoldersOnce {
    first_paths: HashMap<(u64, u64), String>,
    /// Each later path, with the first.
    read_again: Vec<(String, String)>,
}

impl FoldersOnce {
    /// Whether the walk goes into `e`: anything but a folder reached before.
    fn first_time(&mut self, root: &Path, e: &walkdir::DirEntry) -> bool {
        let Some(id) = folder_id(e).filter(|_| e.file_type().is_dir()) else {
            return true;
        };
        let path = relative(root, e.path());
        match self.first_paths.entry(id) {
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(path);
                true
            }
            std::collections::hash_map::Entry::Occupied(first) => {
                // A cluster folder that is a link gets its own error, naming the link's target
                // (see `report_unread_cluster_folders`).
                if !(e.path_is_symlink() && cluster_folder(&path).is_some()) {
                    self.read_again.push((path, first.get().clone()));
                }
                false
            }
        }
    }

    /// VDC103 for each later path of a folder whose first path held input files (a DAG of links
    /// between empty folders loses nothing).
    fn report(self, found: &mut Walk) {
        let read: BTreeSet<&str> = found.files.iter().map(|f| f.rel.as_str()).collect();
        let holds_input = |folder: &str| {
            let inside = format!("{folder}/");
            read.range(inside.as_str()..)
                .next()
                .is_some_and(|file| file.starts_with(&inside))
        };
        let lost: Vec<(String, String)> = self
            .read_again
            .into_iter()
            .filter(|(_, first)| holds_input(first))
            .collect();
        for (path, first) in lost {
            let site = Site::at(&Arc::from(path.as_str()), Pos::default());
            let case = unreadable_file::Case::FolderReadAlready {
                path: &path,
                first: &first,
            };
            found
                .diagnostics
                .push(unreadable_file::diagnostic(site, case));
            found.read_already.insert(path);
        }
    }
}

/// VDC103 for an entry the walk could not read.
fn unwalkable(root: &Path, err: &walkdir::Error) -> crate::diagnostic::Diagnostic {
    let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
    let site = Site::at(&Arc::from(path.as_str()), Pos::default());
    let case = unreadable_file::Case::Walk {
        path: &path,
        error: err,
    };
    unreadable_file::diagnostic(site, case)
}

/// Whether a link's target lies outside INPUT (or cannot be resolved at all).
fn escapes(entry: &walkdir::DirEntry, canonical_root: &Path) -> bool {
    entry
        .path()
        .canonicalize()
        .map_or(true, |target| !target.starts_with(canonical_root))
}

/// The cluster a folder at `rel` creates: `clusters/<cluster>` itself, not a folder below it.
fn cluster_folder(rel: &str) -> Option<String> {
    match rel.split('/').collect::<Vec<_>>()[..] {
        ["clusters", cluster] => Some(cluster.to_owned()),
        _ => None,
    }
}

/// A cluster whose folder holds no input file has no state: most likely a dump that was never
/// written (VDC108).
fn report_empty_cluster_folders<T>(loaded: &mut Loaded<T>, files: &[InputFile]) {
    let dumped: BTreeSet<&str> = files.iter().filter_map(|f| f.cluster.as_deref()).collect();
    for cluster in loaded
        .clusters
        .iter()
        .filter(|c| !dumped.contains(c.as_str()))
    {
        let site = Site::at(&Arc::from(format!("clusters/{cluster}")), Pos::default());
        let case = empty_file::Case::ClusterFolder { cluster };
        loaded.diagnostics.push(empty_file::diagnostic(site, case));
    }
}

/// A cluster folder the walk did not read as one (a link that leads out of INPUT, or to a
/// folder read already under another name) would drop the cluster, and `render --out` would
/// remove its output: an error instead, naming what the folder is.
fn report_unread_cluster_folders<T>(
    root: &Path,
    loaded: &mut Loaded<T>,
    read_already: &BTreeSet<String>,
) {
    let Ok(entries) = std::fs::read_dir(root.join("clusters")) else {
        return;
    };
    let mut unread: Vec<(String, String)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            let is_folder = std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            let reported = read_already.contains(&format!("clusters/{name}"));
            if name.starts_with('.') || !is_folder || loaded.clusters.contains(&name) || reported {
                return None;
            }
            let target = std::fs::read_link(entry.path()).ok()?;
            Some((name, target.display().to_string()))
        })
        .collect();
    unread.sort();
    for (cluster, target) in unread {
        let path = format!("clusters/{cluster}");
        let site = Site::at(&Arc::from(path.as_str()), Pos::default());
        let case = unreadable_file::Case::LinkedClusterFolder {
            path: &path,
            target: &target,
        };
        loaded
            .diagnostics
            .push(unreadable_file::diagnostic(site, case));
    }
}

/// Anything named vdc.yaml is read or reported: a FIFO or a folder of that name is a
/// diagnostic, not settings silently left at their defaults. A link that leads out of INPUT is
/// never opened (the walk reports it, VDC110): it could be any file of the user's, and its
/// lines would be quoted in diagnostics.
fn read_settings<T>(root: &Path, canonical_root: &Path, loaded: &mut Loaded<T>) {
    let settings_path = root.join(SETTINGS_FILE);
    let Ok(meta) = std::fs::symlink_metadata(&settings_path) else {
        return;
    };
    let inside = || {
        settings_path
            .canonicalize()
            .is_ok_and(|target| target.starts_with(canonical_root))
    };
    if meta.file_type().is_symlink() && !inside() {
        return;
    }
    let (settings, diags, text) = parse::read_settings(&settings_path, SETTINGS_FILE);
    loaded.settings = settings;
    loaded.diagnostics.extend(diags);
    // Kept so that diagnostics about vdc.yaml quote its lines like any other file's.
    if let Some(text) = text {
        loaded
            .sources
            .push(Arc::new(SourceFile::new(Arc::from(SETTINGS_FILE), text)));
    }
}

/// The cluster of a file at `rel`: `clusters/<cluster>/…`, or `None` for the management cluster.
pub(super) fn cluster_of(rel: &str) -> Option<&str> {
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

/// A folder's identity on disk, whatever path reached it.
#[cfg(unix)]
fn folder_id(entry: &walkdir::DirEntry) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    entry.metadata().ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn folder_id(_: &walkdir::DirEntry) -> Option<(u64, u64)> {
    None
}

/// `path` below `root` with each byte that is not UTF-8 written `\xNN`, when there is one.
fn not_utf8(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path).as_os_str();
    if rel.to_str().is_some() {
        return None;
    }
    let mut escaped = String::new();
    for chunk in rel.as_encoded_bytes().utf8_chunks() {
        escaped.push_str(chunk.valid());
        for byte in chunk.invalid() {
            escaped.push_str(&format!("\\x{byte:02x}"));
        }
    }
    Some(escaped)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
