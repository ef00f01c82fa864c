//! Writing the `--out` tree: all or nothing, never touching a file vdc did not write.
//!
//! The new tree is built in a staging folder of vdc's own beside DIR and swapped in whole, under
//! a lock held for the whole run (see [`super::swap`]); once DIR has an old tree to keep, that
//! folder is the spare, the tree DIR had before, brought up to date (see [`super::spare`]). DIR stays a real folder and exists at
//! every instant. What vdc finds in DIR that it did not write is carried over as it is:
//! regular files, symbolic links (as links, never as copies of their targets) and empty
//! folders. Anything else (a FIFO, a device, a socket, a name that is not UTF-8) is refused,
//! naming the file and why, before anything is touched.
//!
//! The new files arrive as a stream of batches, one cluster's at a time, each written into the
//! staging folder and dropped before the next is asked for ([`super::build`]): a fleet's output
//! is never in memory whole as text. A refusal found in any batch (a file of the user's in the
//! way, a path generated twice) or a batch that is an error discards the staging folder, so DIR
//! is untouched. Files vdc wrote before are checked before the first batch is asked for, each
//! either vouched for by the stat cache beside the lock or read back ([`super::stat_cache`]).

use super::build::{Builder, Built, Owned, Plan};
use super::manifest::{MAX_MANIFEST_BYTES, parse_manifest, sha256};
use super::spare::{self, Spare};
use super::stat_cache::{self, STAT_CACHE, Stamp, StatCache};
use super::swap::{self, OldDir, Place, Staging};
use crate::fsio::handle::{Identity, me};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustix::fs::FileType;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

pub use super::build::WriteSummary;
pub use super::swap::MANIFEST;

/// Files vdc wrote are read back to check them; none comes near this.
const MAX_OWNED_BYTES: u64 = 512 * 1024 * 1024;

/// Reads DIR's manifest: path → sha256 of what vdc wrote there.
pub fn read_manifest(dir: &Path) -> Result<Option<BTreeMap<String, String>>> {
    Ok(load_manifest(dir)?.map(|(entries, _)| entries))
}

