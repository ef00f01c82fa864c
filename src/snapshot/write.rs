//! Writing a snapshot's files into INPUT: under INPUT's lock, through folder handles that never
//! follow a link, each file first written whole under a temporary name nobody can guess or
//! prepare, and renamed into place only once every file is written.

use crate::fsio::handle::{Folder, unguessable};
use anyhow::{Context, Result, bail};
use std::path::{Component, Path};

/// One file to write: its path below INPUT, and its text.
pub struct File<'a> {
    pub relative: &'a Path,
    pub text: String,
}

/// A file written under its temporary name, waiting to be renamed into place.
struct Pending {
    folder: Folder,
    temporary: String,
    name: String,
    /// The file's path as messages show it (INPUT joined with its path below INPUT).
    shown: std::path::PathBuf,
}

/// Writes every file of `files` below `input`, or none: a failure before the renames leaves
/// INPUT as it was.
pub fn write_all(input: &Path, files: Vec<File>) -> Result<()> {
    let _lock = crate::emit::lock_folder(input)?;
    std::fs::create_dir_all(input).with_context(|| format!("creating {}", input.display()))?;
    let root = Folder::open(input).with_context(|| format!("opening {}", input.display()))?;
    let mut pending: Vec<Pending> = Vec::new();
    for file in files {
        match write_pending(&root, input, &file) {
            Ok(written) => pending.push(written),
            Err(err) => {
                for p in &pending {
                    let _ = p.folder.remove_file(&p.temporary);
                }
                return Err(err.context("nothing was replaced"));
            }
        }
    }
    // Nothing that a rename could fail on is left (each place was checked to take a file): a
    // failure now is the system's, and the files not renamed yet are not left behind.
    for (i, p) in pending.iter().enumerate() {
        if let Err(err) = p.folder.rename(&p.temporary, &p.name) {
            for q in &pending[i..] {
                let _ = q.folder.remove_file(&q.temporary);
            }
            return Err(err).with_context(|| {
                format!(
                    "renaming {} into place; the {i} file(s) before it were replaced already, the {} after it were not",
                    p.shown.display(),
                    pending.len() - i - 1
                )
            });
        }
    }
    Ok(())
}

/// Writes one file under a temporary name beside its final place.
fn write_pending(root: &Folder, input: &Path, file: &File) -> Result<Pending> {
    let shown = input.join(file.relative);
    let mut parts: Vec<&str> = Vec::new();
    for component in file.relative.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .with_context(|| format!("{} is not a UTF-8 path", shown.display()))?,
            ),
            _ => bail!("internal error: {} is not below INPUT", shown.display()),
        }
    }
    let (name, folders) = parts
        .split_last()
        .with_context(|| format!("internal error: {} names no file", shown.display()))?;
    let mut folder = root.descend("")?;
    let mut at = input.to_path_buf();
    for part in folders {
        at.push(part);
        folder = match folder.folder(part) {
            Ok(next) => next,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => folder
                .make_folder(part, 0o755)
                .with_context(|| format!("creating {}", at.display()))?,
            Err(err) => {
                return Err(err).with_context(|| {
                    format!(
                        "opening {} (vdc snapshot writes only into real folders inside INPUT, never through a symbolic link)",
                        at.display()
                    )
                });
            }
        };
    }
    // A folder in the file's place would fail its rename, after other files were replaced.
    if let Ok(status) = folder.status_of(name)
        && status.kind == rustix::fs::FileType::Directory
    {
        bail!(
            "{} is a folder, where vdc snapshot writes a file; move it away",
            at.join(name).display()
        );
    }
    let temporary = format!(".{name}.vdc-tmp-{}", unguessable());
    folder
        .write_new(&temporary, file.text.as_bytes(), 0o644)
        .with_context(|| format!("writing {}", at.join(&temporary).display()))?;
    Ok(Pending {
        folder,
        temporary,
        name: (*name).to_owned(),
        shown,
    })
}
