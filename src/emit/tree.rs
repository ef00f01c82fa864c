//! Writing the `--out` tree: all or nothing, never touching a file vdc did not write.
//!
//! The new tree is built in a staging folder of vdc's own beside DIR and swapped in whole, under
//! a lock held for the whole run (see [`super::swap`]). DIR stays a real folder and exists at
//! every instant. What vdc finds in DIR that it did not write is carried over as it is:
//! regular files, symbolic links (as links, never as copies of their targets) and empty
//! folders. Anything else (a FIFO, a device, a socket, a name that is not UTF-8) is refused,
//! naming the file and why, before anything is touched.

use super::swap::{self, OldDir, Place, Staging};
use crate::fsio::handle::{Folder, describe, me};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustix::fs::FileType;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
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
    let place = Place::open(dir)?;
    let _lock = swap::lock(&place)?;
    let notes = swap::recover(&place)?;
    let old = match place.dir_status()? {
        Some(status) if status.kind == FileType::Symlink => bail!(
            "{} is a symbolic link; vdc writes only into a real folder (it is committed as is), so it refuses to write there",
            dir.display()
        ),
        Some(status) if status.kind != FileType::Directory => {
            bail!("{} exists and is not a folder", dir.display())
        }
        Some(_) if place.parent.is_mount_point(&place.name) => {
            return Err(swap::mount_point(&place));
        }
        Some(status) => {
            let folder = place
                .parent
                .folder(&place.name)
                .with_context(|| format!("opening {}", dir.display()))?;
            Some(OldDir { folder, status })
        }
        None => None,
    };
    let mut plan = match &old {
        Some(_) => plan(dir, files, &keep)?,
        None => Plan::default(),
    };
    plan.summary.notes = notes;
    swap::pause(swap::Pause::Planned, dir);
    let staging = Staging::create(&place)?;
    swap::pause(swap::Pause::StagingCreated, &place.shown(&staging.name));
    let owner = owner_to_keep(old.as_ref(), &staging, &mut plan.summary.notes);
    let built = Builder {
        dir,
        old: old.as_ref().map(|o| &o.folder),
        new: &staging.folder,
        owner,
    }
    .build(files, &mut plan);
    let swapped = built
        .and_then(|()| staging.seal(old.as_ref().map_or(0o755, |o| o.status.mode), owner))
        .and_then(|()| swap::swap_in(&place, &staging, old.as_ref()));
    match swapped {
        Ok(Some(previous)) => {
            if let Some(old) = &old {
                swap::remove(&place, &previous, &old.folder, &mut plan.summary.notes);
            }
        }
        Ok(None) => {}
        Err(err) => {
            staging.discard(&place);
            return Err(err);
        }
    }
    plan.summary.written = files.len() - plan.summary.unchanged;
    Ok(plan.summary)
}

/// The owner the new tree gets: DIR's, when it is not vdc's user (root rendering a user's
/// folder), so the folder stays its owner's. When vdc may not give files away (it is not root),
/// the new tree is vdc's user's, and a note says so.
fn owner_to_keep(
    old: Option<&OldDir>,
    staging: &Staging,
    notes: &mut Vec<String>,
) -> Option<(u32, u32)> {
    let owner = old.map(|o| o.status.owner).filter(|o| *o != me())?;
    match staging.folder.chown(".", owner) {
        Ok(()) => Some(owner),
        Err(err) => {
            notes.push(format!(
                "the output folder belonged to user {} (group {}); vdc could not keep that owner ({err}), so the new tree is yours",
                owner.0, owner.1
            ));
            None
        }
    }
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

/// Fills the staging folder: DIR's old tree and the new one, both held open.
struct Builder<'a> {
    dir: &'a Path,
    old: Option<&'a Folder>,
    new: &'a Folder,
    owner: Option<(u32, u32)>,
}

