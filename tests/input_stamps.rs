//! The input's stamps: a file whose status is the one recorded is neither read nor hashed
//! before its documents are asked for, and its lines can still be quoted; a file changed since,
//! even keeping its size and modification time, or changed between its status and its read,
//! is read, and only the digest of the bytes read is used or recorded. The input is the
//! bookinfo fixture (`testdata/bookinfo`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Mutex;
use vdc::load::stamps::{InputStamps, SETTLED};
use vdc::load::{FileDigest, FileInput, Loaded, Reread, load_files_known};

/// What each file looked like when it was handed over: read before, and its digest.
type Seen = BTreeMap<String, (bool, Option<FileDigest>)>;

/// Loads `input` with `known`, noting how each file was handed over; `before_parse` runs on
/// each file before it is parsed (and so read, if it was not).
fn load(
    input: &Path,
    known: &InputStamps,
    before_parse: impl Fn(&mut FileInput) + Sync,
) -> (Loaded, InputStamps, Seen) {
    let seen = Mutex::new(Seen::new());
    let (loaded, stamps) = load_files_known(input, known, |_, mut file| {
        let first = (file.is_read(), file.digest);
        before_parse(&mut file);
        seen.lock().unwrap().insert(file.rel.to_owned(), first);
        file.parse()
    })
    .unwrap();
    (loaded, stamps, seen.into_inner().unwrap())
}

/// The bookinfo fixture, copied, and old enough for its files' status to be recorded.
fn settled_input(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("bookinfo");
    common::copy_tree(Path::new("testdata/bookinfo"), &input);
    std::thread::sleep(SETTLED + std::time::Duration::from_millis(100));
    input
}

const STATE: &str = "clusters/cluster1/state.yaml";

#[test]
fn unchanged_files_are_not_read_and_their_lines_can_still_be_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let input = settled_input(tmp.path());
    let (_, stamps, first) = load(&input, &InputStamps::default(), |_| {});
    assert!(first.values().all(|(read, _)| *read), "nothing known yet");
    assert_eq!(stamps.len(), first.len(), "every file is recorded");

    let (_, again, second) = load(&input, &stamps, |_| {});
    assert_eq!(again, stamps);
    for (rel, (read, digest)) in &second {
        assert!(
            !read,
            "{rel} was read though its status is the one recorded"
        );
        assert_eq!(*digest, first[rel].1, "{rel}: the recorded digest");
    }

    // A file that was never read is quoted as one that was: read back, checked, its lines there.
    let (loaded, _) = load_files_known(&input, &stamps, |_, file| {
        vdc::load::parse_source(file.rel, Vec::new())
    })
    .unwrap();
    let source = loaded.source(STATE).unwrap();
    assert!(source.is_on_disk());
    let text = fs::read_to_string(input.join(STATE)).unwrap();
    let Reread::Same(back) = source.reread() else {
        panic!("an unchanged file reads back as it was");
    };
    assert_eq!(back.line(1), text.lines().next());
}

#[test]
fn a_file_changed_keeping_its_size_and_time_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let input = settled_input(tmp.path());
    let (_, stamps, first) = load(&input, &InputStamps::default(), |_| {});
    let path = input.join(STATE);
    let before = fs::metadata(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replacen("bookinfo", "bookinfx", 1);
    assert_ne!(edited, text);
    assert_eq!(edited.len(), text.len());
    fs::write(&path, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();

    let (_, _, second) = load(&input, &stamps, |_| {});
    assert!(second[STATE].0, "the edited file is read");
    let digest: FileDigest = Sha256::digest(edited.as_bytes()).into();
    assert_eq!(second[STATE].1, Some(digest));
    assert_ne!(second[STATE].1, first[STATE].1);
    let others_read = second
        .iter()
        .filter(|(rel, (read, _))| *read && *rel != STATE);
    assert_eq!(others_read.count(), 0);
}

#[test]
fn a_file_changed_between_its_status_and_its_read_gets_the_digest_of_what_was_read() {
    let tmp = tempfile::tempdir().unwrap();
    let input = settled_input(tmp.path());
    let (_, stamps, first) = load(&input, &InputStamps::default(), |_| {});
    let path = input.join(STATE);
    let edited = fs::read_to_string(&path).unwrap() + "# edited while vdc ran\n";
    // Its status was vouched for, then it changes before vdc reads it.
    let (loaded, after, _) = load(&input, &stamps, |file| {
        if file.rel == STATE {
            assert!(!file.is_read());
            fs::write(&path, &edited).unwrap();
            file.read();
        }
    });
    let digest: FileDigest = Sha256::digest(edited.as_bytes()).into();
    assert_eq!(loaded.source(STATE).unwrap().digest(), Some(&digest));
    let next = load(&input, &after, |_| {}).2;
    assert!(
        next[STATE].0,
        "a file just changed is not recorded: it is read again"
    );
    assert_eq!(next[STATE].1, Some(digest));
    assert_ne!(first[STATE].1, Some(digest));
}
