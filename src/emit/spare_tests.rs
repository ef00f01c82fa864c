//! The spare tree: a run brings the tree DIR had before the last one up to date and swaps it
//! in, giving the very tree a whole build gives, and trusts nothing of the spare it cannot check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use super::spare::{SPARE, SPARE_STAT_CACHE};
use super::stat_cache::STAT_CACHE;
use super::{WriteSummary, write_tree};
use anyhow::Result;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

type Batch = Result<Vec<(String, String)>>;

/// The files of `clusters`, each with `version` in every file's bytes.
fn fleet(clusters: &[&str], version: u32) -> Vec<Batch> {
    clusters
        .iter()
        .map(|c| {
            let mut files: Vec<(String, String)> = (0..3)
                .map(|i| {
                    let path = format!("{c}/ns-{i}/service-{i}.yaml");
                    (path, format!("kind: Service\nversion: {version:04}\n"))
                })
                .collect();
            files.push((
                format!("{c}/kustomization.yaml"),
                "kind: Kustomization\n".into(),
            ));
            Ok(files)
        })
        .collect()
}

/// `batches` gives the same batches each call: a spare that cannot be used is built around.
fn write_keeping(
    dir: &Path,
    batches: impl Fn() -> Vec<Batch>,
    keep: impl Fn(&str) -> bool,
) -> Result<WriteSummary> {
    let _serial = crate::progress::IN_TESTS
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    write_tree(dir, batches, keep)
}

fn write(dir: &Path, batches: impl Fn() -> Vec<Batch>) -> Result<WriteSummary> {
    write_keeping(dir, batches, |_| false)
}

/// Every entry below `dir` with the bytes of its files (folders as `None`).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// What a whole build of `batches` into a new folder gives.
fn built_whole(batches: impl Fn() -> Vec<Batch>) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    write(&dir, batches).unwrap();
    tree(&dir)
}

fn lock_folder(dir: &Path) -> PathBuf {
    dir.parent().unwrap().join(".out.vdc")
}

fn spare(dir: &Path) -> PathBuf {
    lock_folder(dir).join(SPARE)
}

/// Moves both stat caches' time `ahead`, so the files of the fast test are not as new as them.
fn age_caches(dir: &Path, ahead: Duration) {
    for name in [STAT_CACHE, SPARE_STAT_CACHE] {
        let file = fs::File::options()
            .write(true)
            .open(lock_folder(dir).join(name))
            .unwrap();
        file.set_modified(SystemTime::now() + ahead).unwrap();
    }
}

/// The spare (whose folder was `spare_inode`) is DIR now, and DIR (`dir_inode`) the spare.
fn assert_swapped(dir: &Path, spare_inode: u64, dir_inode: u64) {
    assert_eq!(
        fs::metadata(dir).unwrap().ino(),
        spare_inode,
        "the spare is DIR now"
    );
    assert_eq!(
        fs::metadata(spare(dir)).unwrap().ino(),
        dir_inode,
        "and DIR the spare"
    );
}

/// DIR rendered three times (versions 1, 2, 3 of the first cluster): the second run keeps the
/// first tree as the spare, and the third brings it up to date.
fn rendered_twice() -> (tempfile::TempDir, PathBuf) {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    write(&dir, || fleet(&["c1", "c2", "c3"], 1)).unwrap();
    assert!(!spare(&dir).exists(), "a first render has no old tree");
    write(&dir, || fleet(&["c1", "c2", "c3"], 2)).unwrap();
    assert!(
        spare(&dir).join(".vdc-manifest").exists(),
        "the old tree is kept"
    );
    (parent, dir)
}

