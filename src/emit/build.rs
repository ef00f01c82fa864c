//! Filling the staging folder: the user's files first, then vdc's, one batch (one cluster) at a
//! time as the batches arrive, then vdc's files of the clusters the run left out. Every refusal
//! is found before the swap, so the staging folder is discarded and DIR stays as it was.

use super::manifest::{manifest_text, sha256};
use super::spare::Spare;
use super::stat_cache::Stamp;
use super::swap::MANIFEST;
use crate::fsio::handle::{Folder, describe};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustix::fs::FileType;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// What went wrong without harming the result: leftovers of vdc's that could not be removed.
    pub notes: Vec<String>,
}

/// What DIR held, read and checked before anything is touched.
#[derive(Default)]
pub(super) struct Plan {
    pub summary: WriteSummary,
    /// The user's files (and links): what the new tree carries over as it is.
    pub user_files: BTreeSet<String>,
    /// The symbolic links among them.
    pub links: HashSet<String>,
    pub empty_folders: Vec<String>,
    /// The files vdc wrote before, each checked to hold what the manifest says.
    pub owned: BTreeMap<String, Owned>,
    /// The SHA-256 of DIR's manifest, when it has one.
    pub manifest_digest: Option<String>,
}

/// A file vdc wrote before, as found in DIR.
pub(super) struct Owned {
    /// The SHA-256 of its bytes, as the manifest lists it (and as checked).
    pub hash: String,
    /// A regular file with no other link: the new tree may link it rather than write a copy
    /// (a symbolic link, or a file linked from elsewhere, is rewritten).
    pub alone: bool,
    /// Its status when it was checked, for the next stat cache.
    pub stamp: Option<Stamp>,
}

/// Fills the staging folder: DIR's old tree and the new one, both held open. The new one is
/// either empty or the spare tree (see [`super::spare`]), whose files are kept where they hold
/// the new bytes.
pub(super) struct Builder<'a> {
    pub dir: &'a Path,
    pub old: Option<&'a Folder>,
    pub new: &'a Folder,
    pub owner: Option<(u32, u32)>,
    pub spare: Option<&'a Spare>,
}

/// A file of vdc's in the new tree: the hash its manifest lists, and its status once written.
struct Entry {
    hash: String,
    stamp: Option<Stamp>,
}

/// What the new tree holds of vdc's, for the stat cache.
pub(super) struct Built {
    entries: BTreeMap<String, Entry>,
    /// The SHA-256 of the manifest's bytes.
    pub manifest_digest: String,
}

impl Built {
    /// Each file of vdc's with its status.
    pub fn stamps(&self) -> impl Iterator<Item = (&str, &Stamp)> {
        self.entries
            .iter()
            .filter_map(|(path, entry)| Some((path.as_str(), entry.stamp.as_ref()?)))
    }
}

