//! The spare tree: the tree DIR held before the last run, kept in `.DIR.vdc/spare` so that the
//! next run can bring it up to date rather than build a whole tree.
//!
//! §5 of the spec has the new tree built beside DIR and swapped in by one rename. Built from
//! nothing, that tree needs a directory entry for every file, and the old tree's removal takes
//! one away for every file: for a 100-cluster fleet, 68k links and 68k removals, most of a warm
//! re-render. Kept instead of removed, the old tree differs from the next run's output only by
//! the files the last two runs changed. So a run rewrites just those in the spare, exchanges it
//! with DIR in one `renameat2(RENAME_EXCHANGE)` (DIR is old or new at every instant, as before),
//! and keeps the tree it swapped out as the next spare.
//!
//! Nothing of the spare is trusted unchecked:
//! - its manifest says what vdc wrote there, and its own stat cache (`.DIR.vdc/spare-stat-cache`,
//!   written for that manifest and that folder) vouches for each file's status; a file whose
//!   status says it may have changed is written again, never kept;
//! - before a run touches the spare it marks it as being built (the staging marker) and removes
//!   its stat cache and manifest: a run killed while updating it leaves a spare the next run
//!   removes rather than uses;
//! - the spare is listed before it is used: anything in it that its manifest does not list (a
//!   shell left in DIR's old folder during a run writes into the spare afterwards) keeps it
//!   from being used, and is never removed: vdc removes its own files around it and says so;
//! - a spare file is kept only when no link but DIR's same path shares it: a `cp -al` backup of
//!   an old tree is never swapped into DIR, so an edit of the backup cannot reach DIR;
//! - it is used only for a tree of vdc's files alone, with DIR owned by vdc's user: a folder
//!   with files of the user's in it, or rendered by root for another user, is built whole, as
//!   before (rare cases, and the ones with most to get wrong);
//! - a file is always written as a new file, never through an existing one: the spare's files
//!   that DIR kept share their inodes with DIR, and are replaced, so DIR never changes under the
//!   spare's updates.
//!
//! The spare lives in the lock's folder, which git ignores whole, on DIR's file system.
//! Deleting it (when no run holds the lock) only makes the next run build its tree whole.

use super::manifest::{MAX_MANIFEST_BYTES, parse_manifest};
use super::stat_cache::{self, Stamp, StatCache};
use super::swap::{self, Lock, MANIFEST, MARKER, OldDir, Place};
use crate::fsio::handle::{Folder, Identity, me};
use anyhow::{Context, Result, bail};
use rustix::fs::FileType;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// The spare tree's folder in DIR's lock folder.
pub const SPARE: &str = "spare";
/// The spare's stat cache, beside DIR's in the lock folder.
pub const SPARE_STAT_CACHE: &str = "spare-stat-cache";

/// The spare tree, checked, opened and marked as being built.
pub(super) struct Spare {
    pub folder: Folder,
    identity: Identity,
    /// vdc's files in it, with the SHA-256 its manifest lists.
    files: BTreeMap<String, String>,
    cache: StatCache,
}

/// What [`Spare::find`] found in the spare's place.
#[derive(Default)]
pub(super) struct Found {
    folder: Option<Folder>,
    sound: Option<Spare>,
    /// The files its manifest lists, and the SHA-256 of the manifest, when it has one.
    listed: Option<(BTreeMap<String, String>, String)>,
    /// What is in it that vdc did not write (a shell left in DIR's old tree is in the spare
    /// after a run, and what it writes lands there): never used, never removed.
    foreign: Vec<String>,
    /// Whether it carries vdc's marker or manifest at all.
    ours: bool,
}

impl Found {
    /// The spare, when it is sound and `usable` says this run may use it, marked as being
    /// built. Anything else in its place is removed as far as it is vdc's: a spare with files
    /// vdc did not write keeps them (and a note says so), and a folder that is not vdc's spare
    /// is left alone.
    pub fn take(self, lock: &Lock, usable: bool, notes: &mut Vec<String>) -> Option<Spare> {
        let folder = self.folder?;
        if !self.ours {
            notes.push(format!(
                "the lock folder holds `{SPARE}`, which is not vdc's spare tree (it has neither vdc's manifest nor its marker); vdc leaves it as it is and keeps no spare until it is moved away"
            ));
            return None;
        }
        if let (Some((listed, _)), false) = (&self.listed, self.foreign.is_empty()) {
            remove_listed(lock, &folder, listed);
            notes.push(format!(
                "vdc's spare tree (in the lock folder, `{SPARE}/`) holds {} that vdc did not write{}; vdc removed only its own files there, and builds its tree whole until that is moved away",
                self.foreign[0],
                match self.foreign.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                }
            ));
            return None;
        }
        let Some(spare) = self.sound.filter(|_| usable) else {
            discard(lock, &folder, notes);
            return None;
        };
        match spare.mark_as_building(lock) {
            Ok(()) => Some(spare),
            Err(_) => {
                discard(lock, &spare.folder, notes);
                None
            }
        }
    }
}

