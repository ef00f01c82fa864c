//! Writing the `--out` tree: all or nothing, never touching a file vdc did not write.
//!
//! The new tree is built beside DIR (`.DIR.vdc-new`), the old one moved aside (`.DIR.vdc-old`)
//! and the new one renamed into place. A run killed between the two renames leaves the old tree
//! aside, and the next run puts it back before doing anything else.

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Lists what vdc wrote: `<sha256>  <path>` per line, like `sha256sum`.
pub const MANIFEST: &str = ".vdc-manifest";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn sha256(data: &[u8]) -> String {
    crate::model::names::hex(&Sha256::digest(data))
}

fn sibling(dir: &Path, suffix: &str) -> Result<PathBuf> {
    let name = dir
        .file_name()
        .with_context(|| format!("{} has no folder name", dir.display()))?;
    Ok(dir.with_file_name(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// Reads DIR's manifest: path → sha256 of what vdc wrote there.
pub fn read_manifest(dir: &Path) -> Result<Option<BTreeMap<String, String>>> {
    let path = dir.join(MANIFEST);
    if !path.exists() {
        return Ok(None);
    }
    let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut entries = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (hash, file) = line
            .split_once("  ")
            .with_context(|| format!("{} is damaged: `{line}`", path.display()))?;
        if file.split('/').any(|part| part == ".." || part.is_empty()) || file.starts_with('/') {
            bail!(
                "{} lists a path outside the folder: `{file}`",
                path.display()
            );
        }
        entries.insert(file.to_owned(), hash.to_owned());
    }
    Ok(Some(entries))
}

fn manifest_text(files: &BTreeMap<String, String>) -> String {
    let mut text =
        String::from("# Written by vdc: the files it owns in this folder. Do not edit.\n");
    for (path, hash) in files {
        text.push_str(&format!("{hash}  {path}\n"));
    }
    text
}

/// Every file below `dir`, as `/`-separated relative paths.
fn existing_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        out.push(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
        );
    }
    Ok(out)
}

/// A regular file with a single link (elsewhere vdc never links, so always `false`).
#[cfg(unix)]
fn is_lone_file(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.file_type().is_file() && meta.nlink() == 1
}

#[cfg(not(unix))]
fn is_lone_file(_: &fs::Metadata) -> bool {
    false
}

/// Puts back the tree a killed run moved aside, and drops a half-built one.
fn recover(dir: &Path) -> Result<()> {
    let old = sibling(dir, "vdc-old")?;
    let new = sibling(dir, "vdc-new")?;
    if old.exists() {
        if dir.exists() {
            fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
        } else {
            fs::rename(&old, dir).with_context(|| format!("restoring {}", dir.display()))?;
        }
    }
    if new.exists() {
        fs::remove_dir_all(&new).with_context(|| format!("removing {}", new.display()))?;
    }
    Ok(())
}

