//! The machinery around DIR: the lock beside it, vdc's staging folders, and the swap. Every
//! operation is relative to a handle on DIR's parent, opened once ([`Place`]); no path is
//! resolved twice (see [`super::handle`]).
//!
//! - **Lock**: `.DIR.vdc/lock` beside DIR, held with an advisory `flock` for the whole write. A
//!   second run finds it held and stops at once (exit 2, nothing touched) rather than waiting.
//!   The lock file is never removed: removing it would let two runs lock two different files.
//!   Its folder holds a `.gitignore` of `*`, as ruff's and pytest's caches do, so that git
//!   ignores the folder whole and `git add -A` never commits vdc's lock.
//! - **Staging**: `.DIR.vdc-stage-<16 hex digits>`, made with a `mkdir` that fails if the name
//!   exists, then opened without following links and checked to be an empty folder of vdc's
//!   user. Everything is written through that handle, so renaming the folder or putting a link
//!   in its place redirects nothing. It holds a marker file while it is built, and vdc's
//!   manifest from then on: vdc removes only such folders, never a folder of the user's that
//!   happens to share a name, and removes them through handles too.
//! - **Swap**: on Linux, `renameat2(RENAME_EXCHANGE)` swaps the new tree and DIR in one step, so
//!   DIR exists at every instant, old or new. Where that call is missing (other systems, file
//!   systems without it), DIR is moved aside to `.DIR.vdc-old-<hex>` and the new tree renamed in:
//!   a run killed between the two leaves no DIR, and the next run renames the old tree back.

use crate::fsio::handle::{Folder, Identity, Status, me, unguessable};
use anyhow::{Context, Result, bail};
use rustix::fs::FileType;
use std::path::{Path, PathBuf};

/// Lists what vdc wrote: `<sha256>  <path>` per line, like `sha256sum`. The staging folder
/// and the swap know it as the file that makes a folder vdc's.
pub const MANIFEST: &str = ".vdc-manifest";

/// The file that marks a staging folder as vdc's while it has no manifest yet.
pub(super) const MARKER: &str = ".vdc-staging";

/// The moments of a write at which another user of DIR's parent could swap an entry: tests stop
/// vdc there and do the swap, so a race is replayed exactly rather than won by luck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// The staging folder exists and is empty; nothing is written into it yet.
    StagingCreated,
    /// vdc's leftover folders beside DIR are found and checked; none is removed yet.
    LeftoversFound,
    /// DIR is read and the plan made; nothing is carried over yet.
    Planned,
    /// Where the system has no exchange: DIR is moved aside, and the new tree is not yet
    /// renamed in.
    MovedAside,
}

/// What a test does at a [`Pause`].
#[cfg(test)]
pub type Hook = Box<dyn FnMut(Pause, &Path)>;

#[cfg(test)]
thread_local! {
    pub static HOOK: std::cell::RefCell<Option<Hook>> = const { std::cell::RefCell::new(None) };
}

/// Where a test may act in vdc's place (nothing happens outside tests). `path` is the entry the
/// moment concerns: the staging folder, DIR.
pub fn pause(point: Pause, path: &Path) {
    #[cfg(test)]
    HOOK.with(|hook| {
        if let Some(hook) = hook.borrow_mut().as_mut() {
            hook(point, path);
        }
    });
    #[cfg(not(test))]
    let _ = (point, path);
}

/// The longest DIR name used whole in the names vdc gives its files beside DIR: a longer one is
/// shortened (and a digest of it added) so that `.DIR.vdc-stage-<hex>` stays within the 255
/// bytes a file name may have.
const LONGEST_TAGGED_NAME: usize = 200;

/// DIR, as vdc reaches it: its parent, open, and its name there.
pub struct Place {
    pub parent: Folder,
    parent_path: PathBuf,
    pub name: String,
    /// `DIR`'s name in the names of vdc's files beside it.
    tag: String,
}