#[test]
fn the_spare_is_brought_up_to_date_and_swapped_in() {
    let (_parent, dir) = rendered_twice();
    let spare_inode = fs::metadata(spare(&dir)).unwrap().ino();
    let dir_inode = fs::metadata(&dir).unwrap().ino();
    // c1 changes, c3 goes.
    let batches = || {
        let mut batches = fleet(&["c1", "c2"], 2);
        batches[0] = fleet(&["c1"], 3).pop().unwrap();
        batches
    };
    let expected = built_whole(batches);
    let summary = write(&dir, batches).unwrap();
    assert_eq!(tree(&dir), expected, "the same tree as a whole build");
    assert_eq!(
        (summary.written, summary.unchanged, summary.removed),
        (3, 5, 4),
        "counted against DIR, not the spare"
    );
    assert_swapped(&dir, spare_inode, dir_inode);
    assert!(
        !dir.join("c3").exists(),
        "a cluster gone leaves no empty folder"
    );
    // And again: the old spare (version 2, with c3) becomes the new tree just as well.
    write(&dir, || fleet(&["c1", "c2", "c3"], 4)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 4)));
}

#[test]
fn a_spare_file_changed_since_vdc_wrote_it_is_written_again() {
    let (_parent, dir) = rendered_twice();
    age_caches(&dir, Duration::from_secs(5));
    // Version 1 in the spare; version 1 again in the next output: kept, unless changed.
    let edited = spare(&dir).join("c2/ns-0/service-0.yaml");
    fs::write(&edited, "kind: Service\nversion: 9999\n").unwrap();
    write(&dir, || fleet(&["c1", "c2", "c3"], 1)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 1)));
}

#[test]
fn a_spare_left_by_a_killed_run_is_removed_not_used() {
    let (_parent, dir) = rendered_twice();
    // A run killed while it updated the spare: marked, its stat cache gone.
    fs::write(spare(&dir).join(".vdc-staging"), "").unwrap();
    fs::remove_file(lock_folder(&dir).join(SPARE_STAT_CACHE)).unwrap();
    fs::write(spare(&dir).join("c1/ns-0/service-0.yaml"), "half").unwrap();
    let dir_inode = fs::metadata(&dir).unwrap().ino();
    write(&dir, || fleet(&["c1", "c2", "c3"], 1)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 1)));
    assert_ne!(fs::metadata(&dir).unwrap().ino(), dir_inode, "a new tree");
    // The tree swapped out is the next spare, sound again.
    assert_eq!(fs::metadata(spare(&dir)).unwrap().ino(), dir_inode);
    assert!(!spare(&dir).join(".vdc-staging").exists());
}

#[test]
fn a_failed_run_leaves_dir_as_it_was_and_drops_the_spare() {
    let (_parent, dir) = rendered_twice();
    let before = tree(&dir);
    let batches = || {
        let mut batches = fleet(&["c1", "c2", "c3"], 3);
        batches[1] = Err(anyhow::anyhow!("translation failed for c2"));
        batches
    };
    let err = write(&dir, batches).unwrap_err();
    assert_eq!(format!("{err:#}"), "translation failed for c2");
    assert_eq!(tree(&dir), before);
    assert!(!spare(&dir).exists(), "half updated, so removed");
    write(&dir, || fleet(&["c1", "c2", "c3"], 3)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 3)));
}

#[test]
fn a_folder_with_files_of_the_users_is_built_whole_and_keeps_no_spare() {
    let (_parent, dir) = rendered_twice();
    fs::write(dir.join("README.md"), "mine\n").unwrap();
    let dir_inode = fs::metadata(&dir).unwrap().ino();
    write(&dir, || fleet(&["c1", "c2", "c3"], 3)).unwrap();
    let mut expected = built_whole(|| fleet(&["c1", "c2", "c3"], 3));
    expected.insert("README.md".into(), Some(b"mine\n".to_vec()));
    assert_eq!(tree(&dir), expected);
    assert_ne!(fs::metadata(&dir).unwrap().ino(), dir_inode);
    assert!(!spare(&dir).exists());
}