impl Spare {
    /// What is in the spare's place, read and checked (while DIR is read, on another thread);
    /// nothing of it is touched yet but a file or link there, which is removed.
    pub fn find(lock: &Lock) -> Found {
        let folder = match lock.folder.folder(SPARE) {
            Ok(folder) => folder,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Found::default(),
            Err(_) => {
                let _ = lock.folder.remove_file(SPARE);
                return Found::default();
            }
        };
        let mut found = Found {
            ours: is_ours(&folder),
            ..Found::default()
        };
        // A spare a run was updating when it was killed holds vdc's files alone: it was listed
        // before that run marked it, and is removed whole.
        let sealed = folder.status_of(MARKER).is_err();
        if found.ours && sealed {
            found.listed = read_manifest(&folder);
        }
        if let Some((listed, digest)) = found.listed.take() {
            found.foreign = foreign_entries(&folder, &listed).unwrap_or_else(|err| vec![err]);
            // The list moves into a sound spare (68k paths on a fleet: not worth a copy), and
            // stays in `found` otherwise, for `take` to remove what it lists.
            let opened = folder.folder(".").ok();
            match opened.filter(|_| found.foreign.is_empty()) {
                Some(opened) => match Spare::check(lock, opened, listed, &digest) {
                    Ok(spare) => found.sound = Some(spare),
                    Err(listed) => found.listed = Some((listed, digest)),
                },
                None => found.listed = Some((listed, digest)),
            }
        }
        found.folder = Some(folder);
        found
    }

    /// The spare in `folder`, whose manifest lists `files`, when it is vdc's user's and its
    /// stat cache was written for it; else `files` back.
    fn check(
        lock: &Lock,
        folder: Folder,
        files: BTreeMap<String, String>,
        digest: &str,
    ) -> Result<Spare, BTreeMap<String, String>> {
        let Ok(status) = folder.status() else {
            return Err(files);
        };
        if status.owner.0 != me().0 || status.kind != FileType::Directory {
            return Err(files);
        }
        match StatCache::read(&lock.folder, SPARE_STAT_CACHE, digest, status.identity) {
            Some(cache) => Ok(Spare {
                folder,
                identity: status.identity,
                files,
                cache,
            }),
            None => Err(files),
        }
    }

    /// Marks the spare as being built before anything in it changes: the marker first (it still
    /// says the folder is vdc's), then its stat cache and manifest go, so a run killed from here
    /// on leaves a spare the next run removes.
    fn mark_as_building(&self, lock: &Lock) -> std::io::Result<()> {
        drop(
            self.folder
                .write_new(MARKER, b"vdc is building a tree here\n", 0o644)?,
        );
        lock.folder.remove_file(SPARE_STAT_CACHE)?;
        self.folder.remove_file(MANIFEST)
    }

    /// The status of `file` (`name` in `folder`) when the spare already holds `hash` there,
    /// unchanged since vdc wrote it, and linked from nowhere but DIR's same path (`old`, the
    /// folder of DIR it would be in): the file is kept as it is. A file another link shares (a
    /// `cp -al` backup of an old tree) is written again, so an edit through that link can never
    /// reach DIR.
    pub fn holds(
        &self,
        file: &str,
        hash: &str,
        folder: &Folder,
        name: &str,
        old: Option<&Folder>,
    ) -> Option<Stamp> {
        if self.files.get(file).map(String::as_str) != Some(hash) {
            return None;
        }
        let stat = folder.stat_of(name).ok()?;
        #[allow(clippy::unnecessary_cast)] // the field types differ between systems
        let (links, identity) = (
            stat.st_nlink as u64,
            (stat.st_dev as u64, stat.st_ino as u64),
        );
        let dirs_own = || {
            old.and_then(|old| old.status_of(name).ok())
                .is_some_and(|s| s.identity == identity)
        };
        if !(links == 1 || (links == 2 && dirs_own())) {
            return None;
        }
        self.cache
            .trusts_stat(file, &stat)
            .then(|| Stamp::of_stat(&stat))
            .flatten()
    }