impl Builder<'_> {
    /// Fills the staging folder: folders, carried files, then vdc's.
    fn build(&self, files: &BTreeMap<String, String>, plan: &mut Plan) -> Result<()> {
        let mut wanted: BTreeSet<&str> = BTreeSet::new();
        let folders_of_files = files
            .keys()
            .chain(&plan.carried)
            .filter_map(|f| parent_of(f));
        for folder in folders_of_files.chain(plan.empty_folders.iter().map(String::as_str)) {
            wanted.extend(ancestors(folder));
            wanted.insert(folder);
        }
        let new_folders = self.make_folders(&wanted)?;
        let old_folders: HashMap<&str, Folder> = match self.old {
            Some(old) => wanted
                .iter()
                .chain(std::iter::once(&""))
                .filter_map(|f| Some((*f, old.descend(f).ok()?)))
                .collect(),
            None => HashMap::new(),
        };
        let folder_pair = |file: &str| {
            let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
            let new = if folder.is_empty() {
                Some(self.new)
            } else {
                new_folders.get(folder)
            };
            (new, old_folders.get(folder), name.to_owned())
        };
        for file in &plan.carried {
            let (Some(new), Some(old), name) = folder_pair(file) else {
                bail!(
                    "{}/{file} is no longer where vdc found it; nothing was written",
                    self.dir.display()
                );
            };
            self.carry(old, new, &name)
                .with_context(|| format!("keeping {}/{file}", self.dir.display()))?;
        }
        crate::progress::start(crate::progress::Phase::Writing, files.len());
        let unchanged = &plan.unchanged;
        let hashes: Vec<(String, String)> = files
            .par_iter()
            .map(|(file, text)| {
                let (new, old, name) = folder_pair(file);
                let new = new.context("internal error: a folder of the new tree is missing")?;
                // An unchanged file is linked, not copied: a link allocates no inode and no
                // data, and removing the old tree then frees no inode that the file system must
                // avoid reusing for a while (ext4 without a journal skips recently freed
                // inodes). A file system without hard links gets a copy.
                let linked = unchanged.contains(file.as_str())
                    && old.is_some_and(|old| old.link_to(&name, new).is_ok());
                if !linked {
                    let written = new
                        .write_new(&name, text.as_bytes(), 0o644)
                        .with_context(|| format!("writing {}/{file}", self.dir.display()))?;
                    if let Some(owner) = self.owner {
                        new.chown(&name, owner)?;
                    }
                    drop(written);
                }
                crate::progress::step();
                Ok((file.clone(), sha256(text.as_bytes())))
            })
            .collect::<Result<_>>()?;
        plan.manifest.extend(hashes);
        self.new
            .write_new(MANIFEST, manifest_text(&plan.manifest).as_bytes(), 0o644)
            .with_context(|| format!("writing {MANIFEST}"))?;
        if let Some(owner) = self.owner {
            self.new.chown(MANIFEST, owner)?;
        }
        Ok(())
    }

    /// Makes the new tree's folders, parents first, each held open.
    fn make_folders<'f>(&self, wanted: &BTreeSet<&'f str>) -> Result<HashMap<&'f str, Folder>> {
        let mut made: HashMap<&str, Folder> = HashMap::new();
        for folder in wanted {
            let (above, name) = folder.rsplit_once('/').unwrap_or(("", folder));
            let parent = match above {
                "" => self.new,
                above => made
                    .get(above)
                    .context("internal error: a folder is made before its parent")?,
            };
            let handle = parent
                .make_folder(name, 0o755)
                .with_context(|| format!("creating the folder {folder}"))?;
            if let Some(owner) = self.owner {
                handle.chown(".", owner)?;
            }
            made.insert(folder, handle);
        }
        Ok(made)
    }

    /// Carries a file or link of the user's over as it is: the same file, by a hard link (its
    /// owner, times and other links kept), or, where the file system refuses that link, a
    /// copy. Whatever it was changed into since DIR was read, if not a file or a link, is
    /// refused without being opened.
    fn carry(&self, old: &Folder, new: &Folder, name: &str) -> Result<()> {
        let status = old.status_of(name)?;
        if !matches!(status.kind, FileType::RegularFile | FileType::Symlink) {
            bail!(
                "it is now {}; vdc carries over only regular files, folders and symbolic links (move it away)",
                describe(status.kind)
            );
        }
        if old.link_to(name, new).is_ok() {
            let linked = new.status_of(name)?;
            if linked.identity == status.identity {
                return Ok(());
            }
            new.remove_file(name)?;
            bail!("it was replaced while vdc carried it over; nothing was written");
        }
        if status.kind == FileType::Symlink {
            new.symlink(&old.read_link(name)?, name)?;
        } else {
            let mut from = old.open_regular(name)?;
            let mut to = new.write_new(name, b"", status.mode)?;
            std::io::copy(&mut from, &mut to)?;
        }
        if let Some(owner) = self.owner {
            new.chown(name, owner)?;
        }
        Ok(())
    }
}

/// `a/b/c.yaml` → `a/b`; a file at the top has no folder.
fn parent_of(file: &str) -> Option<&str> {
    file.rsplit_once('/').map(|(folder, _)| folder)
}