impl Builder<'_> {
    /// Fills the staging folder from `batches` and writes its manifest; counts what was written,
    /// left unchanged and removed in `plan.summary`.
    pub fn build<I>(
        &self,
        batches: I,
        plan: &mut Plan,
        keep: &impl Fn(&str) -> bool,
    ) -> Result<Built>
    where
        I: IntoIterator<Item = Result<Vec<(String, String)>>>,
    {
        let user_files: Vec<&str> = plan.user_files.iter().map(String::as_str).collect();
        self.carry_all(&user_files, &plan.empty_folders)?;
        crate::progress::start(crate::progress::Phase::Writing, 0);
        let mut entries = BTreeMap::new();
        for batch in batches {
            self.write_batch(batch?, plan, keep, &mut entries)?;
        }
        let mut kept = Vec::new();
        for file in plan.owned.keys().filter(|f| !entries.contains_key(*f)) {
            if keep(file) {
                kept.push(file.as_str());
            } else {
                plan.summary.removed += 1;
            }
        }
        let mut carried = Vec::new();
        for file in kept {
            let owned = &plan.owned[file];
            let mut stamp = owned.stamp;
            if let Some(spare) = self.spare {
                let (folder, name) = split(file);
                let old = self.old.and_then(|o| o.descend(folder).ok());
                let held = self.new.descend(folder).ok().and_then(|into| {
                    let held = spare.holds(file, &owned.hash, &into, name, old.as_ref());
                    if held.is_none() {
                        let _ = spare.clear(file, &into, name);
                    }
                    held
                });
                stamp = held.or(stamp);
                if held.is_none() {
                    carried.push(file);
                }
            } else {
                carried.push(file);
            }
            let entry = Entry {
                hash: owned.hash.clone(),
                stamp,
            };
            entries.insert(file.to_owned(), entry);
        }
        self.carry_all(&carried, &[])?;
        if let Some(spare) = self.spare {
            spare.remove_stale(&entries)?;
        }
        let text = manifest_text(entries.iter().map(|(path, entry)| (path, &entry.hash)));
        self.new
            .write_new(MANIFEST, text.as_bytes(), 0o644)
            .with_context(|| format!("writing {MANIFEST}"))?;
        if let Some(owner) = self.owner {
            self.new.chown(MANIFEST, owner)?;
        }
        Ok(Built {
            entries,
            manifest_digest: sha256(text.as_bytes()),
        })
    }

    /// Writes one batch of new files, in parallel, after checking that none takes the place of
    /// a file that is not vdc's or of another generated file. A file whose bytes stay the same
    /// is linked from the old tree rather than written again: a link allocates no inode and no
    /// data, and removing the old tree then frees no inode that the file system must avoid
    /// reusing for a while (ext4 without a journal skips recently freed inodes). A file system
    /// without hard links gets a copy.
    fn write_batch(
        &self,
        batch: Vec<(String, String)>,
        plan: &mut Plan,
        keep: &impl Fn(&str) -> bool,
        entries: &mut BTreeMap<String, Entry>,
    ) -> Result<()> {
        let mut in_batch = HashSet::new();
        for (file, _) in &batch {
            // Compilation refuses colliding objects (VDC509); this makes sure none is ever lost.
            if entries.contains_key(file) || !in_batch.insert(file.as_str()) {
                bail!(
                    "internal error: two generated files share the path {file}; nothing was written"
                );
            }
            self.refuse_in_the_way(file, plan, keep)?;
        }
        let parents: BTreeSet<&str> = batch.iter().filter_map(|(f, _)| parent_of(f)).collect();
        let mut new = self.new_folders();
        for folder in &parents {
            new.make(folder)?;
        }
        let old = self.old_folders(parents.iter().copied());
        let owned = &plan.owned;
        let written: Vec<(String, Entry, bool)> = batch
            .par_iter()
            .map(|(file, text)| {
                let (folder, name) = split(file);
                let into = new
                    .get(folder)
                    .context("internal error: a folder of the new tree is missing")?;
                let hash = sha256(text.as_bytes());
                let same = owned.get(file).is_some_and(|o| o.hash == hash);
                // The spare's own file, when it already holds these bytes; else it makes room.
                if let Some(spare) = self.spare {
                    if let Some(stamp) = spare.holds(file, &hash, into, name, old.get(folder)) {
                        crate::progress::step();
                        let entry = Entry {
                            hash,
                            stamp: Some(stamp),
                        };
                        return Ok((file.clone(), entry, same));
                    }
                    spare.clear(file, into, name)?;
                }
                // Linked only when nothing else links it: an edit through another link (a
                // `cp -al` backup, a leftover vdc could not remove) would change it here too.
                let before = owned.get(file).filter(|o| o.alone && same);
                let linked = before.is_some()
                    && old
                        .get(folder)
                        .is_some_and(|old| old.link_to(name, into).is_ok());
                let stamp = match before {
                    Some(before) if linked => before.stamp,
                    _ => self
                        .write_file(into, name, text)
                        .with_context(|| format!("writing {}/{file}", self.dir.display()))?,
                };
                crate::progress::step();
                // Unchanged when its bytes are, whether it was linked or written again: a copy
                // of the same bytes is no change to report (`render --exit-code`).
                Ok((file.clone(), Entry { hash, stamp }, same))
            })
            .collect::<Result<_>>()?;
        for (file, entry, unchanged) in written {
            if unchanged {
                plan.summary.unchanged += 1;
            } else {
                plan.summary.written += 1;
            }
            entries.insert(file, entry);
        }
        Ok(())
    }

    /// Writes a new file, gives it DIR's owner, and returns its status.
    fn write_file(&self, into: &Folder, name: &str, text: &str) -> Result<Option<Stamp>> {
        let written = into.write_new(name, text.as_bytes(), 0o644)?;
        if let Some(owner) = self.owner {
            into.chown(name, owner)?;
        }
        Ok(written.metadata().ok().as_ref().and_then(Stamp::of))
    }

    /// Refuses a new file that would overwrite a file vdc did not write, or that needs a folder
    /// where a file or link is kept (vdc would write through a link).
    fn refuse_in_the_way(
        &self,
        file: &str,
        plan: &Plan,
        keep: &impl Fn(&str) -> bool,
    ) -> Result<()> {
        if plan.user_files.contains(file) {
            bail!(
                "{} holds {file}, which vdc did not write and would overwrite; refusing to write (move that file away first)",
                self.dir.display()
            );
        }
        for folder in ancestors(file) {
            let kept = plan.user_files.contains(folder)
                || (plan.owned.contains_key(folder) && keep(folder));
            if kept {
                let what = if plan.links.contains(folder) {
                    "a symbolic link"
                } else {
                    "a file"
                };
                bail!(
                    "{}/{folder} is {what} where vdc writes a folder; refusing to write (move it away)",
                    self.dir.display()
                );
            }
        }
        Ok(())
    }

    /// Carries files of the old tree over as they are (see [`Builder::carry`]), with the
    /// folders they are in and the empty folders given.
    fn carry_all(&self, files: &[&str], empty_folders: &[String]) -> Result<()> {
        let parents: BTreeSet<&str> = files.iter().filter_map(|f| parent_of(f)).collect();
        let mut new = self.new_folders();
        for folder in parents
            .iter()
            .copied()
            .chain(empty_folders.iter().map(String::as_str))
        {
            new.make(folder)?;
        }
        let old = self.old_folders(parents.into_iter());
        for file in files {
            let (folder, name) = split(file);
            let (Some(new), Some(old)) = (new.get(folder), old.get(folder)) else {
                bail!(
                    "{}/{file} is no longer where vdc found it; nothing was written",
                    self.dir.display()
                );
            };
            self.carry(old, new, name)
                .with_context(|| format!("keeping {}/{file}", self.dir.display()))?;
        }
        Ok(())
    }

    /// Carries a file or link over as it is: the same file, by a hard link (its owner, times
    /// and other links kept), or, where the file system refuses that link, a copy. Whatever it
    /// was changed into since DIR was read, if not a file or a link, is refused without being
    /// opened.
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

    fn new_folders(&self) -> NewFolders<'_> {
        NewFolders {
            root: self.new,
            owner: self.owner,
            open: HashMap::new(),
        }
    }

    /// The old tree's folders `folders` (and its top), held open; those it does not have are
    /// left out.
    fn old_folders<'f>(&self, folders: impl Iterator<Item = &'f str>) -> HashMap<&'f str, Folder> {
        let Some(old) = self.old else {
            return HashMap::new();
        };
        folders
            .chain(std::iter::once(""))
            .filter_map(|f| Some((f, old.descend(f).ok()?)))
            .collect()
    }
}