impl Place {
    /// Opens DIR's parent (creating it if missing).
    pub fn open(dir: &Path) -> Result<Place> {
        let name = dir
            .file_name()
            .with_context(|| format!("{} has no folder name", dir.display()))?
            .to_str()
            .with_context(|| format!("{} is not a UTF-8 name", dir.display()))?
            .to_owned();
        let parent_path = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent_path)
            .with_context(|| format!("creating {}", parent_path.display()))?;
        let parent = Folder::open(&parent_path)
            .with_context(|| format!("opening {}", parent_path.display()))?;
        let tag = if name.len() <= LONGEST_TAGGED_NAME {
            name.clone()
        } else {
            let mut end = LONGEST_TAGGED_NAME - 9;
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}~{:08x}", &name[..end], crate::hash::fnv1_32(&[&name]))
        };
        Ok(Place {
            parent,
            parent_path,
            name,
            tag,
        })
    }

    /// The path of the entry `name` beside DIR, for messages.
    pub fn shown(&self, name: &str) -> PathBuf {
        self.parent_path.join(name)
    }

    /// The name of DIR's lock folder beside it: `.DIR.vdc`.
    pub fn lock_name(&self) -> String {
        format!(".{}.vdc", self.tag)
    }

    /// DIR's path, for messages.
    pub fn dir(&self) -> PathBuf {
        self.shown(&self.name)
    }

    /// DIR's status: `None` when it does not exist.
    pub fn dir_status(&self) -> Result<Option<Status>> {
        match self.parent.status_of(&self.name) {
            Ok(status) => Ok(Some(status)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err).with_context(|| format!("reading {}", self.dir().display())),
        }
    }
}

/// The exclusive lock on DIR, released when dropped (or when the process ends).
pub struct Lock {
    _file: std::fs::File,
    /// `.DIR.vdc`, held open: it also keeps the stat cache (see [`super::stat_cache`]).
    pub(super) folder: Folder,
}