    /// Makes room for a new `file` (`name` in `folder`): the spare's own file there goes.
    pub fn clear(&self, file: &str, folder: &Folder, name: &str) -> std::io::Result<()> {
        if !self.files.contains_key(file) {
            return Ok(());
        }
        match folder.remove_file(name) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    /// Removes the spare's files that the new tree does not hold, and the folders that leaves
    /// empty (vdc never leaves an empty folder).
    pub fn remove_stale(&self, new: &BTreeMap<String, impl Sized>) -> Result<()> {
        let mut folders = BTreeSet::new();
        for file in self.files.keys().filter(|f| !new.contains_key(*f)) {
            let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
            match self.folder.descend(folder) {
                Ok(handle) => self.clear(file, &handle, name),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(err) => Err(err),
            }
            .with_context(|| format!("removing {file} from the spare tree"))?;
            folders.extend(folders_above(file));
        }
        remove_empty_folders(&self.folder, &folders);
        Ok(())
    }

    /// Gives the spare DIR's permissions and drops the marker: its new manifest, written by
    /// now, says it is vdc's.
    pub fn seal(&self, mode: u32) -> Result<()> {
        self.folder.set_mode(mode)?;
        self.folder.remove_file(MARKER)?;
        Ok(())
    }

    /// The folder's identity: DIR's, once it is swapped in.
    pub fn identity(&self) -> Identity {
        self.identity
    }

    /// Removes the spare after a failure.
    pub fn discard(&self, lock: &Lock, notes: &mut Vec<String>) {
        discard(lock, &self.folder, notes);
    }
}

/// Removes the spare folder held open as `folder`, through its handle; what cannot go is a note.
fn discard(lock: &Lock, folder: &Folder, notes: &mut Vec<String>) {
    if let Err(err) = swap::remove_ours(&lock.folder, SPARE, folder) {
        notes.push(format!(
            "could not remove vdc's spare tree in its lock folder: {err}; the next run tries again"
        ));
    }
}

/// Puts the up-to-date spare in DIR's place and DIR's old tree in the spare's, after checking
/// that both names still hold the folders vdc holds open: one exchange where the system has it,
/// else DIR moved aside, the spare renamed in and the old tree moved to the spare's place (a run
/// killed between the first two leaves no DIR, and the next run renames the old tree back).
pub(super) fn swap_in(place: &Place, lock: &Lock, spare: &Spare, old: &OldDir) -> Result<()> {
    let dir = place.dir();
    if lock.folder.status_of(SPARE)?.identity != spare.identity {
        bail!("vdc's spare tree was replaced while vdc built it; nothing was swapped in");
    }
    let now = place.dir_status()?;
    anyhow::ensure!(
        now.is_some_and(|s| s.identity == old.status.identity && s.kind == FileType::Directory),
        "{} was replaced while vdc wrote; nothing was swapped in",
        dir.display()
    );
    let context = || format!("moving the new tree to {}", dir.display());
    match exchange(lock, place) {
        Ok(()) => return Ok(()),
        Err(err) if err.raw_os_error() == Some(libc::EBUSY) => {
            return Err(swap::mount_point(place)).with_context(context);
        }
        Err(err) if !swap::unsupported(&err) => return Err(err).with_context(context),
        Err(_) => {}
    }
    let aside = swap::aside_name(place);
    place
        .parent
        .rename_to(&place.name, &place.parent, &aside, false)
        .with_context(|| format!("moving {} aside", dir.display()))?;
    swap::pause(swap::Pause::MovedAside, &dir);
    lock.folder
        .rename_to(SPARE, &place.parent, &place.name, false)
        .map_err(|err| swap::put_back(place, &aside, err))?;
    if place
        .parent
        .rename_to(&aside, &lock.folder, SPARE, false)
        .is_err()
    {
        swap::remove(place, &aside, &old.folder, &mut Vec::new());
    }
    Ok(())
}

/// The spare and DIR exchanged in one rename, or the error of a system without that rename.
fn exchange(lock: &Lock, place: &Place) -> std::io::Result<()> {
    #[cfg(test)]
    if swap::NO_EXCHANGE.get() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    lock.folder
        .rename_to(SPARE, &place.parent, &place.name, true)
}

/// Keeps the old tree, swapped out beside DIR as `previous`, as the next run's spare; `false`
/// when it cannot be moved there (the caller removes it then).
pub(super) fn keep(place: &Place, lock: &Lock, previous: &str) -> bool {
    place
        .parent
        .rename_to(previous, &lock.folder, SPARE, false)
        .is_ok()
}

/// Writes the spare's stat cache: the old tree's files, as checked at the start of the run.
pub(super) fn write_stat_cache<'a>(
    lock: &Lock,
    manifest_digest: &str,
    old: &OldDir,
    stamps: impl Iterator<Item = (&'a str, &'a Stamp)>,
) {
    let _ = stat_cache::write(
        &lock.folder,
        SPARE_STAT_CACHE,
        manifest_digest,
        old.status.identity,
        stamps,
    );
}

