//! The machinery around DIR: the lock beside it, vdc's staging folders, and the swap.
//!
//! - **Lock**: `.DIR.vdc-lock` beside DIR, held with an advisory `flock` for the whole write. A
//!   second run finds it held and stops at once (exit 2, nothing touched) rather than waiting.
//!   The lock file is never removed: removing it would let two runs lock two different files.
//! - **Staging**: `.DIR.vdc-stage-<16 hex digits>`, made with a `mkdir` that fails if the name
//!   exists and a name nobody can guess, so no one can prepare it (as a symbolic link, say). It
//!   holds a marker file while it is built, and vdc's manifest from then on: vdc removes only
//!   such folders, never a folder of the user's that happens to share a name.
//! - **Swap**: on Linux, `renameat2(RENAME_EXCHANGE)` swaps the new tree and DIR in one step, so
//!   DIR exists at every instant, old or new. Where that call is missing (other systems, file
//!   systems without it), DIR is moved aside to `.DIR.vdc-old-<hex>` and the new tree renamed in:
//!   a run killed between the two leaves no DIR, and the next run renames the old tree back.

use anyhow::{Context, Result, bail};
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

/// Lists what vdc wrote: `<sha256>  <path>` per line, like `sha256sum`. The staging folder
/// and the swap know it as the file that makes a folder vdc's.
pub const MANIFEST: &str = ".vdc-manifest";

/// The file that marks a staging folder as vdc's while it has no manifest yet.
const MARKER: &str = ".vdc-staging";