/// Takes DIR's lock, or fails at once when another run holds it.
pub fn lock(place: &Place) -> Result<Lock> {
    let folder_name = place.lock_name();
    let path = place.shown(&folder_name).join("lock");
    let folder = lock_folder(place, &folder_name)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    let file = folder
        .open_lock("lock")
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(Lock {
            _file: file,
            folder,
        }),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another vdc run is writing {} (it holds {}); nothing was touched, run again when it is done",
            place.dir().display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(err)) => {
            Err(err).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// The folder `.DIR.vdc` of DIR's lock, made if missing (never through a link), with the
/// `.gitignore` that keeps it out of git.
fn lock_folder(place: &Place, name: &str) -> std::io::Result<Folder> {
    let folder = match place.parent.make_folder(name, 0o755) {
        Ok(folder) => folder,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => place.parent.folder(name)?,
        Err(err) => return Err(err),
    };
    // A convenience: a folder made by someone else, read-only to vdc, still locks.
    let _ = folder.write_new(
        ".gitignore",
        b"# vdc's lock for the folder beside this one\n*\n",
        0o644,
    );
    Ok(folder)
}

/// A staging folder of vdc's own, created for this run, held open.
pub struct Staging {
    pub folder: Folder,
    pub name: String,
    identity: Identity,
}

impl Staging {
    /// Creates `.DIR.vdc-stage-<hex>` beside DIR, failing rather than reusing anything there,
    /// and checks that the folder opened is the empty one vdc made.
    pub fn create(place: &Place) -> Result<Staging> {
        let name = format!(".{}.vdc-stage-{}", place.tag, unguessable());
        let shown = place.shown(&name);
        let folder = place
            .parent
            .make_folder(&name, 0o700)
            .with_context(|| format!("creating the staging folder {}", shown.display()))?;
        let status = folder.status()?;
        if status.owner.0 != me().0 || !folder.entries()?.is_empty() {
            bail!(
                "{} was replaced as vdc created it; nothing was written",
                shown.display()
            );
        }
        let staging = Staging {
            folder,
            name,
            identity: status.identity,
        };
        if let Err(err) = staging
            .folder
            .write_new(MARKER, b"vdc is building a tree here\n", 0o644)
        {
            staging.discard(place);
            return Err(err).with_context(|| format!("writing into {}", shown.display()));
        }
        Ok(staging)
    }

    /// The folder's device and inode: DIR's, once it is swapped in.
    pub fn identity(&self) -> Identity {
        self.identity
    }

    /// Gives the folder its final permissions and owner, then drops the marker (the manifest
    /// now says it is vdc's).
    pub fn seal(&self, mode: u32, owner: Option<(u32, u32)>) -> Result<()> {
        self.folder.set_mode(mode)?;
        if let Some(owner) = owner {
            self.folder.chown(".", owner)?;
        }
        self.folder.remove_file(MARKER)?;
        Ok(())
    }

    /// Removes the staging folder after a failure: through its handle, then its name only if
    /// that is still this folder.
    pub fn discard(&self, place: &Place) {
        let _ = self.folder.remove_contents(&[MARKER, MANIFEST]);
        let _ = place.parent.remove_folder_if(&self.name, self.identity);
    }
}

/// Whether the open folder is vdc's: it holds vdc's marker or manifest, and it belongs to the
/// user vdc runs as (no one else can give vdc a folder to empty).
fn is_ours(folder: &Folder) -> bool {
    folder.status().is_ok_and(|s| s.owner.0 == me().0)
        && [MARKER, MANIFEST].iter().any(|f| {
            folder
                .status_of(f)
                .is_ok_and(|s| s.kind == FileType::RegularFile)
        })
}

/// One of vdc's folders from a killed run, held open.
struct Leftover {
    name: String,
    folder: Folder,
}

/// vdc's leftover folders beside DIR with the given infix (`stage` or `old`), sorted, each
/// opened without following links and checked to be vdc's.
fn leftovers(place: &Place, infix: &str) -> Vec<Leftover> {
    let prefix = format!(".{}.vdc-{infix}-", place.tag);
    let Ok(entries) = place.parent.entries() else {
        return Vec::new();
    };
    entries
        .into_iter()
        .filter(|(name, kind)| {
            *kind == FileType::Directory
                && name.strip_prefix(&prefix).is_some_and(|suffix| {
                    suffix.len() == 16 && suffix.bytes().all(|b| b.is_ascii_hexdigit())
                })
        })
        .filter_map(|(name, _)| {
            let folder = place.parent.folder(&name).ok()?;
            is_ours(&folder).then_some(Leftover { name, folder })
        })
        .collect()
}

/// Cleans up after killed runs: puts back a tree moved aside when DIR is missing, removes vdc's
/// other leftovers. What cannot be removed (an immutable file, say) is reported, not fatal.
pub fn recover(place: &Place) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let mut aside = leftovers(place, "old");
    let stages = leftovers(place, "stage");
    pause(Pause::LeftoversFound, &place.dir());
    if place.dir_status()?.is_none()
        && let Some(old) = aside.pop()
    {
        rename(place, &old.name, &place.name, false)
            .with_context(|| format!("restoring {}", place.dir().display()))?;
    }
    for leftover in aside.into_iter().chain(stages) {
        remove(place, &leftover.name, &leftover.folder, &mut notes);
    }
    Ok(notes)
}

/// Removes a folder of vdc's, held open as `folder` and named `name` beside DIR; a failure
/// becomes a note. Its manifest or marker goes last, so a folder that could not be removed
/// whole is still known as vdc's to the next run.
pub fn remove(place: &Place, name: &str, folder: &Folder, notes: &mut Vec<String>) {
    if let Err(err) = remove_ours(&place.parent, name, folder) {
        notes.push(format!(
            "could not remove vdc's leftover folder {}: {err}; the next run tries again",
            place.shown(name).display()
        ));
    }
}

/// Empties the folder of vdc's held open as `folder`, its marker and manifest last, then removes
/// it from `within`, where it is named `name`, if that name still holds it.
pub(super) fn remove_ours(within: &Folder, name: &str, folder: &Folder) -> std::io::Result<()> {
    folder
        .remove_contents(&[MARKER, MANIFEST])
        .and_then(|()| folder.status())
        .and_then(|status| within.remove_folder_if(name, status.identity))
}