#[test]
fn files_kept_for_clusters_a_run_leaves_out_come_from_dir() {
    let (_parent, dir) = rendered_twice();
    // Version 2 in DIR, version 1 in the spare: c3's kept files must be DIR's.
    write_keeping(&dir, || fleet(&["c1", "c2"], 3), |f| f.starts_with("c3/")).unwrap();
    let mut expected = built_whole(|| fleet(&["c1", "c2"], 3));
    let c3 = built_whole(|| fleet(&["c3"], 2));
    expected.extend(c3.into_iter().filter(|(p, _)| p.starts_with("c3")));
    let mut found = tree(&dir);
    let manifest = PathBuf::from(".vdc-manifest");
    found.remove(&manifest);
    expected.remove(&manifest);
    assert_eq!(found, expected);
}

#[test]
fn a_spare_that_cannot_be_updated_is_dropped_and_the_tree_built_whole() {
    let (_parent, dir) = rendered_twice();
    // A file of the spare that cannot be removed to make room (a folder with something in it
    // stands for an immutable file, which only root may make).
    let stuck = spare(&dir).join("c1/ns-0/service-0.yaml");
    fs::remove_file(&stuck).unwrap();
    fs::create_dir(&stuck).unwrap();
    fs::write(stuck.join("inside"), "x").unwrap();
    let spare_inode = fs::metadata(spare(&dir)).unwrap().ino();
    write(&dir, || fleet(&["c1", "c2", "c3"], 3)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 3)));
    assert_ne!(
        fs::metadata(&dir).unwrap().ino(),
        spare_inode,
        "built whole"
    );
}

#[test]
fn without_an_exchange_the_spare_is_renamed_in_and_the_old_tree_kept() {
    let (parent, dir) = rendered_twice();
    let spare_inode = fs::metadata(spare(&dir)).unwrap().ino();
    let dir_inode = fs::metadata(&dir).unwrap().ino();
    super::swap::NO_EXCHANGE.set(true);
    let written = write(&dir, || fleet(&["c1", "c2"], 3));
    super::swap::NO_EXCHANGE.set(false);
    written.unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2"], 3)));
    assert_swapped(&dir, spare_inode, dir_inode);
    let beside: Vec<String> = fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        beside.iter().all(|n| !n.contains(".vdc-old-")),
        "{beside:?}"
    );
    // And the next run, on the spare that fallback left, works as after an exchange.
    write(&dir, || fleet(&["c1", "c2", "c3"], 4)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 4)));
}

/// `cp -al from to`: every file hard-linked.
fn link_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in walkdir::WalkDir::new(from).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if e.file_type().is_dir() {
            fs::create_dir_all(to.join(rel)).unwrap();
        } else {
            fs::hard_link(e.path(), to.join(rel)).unwrap();
        }
    }
}

/// A `cp -al` backup of an old tree shares its files' inodes: such a spare file is written
/// again rather than swapped into DIR, so an edit of the backup never reaches DIR.
#[test]
fn a_spare_file_another_link_shares_is_never_swapped_into_dir() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    let batches = || fleet(&["c1"], 1);
    write(&dir, batches).unwrap();
    let backup = parent.path().join("backup");
    link_tree(&dir, &backup);
    write(&dir, batches).unwrap(); // the linked tree is kept as the spare
    age_caches(&dir, Duration::from_secs(5));
    write(&dir, batches).unwrap(); // the spare, brought up to date, is DIR
    for file in ["c1/ns-0/service-0.yaml", "c1/kustomization.yaml"] {
        let in_dir = fs::metadata(dir.join(file)).unwrap();
        let in_backup = fs::metadata(backup.join(file)).unwrap();
        assert_ne!(in_dir.ino(), in_backup.ino(), "{file}");
    }
    assert_eq!(tree(&dir), built_whole(batches));
}