/// Whether the open folder carries vdc's marker or manifest.
fn is_ours(folder: &Folder) -> bool {
    [MARKER, MANIFEST].iter().any(|f| {
        folder
            .status_of(f)
            .is_ok_and(|s| s.kind == FileType::RegularFile)
    })
}

/// The files the spare's manifest lists, and the SHA-256 of its bytes (which the spare's stat
/// cache is written for); read within the bound a manifest vdc wrote stays under.
fn read_manifest(folder: &Folder) -> Option<(BTreeMap<String, String>, String)> {
    let mut bytes = Vec::new();
    folder
        .open_regular(MANIFEST)
        .ok()?
        .take(MAX_MANIFEST_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    parse_manifest(bytes, std::path::Path::new(SPARE)).ok()
}

/// What the spare holds besides its manifest, the regular files it lists and the folders they
/// are in, listed through handles (never following a link), each folder at the top on a thread
/// of its own.
fn foreign_entries(
    folder: &Folder,
    listed: &BTreeMap<String, String>,
) -> Result<Vec<String>, String> {
    use rayon::prelude::*;
    let folders: BTreeSet<&str> = listed.keys().flat_map(|f| folders_above(f)).collect();
    let top = folder.entries().map_err(|e| format!("(unlistable: {e})"))?;
    let found: Vec<Result<Vec<String>, String>> = top
        .par_iter()
        .map(|(name, kind)| {
            let mut foreign = Vec::new();
            if name != MANIFEST || *kind != FileType::RegularFile {
                walk_foreign(folder, name, *kind, name, listed, &folders, &mut foreign)?;
            }
            Ok(foreign)
        })
        .collect();
    let mut out = Vec::new();
    for part in found {
        out.extend(part?);
    }
    Ok(out)
}

/// [`foreign_entries`] below one entry, `name` in `parent`, at `rel`.
fn walk_foreign(
    parent: &Folder,
    name: &str,
    kind: FileType,
    rel: &str,
    listed: &BTreeMap<String, String>,
    folders: &BTreeSet<&str>,
    foreign: &mut Vec<String>,
) -> Result<(), String> {
    match kind {
        FileType::Directory if folders.contains(rel) => {
            let here = parent
                .folder(name)
                .map_err(|e| format!("{rel} (unlistable: {e})"))?;
            for (child, kind) in here
                .entries()
                .map_err(|e| format!("{rel} (unlistable: {e})"))?
            {
                let child_rel = format!("{rel}/{child}");
                walk_foreign(&here, &child, kind, &child_rel, listed, folders, foreign)?;
            }
        }
        FileType::RegularFile if listed.contains_key(rel) => {}
        _ => foreign.push(rel.to_owned()),
    }
    Ok(())
}

/// Removes the files the spare's manifest lists, then its manifest and the folders that leaves
/// empty: what vdc wrote, and nothing else.
fn remove_listed(lock: &Lock, folder: &Folder, listed: &BTreeMap<String, String>) {
    let mut folders = BTreeSet::new();
    for file in listed.keys() {
        let (above, name) = file.rsplit_once('/').unwrap_or(("", file));
        if let Ok(handle) = folder.descend(above) {
            let _ = handle.remove_file(name);
        }
        folders.extend(folders_above(file));
    }
    let _ = folder.remove_file(MANIFEST);
    remove_empty_folders(folder, &folders);
    if let Ok(status) = folder.status() {
        let _ = lock.folder.remove_folder_if(SPARE, status.identity);
    }
}

/// `a/b/c.yaml` → `a/b`, `a`.
fn folders_above(file: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(file.rsplit_once('/').map(|(above, _)| above), |at| {
        at.rsplit_once('/').map(|(above, _)| above)
    })
}

/// Removes the `folders` below `root` that are empty, deepest first; a folder still holding
/// something stays.
fn remove_empty_folders(root: &Folder, folders: &BTreeSet<&str>) {
    for path in folders.iter().rev() {
        let (above, name) = path.rsplit_once('/').unwrap_or(("", path));
        if let Ok(parent) = root.descend(above)
            && let Ok(status) = parent.status_of(name)
        {
            let _ = parent.remove_folder_if(name, status.identity);
        }
    }
}
