//! Races against another user of DIR's parent, replayed exactly: vdc stops at a [`Pause`] and
//! the test makes the swap an attacker would make at that moment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::swap::{HOOK, Pause};
use super::write_tree;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn files() -> BTreeMap<String, String> {
    (0..20)
        .map(|i| (format!("c1/ns/service-{i}.yaml"), format!("n: {i}\n")))
        .collect()
}

/// Runs `write_tree` with `hook` called at each pause.
fn write_with(dir: &Path, hook: impl FnMut(Pause, &Path) + 'static) -> anyhow::Result<()> {
    let _serial = crate::progress::IN_TESTS
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
    let batches = || [Ok(files().into_iter().collect())];
    let result = write_tree(dir, batches, |_| false).map(|_| ());
    HOOK.with(|h| *h.borrow_mut() = None);
    result
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Moves `path` away and puts a link to `target` in its place.
fn swap_for_link(path: &Path, target: &Path) {
    let mut aside = path.as_os_str().to_owned();
    aside.push(".moved");
    fs::rename(path, PathBuf::from(aside)).unwrap();
    symlink(target, path).unwrap();
}

#[test]
fn a_staging_folder_swapped_for_a_link_while_filled_gets_nothing_written_through_it() {
    let parent = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    let victim = elsewhere.path().to_path_buf();
    let result = write_with(&dir, move |point, path| {
        if point == Pause::StagingCreated {
            swap_for_link(path, &victim);
        }
    });
    assert_eq!(names_in(elsewhere.path()), Vec::<String>::new());
    assert!(
        result.is_err(),
        "the swapped staging folder must not become DIR"
    );
    assert!(
        fs::symlink_metadata(&dir).is_err(),
        "DIR was not there before"
    );
}

#[test]
fn a_leftover_swapped_for_a_link_after_it_was_checked_is_not_emptied() {
    let parent = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    fs::write(elsewhere.path().join("precious"), "keep me").unwrap();
    fs::create_dir(elsewhere.path().join("folder")).unwrap();
    let dir = parent.path().join("out");
    let leftover = parent.path().join(".out.vdc-stage-0123456789abcdef");
    fs::create_dir(&leftover).unwrap();
    fs::write(leftover.join(".vdc-staging"), "").unwrap();
    let victim = elsewhere.path().to_path_buf();
    let swapped = leftover.clone();
    write_with(&dir, move |point, _| {
        if point == Pause::LeftoversFound {
            swap_for_link(&swapped, &victim);
        }
    })
    .unwrap();
    assert_eq!(names_in(elsewhere.path()), ["folder", "precious"]);
    assert_eq!(
        fs::read_to_string(elsewhere.path().join("precious")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_user_file_swapped_for_a_fifo_after_listing_is_refused_without_blocking() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    write_with(&dir, |_, _| {}).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    let in_thread = dir.clone();
    std::thread::spawn(move || {
        let result = write_with(&in_thread, |point, dir| {
            if point == Pause::Planned {
                let notes = dir.join("notes.txt");
                fs::remove_file(&notes).unwrap();
                let c = std::ffi::CString::new(notes.to_str().unwrap()).unwrap();
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            }
        });
        let _ = send.send(result.map_err(|e| format!("{e:#}")));
    });
    let result = receive
        .recv_timeout(Duration::from_secs(20))
        .expect("vdc blocked on a FIFO put in place of a user file");
    let err = result.unwrap_err();
    assert!(err.contains("notes.txt") && err.contains("FIFO"), "{err}");
}

#[test]
fn user_files_are_kept_by_link_and_a_folder_of_another_user_stays_theirs() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    write_with(&dir, |_, _| {}).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    fs::hard_link(dir.join("notes.txt"), parent.path().join("notes-link")).unwrap();
    let before = fs::metadata(dir.join("notes.txt")).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        for entry in walkdir::WalkDir::new(&dir) {
            std::os::unix::fs::lchown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
        }
    }
    let mut changed = files();
    changed.insert("c1/ns/new.yaml".into(), "n: new\n".into());
    let _serial = crate::progress::IN_TESTS
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let batches = || [Ok(changed.clone().into_iter().collect())];
    write_tree(&dir, batches, |_| false).unwrap();
    let after = fs::metadata(dir.join("notes.txt")).unwrap();
    assert_eq!(
        (after.ino(), after.nlink()),
        (before.ino(), 2),
        "kept by link"
    );
    assert_eq!(after.mtime(), before.mtime());
    if root {
        for path in [dir.clone(), dir.join("c1/ns/new.yaml"), dir.join("c1/ns")] {
            let meta = fs::symlink_metadata(&path).unwrap();
            assert_eq!(
                (meta.uid(), meta.gid()),
                (65534, 65534),
                "{}",
                path.display()
            );
        }
    }
}

#[test]
fn a_spare_swapped_for_a_link_while_updated_gets_nothing_written_through_it() {
    let parent = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let dir = parent.path().join("out");
    // The second run keeps the first tree as the spare; the third updates it.
    write_with(&dir, |_, _| {}).unwrap();
    write_with(&dir, |_, _| {}).unwrap();
    let spare = parent.path().join(".out.vdc").join(super::spare::SPARE);
    let spare_inode = fs::metadata(&spare).unwrap().ino();
    let victim = elsewhere.path().to_path_buf();
    let mut swapped = false;
    write_with(&dir, move |point, path| {
        if point == Pause::StagingCreated && !swapped {
            assert!(path.ends_with("spare"), "{}", path.display());
            swap_for_link(path, &victim);
            swapped = true;
        }
    })
    .unwrap();
    assert_eq!(names_in(elsewhere.path()), Vec::<String>::new());
    let dir_now = fs::symlink_metadata(&dir).unwrap();
    assert!(dir_now.is_dir());
    assert_ne!(
        dir_now.ino(),
        spare_inode,
        "the spare replaced is not DIR: built whole"
    );
    let written: Vec<String> = walkdir::WalkDir::new(dir.join("c1/ns"))
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), files().len());
}
