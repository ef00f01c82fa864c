//! What an earlier run learnt of the input's files: each file's status (size, modification and
//! status-change times, inode, device) with the SHA-256 of the bytes it held then. A file whose
//! status is the same now is known to hold those bytes, so a run that needs only its digest (the
//! decode cache's key) neither reads nor hashes it: on a large fleet that was every run's
//! reading and hashing of the whole input.
//!
//! The rules, as git's index keeps files it need not read (and stricter about racy files):
//!
//! - A status is recorded as it was *before* the bytes were read (on the open file), with the
//!   digest of the bytes read. A change made after it was taken, even during the read, gives the
//!   file a later status-change time (`ctime`), which nobody can set back; so its status no
//!   longer matches, and the file is read again.
//! - A status is recorded only when the file's last change (modification and status-change
//!   times) is more than [`SETTLED`] older than the run: a file changed within the same clock
//!   tick as the status was taken could change again without its times moving (git's "racily
//!   clean" files). Such a file is read again next time, and recorded then.
//! - A file is vouched for only when every part of its status is the one recorded, and it is a
//!   regular file. A record that is missing, damaged or of another format is no record: every
//!   file is read, as without one.
//!
//! The limit, shared with git: an edit that keeps the size, with its modification time set back,
//! made within the same clock tick as an earlier change on a file system whose clock runs more
//! than [`SETTLED`] behind this machine's.

use super::FileDigest;
use std::collections::HashMap;
use std::fs::{self, Metadata};
use std::io::{self, Read};
use std::path::Path;
use std::time::{Duration, SystemTime};

/// The first line of the format this vdc reads and writes.
const HEADER: &str = "# vdc input stamps 1: the status and SHA-256 of each input file as vdc last read it; safe to delete";
/// A record larger than this is not one vdc wrote.
const MAX_RECORD_BYTES: u64 = 256 * 1024 * 1024;
/// How long before the run a file's last change must be for its status to be recorded: far
/// longer than any file system's clock tick.
pub const SETTLED: Duration = Duration::from_secs(1);

/// A regular file's status, as far as it tells whether the file changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    modified_ns: i128,
    changed_ns: i128,
    inode: u64,
    device: u64,
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else (never vouched for).
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        meta.file_type().is_file().then(|| Stamp {
            size: meta.size(),
            modified_ns: nanoseconds(meta.mtime(), meta.mtime_nsec()),
            changed_ns: nanoseconds(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            device: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    pub fn of(_: &Metadata) -> Option<Stamp> {
        None
    }

    /// The file's size when the stamp was taken.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Whether the file's last change is more than [`SETTLED`] before `started` (see the module).
    fn settled(&self, started: SystemTime) -> bool {
        let Ok(since_epoch) = started.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let before = since_epoch.saturating_sub(SETTLED).as_nanos() as i128;
        self.modified_ns < before && self.changed_ns < before
    }
}

fn nanoseconds(seconds: i64, nanos: i64) -> i128 {
    i128::from(seconds) * 1_000_000_000 + i128::from(nanos)
}

/// The stamps of a run's input files (path below INPUT → stamp and digest).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InputStamps {
    files: HashMap<String, (Stamp, FileDigest)>,
}

impl InputStamps {
    /// The record at `path`; an empty one when it is missing, damaged or of another format.
    pub fn read(path: &Path) -> InputStamps {
        Self::try_read(path).unwrap_or_default()
    }

    fn try_read(path: &Path) -> Option<InputStamps> {
        let mut text = String::new();
        // Only a regular file of vdc's: a FIFO planted in its place would block the open.
        crate::fsio::open_regular(path, false)
            .ok()?
            .take(MAX_RECORD_BYTES)
            .read_to_string(&mut text)
            .ok()?;
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return None;
        }
        let files = lines.map(parse_line).collect::<Option<_>>()?;
        Some(InputStamps { files })
    }

    /// Writes the record to `path` (a temporary file renamed into place, so a run reading it
    /// meanwhile sees the old record or the new one).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut lines: Vec<String> = self
            .files
            .iter()
            .map(|(rel, (s, digest))| {
                format!(
                    "{} {} {} {} {} {} {rel}",
                    crate::hash::hex(digest),
                    s.size,
                    s.modified_ns,
                    s.changed_ns,
                    s.inode,
                    s.device
                )
            })
            .collect();
        lines.sort();
        let mut text = format!("{HEADER}\n");
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
        crate::fsio::replace_file(path, text.as_bytes())
    }

    /// The digest `rel` is known to have, given its status `meta` now.
    pub fn vouched(&self, rel: &str, meta: &Metadata) -> Option<(Stamp, FileDigest)> {
        let now = Stamp::of(meta)?;
        let &(recorded, digest) = self.files.get(rel)?;
        (recorded == now).then_some((recorded, digest))
    }

    /// Records that `rel` had `digest` when its status was `stamp`, if the file had settled by
    /// `started` (see the module); otherwise the file is not recorded.
    pub fn record(&mut self, rel: &str, stamp: Stamp, digest: FileDigest, started: SystemTime) {
        if stamp.settled(started) {
            self.files.insert(rel.to_owned(), (stamp, digest));
        }
    }

    /// How many files are recorded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// `<sha256> <size> <modified ns> <changed ns> <inode> <device> <path>`.