/// Writes `files` as the new content of `dir`. `keep` decides which files vdc wrote before but
/// does not produce now are kept rather than removed (the clusters a `--cluster` run left out).
pub fn write_tree(
    dir: &Path,
    files: &BTreeMap<String, String>,
    keep: impl Fn(&str) -> bool,
) -> Result<WriteSummary> {
    recover(dir)?;
    let mut summary = WriteSummary::default();
    let mut carried: Vec<String> = Vec::new();
    let mut manifest: BTreeMap<String, String> = BTreeMap::new();
    // Files of the old tree whose bytes stay the same: the new tree links to them rather than
    // writing a copy (see below).
    let mut unchanged: HashSet<&str> = HashSet::new();
    if dir.exists() {
        anyhow::ensure!(dir.is_dir(), "{} exists and is not a folder", dir.display());
        let present = existing_files(dir)?;
        let owned = match read_manifest(dir)? {
            Some(owned) => owned,
            None if present.is_empty() => BTreeMap::new(),
            None => bail!(
                "{} is not empty and has no {MANIFEST}, so vdc did not write it; refusing to write there (choose an empty or new folder)",
                dir.display()
            ),
        };
        let mut written_before = Vec::new();
        for file in present {
            if file == MANIFEST {
                continue;
            }
            match owned.get(&file) {
                None if files.contains_key(&file) => bail!(
                    "{} holds {file}, which vdc did not write and would overwrite; refusing to write (move that file away first)",
                    dir.display()
                ),
                None => carried.push(file),
                Some(hash) => written_before.push((file, hash)),
            }
        }
        // Every file vdc wrote is read back to make sure nobody edited it since: in parallel,
        // as a re-render reads as many files as it writes.
        let checked: Vec<(String, &String, Option<&str>)> = written_before
            .into_par_iter()
            .map(|(file, hash)| {
                let data = fs::read(dir.join(&file)).with_context(|| format!("reading {file}"))?;
                if sha256(&data) != *hash {
                    bail!(
                        "{}/{file} was changed after vdc wrote it; refusing to overwrite or remove it (restore it, or move it away)",
                        dir.display()
                    );
                }
                // Linked into the new tree only when it is vdc's file alone: a regular file with
                // no other link (a symbolic link, or a file linked from elsewhere, is rewritten).
                let alone = fs::symlink_metadata(dir.join(&file)).is_ok_and(|m| is_lone_file(&m));
                let same = files
                    .get_key_value(&file)
                    .filter(|(_, text)| alone && text.as_bytes() == data.as_slice())
                    .map(|(path, _)| path.as_str());
                Ok((file, hash, same))
            })
            // Collected in order before the first error is taken, so it names the same file
            // whichever thread found it.
            .collect::<Vec<Result<_>>>()
            .into_iter()
            .collect::<Result<_>>()?;
        for (file, hash, same) in checked {
            if let Some(path) = same {
                unchanged.insert(path);
            } else if !files.contains_key(&file) {
                if keep(&file) {
                    carried.push(file.clone());
                    manifest.insert(file, hash.clone());
                } else {
                    summary.removed += 1;
                }
            }
        }
        summary.unchanged = unchanged.len();
    }

    let new = sibling(dir, "vdc-new")?;
    let mut build = || -> Result<()> {
        fs::create_dir_all(&new).with_context(|| format!("creating {}", new.display()))?;
        for file in &carried {
            let to = new.join(file);
            fs::create_dir_all(to.parent().expect("a file has a parent folder"))?;
            fs::copy(dir.join(file), &to).with_context(|| format!("keeping {file}"))?;
        }
        // Folders first, once each; then the files, in parallel: creating tens of thousands of
        // files is kernel work that both cores can share.
        let folders: std::collections::BTreeSet<&str> = files
            .keys()
            .filter_map(|file| file.rsplit_once('/').map(|(folder, _)| folder))
            .collect();
        for folder in folders {
            fs::create_dir_all(new.join(folder))
                .with_context(|| format!("creating the folder {folder}"))?;
        }
        crate::progress::start(crate::progress::Phase::Writing, files.len());
        let hashes: Vec<(String, String)> = files
            .par_iter()
            .map(|(file, text)| {
                let to = new.join(file);
                // An unchanged file is linked, not copied: a link allocates no inode and no data,
                // and removing the old tree then frees no inode that the file system must avoid
                // reusing for a while (ext4 without a journal skips recently freed inodes). A
                // file system without hard links gets a copy.
                let linked =
                    unchanged.contains(file.as_str()) && fs::hard_link(dir.join(file), &to).is_ok();
                if !linked {
                    fs::write(&to, text).with_context(|| format!("writing {}", to.display()))?;
                }
                crate::progress::step();
                Ok((file.clone(), sha256(text.as_bytes())))
            })
            .collect::<Result<_>>()?;
        manifest.extend(hashes);
        fs::write(new.join(MANIFEST), manifest_text(&manifest))
            .with_context(|| format!("writing {MANIFEST}"))?;
        Ok(())
    };
    if let Err(err) = build() {
        let _ = fs::remove_dir_all(&new);
        return Err(err);
    }
    summary.written = files.len() - summary.unchanged;

    if dir.exists() {
        let old = sibling(dir, "vdc-old")?;
        fs::rename(dir, &old).with_context(|| format!("moving {} aside", dir.display()))?;
        fs::rename(&new, dir)
            .with_context(|| format!("moving the new tree to {}", dir.display()))?;
        fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))?;
    } else {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::rename(&new, dir)
            .with_context(|| format!("moving the new tree to {}", dir.display()))?;
    }
    Ok(summary)
}