/// A shell left in DIR's folder during a run is in the spare afterwards, and what it writes
/// lands there. Such a file is never swapped into DIR nor removed: vdc removes only its own
/// files from that spare, says so, and builds its tree whole.
#[test]
fn a_file_made_in_the_spare_is_neither_swapped_in_nor_removed() {
    let (_parent, dir) = rendered_twice();
    let mine = spare(&dir).join("c1/notes.txt");
    fs::write(&mine, "mine\n").unwrap();
    age_caches(&dir, Duration::from_secs(5));
    let summary = write(&dir, || fleet(&["c1", "c2", "c3"], 3)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 3)));
    assert_eq!(fs::read_to_string(&mine).unwrap(), "mine\n");
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("holds c1/notes.txt that vdc did not write")),
        "{:?}",
        summary.notes
    );
    let left: Vec<PathBuf> = tree(&spare(&dir)).into_keys().collect();
    assert_eq!(left, [PathBuf::from("c1"), PathBuf::from("c1/notes.txt")]);
    // The folder left behind is not vdc's spare: left alone, with a note, on every run.
    let summary = write(&dir, || fleet(&["c1", "c2", "c3"], 4)).unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2", "c3"], 4)));
    assert!(mine.exists());
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("which is not vdc's spare tree")),
        "{:?}",
        summary.notes
    );
}

/// DIR in a setgid folder has that folder's group, not vdc's: it is still vdc's user's, and
/// keeps its spare.
#[test]
fn a_folder_of_another_group_still_keeps_its_spare() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let group = if unsafe { libc::getegid() } == 4 {
        5
    } else {
        4
    };
    if std::os::unix::fs::chown(parent.path(), None, Some(group)).is_err() {
        eprintln!("skipped: cannot give the folder another group here");
        return;
    }
    fs::set_permissions(parent.path(), fs::Permissions::from_mode(0o2775)).unwrap();
    let dir = parent.path().join("out");
    write(&dir, || fleet(&["c1"], 1)).unwrap();
    assert_eq!(fs::metadata(&dir).unwrap().gid(), group);
    write(&dir, || fleet(&["c1"], 2)).unwrap();
    assert!(
        spare(&dir).join(".vdc-manifest").exists(),
        "the old tree is kept"
    );
}

/// `write` without an exchange, with `hook` called at each pause.
fn write_moving_aside(
    dir: &Path,
    batches: impl Fn() -> Vec<Batch>,
    hook: impl FnMut(super::swap::Pause, &Path) + 'static,
) -> Result<WriteSummary> {
    use super::swap::{HOOK, NO_EXCHANGE};
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
    NO_EXCHANGE.set(true);
    let written = write(dir, batches);
    NO_EXCHANGE.set(false);
    HOOK.with(|h| *h.borrow_mut() = None);
    written
}

/// Without an exchange, DIR is moved aside before the new tree takes its place: when that
/// second rename fails, DIR is put back, so the whole build the run falls back on finds it.
#[test]
fn a_spare_that_cannot_take_dirs_place_puts_dir_back() {
    let (parent, dir) = rendered_twice();
    let stolen = parent.path().join("stolen");
    let (spare_path, mut first) = (spare(&dir), true);
    let summary = write_moving_aside(
        &dir,
        || fleet(&["c1", "c2"], 3),
        move |point, _| {
            if point == super::swap::Pause::MovedAside && std::mem::take(&mut first) {
                fs::rename(&spare_path, &stolen).unwrap();
            }
        },
    )
    .unwrap();
    assert_eq!(tree(&dir), built_whole(|| fleet(&["c1", "c2"], 3)));
    assert_eq!(summary.written + summary.unchanged, 8, "{summary:?}");
}

/// When DIR cannot be put back either (another process made a DIR in the instant between), the
/// error says where the old tree is, and it is there whole.
#[test]
fn a_tree_that_cannot_take_dirs_place_says_where_the_old_one_is() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    write(&dir, || fleet(&["c1"], 1)).unwrap();
    let old = tree(&dir);
    let racer = dir.clone();
    let err = write_moving_aside(
        &dir,
        || fleet(&["c1"], 2),
        move |point, _| {
            if point == super::swap::Pause::MovedAside {
                fs::create_dir(&racer).unwrap();
            }
        },
    )
    .unwrap_err();
    let shown = format!("{err:#}");
    let aside = fs::read_dir(parent.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".out.vdc-old-"))
        .expect("the old tree is beside DIR");
    assert!(
        shown.contains(&format!("its old tree is left at {}", aside.display())),
        "{shown}"
    );
    assert_eq!(tree(&aside), old);
}