/// DIR's folder name, and the folder it is in.
fn split(dir: &Path) -> Result<(PathBuf, String)> {
    let name = dir
        .file_name()
        .with_context(|| format!("{} has no folder name", dir.display()))?
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 name", dir.display()))?
        .to_owned();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// Sixteen hex digits nobody can predict: std's hasher keys come from the OS's randomness.
fn random_suffix() -> String {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    format!("{:016x}", hasher.finish())
}

/// The exclusive lock on DIR, released when dropped (or when the process ends).
pub struct Lock {
    _file: fs::File,
}

/// Takes DIR's lock, or fails at once when another run holds it.
pub fn lock(dir: &Path) -> Result<Lock> {
    let (parent, name) = split(dir)?;
    fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let path = parent.join(format!(".{name}.vdc-lock"));
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .mode(0o644);
    }
    let file = options.open(&path).with_context(|| {
        format!(
            "opening the lock file {} (vdc refuses a lock file that is a symbolic link)",
            path.display()
        )
    })?;
    anyhow::ensure!(
        file.metadata()?.is_file(),
        "the lock file {} is not a regular file",
        path.display()
    );
    match file.try_lock() {
        Ok(()) => Ok(Lock { _file: file }),
        Err(fs::TryLockError::WouldBlock) => bail!(
            "another vdc run is writing {} (it holds {}); nothing was touched, run again when it is done",
            dir.display(),
            path.display()
        ),
        Err(fs::TryLockError::Error(err)) => {
            Err(err).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// A staging folder of vdc's own, created for this run.
pub struct Staging {
    pub path: PathBuf,
    id: Option<(u64, u64)>,
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

impl Staging {
    /// Creates `.DIR.vdc-stage-<hex>` beside DIR, failing rather than reusing anything there.
    pub fn create(dir: &Path) -> Result<Staging> {
        let (parent, name) = split(dir)?;
        let path = parent.join(format!(".{name}.vdc-stage-{}", random_suffix()));
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&path)
            .with_context(|| format!("creating the staging folder {}", path.display()))?;
        let meta = fs::symlink_metadata(&path)?;
        let staging = Staging {
            id: identity(&meta),
            path,
        };
        if let Err(err) = fs::write(staging.path.join(MARKER), b"vdc is building a tree here\n") {
            let _ = fs::remove_dir_all(&staging.path);
            return Err(err).with_context(|| format!("writing into {}", staging.path.display()));
        }
        Ok(staging)
    }

    /// Checks that the folder is still the one created, not something put in its place, and
    /// gives it its final permissions; then drops the marker (the manifest now says it is vdc's).
    pub fn seal(&self, mode_of: Option<&fs::Metadata>) -> Result<()> {
        let meta = fs::symlink_metadata(&self.path)?;
        if !meta.file_type().is_dir() || identity(&meta) != self.id {
            bail!(
                "{} was replaced while vdc built it; nothing was swapped in",
                self.path.display()
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = mode_of.map_or(0o755, |m| m.permissions().mode() & 0o7777);
            fs::set_permissions(&self.path, fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        let _ = mode_of;
        fs::remove_file(self.path.join(MARKER))?;
        Ok(())
    }
}

/// Whether `path` is a staging or set-aside folder vdc made: its name has vdc's pattern and it
/// holds vdc's marker or manifest.
fn is_ours(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
        && [MARKER, MANIFEST]
            .iter()
            .any(|f| fs::symlink_metadata(path.join(f)).is_ok_and(|m| m.file_type().is_file()))
}

/// vdc's leftover folders beside DIR with the given infix (`stage` or `old`), sorted.
fn leftovers(dir: &Path, infix: &str) -> Result<Vec<PathBuf>> {
    let (parent, name) = split(dir)?;
    let prefix = format!(".{name}.vdc-{infix}-");
    let mut found = Vec::new();
    let Ok(entries) = fs::read_dir(&parent) else {
        return Ok(found);
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(suffix) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        if suffix.len() == 16 && suffix.bytes().all(|b| b.is_ascii_hexdigit()) {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found.into_iter().filter(|p| is_ours(p)).collect())
}

/// Cleans up after killed runs: puts back a tree moved aside when DIR is missing, removes vdc's
/// other leftovers. What cannot be removed (an immutable file, say) is reported, not fatal.
pub fn recover(dir: &Path) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let mut aside = leftovers(dir, "old")?;
    if fs::symlink_metadata(dir).is_err()
        && let Some(old) = aside.pop()
    {
        fs::rename(&old, dir).with_context(|| format!("restoring {}", dir.display()))?;
    }
    for path in aside.into_iter().chain(leftovers(dir, "stage")?) {
        remove(&path, &mut notes);
    }
    Ok(notes)
}

/// Removes a folder of vdc's; a failure becomes a note. Its manifest or marker goes last, so
/// a folder that could not be removed whole is still known as vdc's to the next run.
pub fn remove(path: &Path, notes: &mut Vec<String>) {
    let remove_all = || -> std::io::Result<()> {
        let mut first_error = None;
        for entry in fs::read_dir(path)? {
            let entry = entry?;
            if [MARKER, MANIFEST].iter().any(|m| entry.file_name() == *m) {
                continue;
            }
            let removed = if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())
            } else {
                fs::remove_file(entry.path())
            };
            if let Err(err) = removed {
                first_error.get_or_insert(err);
            }
        }
        if let Some(err) = first_error {
            return Err(err);
        }
        fs::remove_dir_all(path)
    };
    if let Err(err) = remove_all() {
        notes.push(format!(
            "could not remove vdc's leftover folder {}: {err}; the next run tries again",
            path.display()
        ));
    }
}

#[cfg(target_os = "linux")]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let from = std::ffi::CString::new(from.as_os_str().as_bytes())?;
    let to = std::ffi::CString::new(to.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether an error means "this system or file system has no such rename", so the fallback
/// applies.
#[cfg(target_os = "linux")]
fn unsupported(err: &std::io::Error) -> bool {
    matches!(err.raw_os_error(), Some(libc::ENOSYS | libc::EINVAL))
}

/// Puts the sealed staging folder in DIR's place. Returns where the old tree now is, for the
/// caller to remove.
pub fn swap_in(staging: &Staging, dir: &Path, dir_exists: bool) -> Result<Option<PathBuf>> {
    let context = || format!("moving the new tree to {}", dir.display());
    if !dir_exists {
        #[cfg(target_os = "linux")]
        match renameat2(&staging.path, dir, libc::RENAME_NOREPLACE) {
            Ok(()) => return Ok(None),
            Err(err) if !unsupported(&err) => return Err(err).with_context(context),
            Err(_) => {}
        }
        anyhow::ensure!(
            fs::symlink_metadata(dir).is_err(),
            "{} appeared while vdc wrote; nothing was swapped in",
            dir.display()
        );
        fs::rename(&staging.path, dir).with_context(context)?;
        return Ok(None);
    }
    let meta = fs::symlink_metadata(dir)?;
    anyhow::ensure!(
        meta.file_type().is_dir(),
        "{} is no longer a real folder; nothing was swapped in",
        dir.display()
    );
    #[cfg(target_os = "linux")]
    match renameat2(&staging.path, dir, libc::RENAME_EXCHANGE) {
        Ok(()) => return Ok(Some(staging.path.clone())),
        Err(err) if !unsupported(&err) => return Err(err).with_context(context),
        Err(_) => {}
    }
    let (parent, name) = split(dir)?;
    let old = parent.join(format!(".{name}.vdc-old-{}", random_suffix()));
    fs::rename(dir, &old).with_context(|| format!("moving {} aside", dir.display()))?;
    fs::rename(&staging.path, dir).with_context(context)?;
    Ok(Some(old))
}

/// The absolute path `path` would have, with the links of its existing part resolved.
fn resolved(path: &Path) -> Result<PathBuf> {
    let mut existing = std::path::absolute(path)?;
    let mut rest = Vec::new();
    while fs::symlink_metadata(&existing).is_err() {
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

/// `--out` inside INPUT would have the next run read vdc's own output as input: refused.
pub fn refuse_out_inside_input(input: &Path, dir: &Path) -> Result<()> {
    let Ok(input) = input.canonicalize() else {
        return Ok(());
    };
    let out = resolved(dir)?;
    if out.starts_with(&input) {
        bail!(
            "--out {} is inside INPUT {}; the next run would read vdc's own output as input, so vdc refuses (choose a folder outside INPUT)",
            dir.display(),
            input.display()
        );
    }
    Ok(())
}
