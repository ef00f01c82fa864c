//! Writing the `--out` tree: all or nothing, never touching a file vdc did not write.
//!
//! The new tree is built in a staging folder of vdc's own beside DIR and swapped in whole, under
//! a lock held for the whole run (see [`super::swap`]). DIR stays a real folder and exists at
//! every instant. What vdc finds in DIR that it did not write is carried over as it is:
//! regular files, symbolic links (as links, never as copies of their targets) and empty
//! folders. Anything else (a FIFO, a device, a socket, a name that is not UTF-8) is refused,
//! naming the file and why, before anything is touched.

use super::swap::{self, Staging};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

pub use super::swap::MANIFEST;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// What went wrong without harming the result: leftovers of vdc's that could not be removed.
    pub notes: Vec<String>,
}

/// A manifest larger than this is not one vdc wrote.
const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;
/// Files vdc wrote are read back to check them; none comes near this.
const MAX_OWNED_BYTES: u64 = 512 * 1024 * 1024;

fn sha256(data: &[u8]) -> String {
    crate::hash::hex(&Sha256::digest(data))
}

/// Reads DIR's manifest: path → sha256 of what vdc wrote there.
pub fn read_manifest(dir: &Path) -> Result<Option<BTreeMap<String, String>>> {
    let path = dir.join(MANIFEST);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let bytes = crate::fsio::read_capped(&path, MAX_MANIFEST_BYTES, false)
        .with_context(|| format!("reading {}", path.display()))?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{} is damaged: not UTF-8", path.display()))?;
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

/// What DIR holds besides folders with files in them.
#[derive(Default)]
struct Contents {
    /// Regular files and symbolic links, as `/`-separated relative paths.
    files: Vec<String>,
    /// The symbolic links among them.
    links: HashSet<String>,
    /// Empty folders: the user's (vdc never leaves one), carried over.
    empty_folders: Vec<String>,
}

/// Lists DIR without following any link in it, refusing what vdc cannot carry over.
fn contents(dir: &Path) -> Result<Contents> {
    let mut out = Contents::default();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let Some(rel) = rel
            .to_str()
            .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
        else {
            bail!(
                "{} has a name that is not UTF-8; vdc records paths in its manifest as UTF-8, so it refuses to carry that file over (rename it, or move it away)",
                entry.path().display()
            );
        };
        let file_type = entry.file_type();
        if file_type.is_dir() {
            let empty = fs::read_dir(entry.path())
                .with_context(|| format!("listing {}", entry.path().display()))?
                .next()
                .is_none();
            if empty {
                out.empty_folders.push(rel);
            }
        } else if file_type.is_file() || file_type.is_symlink() {
            if file_type.is_symlink() {
                out.links.insert(rel.clone());
            }
            out.files.push(rel);
        } else {
            bail!(
                "{} is {}; vdc carries over only the regular files, folders and symbolic links it finds in its output folder, so it refuses to write there (move it away)",
                entry.path().display(),
                crate::fsio::kind_of(&file_type)
            );
        }
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

/// What a write does, decided before anything is touched.
#[derive(Default)]
struct Plan<'a> {
    summary: WriteSummary,
    /// Files of the old tree that the new one keeps as they are (the user's, and vdc's own of
    /// clusters a `--cluster` run left out).
    carried: Vec<String>,
    links: HashSet<String>,
    empty_folders: Vec<String>,
    /// The manifest entries of carried files of vdc's.
    manifest: BTreeMap<String, String>,
    /// Files of the old tree whose bytes stay the same: the new tree links to them rather than
    /// writing a copy (see [`build`]).
    unchanged: HashSet<&'a str>,
}

/// Writes `files` as the new content of `dir`. `keep` decides which files vdc wrote before but
/// does not produce now are kept rather than removed (the clusters a `--cluster` run left out).
pub fn write_tree(
    dir: &Path,
    files: &BTreeMap<String, String>,
    keep: impl Fn(&str) -> bool,
) -> Result<WriteSummary> {
    let _lock = swap::lock(dir)?;
    let notes = swap::recover(dir)?;
    let old = match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => bail!(
            "{} is a symbolic link; vdc writes only into a real folder (it is committed as is), so it refuses to write there",
            dir.display()
        ),
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a folder", dir.display()),
        Ok(meta) => Some(meta),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("reading {}", dir.display())),
    };
    let mut plan = match &old {
        Some(_) => plan(dir, files, &keep)?,
        None => Plan::default(),
    };
    plan.summary.notes = notes;
    let staging = Staging::create(dir)?;
    if let Err(err) = build(dir, &staging.path, files, &mut plan) {
        let _ = fs::remove_dir_all(&staging.path);
        return Err(err);
    }
    plan.summary.written = files.len() - plan.summary.unchanged;
    let swapped = staging
        .seal(old.as_ref())
        .and_then(|()| swap::swap_in(&staging, dir, old.is_some()));
    match swapped {
        Ok(Some(previous)) => swap::remove(&previous, &mut plan.summary.notes),
        Ok(None) => {}
        Err(err) => {
            let _ = fs::remove_dir_all(&staging.path);
            return Err(err);
        }
    }
    Ok(plan.summary)
}

