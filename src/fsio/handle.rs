//! Folders held open by handle. Everything vdc writes or removes beside and in DIR, and in
//! INPUT (`snapshot`), goes through one: each name is one path component looked up in a folder vdc already holds, links are
//! never followed (`O_NOFOLLOW`), and what a handle is gets checked once it is open. A folder
//! renamed or swapped for a link by someone else after vdc opened it changes nothing: vdc keeps
//! writing into (or removing from) the folder it checked, wherever it now is.

use rayon::prelude::*;
use rustix::fs::{self as rfs, AtFlags, FileType, Mode, OFlags};
use std::fs::File;
use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::path::Path;

/// A folder, open.
pub struct Folder {
    fd: OwnedFd,
}

/// What identifies a file on its file system: device and inode.
pub type Identity = (u64, u64);

/// A file's type, owner and identity, as `stat` gives them.
#[derive(Clone, Copy, Debug)]
pub struct Status {
    pub kind: FileType,
    pub identity: Identity,
    pub owner: (u32, u32),
    pub mode: u32,
}

impl Status {
    #[allow(clippy::unnecessary_cast)] // the field types differ between systems
    fn of(stat: &rfs::Stat) -> Status {
        Status {
            kind: FileType::from_raw_mode(stat.st_mode as _),
            identity: (stat.st_dev as u64, stat.st_ino as u64),
            owner: (stat.st_uid, stat.st_gid),
            mode: (stat.st_mode as u32) & 0o7777,
        }
    }
}

const FOLDER: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

/// Sixteen hex digits nobody can predict (std's hasher keys come from the OS's randomness): the
/// suffix of the names vdc gives its staging folders and temporary files.
pub fn unguessable() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// The running user and group, as vdc's files are owned.
pub fn me() -> (u32, u32) {
    (
        rustix::process::geteuid().as_raw(),
        rustix::process::getegid().as_raw(),
    )
}