#[cfg(test)]
thread_local! {
    /// Makes every exchange fail as on a system without it, so tests take the fallback.
    pub static NO_EXCHANGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Renames `from` to `to` beside DIR: exchanging the two when `exchange`, else never replacing
/// anything at `to`.
fn rename(place: &Place, from: &str, to: &str, exchange: bool) -> std::io::Result<()> {
    #[cfg(test)]
    if exchange && NO_EXCHANGE.get() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    let parent = &place.parent;
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::RenameFlags;
        let flags = if exchange {
            RenameFlags::EXCHANGE
        } else {
            RenameFlags::NOREPLACE
        };
        match parent.rename_with(from, to, flags) {
            Err(err) if unsupported(&err) => {}
            done => return done,
        }
    }
    if exchange {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    if parent.status_of(to).is_ok() {
        return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
    }
    parent.rename(from, to)
}

/// Whether an error means "this system or file system has no such rename", so the fallback
/// applies.
pub(super) fn unsupported(err: &std::io::Error) -> bool {
    err.kind() == std::io::ErrorKind::Unsupported
        || matches!(err.raw_os_error(), Some(libc::ENOSYS | libc::EINVAL))
}

/// Why vdc cannot write into a DIR that is a mount point.
pub fn mount_point(place: &Place) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is a mount point (a file system or a folder is mounted on it, as `docker run -v HOST:{}` does); the kernel refuses to rename a mount point, and vdc keeps DIR whole at every instant only by swapping it in by one rename, so it refuses to write there and nothing was touched. Mount the folder above DIR instead (`-v \"$PWD\":/work`, then `--out /work/out`)",
        place.dir().display(),
        place.dir().display()
    )
}

/// DIR as found at the start, held open.
pub struct OldDir {
    pub folder: Folder,
    pub status: Status,
}

/// Puts the sealed staging folder in DIR's place, after checking that both names still hold
/// the folders vdc holds open. Returns the name the old tree now has beside DIR, for the
/// caller to keep as the spare or remove.
pub fn swap_in(place: &Place, staging: &Staging, old: Option<&OldDir>) -> Result<Option<String>> {
    let dir = place.dir();
    let context = || format!("moving the new tree to {}", dir.display());
    if place.parent.status_of(&staging.name)?.identity != staging.identity {
        bail!(
            "{} was replaced while vdc built it; nothing was swapped in",
            place.shown(&staging.name).display()
        );
    }
    let Some(old) = old else {
        return match rename(place, &staging.name, &place.name, false) {
            Ok(()) => Ok(None),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                bail!(
                    "{} appeared while vdc wrote; nothing was swapped in",
                    dir.display()
                )
            }
            Err(err) => Err(err).with_context(context),
        };
    };
    let now = place.dir_status()?;
    anyhow::ensure!(
        now.is_some_and(|s| s.identity == old.status.identity && s.kind == FileType::Directory),
        "{} was replaced while vdc wrote; nothing was swapped in",
        dir.display()
    );
    match rename(place, &staging.name, &place.name, true) {
        Ok(()) => return Ok(Some(staging.name.clone())),
        Err(err) if err.raw_os_error() == Some(libc::EBUSY) => {
            return Err(mount_point(place)).with_context(context);
        }
        Err(err) if !unsupported(&err) => return Err(err).with_context(context),
        Err(_) => {}
    }
    let aside = aside_name(place);
    rename(place, &place.name, &aside, false)
        .with_context(|| format!("moving {} aside", dir.display()))?;
    pause(Pause::MovedAside, &dir);
    rename(place, &staging.name, &place.name, false).map_err(|err| put_back(place, &aside, err))?;
    Ok(Some(aside))
}

/// The error of a new tree that could not take DIR's place after DIR was moved aside as
/// `aside`, with DIR put back first, so that the failed run leaves it as it was (and a retry
/// finds it); when even that fails, the error says where the old tree is.
pub(super) fn put_back(place: &Place, aside: &str, err: std::io::Error) -> anyhow::Error {
    let dir = place.dir();
    let what = match rename(place, aside, &place.name, false) {
        Ok(()) => format!("{} is as it was", dir.display()),
        Err(_) => format!(
            "its old tree is left at {} (vdc's next run there renames it back if DIR is missing, else removes it)",
            place.shown(aside).display()
        ),
    };
    anyhow::Error::new(err).context(format!("moving the new tree to {}; {what}", dir.display()))
}

