//! Whether a folder is an INPUT folder at all, before anything in it is read. A cluster's own
//! folder, a repository root or an empty folder would otherwise give one diagnostic per file
//! (or none, and an empty render); this gives one that says what vdc expected and where to look.

use crate::diagnostic::{Diagnostic, Site};
use crate::rules::load::not_an_input::{self, Meant, Shape};
use std::path::{Component, Path, PathBuf};

/// How deep below INPUT to look for the INPUT folder the user probably meant.
const SEARCH_DEPTH: usize = 4;

/// `None` when `input` has a `clusters/` folder with at least one cluster folder in it; otherwise
/// the one VDC112 diagnostic about it. `Err` when vdc may not look: a folder it cannot read is
/// not one that holds no clusters.
pub fn check(input: &Path) -> anyhow::Result<Option<Diagnostic>> {
    if has_cluster(input)? {
        return Ok(None);
    }
    let meant = if is_cluster_folder(input) {
        Meant::ParentOfCluster {
            cluster: name(input),
            input: up(input, 2),
        }
    } else if name(input) == "clusters" {
        let parent = up(input, 1);
        if has_cluster(&parent).unwrap_or(false) {
            Meant::ParentOfClusters { input: parent }
        } else {
            Meant::Below(inputs_below(input))
        }
    } else {
        Meant::Below(inputs_below(input))
    };
    let shape = Shape {
        input,
        empty_clusters_folder: input.join("clusters").is_dir(),
        meant,
    };
    Ok(Some(not_an_input::diagnostic(Site::default(), shape)))
}

fn has_cluster(input: &Path) -> anyhow::Result<bool> {
    use std::io::ErrorKind::{NotADirectory, NotFound};
    let clusters = input.join("clusters");
    match std::fs::read_dir(&clusters) {
        Ok(entries) => Ok(entries
            .filter_map(Result::ok)
            .any(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))),
        Err(err) if matches!(err.kind(), NotFound | NotADirectory) => Ok(false),
        Err(err) => {
            Err(anyhow::Error::new(err).context(format!("cannot read {}", clusters.display())))
        }
    }
}

fn name(path: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A folder directly inside a `clusters/` folder whose parent has the `clusters/` it is in.
fn is_cluster_folder(path: &Path) -> bool {
    let Ok(canonical) = path.canonicalize() else {
        return false;
    };
    canonical
        .parent()
        .is_some_and(|p| p.file_name().is_some_and(|n| n == "clusters"))
}

/// `path` `levels` up, written as the user wrote `path`: two up from `in/clusters/c1` is `in`,
/// from `c1` is `..`.
fn up(path: &Path, levels: usize) -> PathBuf {
    let mut parts: Vec<Component> = path
        .components()
        .filter(|c| *c != Component::CurDir)
        .collect();
    for _ in 0..levels {
        match parts.last() {
            Some(Component::Normal(_)) => {
                parts.pop();
            }
            _ => parts.push(Component::ParentDir),
        }
    }
    let out: PathBuf = parts.iter().collect();
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Folders below `root` that have `clusters/<cluster>/`, nearest first, at most three; hidden
/// folders and build output are not searched.
fn inputs_below(root: &Path) -> Vec<PathBuf> {
    let walker = walkdir::WalkDir::new(root)
        .min_depth(1)
        .max_depth(SEARCH_DEPTH)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_dir()
                && !name.starts_with('.')
                && !matches!(name.as_ref(), "target" | "node_modules" | "clusters")
        });
    let mut found: Vec<PathBuf> = walker
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| has_cluster(p).unwrap_or(false))
        .map(|p| p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p))
        .collect();
    found.sort_by_key(|p| p.components().count());
    found.truncate(3);
    found
}
