//! The stat cache: what vdc needs to trust a file it wrote without reading it back.
//!
//! `render --out` refuses to overwrite or remove a file of DIR that was edited after vdc wrote
//! it, so it must know that each file still holds the bytes its manifest lists. Reading every
//! file back was most of a warm re-render's system time (68k files for a 100-cluster fleet).
//! So, as git's index does, vdc keeps each file's size, modification time (in ns) and inode as
//! they were when it wrote (or last checked) the file, and reads back only a file whose status
//! says it may have changed:
//!
//! - its size, modification time, inode or device differ from the recorded ones, or it is no
//!   longer a regular file;
//! - it is *racy*: its modification or status-change time is not before the time the cache was
//!   written (an edit in the same clock tick as vdc's write keeps the time, so such a file is
//!   read, as git does with files as new as its index);
//! - the cache is missing, damaged, or was written for another manifest or another folder than
//!   the DIR found now (a tree written by an older vdc, a manifest edited, DIR replaced).
//!
//! The status-change time (`ctime`) is what catches an edit whose modification time was set back
//! afterwards (`touch -r`, `set_times`): the kernel sets it on every change and nobody can set it
//! back. A cache is written after everything vdc does to the files of a run (linking a file
//! into another tree, or unlinking it from one, changes its status-change time), so every file
//! vdc wrote has its status changed before the cache's time. The same rules serve the spare
//! tree's cache (`spare-stat-cache`, see [`super::spare`]). The known limit: a file edited while
//! the run that wrote it was still going (before it wrote its caches), keeping its size,
//! with its modification time set back to vdc's, is not read back; nor is an edit of the same
//! size made within the same clock tick as vdc's own write or read of the file. Git's index has
//! the same limits (its racy-git notes).
//!
//! The cache lives beside the lock, in `.DIR.vdc/stat-cache`, which git ignores, and not in the
//! manifest: the manifest is committed with the output (GitOps repositories, shard artifacts
//! joined by path) and is the same bytes on every machine, while inodes and times belong to one
//! machine's copy of the tree.

use crate::fsio::handle::{Folder, Identity};
use std::collections::HashMap;
use std::fs;
use std::io::{self, Read};

/// The cache's file in DIR's lock folder.
pub const STAT_CACHE: &str = "stat-cache";
/// The first line of the format this vdc reads and writes.
const HEADER: &str = "# vdc stat cache 1: the status of the files vdc wrote in the folder beside this one; safe to delete";
/// A cache larger than this is not one vdc wrote.
const MAX_CACHE_BYTES: u64 = 512 * 1024 * 1024;

