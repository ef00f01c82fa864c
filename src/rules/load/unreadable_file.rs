//! **VDC103 unreadable-file** (error): A file cannot be read: binary, not UTF-8, too large, or unreadable.
//!
//! ## What it does
//!
//! A file vdc cannot read as text: it holds NUL bytes (a binary file, or UTF-16 without the
//! byte-order mark that would tell vdc to decode it), it is neither UTF-8 nor UTF-16 with a
//! byte-order mark, it is larger than 512 MiB, its name is not UTF-8 (shown with those bytes
//! escaped, `gloo/caf\xe9.yaml`: two such names would read as one), or reading it fails
//! (permissions, a symbolic link whose target does not exist). A cluster folder that is a symbolic link vdc does not read as a cluster (it leads out of
//! INPUT, or to a folder read already, as `clusters/cluster2 -> cluster1` does) is this error too:
//! dropping the cluster would have `render --out` remove its output. So is any other folder that
//! links make the same folder as one read already and holding input files
//! (`clusters/cluster2/gloo -> ../cluster1/gloo`):
//! vdc reads a folder once, at its first path, and its files would have counted at the other.
//!
//! ## Why is this bad?
//!
//! Whatever objects the file holds are missing from the output; vdc reports the file instead of
//! skipping it silently.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/notes.yaml`:
//!
//! ```yaml
//! # Café team: productpage owners      <- saved as Latin-1: the é is the single byte 0xE9
//! ```
//!
//! ## Fix
//!
//! Save the file as UTF-8 (`iconv -f latin1 -t utf-8 notes.yaml > notes.utf8.yaml`), or move
//! files that are not manifests out of INPUT (or give them another extension).
//!
//! Fixture: `testdata/check/unreadable-file/`. Long form: `docs/diagnostics.md#vdc103`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnreadableFile;

/// Why a file cannot be read.
pub enum Case<'a> {
    /// Walking INPUT failed at `path`.
    Walk {
        path: &'a str,
        error: &'a dyn std::fmt::Display,
    },
    /// The file's bytes could not be read or are not text.
    Contents { message: &'a str },
    /// A cluster folder is a link the walk did not follow as a cluster of its own.
    LinkedClusterFolder { path: &'a str, target: &'a str },
    /// A folder that links make the same folder as one read already at `first`.
    FolderReadAlready { path: &'a str, first: &'a str },
    /// An input file whose path below INPUT is not UTF-8 (shown with its bytes escaped).
    NameNotUtf8 { path: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    let message = match case {
        Case::Walk { path, error } => format!("cannot read {path}: {error}"),
        Case::Contents { message } => format!("cannot read this file: {message}"),
        Case::LinkedClusterFolder { path, target } => {
            return Diagnostic::new_at(
                CODE,
                site,
                format!(
                    "cannot read {path} as a cluster: it is a symbolic link to `{target}`, which leads out of INPUT or to a folder read already under another name"
                ),
            )
            .help("vdc reads each folder once, as one cluster, and renders nothing rather than drop a cluster's output; copy the dump into the folder, or remove the link");
        }
        Case::FolderReadAlready { path, first } => {
            return Diagnostic::new_at(
                CODE,
                site,
                format!(
                    "cannot read {path}: symbolic links make it the same folder as {first}, which was read already"
                ),
            )
            .help("vdc reads each folder once, at its first path, so the files in it count for that place only; copy the files to where they are meant to count as well, or remove the link");
        }
        Case::NameNotUtf8 { path } => {
            return Diagnostic::new_at(
                CODE,
                site,
                format!("cannot read {path}: its name is not UTF-8, so vdc's messages could not tell it from another file's"),
            )
            .help("rename the file (or its folder) in UTF-8: `mv` it, or `convmv -f latin1 -t utf-8`");
        }
    };
    Diagnostic::new_at(CODE, site, message)
}