fn parse_line(line: &str) -> Option<(String, (Stamp, FileDigest))> {
    let mut parts = line.splitn(7, ' ');
    let digest = parse_digest(parts.next()?)?;
    let stamp = Stamp {
        size: parts.next()?.parse().ok()?,
        modified_ns: parts.next()?.parse().ok()?,
        changed_ns: parts.next()?.parse().ok()?,
        inode: parts.next()?.parse().ok()?,
        device: parts.next()?.parse().ok()?,
    };
    let rel = parts.next().filter(|rel| !rel.is_empty())?;
    Some((rel.to_owned(), (stamp, digest)))
}

fn parse_digest(hex: &str) -> Option<FileDigest> {
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut digest = [0u8; 32];
    for (i, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(digest)
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn settled_file(dir: &Path, name: &str, text: &str) -> Metadata {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        fs::metadata(&path).unwrap()
    }

    #[test]
    fn a_record_vouches_only_for_the_same_status_and_survives_a_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let meta = settled_file(dir.path(), "a.yaml", "kind: Service\n");
        let stamp = Stamp::of(&meta).unwrap();
        let later = SystemTime::now() + SETTLED * 2;
        let mut stamps = InputStamps::default();
        stamps.record("clusters/c/a.yaml", stamp, [7; 32], later);
        assert_eq!(
            stamps.vouched("clusters/c/a.yaml", &meta),
            Some((stamp, [7; 32]))
        );
        assert_eq!(stamps.vouched("clusters/c/b.yaml", &meta), None);

        let record = dir.path().join("record");
        stamps.write(&record).unwrap();
        assert_eq!(InputStamps::read(&record), stamps);

        // The same size and modification time, but the file was changed: its status-change time
        // moved, and nobody can set that back.
        std::thread::sleep(Duration::from_millis(20));
        let path = dir.path().join("a.yaml");
        fs::write(&path, "kind: Secret\n\n").unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(meta.modified().unwrap()).unwrap();
        let now = fs::metadata(&path).unwrap();
        assert_eq!(now.len(), meta.len());
        assert_eq!(now.modified().unwrap(), meta.modified().unwrap());
        assert_eq!(stamps.vouched("clusters/c/a.yaml", &now), None);
    }

    #[test]
    fn a_file_changed_just_before_the_run_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let meta = settled_file(dir.path(), "a.yaml", "kind: Service\n");
        let mut stamps = InputStamps::default();
        stamps.record(
            "a.yaml",
            Stamp::of(&meta).unwrap(),
            [1; 32],
            SystemTime::now(),
        );
        assert!(stamps.is_empty());
    }

    #[test]
    fn a_damaged_or_foreign_record_is_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let meta = settled_file(dir.path(), "a.yaml", "kind: Service\n");
        let mut stamps = InputStamps::default();
        let later = SystemTime::now() + SETTLED * 2;
        stamps.record("a.yaml", Stamp::of(&meta).unwrap(), [1; 32], later);
        let record = dir.path().join("record");
        stamps.write(&record).unwrap();
        let text = fs::read_to_string(&record).unwrap();
        let damaged = [
            text.replace(" a.yaml", ""),
            text.replacen(&"01".repeat(32), &"0g".repeat(32), 1),
            text.replace("input stamps 1", "input stamps 0"),
            text[..text.len() - 20].to_owned() + "x y\n",
        ];
        for bad in damaged {
            fs::write(&record, &bad).unwrap();
            assert!(InputStamps::read(&record).is_empty(), "{bad}");
        }
        assert!(InputStamps::read(&dir.path().join("missing")).is_empty());
    }
}