/// DIR's manifest, and the SHA-256 of its bytes (which the stat cache is written for).
fn load_manifest(dir: &Path) -> Result<Option<(BTreeMap<String, String>, String)>> {
    let path = dir.join(MANIFEST);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    let bytes = crate::fsio::read_capped(&path, MAX_MANIFEST_BYTES, false)
        .with_context(|| format!("reading {}", path.display()))?;
    parse_manifest(bytes, &path).map(Some)
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

/// Lists DIR without following any link in it, refusing what vdc cannot carry over. Each
/// folder at the top (a fleet's output has one per cluster) is walked on a thread of its own;
/// the lists are joined in file-name order, as one walk gives them.
fn contents(dir: &Path) -> Result<Contents> {
    let listing = || format!("listing {}", dir.display());
    let top: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .collect::<Result<_, _>>()
        .with_context(listing)?;
    let parts: Vec<Result<Contents>> = top
        .par_iter()
        .map(|entry| {
            let mut part = Contents::default();
            let mut folders = Vec::new();
            let mut parents = HashSet::new();
            // A link at the top is an entry like any other: never followed.
            let below = walkdir::WalkDir::new(entry.path())
                .follow_root_links(false)
                .max_depth(if entry.file_type().is_dir() {
                    usize::MAX
                } else {
                    0
                })
                .sort_by_file_name();
            for entry in below {
                let entry = entry.with_context(listing)?;
                let rel = relative_name(dir, entry.path())?;
                if let Some((parent, _)) = rel.rsplit_once('/') {
                    parents.insert(parent.to_owned());
                }
                add_entry(&mut part, &mut folders, &entry, rel)?;
            }
            part.empty_folders = folders
                .into_iter()
                .filter(|f| !parents.contains(f))
                .collect();
            Ok(part)
        })
        .collect();
    let mut out = Contents::default();
    for part in parts {
        let part = part?;
        out.files.extend(part.files);
        out.links.extend(part.links);
        out.empty_folders.extend(part.empty_folders);
    }
    Ok(out)
}

/// `path` below `dir` as a `/`-separated relative path, which must be UTF-8.
fn relative_name(dir: &Path, path: &Path) -> Result<String> {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    match rel.to_str() {
        Some(rel) => Ok(rel.replace(std::path::MAIN_SEPARATOR, "/")),
        None => bail!(
            "{} has a name that is not UTF-8; vdc records paths in its manifest as UTF-8, so it refuses to carry that file over (rename it, or move it away)",
            path.display()
        ),
    }
}

/// Sorts one entry of DIR into `out` (a folder into `folders`), refusing what vdc cannot carry.
fn add_entry(
    out: &mut Contents,
    folders: &mut Vec<String>,
    entry: &walkdir::DirEntry,
    rel: String,
) -> Result<()> {
    let file_type = entry.file_type();
    if file_type.is_dir() {
        folders.push(rel);
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
    Ok(())
}

/// A regular file with a single link (elsewhere vdc never links, so always `false`).
#[cfg(unix)]
pub(super) fn is_lone_file(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.file_type().is_file() && meta.nlink() == 1
}

#[cfg(not(unix))]
fn is_lone_file(_: &fs::Metadata) -> bool {
    false
}

/// Writes the new content of `dir` from the batches `batches()` gives: each batch is one
/// cluster's files (path → text), and is written and dropped before the next is asked for, so
/// the whole output is never in memory. `batches` gives the same batches each time it is called:
/// a run whose spare tree cannot be brought up to date asks for them again and builds the tree
/// whole (a file in the spare made immutable, say; a failed batch or a refusal fails the same
/// way a second time, and then the run fails). `keep` decides which files vdc wrote before but does
/// not produce now are kept rather than removed (the clusters a `--cluster` run left out). All
/// or nothing: an `Err` batch, or a refusal found in any batch, leaves DIR as it was.
pub fn write_tree<B, I>(dir: &Path, batches: B, keep: impl Fn(&str) -> bool) -> Result<WriteSummary>
where
    B: Fn() -> I,
    I: IntoIterator<Item = Result<Vec<(String, String)>>>,
{
    let place = Place::open(dir)?;
    refuse_before_locking(&place, dir)?;
    let lock = swap::lock(&place)?;
    let notes = swap::recover(&place)?;
    let old = open_old(&place, dir)?;
    let (plan, found) = rayon::join(
        || match &old {
            Some(old) => plan(dir, old, &lock),
            None => Ok(Plan::default()),
        },
        || Spare::find(&lock),
    );
    let mut plan = plan?;
    plan.summary.notes = notes;
    swap::pause(swap::Pause::Planned, dir);
    let usable = old.as_ref().is_some_and(|old| spare_usable(&plan, old));
    let spare = found.take(&lock, usable, &mut plan.summary.notes);
    let updated = match (&spare, &old) {
        (Some(spare), Some(old)) => {
            update_spare(&place, &lock, spare, old, batches(), &mut plan, &keep)
                .ok()
                .map(|built| (built, spare.identity(), true))
        }
        _ => None,
    };
    let (built, identity, old_kept) = match updated {
        Some(done) => done,
        None => {
            // A spare that could not be brought up to date is discarded by now: the tree is
            // built whole and counted afresh, and any refusal or failed batch is met again.
            let summary = &mut plan.summary;
            (summary.written, summary.unchanged, summary.removed) = (0, 0, 0);
            write_staging(
                &place,
                &lock,
                old.as_ref(),
                usable,
                batches(),
                &mut plan,
                &keep,
            )?
        }
    };
    // Last, so that every change vdc made to the files is older than the caches. A cache that
    // cannot be written only means the next run reads the files back (or builds its tree whole).
    let dir_cache = || {
        let stamps = built.stamps();
        let _ = stat_cache::write(
            &lock.folder,
            STAT_CACHE,
            &built.manifest_digest,
            identity,
            stamps,
        );
    };
    let spare_cache = || {
        if let (Some(old), Some(digest), true) = (&old, &plan.manifest_digest, old_kept) {
            let stamps = plan
                .owned
                .iter()
                .filter_map(|(path, owned)| Some((path.as_str(), owned.stamp.as_ref()?)));
            spare::write_stat_cache(&lock, digest, old, stamps);
        }
    };
    rayon::join(dir_cache, spare_cache);
    Ok(plan.summary)
}

/// Whether a run may keep or use a spare for DIR: DIR (or the tree it had) holds vdc's files
/// alone, and belongs to vdc's user (whatever its group: a setgid folder gives its own).
fn spare_usable(plan: &Plan, old: &OldDir) -> bool {
    plan.user_files.is_empty() && plan.empty_folders.is_empty() && old.status.owner.0 == me().0
}

/// Builds the new tree whole in a staging folder beside DIR and swaps it in; the old tree is
/// then kept as the next run's spare when `usable`, else removed. Returns what was built, the
/// new DIR's identity, and whether the old tree is the spare now.
fn write_staging<I>(
    place: &Place,
    lock: &swap::Lock,
    old: Option<&OldDir>,
    usable: bool,
    batches: I,
    plan: &mut Plan,
    keep: &impl Fn(&str) -> bool,
) -> Result<(Built, Identity, bool)>
where
    I: IntoIterator<Item = Result<Vec<(String, String)>>>,
{
    let dir = &place.dir();
    let staging = Staging::create(place)?;
    swap::pause(swap::Pause::StagingCreated, &place.shown(&staging.name));
    let owner = owner_to_keep(old, &staging, &mut plan.summary.notes);
    let built = Builder {
        dir,
        old: old.map(|o| &o.folder),
        new: &staging.folder,
        owner,
        spare: None,
    }
    .build(batches, plan, keep);
    let swapped = built.and_then(|built| {
        staging.seal(old.map_or(0o755, |o| o.status.mode), owner)?;
        Ok((built, swap::swap_in(place, &staging, old)?))
    });
    match swapped {
        Ok((built, previous)) => {
            let mut kept = false;
            if let (Some(previous), Some(old)) = (previous, old) {
                kept =
                    usable && plan.manifest_digest.is_some() && spare::keep(place, lock, &previous);
                if !kept {
                    swap::remove(place, &previous, &old.folder, &mut plan.summary.notes);
                }
            }
            Ok((built, staging.identity(), kept))
        }
        Err(err) => {
            staging.discard(place);
            Err(err)
        }
    }
}

/// Brings the spare tree up to date and swaps it in; DIR's old tree becomes the next spare.
fn update_spare<I>(
    place: &Place,
    lock: &swap::Lock,
    spare: &Spare,
    old: &OldDir,
    batches: I,
    plan: &mut Plan,
    keep: &impl Fn(&str) -> bool,
) -> Result<Built>
where
    I: IntoIterator<Item = Result<Vec<(String, String)>>>,
{
    let dir = &place.dir();
    swap::pause(
        swap::Pause::StagingCreated,
        &place.shown(&place.lock_name()).join(spare::SPARE),
    );
    let built = Builder {
        dir,
        old: Some(&old.folder),
        new: &spare.folder,
        owner: None,
        spare: Some(spare),
    }
    .build(batches, plan, keep);
    let swapped = built.and_then(|built| {
        spare.seal(old.status.mode)?;
        spare::swap_in(place, lock, spare, old)?;
        Ok(built)
    });
    swapped.inspect_err(|_| spare.discard(lock, &mut plan.summary.notes))
}

/// Refuses, before the lock's folder is made beside DIR, a DIR that is no folder or holds what
/// vdc did not write, so that a refused run leaves nothing behind. Not a guard by itself: DIR
/// may change until the lock is held, and under it every check is made again.
fn refuse_before_locking(place: &Place, dir: &Path) -> Result<()> {
    if open_old(place, dir)?.is_some()
        && fs::symlink_metadata(dir.join(MANIFEST)).is_err()
        && fs::read_dir(dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(not_written_by_vdc(dir));
    }
    Ok(())
}

fn not_written_by_vdc(dir: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is not empty and has no {MANIFEST}, so vdc did not write it; refusing to write there (choose an empty or new folder)",
        dir.display()
    )
}

/// DIR as found, opened; `None` when it does not exist. Anything but a real folder is refused.
fn open_old(place: &Place, dir: &Path) -> Result<Option<OldDir>> {
    match place.dir_status()? {
        Some(status) if status.kind == FileType::Symlink => bail!(
            "{} is a symbolic link; vdc writes only into a real folder (it is committed as is), so it refuses to write there",
            dir.display()
        ),
        Some(status) if status.kind != FileType::Directory => {
            bail!("{} exists and is not a folder", dir.display())
        }
        Some(_) if place.parent.is_mount_point(&place.name) => Err(swap::mount_point(place)),
        Some(status) => {
            let folder = place
                .parent
                .folder(&place.name)
                .with_context(|| format!("opening {}", dir.display()))?;
            Ok(Some(OldDir { folder, status }))
        }
        None => Ok(None),
    }
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

/// Reads DIR: the user's files, and vdc's, each checked against the manifest. What the new tree
/// does with them is decided as its files arrive (see [`Builder`]).
fn plan(dir: &Path, old: &OldDir, lock: &swap::Lock) -> Result<Plan> {
    let present = contents(dir)?;
    let mut plan_digest = None;
    let (mut owned, cache) = match load_manifest(dir)? {
        Some((owned, digest)) => {
            let cache = StatCache::read(&lock.folder, STAT_CACHE, &digest, old.status.identity);
            plan_digest = Some(digest);
            (owned, cache)
        }
        None if present.files.is_empty() && present.empty_folders.is_empty() => {
            (BTreeMap::new(), None)
        }
        None => return Err(not_written_by_vdc(dir)),
    };
    let mut plan = Plan {
        links: present.links,
        empty_folders: present.empty_folders,
        manifest_digest: plan_digest,
        ..Plan::default()
    };
    let mut written_before = Vec::new();
    for file in present.files {
        if file == MANIFEST {
            continue;
        }
        match owned.remove(&file) {
            None => {
                plan.user_files.insert(file);
            }
            Some(hash) => written_before.push((file, hash)),
        }
    }
    plan.owned = check_owned(dir, written_before, cache.as_ref())?;
    Ok(plan)
}

/// Makes sure nobody edited a file vdc wrote: a file the stat cache vouches for is not read
/// (see [`stat_cache`]); every other one is read back and hashed, in parallel. Only a regular
/// file is read (a FIFO put in its place is refused, not waited on).
fn check_owned(
    dir: &Path,
    written_before: Vec<(String, String)>,
    cache: Option<&StatCache>,
) -> Result<BTreeMap<String, Owned>> {
    written_before
        .into_par_iter()
        .map(|(file, hash)| {
            let path = dir.join(&file);
            // The status is taken before the bytes are read: an edit after it changes the
            // status, so the next run reads the file again.
            let meta = fs::symlink_metadata(&path).ok();
            let trusted = cache
                .zip(meta.as_ref())
                .is_some_and(|(cache, meta)| cache.trusts(&file, meta));
            if !trusted {
                let data = crate::fsio::read_capped(&path, MAX_OWNED_BYTES, true)
                    .with_context(|| format!("reading {}", path.display()))?;
                if sha256(&data) != hash {
                    bail!(
                        "{}/{file} was changed after vdc wrote it; refusing to overwrite or remove it (restore it, or move it away)",
                        dir.display()
                    );
                }
            }
            let owned = Owned {
                hash,
                alone: meta.as_ref().is_some_and(is_lone_file),
                stamp: meta.as_ref().and_then(Stamp::of),
            };
            Ok((file, owned))
        })
        // Collected in order before the first error is taken, so it names the same file
        // whichever thread found it.
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect()
}