/// What identifies a file's content without reading it: a regular file's size, modification
/// time, inode and device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    modified_ns: i128,
    inode: u64,
    device: u64,
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else (never trusted).
    #[cfg(unix)]
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        meta.file_type().is_file().then(|| Stamp {
            size: meta.size(),
            modified_ns: nanoseconds(meta.mtime(), meta.mtime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &fs::Metadata) -> Option<Stamp> {
        None
    }

    /// The stamp of a regular file from its `stat`, taken through a folder's handle.
    #[allow(clippy::unnecessary_cast)] // the field types differ between systems
    pub fn of_stat(stat: &rustix::fs::Stat) -> Option<Stamp> {
        let kind = rustix::fs::FileType::from_raw_mode(stat.st_mode as _);
        (kind == rustix::fs::FileType::RegularFile).then(|| Stamp {
            size: stat.st_size as u64,
            modified_ns: nanoseconds(stat.st_mtime as i64, stat.st_mtime_nsec as i64),
            inode: stat.st_ino as u64,
            device: stat.st_dev as u64,
        })
    }
}

/// The status-change time of a `stat`, in ns.
#[allow(clippy::unnecessary_cast)]
fn changed_ns_of_stat(stat: &rustix::fs::Stat) -> i128 {
    nanoseconds(stat.st_ctime as i64, stat.st_ctime_nsec as i64)
}

fn nanoseconds(seconds: i64, nanos: i64) -> i128 {
    i128::from(seconds) * 1_000_000_000 + i128::from(nanos)
}

/// The time of the last change to a file's status (`ctime`), in ns.
#[cfg(unix)]
fn changed_ns(meta: &fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    nanoseconds(meta.ctime(), meta.ctime_nsec())
}

#[cfg(not(unix))]
fn changed_ns(_: &fs::Metadata) -> i128 {
    i128::MAX
}

/// A stat cache read back, valid for the manifest and the folder it was found with.
pub struct StatCache {
    stamps: HashMap<String, (u64, i128, u64)>,
    device: u64,
    /// When the cache was written, by the file system's clock (its modification time).
    written_ns: i128,
}

impl StatCache {
    /// Reads the cache `name` in `lock_folder` ([`STAT_CACHE`] for DIR), if it was written for
    /// the manifest whose bytes have `manifest_digest` and for the folder `dir` found now.
    /// Anything else is no cache: every file is read back, as without one.
    pub fn read(
        lock_folder: &Folder,
        name: &str,
        manifest_digest: &str,
        dir: Identity,
    ) -> Option<StatCache> {
        let mut file = lock_folder.open_regular(name).ok()?;
        let meta = file.metadata().ok()?;
        let mut text = String::new();
        file.by_ref()
            .take(MAX_CACHE_BYTES)
            .read_to_string(&mut text)
            .ok()?;
        let mut lines = text.lines();
        let expected = [
            HEADER.to_owned(),
            format!("manifest {manifest_digest}"),
            format!("folder {} {}", dir.0, dir.1),
        ];
        if !expected.iter().all(|line| lines.next() == Some(line)) {
            return None;
        }
        let stamps = lines.map(parse_line).collect::<Option<_>>()?;
        Some(StatCache {
            stamps,
            device: dir.0,
            written_ns: Stamp::of(&meta)?.modified_ns,
        })
    }

    /// Whether `file`, with status `meta` now, certainly holds what vdc wrote there.
    pub fn trusts(&self, file: &str, meta: &fs::Metadata) -> bool {
        self.trusts_status(file, Stamp::of(meta), changed_ns(meta))
    }

    /// [`StatCache::trusts`], for a status taken through a folder's handle.
    pub fn trusts_stat(&self, file: &str, stat: &rustix::fs::Stat) -> bool {
        self.trusts_status(file, Stamp::of_stat(stat), changed_ns_of_stat(stat))
    }

    fn trusts_status(&self, file: &str, now: Option<Stamp>, changed_ns: i128) -> bool {
        let (Some(&(size, modified_ns, inode)), Some(now)) = (self.stamps.get(file), now) else {
            return false;
        };
        let recorded = Stamp {
            size,
            modified_ns,
            inode,
            device: self.device,
        };
        now == recorded && modified_ns < self.written_ns && changed_ns < self.written_ns
    }
}

/// `<size> <modified ns> <inode> <path>`.
fn parse_line(line: &str) -> Option<(String, (u64, i128, u64))> {
    let mut parts = line.splitn(4, ' ');
    let size = parts.next()?.parse().ok()?;
    let modified_ns = parts.next()?.parse().ok()?;
    let inode = parts.next()?.parse().ok()?;
    let path = parts.next()?.to_owned();
    Some((path, (size, modified_ns, inode)))
}

/// Writes the cache `name` for a tree (the folder `dir`, whose manifest has `manifest_digest`):
/// call it once vdc has done everything it does to the tree's files. Files on another device
/// than the folder are left out (they would never be trusted).
pub fn write<'a>(
    lock_folder: &Folder,
    name: &str,
    manifest_digest: &str,
    dir: Identity,
    stamps: impl Iterator<Item = (&'a str, &'a Stamp)>,
) -> io::Result<()> {
    let mut text = format!(
        "{HEADER}\nmanifest {manifest_digest}\nfolder {} {}\n",
        dir.0, dir.1
    );
    for (path, stamp) in stamps.filter(|(_, s)| s.device == dir.0) {
        text.push_str(&format!(
            "{} {} {} {path}\n",
            stamp.size, stamp.modified_ns, stamp.inode
        ));
    }
    // Written beside its place and renamed there (under the lock: one run at a time).
    let new = format!("{name}.new");
    let _ = lock_folder.remove_file(&new);
    drop(lock_folder.write_new(&new, text.as_bytes(), 0o644)?);
    lock_folder.rename(&new, name)
}
