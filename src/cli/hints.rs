//! The commands vdc prints after a pre-commit hook or CI check refuses a change: each, run as
//! printed, makes that check pass. They are built here from what is on disk: the files of a
//! rendered folder edited by hand (which `render` refuses to overwrite), and whether the folder
//! is in a git work tree (where a re-rendered folder must also be staged: pre-commit checks what
//! is staged, so output rendered but not added fails again).

use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::Path;

/// Files of the rendered folder `dir` whose bytes are no longer what vdc wrote, by the manifest:
/// `render` refuses to overwrite or remove them. Missing files are not edits (render writes
/// them again). Nothing when `dir` has no readable manifest.
pub(super) fn edited_files(dir: &Path) -> Vec<String> {
    let Ok(Some(manifest)) = crate::emit::read_manifest(dir) else {
        return Vec::new();
    };
    manifest
        .into_iter()
        .filter(|(file, hash)| {
            let path = dir.join(file);
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file())
                && crate::fsio::read_capped(&path, 512 * 1024 * 1024, true)
                    .is_ok_and(|data| crate::hash::hex(&Sha256::digest(&data)) != *hash)
        })
        .map(|(file, _)| file)
        .collect()
}

/// Whether `path` (a folder that may not exist yet) lies in a git work tree.
fn in_git_work_tree(path: &Path) -> bool {
    let Ok(cwd) = std::env::current_dir() else {
        return false;
    };
    cwd.join(path)
        .ancestors()
        .any(|dir| dir.join(".git").exists())
}

/// `word` as one shell word: as it is when it needs no quoting, else in single quotes.
fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.into()
    } else {
        format!("'{}'", word.replace('\'', r"'\''")).into()
    }
}

fn path_word(path: &Path) -> String {
    shell_word(&path.to_string_lossy()).into_owned()
}

/// `--cluster NAME` for each of `clusters`, then `--shard I/N`: a run's selection of clusters as
/// words of a command line.
pub(super) fn selection(clusters: &[String], shard: Option<String>) -> Vec<String> {
    (clusters.iter())
        .flat_map(|c| ["--cluster".to_owned(), c.clone()])
        .chain(shard.into_iter().flat_map(|s| ["--shard".to_owned(), s]))
        .collect()
}

/// The command line that brings the rendered folder `out` up to date with `input`, rendering
/// the clusters `selection` names (`--cluster NAME`…, `--shard I/N`; none: all): remove the files
/// `edited` by hand (render keeps edits rather than overwrite them), render, and stage the
/// result where `out` is in a git work tree.
pub(super) fn update_command(
    input: &Path,
    out: &Path,
    selection: &[String],
    edited: &[String],
) -> String {
    let mut steps: Vec<String> = Vec::new();
    if !edited.is_empty() {
        let files: Vec<String> = edited.iter().map(|f| path_word(&out.join(f))).collect();
        steps.push(format!("rm -- {}", files.join(" ")));
    }
    let selection: String = (selection.iter())
        .map(|word| format!(" {}", shell_word(word)))
        .collect();
    steps.push(format!(
        "vdc render {} --out {}{selection}",
        path_word(input),
        path_word(out)
    ));
    if in_git_work_tree(out) {
        steps.push(format!("git add {}", path_word(out)));
    }
    crate::text::escape_controls(&steps.join(" && ")).into_owned()
}

/// After `render --exit-code` changed `out`: what makes the next run (the hook's) pass.
pub(super) fn stage_command(out: &Path) -> Option<String> {
    in_git_work_tree(out)
        .then(|| crate::text::escape_controls(&format!("git add {}", path_word(out))).into_owned())
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn words_that_need_quotes_get_them() {
        assert_eq!(shell_word("rendered/c1/a.yaml"), "rendered/c1/a.yaml");
        assert_eq!(shell_word("my out"), "'my out'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
        assert_eq!(shell_word("$(rm -rf ~)"), "'$(rm -rf ~)'");
    }
}