/// A new name beside DIR for its old tree moved aside: `.DIR.vdc-old-<hex>`, which the next run
/// renames back when DIR is missing.
pub(super) fn aside_name(place: &Place) -> String {
    format!(".{}.vdc-old-{}", place.tag, unguessable())
}

/// The absolute path `path` would have, with the links of its existing part resolved.
fn resolved(path: &Path) -> Result<PathBuf> {
    let mut existing = std::path::absolute(path)?;
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        let Some(name) = existing.file_name() else {
            break;
        };
        rest.push(name.to_owned());
        existing.pop();
    }
    let mut out = existing
        .canonicalize()
        .with_context(|| format!("resolving {}", existing.display()))?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}

/// Refuses an `--out` DIR that `render INPUT --out DIR` could never write, before anything is
/// read: one holding the folder vdc runs in, or overlapping INPUT. What render checks, and
/// what a hint naming that command checks first.
pub fn refuse_out_dir(input: &Path, dir: &Path) -> Result<()> {
    refuse_around_working_folder(dir)?;
    refuse_overlap(input, dir)
}

/// Refuses a cache folder inside DIR, or one holding DIR (or DIR itself), before anything is
/// read: render would write the cache into the folder it swaps out, and then either refuse DIR
/// as not its own or keep the cache's files there as the user's.
pub fn refuse_cache_dir(dir: &Path, cache: &Path) -> Result<()> {
    let (out, kept) = (resolved(dir)?, resolved(cache)?);
    let overlap = if kept == out {
        "is the same folder as"
    } else if kept.starts_with(&out) {
        "is inside"
    } else if out.starts_with(&kept) {
        "holds"
    } else {
        return Ok(());
    };
    bail!(
        "the cache folder {} {overlap} --out {}; vdc would write its cache where it puts its own tree, so it refuses (choose a --cache outside DIR and not around it, or --no-cache)",
        cache.display(),
        dir.display()
    );
}

/// A DIR that holds the folder vdc runs in (`--out .`, `--out ..`): the swap renames a new tree
/// into DIR's place, so the shell that ran vdc would be left in the old tree, which vdc then
/// keeps as its spare or removes. Refused, saying how to name DIR instead.
fn refuse_around_working_folder(dir: &Path) -> Result<()> {
    let Ok(here) = std::env::current_dir().and_then(|d| d.canonicalize()) else {
        return Ok(());
    };
    let out = resolved(dir)?;
    if here.starts_with(&out) {
        let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
            bail!(
                "--out {} is the root folder; vdc writes into a folder of its own",
                dir.display()
            );
        };
        bail!(
            "--out {} is the folder vdc runs in, or holds it; vdc puts its new tree in DIR's place by renaming it there, which would leave your shell in the old tree, so it refuses (run vdc from outside DIR: `cd {} && vdc render … --out {}`)",
            dir.display(),
            parent.display(),
            name.to_string_lossy()
        );
    }
    Ok(())
}

/// `--out` inside INPUT would have the next run read vdc's own output as input; INPUT inside
/// `--out` would have vdc replace INPUT's files by a copy of them on every run, and remove them
/// the moment INPUT is moved. Both are refused.
fn refuse_overlap(input: &Path, dir: &Path) -> Result<()> {
    let Ok(input) = input.canonicalize() else {
        return Ok(());
    };
    let out = resolved(dir)?;
    if out == input {
        bail!(
            "--out {} is INPUT itself; vdc owns the folder it writes and would replace INPUT with its output, so it refuses (choose a folder outside INPUT)",
            dir.display()
        );
    }
    if out.starts_with(&input) {
        bail!(
            "--out {} is inside INPUT {}; the next run would read vdc's own output as input, so vdc refuses (choose a folder outside INPUT)",
            dir.display(),
            input.display()
        );
    }
    if input.starts_with(&out) {
        bail!(
            "INPUT {} is inside --out {}; vdc owns that folder and would rewrite INPUT's files as its own on every run, so it refuses (choose a folder outside INPUT and not around it)",
            input.display(),
            dir.display()
        );
    }
    Ok(())
}