impl Folder {
    /// Opens the folder at `path`. Links on the way are followed: this is the folder the user
    /// named (DIR's parent), the one place vdc resolves by path.
    pub fn open(path: &Path) -> io::Result<Folder> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Folder {
            fd: rfs::open(path, flags, Mode::empty())?,
        })
    }

    /// The folder `name` in this one; a link there is refused, not followed.
    pub fn folder(&self, name: &str) -> io::Result<Folder> {
        Ok(Folder {
            fd: rfs::openat(&self.fd, name, FOLDER, Mode::empty())?,
        })
    }

    /// The folder at `a/b/c` below this one, each step a [`Folder::folder`]; `""` is this one.
    pub fn descend(&self, relative: &str) -> io::Result<Folder> {
        let mut at = self.folder(".")?;
        for part in relative.split('/').filter(|p| !p.is_empty()) {
            at = at.folder(part)?;
        }
        Ok(at)
    }

    /// Makes the folder `name`, failing if the name exists, and opens it.
    pub fn make_folder(&self, name: &str, mode: u32) -> io::Result<Folder> {
        rfs::mkdirat(&self.fd, name, Mode::from_raw_mode(mode as _))?;
        self.folder(name)
    }

    /// The entry `name` here, not following a link.
    pub fn status_of(&self, name: &str) -> io::Result<Status> {
        Ok(Status::of(&rfs::statat(
            &self.fd,
            name,
            AtFlags::SYMLINK_NOFOLLOW,
        )?))
    }

    /// The entry `name` here, not following a link, as `stat` gives it whole.
    pub fn stat_of(&self, name: &str) -> io::Result<rfs::Stat> {
        Ok(rfs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW)?)
    }

    /// Whether the entry `name` here is the root of a mounted file system (`false` where the
    /// system cannot tell, or has no `statx`: the swap's `EBUSY` is caught later then).
    pub fn is_mount_point(&self, name: &str) -> bool {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::fs::{StatxAttributes, StatxFlags};
            let flags = AtFlags::NO_AUTOMOUNT | AtFlags::SYMLINK_NOFOLLOW;
            if let Ok(x) = rfs::statx(&self.fd, name, flags, StatxFlags::empty()) {
                return x.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
                    && x.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
            }
        }
        let dev = |s: io::Result<Status>| s.map(|s| s.identity.0).ok();
        dev(self.status_of(name)).is_some_and(|d| Some(d) != dev(self.status()))
    }

    /// This folder itself.
    pub fn status(&self) -> io::Result<Status> {
        Ok(Status::of(&rfs::fstat(&self.fd)?))
    }

    /// Creates the file `name` (never reusing or following anything there) holding `bytes`.
    pub fn write_new(&self, name: &str, bytes: &[u8], mode: u32) -> io::Result<File> {
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW;
        let fd = rfs::openat(
            &self.fd,
            name,
            flags | OFlags::CLOEXEC,
            Mode::from_raw_mode(mode as _),
        )?;
        let mut file = File::from(fd);
        if let Err(err) = file.write_all(bytes) {
            // Half a file is never left behind under a name vdc chose.
            let _ = self.remove_file(name);
            return Err(err);
        }
        Ok(file)
    }

    /// Opens the regular file `name` for reading: never a link, and never blocking on a FIFO.
    pub fn open_regular(&self, name: &str) -> io::Result<File> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = File::from(rfs::openat(&self.fd, name, flags, Mode::empty())?);
        let kind = Status::of(&rfs::fstat(&file)?).kind;
        if kind != FileType::RegularFile {
            return Err(not_regular(kind));
        }
        Ok(file)
    }

    /// Links the entry `name` of this folder (a link itself, never its target) as `to/name`.
    pub fn link_to(&self, name: &str, to: &Folder) -> io::Result<()> {
        Ok(rfs::linkat(&self.fd, name, &to.fd, name, AtFlags::empty())?)
    }

    /// Reads the symbolic link `name`.
    pub fn read_link(&self, name: &str) -> io::Result<std::ffi::CString> {
        Ok(rfs::readlinkat(&self.fd, name, Vec::new())?)
    }

    /// Creates the symbolic link `name` pointing at `target`.
    pub fn symlink(&self, target: &std::ffi::CStr, name: &str) -> io::Result<()> {
        Ok(rfs::symlinkat(target, &self.fd, name)?)
    }

    /// Gives `name` (a link itself, never its target) to `owner`.
    pub fn chown(&self, name: &str, owner: (u32, u32)) -> io::Result<()> {
        Ok(rfs::chownat(
            &self.fd,
            name,
            Some(rustix::fs::Uid::from_raw(owner.0)),
            Some(rustix::fs::Gid::from_raw(owner.1)),
            AtFlags::SYMLINK_NOFOLLOW,
        )?)
    }

    /// Renames `from` to `to`, both in this folder.
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        Ok(rfs::renameat(&self.fd, from, &self.fd, to)?)
    }

    /// Renames `from` to `to`, both in this folder, with `renameat2`'s flags.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn rename_with(&self, from: &str, to: &str, flags: rfs::RenameFlags) -> io::Result<()> {
        Ok(rfs::renameat_with(&self.fd, from, &self.fd, to, flags)?)
    }

    /// Renames `from` here to `to` in the folder `into`, exchanging the two when `exchange`
    /// (both must exist), else never replacing anything at `to`. Where the system has no such
    /// rename, the error says so ([`io::ErrorKind::Unsupported`], or `ENOSYS` / `EINVAL`).
    pub fn rename_to(&self, from: &str, into: &Folder, to: &str, exchange: bool) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let flags = if exchange {
                rfs::RenameFlags::EXCHANGE
            } else {
                rfs::RenameFlags::NOREPLACE
            };
            match rfs::renameat_with(&self.fd, from, &into.fd, to, flags) {
                Err(rustix::io::Errno::NOSYS | rustix::io::Errno::INVAL) if !exchange => {}
                done => return Ok(done?),
            }
        }
        if exchange {
            return Err(io::Error::from(io::ErrorKind::Unsupported));
        }
        if into.status_of(to).is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        Ok(rfs::renameat(&self.fd, from, &into.fd, to)?)
    }

    /// Opens (creating it if missing) the lock file `name`: read-only, which is all `flock`
    /// needs, so a lock file someone else made read-only still works; never a link, never a
    /// FIFO.
    pub fn open_lock(&self, name: &str) -> io::Result<File> {
        let flags =
            OFlags::RDONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = match rfs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o644)) {
            Ok(fd) => File::from(fd),
            Err(rustix::io::Errno::LOOP) => {
                return Err(io::Error::other(
                    "it is a symbolic link, and vdc refuses a lock file that is one",
                ));
            }
            Err(err @ (rustix::io::Errno::ACCESS | rustix::io::Errno::PERM)) => {
                return Err(io::Error::other(format!(
                    "{}: vdc can neither create it (the folder is not writable for you) nor read it (another user made it unreadable; only they or an administrator can remove it)",
                    io::Error::from(err)
                )));
            }
            Err(rustix::io::Errno::ROFS) => {
                return Err(io::Error::other(
                    "the folder is on a read-only file system, so vdc cannot create it",
                ));
            }
            Err(err) => return Err(err.into()),
        };
        let kind = Status::of(&rfs::fstat(&file)?).kind;
        if kind != FileType::RegularFile {
            return Err(not_regular(kind));
        }
        Ok(file)
    }

    /// Sets this folder's permission bits.
    pub fn set_mode(&self, mode: u32) -> io::Result<()> {
        Ok(rfs::fchmod(&self.fd, Mode::from_raw_mode(mode as _))?)
    }

    /// Removes the file or link `name`.
    pub fn remove_file(&self, name: &str) -> io::Result<()> {
        Ok(rfs::unlinkat(&self.fd, name, AtFlags::empty())?)
    }

    /// Removes the empty folder `name` when it is still the folder `identity`: a folder put in
    /// its place is left alone.
    pub fn remove_folder_if(&self, name: &str, identity: Identity) -> io::Result<()> {
        if self.status_of(name)?.identity != identity {
            return Err(io::Error::other(format!(
                "{name} was replaced by something else; left as it is"
            )));
        }
        Ok(rfs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
    }

    /// The names in this folder with their types, `.` and `..` left out. A name that is not
    /// UTF-8 is returned as an error naming it.
    pub fn entries(&self) -> io::Result<Vec<(String, FileType)>> {
        let mut dir = rfs::Dir::read_from(&self.fd)?;
        let mut out = Vec::new();
        while let Some(entry) = dir.read() {
            let entry = entry?;
            let bytes = entry.file_name().to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            let name = std::str::from_utf8(bytes)
                .map_err(|_| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("{} is not a UTF-8 name", String::from_utf8_lossy(bytes)),
                    )
                })?
                .to_owned();
            let kind = match entry.file_type() {
                FileType::Unknown => self.status_of(&name)?.kind,
                kind => kind,
            };
            out.push((name, kind));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Empties this folder: everything below it goes, through handles, so nothing outside it
    /// can be reached. The entries named in `last` go after all the others (a marker that says
    /// whose the folder is), and only when all the others went. Every other entry is tried; the
    /// first error (in the order of the names) is returned.
    ///
    /// The folders in it are emptied in parallel, one thread each at a time: a file system
    /// locks a folder while an entry of it is removed, so removals in different folders run at
    /// once, while one folder's files go one after another. The old tree of a `render --out`
    /// is a folder per cluster, so this halves its removal's wall time on two cores.
    pub fn remove_contents(&self, last: &[&str]) -> io::Result<()> {
        let entries = self.entries()?;
        let (later, now): (Vec<_>, Vec<_>) = entries
            .iter()
            .partition(|(name, _)| last.contains(&name.as_str()));
        let mut errors: Vec<(usize, io::Error)> = now
            .par_iter()
            .enumerate()
            .filter(|(_, (_, kind))| *kind == FileType::Directory)
            .filter_map(|(i, (name, kind))| Some((i, self.remove_entry(name, *kind).err()?)))
            .collect();
        errors.extend(
            now.iter()
                .enumerate()
                .filter(|(_, (_, kind))| *kind != FileType::Directory)
                .filter_map(|(i, (name, kind))| Some((i, self.remove_entry(name, *kind).err()?))),
        );
        if let Some((_, err)) = errors.into_iter().min_by_key(|(i, _)| *i) {
            return Err(err);
        }
        for (name, kind) in later {
            self.remove_entry(name, *kind)?;
        }
        Ok(())
    }

    /// Removes the entry `name`, of type `kind`, with everything below it.
    fn remove_entry(&self, name: &str, kind: FileType) -> io::Result<()> {
        if kind == FileType::Directory {
            self.folder(name)
                .and_then(|sub| {
                    sub.remove_contents(&[])?;
                    sub.status()
                })
                .and_then(|status| self.remove_folder_if(name, status.identity))
        } else {
            self.remove_file(name)
        }
    }
}

/// The error for a file that should have been a regular file.
pub fn not_regular(kind: FileType) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {}, not a regular file", describe(kind)),
    )
}

/// A file type, for messages: "a FIFO (named pipe)", ….
pub fn describe(kind: FileType) -> &'static str {
    match kind {
        FileType::Fifo => "a FIFO (named pipe)",
        FileType::CharacterDevice => "a character device",
        FileType::BlockDevice => "a block device",
        FileType::Socket => "a socket",
        FileType::Directory => "a folder",
        FileType::Symlink => "a symbolic link",
        FileType::RegularFile => "a regular file",
        FileType::Unknown => "not a regular file",
    }
}
