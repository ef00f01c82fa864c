//! `.vdc-manifest`, the list of what vdc wrote in a tree: `<sha256>  <path>` per line, like
//! `sha256sum`, read and written here for DIR and for the spare alike.

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// A manifest larger than this is not one vdc wrote.
pub(super) const MAX_MANIFEST_BYTES: u64 = 256 * 1024 * 1024;

pub(super) fn sha256(data: &[u8]) -> String {
    crate::hash::hex(&Sha256::digest(data))
}

/// The manifest of `files` (path → sha256), sorted by path.
pub(super) fn manifest_text<'a>(files: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    let mut text =
        String::from("# Written by vdc: the files it owns in this folder. Do not edit.\n");
    for (path, hash) in files {
        text.push_str(&format!("{hash}  {path}\n"));
    }
    text
}

/// A manifest's bytes (read from `path`, for messages): path → sha256, and the SHA-256 of the
/// bytes.
pub(super) fn parse_manifest(
    bytes: Vec<u8>,
    path: &Path,
) -> Result<(BTreeMap<String, String>, String)> {
    let digest = sha256(&bytes);
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{} is damaged: not UTF-8", path.display()))?;
    // Gathered, then built into the map at once: vdc writes its lines sorted, which the map
    // builds in linear time, where inserting them one by one compares every path ~17 times.
    let mut entries = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (hash, file) = line
            .split_once("  ")
            .with_context(|| format!("{} is damaged: `{line}`", path.display()))?;
        if file.split('/').any(|part| part == ".." || part.is_empty()) || file.starts_with('/') {
            bail!(
                "{} lists a path outside the folder: `{file}`",
                path.display()
            );
        }
        entries.push((file.to_owned(), hash.to_owned()));
    }
    Ok((entries.into_iter().collect(), digest))
}