/// Reads DIR: what vdc wrote (each file checked against the manifest), what it keeps, what it
/// removes, and what it refuses.
fn plan<'a>(
    dir: &Path,
    files: &'a BTreeMap<String, String>,
    keep: &impl Fn(&str) -> bool,
) -> Result<Plan<'a>> {
    let present = contents(dir)?;
    let owned = match read_manifest(dir)? {
        Some(owned) => owned,
        None if present.files.is_empty() && present.empty_folders.is_empty() => BTreeMap::new(),
        None => bail!(
            "{} is not empty and has no {MANIFEST}, so vdc did not write it; refusing to write there (choose an empty or new folder)",
            dir.display()
        ),
    };
    let mut plan = Plan {
        links: present.links,
        empty_folders: present.empty_folders,
        ..Plan::default()
    };
    let mut written_before = Vec::new();
    for file in present.files {
        if file == MANIFEST {
            continue;
        }
        match owned.get(&file) {
            None if files.contains_key(&file) => bail!(
                "{} holds {file}, which vdc did not write and would overwrite; refusing to write (move that file away first)",
                dir.display()
            ),
            None => plan.carried.push(file),
            Some(hash) => written_before.push((file, hash)),
        }
    }
    let checked = check_owned(dir, files, written_before)?;
    for (file, hash, same) in checked {
        if let Some(path) = same {
            plan.unchanged.insert(path);
        } else if !files.contains_key(&file) {
            if keep(&file) {
                plan.carried.push(file.clone());
                plan.manifest.insert(file, hash.clone());
            } else {
                plan.summary.removed += 1;
            }
        }
    }
    plan.summary.unchanged = plan.unchanged.len();
    refuse_links_in_the_way(dir, files, &plan)?;
    Ok(plan)
}

/// Every file vdc wrote is read back to make sure nobody edited it since: in parallel, as a
/// re-render reads as many files as it writes. Only a regular file is read (a FIFO put in its
/// place is refused, not waited on). Returns each with the path of its identical new version.
fn check_owned<'a, 'h>(
    dir: &Path,
    files: &'a BTreeMap<String, String>,
    written_before: Vec<(String, &'h String)>,
) -> Result<Vec<(String, &'h String, Option<&'a str>)>> {
    written_before
        .into_par_iter()
        .map(|(file, hash)| {
            let path = dir.join(&file);
            let data = crate::fsio::read_capped(&path, MAX_OWNED_BYTES, true)
                .with_context(|| format!("reading {}", path.display()))?;
            if sha256(&data) != *hash {
                bail!(
                    "{}/{file} was changed after vdc wrote it; refusing to overwrite or remove it (restore it, or move it away)",
                    dir.display()
                );
            }
            // Linked into the new tree only when it is vdc's file alone: a regular file with
            // no other link (a symbolic link, or a file linked from elsewhere, is rewritten).
            let alone = fs::symlink_metadata(&path).is_ok_and(|m| is_lone_file(&m));
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
        .collect()
}

/// A link or file of the user's where vdc needs a folder would have vdc write through it.
fn refuse_links_in_the_way(
    dir: &Path,
    files: &BTreeMap<String, String>,
    plan: &Plan,
) -> Result<()> {
    let folders: HashSet<&str> = files.keys().flat_map(|f| ancestors(f)).collect();
    if let Some(file) = plan.carried.iter().find(|f| folders.contains(f.as_str())) {
        let what = if plan.links.contains(file) {
            "a symbolic link"
        } else {
            "a file"
        };
        bail!(
            "{}/{file} is {what} where vdc writes a folder; refusing to write (move it away)",
            dir.display()
        );
    }
    Ok(())
}

/// `a/b/c.yaml` → `a`, `a/b`.
fn ancestors(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(|(i, _)| &file[..i])
}

/// Fills the staging folder `new`: carried files, then vdc's.
fn build(dir: &Path, new: &Path, files: &BTreeMap<String, String>, plan: &mut Plan) -> Result<()> {
    // Folders first, once each; then the files, in parallel: creating tens of thousands of
    // files is kernel work that both cores can share.
    let folders: std::collections::BTreeSet<&str> = files
        .keys()
        .filter_map(|file| file.rsplit_once('/').map(|(folder, _)| folder))
        .chain(plan.empty_folders.iter().map(String::as_str))
        .collect();
    for folder in folders {
        fs::create_dir_all(new.join(folder))
            .with_context(|| format!("creating the folder {folder}"))?;
    }
    for file in &plan.carried {
        let (from, to) = (dir.join(file), new.join(file));
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        if plan.links.contains(file) {
            copy_link(&from, &to).with_context(|| format!("keeping the link {file}"))?;
        } else {
            fs::copy(&from, &to).with_context(|| format!("keeping {file}"))?;
        }
    }
    crate::progress::start(crate::progress::Phase::Writing, files.len());
    let unchanged = &plan.unchanged;
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
    plan.manifest.extend(hashes);
    fs::write(new.join(MANIFEST), manifest_text(&plan.manifest))
        .with_context(|| format!("writing {MANIFEST}"))?;
    Ok(())
}

/// A symbolic link of the user's, carried over as a link to the same target.
#[cfg(unix)]
fn copy_link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(from)?, to)
}

#[cfg(not(unix))]
fn copy_link(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::copy(from, to).map(|_| ())
}