/// The new tree's folders, made on demand (parents first) and held open while one batch is
/// written, then closed: a fleet's thousands of folders are never all open at once.
struct NewFolders<'a> {
    root: &'a Folder,
    owner: Option<(u32, u32)>,
    open: HashMap<String, Folder>,
}

impl NewFolders<'_> {
    /// Makes `folder` and the folders above it, or opens those that exist: made for the user's
    /// files, or for another batch.
    fn make(&mut self, folder: &str) -> Result<()> {
        for path in ancestors(folder).chain(std::iter::once(folder)) {
            if self.open.contains_key(path) {
                continue;
            }
            let (above, name) = path.rsplit_once('/').unwrap_or(("", path));
            let parent = self
                .get(above)
                .context("internal error: a folder is made before its parent")?;
            let handle = match parent.make_folder(name, 0o755) {
                Ok(handle) => match self.owner {
                    Some(owner) => handle.chown(".", owner).map(|()| handle),
                    None => Ok(handle),
                },
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => parent.folder(name),
                Err(err) => Err(err),
            }
            .with_context(|| format!("creating the folder {path}"))?;
            self.open.insert(path.to_owned(), handle);
        }
        Ok(())
    }

    /// The folder at `path` (`""` is the top), if made.
    fn get(&self, path: &str) -> Option<&Folder> {
        match path {
            "" => Some(self.root),
            _ => self.open.get(path),
        }
    }
}

/// `a/b/c.yaml` → (`a/b`, `c.yaml`); a file at the top is in `""`.
fn split(file: &str) -> (&str, &str) {
    file.rsplit_once('/').unwrap_or(("", file))
}

/// `a/b/c.yaml` → `a/b`; a file at the top has no folder.
fn parent_of(file: &str) -> Option<&str> {
    file.rsplit_once('/').map(|(folder, _)| folder)
}

/// `a/b/c.yaml` → `a`, `a/b`.
fn ancestors(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(|(i, _)| &file[..i])
}
