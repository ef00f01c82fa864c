//! Reading files without surprises: only regular files, never blocking on a FIFO or a device,
//! never more than a cap, however large the file claims to be or grows while it is read; and
//! replacing vdc's own cache files whole, never through what is found at a temporary name.

pub mod handle;

use std::fs::{File, FileType, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// What a file that is not a regular file is, for messages: "a FIFO (named pipe)", ….
pub fn kind_of(file_type: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn not_regular(meta: &Metadata) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "it is {}, not a regular file; vdc reads only regular files",
            kind_of(&meta.file_type())
        ),
    )
}

/// Opens `path` for reading if it is a regular file. The type is checked before opening (so a
/// device is never opened) and again on the open handle (so a swap in between is caught); the
/// open itself never blocks, as a FIFO's would. With `follow` false, a symbolic link is refused.
pub fn open_regular(path: &Path, follow: bool) -> io::Result<File> {
    let before = if follow {
        std::fs::metadata(path)?
    } else {
        std::fs::symlink_metadata(path)?
    };
    if !before.is_file() {
        return Err(not_regular(&before));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut flags = libc::O_NONBLOCK;
        if !follow {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

/// The bytes of the regular file at `path`, refused past `cap` bytes: at most `cap + 1` bytes
/// are ever read, whatever the file's size says or however it grows meanwhile.
pub fn read_capped(path: &Path, cap: u64, follow: bool) -> io::Result<Vec<u8>> {
    read_capped_with_status(path, cap, follow).map(|(bytes, _)| bytes)
}

/// [`read_capped`], with the file's status as it was just before its bytes were read: any
/// change to the file after that status was taken gives it another status-change time.
pub fn read_capped_with_status(
    path: &Path,
    cap: u64,
    follow: bool,
) -> io::Result<(Vec<u8>, Metadata)> {
    let file = open_regular(path, follow)?;
    let meta = file.metadata()?;
    let size = meta.len();
    if size > cap {
        return Err(too_large(size, cap));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64, cap));
    }
    Ok((bytes, meta))
}

/// Replaces the file at `path` with one holding `bytes`, as vdc keeps its caches: written whole
/// under a temporary name beside it (`.tmp-<pid>-<16 hex digits>-<name>`, created new, so a
/// link or file planted at that name is never written through) and renamed into place, so a
/// reader sees the old file or the new one. A failure (a full disk, a file-size limit) leaves
/// no part-written temporary file behind to fill the disk further run after run.
pub fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let folder = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temporary = folder.join(format!(
        ".tmp-{}-{}-{name}",
        std::process::id(),
        handle::unguessable()
    ));
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)?;
    let written = file.write_all(bytes);
    drop(file);
    let done = written.and_then(|()| std::fs::rename(&temporary, path));
    if done.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    done
}

fn too_large(size: u64, cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("it is over {cap} bytes ({size} or more); vdc reads files up to {cap} bytes"),
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.yaml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = read_capped(&fifo, 100, true).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[test]
    fn a_device_is_refused_and_a_cap_holds() {
        let err = read_capped(Path::new("/dev/zero"), 100, true).unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        std::fs::write(&file, vec![b'a'; 101]).unwrap();
        assert!(read_capped(&file, 100, true).is_err());
        assert_eq!(read_capped(&file, 101, true).unwrap().len(), 101);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(read_capped(&link, 200, false).is_err());
        assert!(read_capped(&link, 200, true).is_ok());
    }
}
