//! `render --out` owns DIR and nothing else: a lock for the whole run, staging folders nobody
//! can guess or prepare, a swap that keeps DIR in place at every instant, and the user's files,
//! links and folders in DIR carried over as they are, or refused with the reason.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]
#![cfg(unix)]

mod common;
use common::{HANG, vdc, vdc_path, vdc_process};
use std::fs;
use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};

const BOOKINFO: &str = "testdata/bookinfo";
const MULTI_VD: &str = "testdata/multi-vd";

fn render(input: &str, out: &Path) -> std::process::Output {
    vdc()
        .timeout(HANG)
        .args(["render", input, "--out"])
        .arg(out)
        .output()
        .unwrap()
}

fn render_ok(input: &str, out: &Path) -> String {
    let o = render(input, out);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{stderr}");
    stderr
}

fn render_refused(input: &str, out: &Path) -> String {
    let o = render(input, out);
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    stderr
}

/// Every entry below `dir` (links not followed), with its type and, for files, its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let t = e.file_type();
            let what = if t.is_symlink() {
                format!("link {:?}", fs::read_link(e.path()).unwrap())
            } else if t.is_file() {
                format!("file {:?}", fs::read(e.path()).unwrap())
            } else {
                format!("{t:?}")
            };
            (e.path().to_path_buf(), what)
        })
        .collect()
}

/// The manifest lists exactly the files in DIR, each with its current sha256.
fn assert_consistent(out: &Path) {
    let manifest = fs::read_to_string(out.join(".vdc-manifest")).unwrap();
    let mut listed: Vec<String> = Vec::new();
    for line in manifest.lines().filter(|l| !l.starts_with('#')) {
        let (hash, file) = line.split_once("  ").unwrap();
        let bytes = fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let actual = sha256_hex(&bytes);
        assert_eq!(actual, hash, "{file} does not match the manifest");
        listed.push(file.to_owned());
    }
    let mut present: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap();
            rel.to_string_lossy().into_owned()
        })
        .filter(|f| f != ".vdc-manifest")
        .collect();
    present.sort();
    listed.sort();
    assert_eq!(present, listed);
}

fn sha256_hex(bytes: &[u8]) -> String {
    let out = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bytes)?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Folders of vdc's left beside DIR (staging or set aside), by name.
fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".vdc-stage-") || n.contains(".vdc-old-"))
        .collect()
}

/// Class 2 and 10: the names vdc used to use beside DIR are the user's: a symbolic link named
/// `.out.vdc-new` (pointing at a folder elsewhere) and a folder `.out.vdc-old` stay as they are,
/// and nothing is written where the link points.
#[test]
fn fixed_staging_names_are_never_used_or_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let victim = tmp.path().join("victim");
    fs::create_dir(&victim).unwrap();
    symlink(&victim, tmp.path().join(".out.vdc-new")).unwrap();
    let old = tmp.path().join(".out.vdc-old");
    fs::create_dir(&old).unwrap();
    fs::write(old.join("mine.txt"), "the user's").unwrap();
    let before = (snapshot(&victim), snapshot(&old));
    render_ok(BOOKINFO, &out);
    render_ok(MULTI_VD, &out);
    assert_eq!((snapshot(&victim), snapshot(&old)), before);
    let link = fs::symlink_metadata(tmp.path().join(".out.vdc-new")).unwrap();
    assert!(link.file_type().is_symlink());
    assert!(fs::symlink_metadata(&out).unwrap().is_dir());
    assert!(leftovers(tmp.path()).is_empty());
    assert_consistent(&out);
}

/// Class 2: DIR itself a symbolic link is refused, and nothing is written where it points.
#[test]
fn a_symlinked_dir_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("elsewhere");
    fs::create_dir(&target).unwrap();
    let out = tmp.path().join("out");
    symlink(&target, &out).unwrap();
    let stderr = render_refused(BOOKINFO, &out);
    assert!(stderr.contains("is a symbolic link"), "{stderr}");
    assert!(fs::read_dir(&target).unwrap().next().is_none());
    assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
}

/// Class 4: a run that finds DIR locked stops at once, exit 2, touching nothing.
#[test]
fn a_locked_dir_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let before = snapshot(&out);
    let lock = fs::File::create(tmp.path().join(".out.vdc/lock")).unwrap();
    lock.lock().unwrap();
    let stderr = render_refused(MULTI_VD, &out);
    assert!(stderr.contains("another vdc run is writing"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    drop(lock);
    render_ok(MULTI_VD, &out);
    assert_consistent(&out);
}

/// Class 21: a lock that cannot be opened is reported for what it is, not as a symbolic link:
/// here the lock's folder beside DIR is a regular file. Nothing is written, exit 2.
#[test]
fn a_lock_that_cannot_be_opened_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::write(tmp.path().join(".out.vdc"), "not a folder").unwrap();
    let stderr = render_refused(BOOKINFO, &out);
    assert!(!stderr.contains("symbolic link"), "{stderr}");
    assert!(stderr.contains(".out.vdc"), "{stderr}");
    assert!(!out.exists(), "{stderr}");
}

/// Class 4: two renders of different inputs into one DIR at once, many times: each finishes or
/// is refused by the lock, and DIR is always one whole tree that the next run accepts.
#[test]
fn concurrent_renders_never_mix_trees() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for _ in 0..15 {
        let spawn = |input: &str| {
            vdc_process()
                .args(["render", input, "--out"])
                .arg(&out)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(BOOKINFO), spawn(MULTI_VD));
        for child in [a, b] {
            let o = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success()
                    || (o.status.code() == Some(2) && stderr.contains("another vdc run")),
                "{:?}: {stderr}",
                o.status
            );
        }
        assert_consistent(&out);
        assert!(leftovers(tmp.path()).is_empty());
    }
    render_ok(BOOKINFO, &out);
}

/// Class 5: while renders swap trees in, DIR exists at every instant and is always a folder.
#[test]
fn dir_exists_at_every_instant_of_a_swap() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (out, done) = (out.clone(), done.clone());
        std::thread::spawn(move || {
            let mut missing = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if !fs::symlink_metadata(&out).is_ok_and(|m| m.is_dir()) {
                    missing += 1;
                }
            }
            missing
        })
    };
    for i in 0..30 {
        render_ok(if i % 2 == 0 { MULTI_VD } else { BOOKINFO }, &out);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        watcher.join().unwrap(),
        0,
        "DIR was missing or not a folder"
    );
}

/// Class 5: what a killed run leaves is cleaned up by the next: a tree set aside while DIR is
/// missing (the fallback's one window) is put back, a half-built staging folder is removed.
#[test]
fn the_next_run_recovers_what_a_killed_run_left() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let aside = tmp.path().join(".out.vdc-old-00112233445566ff");
    fs::rename(&out, &aside).unwrap();
    let half = tmp.path().join(".out.vdc-stage-aabbccddeeff0011");
    fs::create_dir_all(half.join("cluster1")).unwrap();
    fs::write(half.join(".vdc-staging"), "").unwrap();
    // A folder of the user's with vdc's pattern but none of its marks is left alone.
    let users = tmp.path().join(".out.vdc-stage-0000000000000000");
    fs::create_dir(&users).unwrap();
    render_ok(BOOKINFO, &out);
    assert_consistent(&out);
    assert!(!aside.exists() && !half.exists());
    assert!(users.is_dir());
}

/// Class 10: a user's symbolic link and empty folder in DIR stay as they are.
#[test]
fn user_links_and_empty_folders_in_dir_are_carried_over() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let target = tmp.path().join("notes.md");
    fs::write(&target, "notes").unwrap();
    symlink(&target, out.join("NOTES.md")).unwrap();
    fs::create_dir_all(out.join("cluster1/empty")).unwrap();
    fs::create_dir(out.join("later")).unwrap();
    render_ok(MULTI_VD, &out);
    render_ok(BOOKINFO, &out);
    let link = fs::symlink_metadata(out.join("NOTES.md")).unwrap();
    assert!(link.file_type().is_symlink(), "{link:?}");
    assert_eq!(fs::read_link(out.join("NOTES.md")).unwrap(), target);
    assert!(out.join("cluster1/empty").is_dir());
    assert!(out.join("later").is_dir());
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

/// Class 10 and 6: a FIFO, a socket or a name that is not UTF-8 in DIR is refused, naming it
/// and why, without blocking; nothing is touched.
#[test]
fn what_vdc_cannot_carry_over_is_refused_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let socket_path = out.join("app.sock");
    let odd = out.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt"));
    for (make, expected) in [
        (
            Box::new(|| mkfifo(&out.join("pipe"))) as Box<dyn Fn()>,
            "is a FIFO",
        ),
        (
            Box::new(|| {
                std::os::unix::net::UnixListener::bind(&socket_path).unwrap();
            }),
            "is a socket",
        ),
        (Box::new(|| fs::write(&odd, "x").unwrap()), "not UTF-8"),
    ] {
        make();
        let before = snapshot(&out);
        let stderr = render_refused(MULTI_VD, &out);
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert_eq!(snapshot(&out), before);
        for entry in fs::read_dir(&out).unwrap() {
            let entry = entry.unwrap();
            let t = entry.file_type().unwrap();
            if t.is_fifo() || t.is_socket() || entry.file_name().to_str().is_none() {
                fs::remove_file(entry.path()).unwrap();
            }
        }
    }
    render_ok(MULTI_VD, &out);
}

/// Class 6: a FIFO put in place of a file vdc wrote is refused, not read (which would block).
#[test]
fn a_fifo_in_place_of_a_written_file_does_not_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let file = out.join("cluster1/kustomization.yaml");
    fs::remove_file(&file).unwrap();
    mkfifo(&file);
    let stderr = render_refused(BOOKINFO, &out);
    assert!(stderr.contains("FIFO"), "{stderr}");
}

/// A copy of the bookinfo input at `parent/in`.
fn bookinfo_in(parent: &Path) -> PathBuf {
    let input = parent.join("in");
    fs::create_dir(&input).unwrap();
    let copy = std::process::Command::new("cp")
        .args(["-r", &format!("{BOOKINFO}/."), input.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(copy.success());
    input
}

/// `--out` naming INPUT itself is refused in those words, not as a folder "inside" INPUT.
#[test]
fn out_that_is_input_is_refused_as_input_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_in(tmp.path());
    let stderr = render_refused(input.to_str().unwrap(), &input);
    assert!(stderr.contains("is INPUT itself"), "{stderr}");
    assert!(!stderr.contains("inside"), "{stderr}");
}

/// Class 11: `--out` inside INPUT would be read back as input on the next run: refused.
#[test]
fn out_inside_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = bookinfo_in(tmp.path());
    let stderr = render_refused(input.to_str().unwrap(), &input.join("rendered"));
    assert!(stderr.contains("is inside INPUT"), "{stderr}");
    assert!(!input.join("rendered").exists());
}

/// Class 11: a file-size limit makes the write fail with a message (not a silent SIGXFSZ
/// death, status 153), and DIR is left as it was, with no staging folder behind.
#[test]
fn a_file_size_limit_is_a_reported_write_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(MULTI_VD, &out);
    let before = snapshot(&out);
    let bin = vdc_path();
    let o = std::process::Command::new("sh")
        .env("XDG_CACHE_HOME", common::cache_home())
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec '{}' render {BOOKINFO} --out '{}'",
            bin.display(),
            out.display()
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(snapshot(&out), before);
    assert!(leftovers(tmp.path()).is_empty());
}

/// Class 11: a file made immutable in DIR (`chattr +i`) moves with its tree: into the spare,
/// back into DIR when its bytes are the ones wanted, and where a run cannot replace it, that run
/// builds its tree whole and warns that the spare could not be removed. Never a failure.
#[test]
fn an_immutable_file_in_the_old_tree_does_not_break_later_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(MULTI_VD, &out);
    let file = out.join("cluster1/kustomization.yaml");
    let chattr = |flag: &str, path: &Path| {
        std::process::Command::new("chattr")
            .arg(flag)
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !chattr("+i", &file) {
        eprintln!("skipped: chattr +i is not permitted here");
        return;
    }
    // The first run keeps the tree with the immutable file as its spare; the second cannot
    // replace that file there (its bytes differ), so it builds whole and warns, as the third
    // does when it meets that spare again.
    let runs = [BOOKINFO, BOOKINFO, MULTI_VD].map(|input| render(input, &out));
    let mut left: Vec<PathBuf> = leftovers(tmp.path())
        .iter()
        .map(|dir| tmp.path().join(dir))
        .collect();
    left.push(tmp.path().join(".out.vdc/spare"));
    for dir in &left {
        let _ = chattr("-i", &dir.join("cluster1/kustomization.yaml"));
    }
    let _ = chattr("-i", &file);
    for (i, o) in runs.iter().enumerate() {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success(), "{stderr}");
        let warned = stderr.contains("could not remove vdc's spare tree");
        assert_eq!(warned, i > 0, "run {i}: {stderr}");
    }
    assert_consistent(&out);
    render_ok(BOOKINFO, &out);
    assert!(leftovers(tmp.path()).is_empty());
}

/// INPUT inside DIR is refused as DIR inside INPUT is: vdc would rewrite INPUT's files as its
/// own copies on every run.
#[test]
fn input_inside_out_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    render_ok(BOOKINFO, &out);
    let input = out.join("in");
    common::copy_tree(Path::new(BOOKINFO), &input);
    let state = input.join("clusters/cluster1/state.yaml");
    let before = fs::metadata(&state).unwrap();
    let stderr = render_refused(input.to_str().unwrap(), &out);
    assert!(stderr.contains("is inside --out"), "{stderr}");
    let after = fs::metadata(&state).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        after.ino(),
        before.ino(),
        "INPUT's files are left as they are"
    );
}

/// A DIR that is a mount point (`docker run -v HOST:DIR`) cannot be swapped by rename: vdc
/// says so, and why, before writing anything. Needs root and a private mount namespace; skipped
/// where `unshare -m` is not permitted.
#[test]
fn a_mount_point_dir_is_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let (mounted, out) = (tmp.path().join("host"), tmp.path().join("out"));
    fs::create_dir(&mounted).unwrap();
    fs::create_dir(&out).unwrap();
    let o = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c"])
        .arg(r#"mount --bind "$1" "$2" || exit 99; "$3" render testdata/bookinfo --out "$2""#)
        .args(["sh", mounted.to_str().unwrap(), out.to_str().unwrap()])
        .arg(vdc_path())
        .output()
        .unwrap();
    if o.status.code() != Some(2) && !o.status.success() {
        eprintln!("skipped: cannot bind-mount in a private namespace here");
        return;
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is a mount point"), "{stderr}");
    assert_eq!(
        fs::read_dir(&mounted).unwrap().count(),
        0,
        "nothing written"
    );
    assert!(leftovers(tmp.path()).is_empty());
}

/// A cache folder inside DIR, around it, or DIR itself is refused before INPUT is read or the
/// cache written: render would write its cache into the folder it swaps its tree into.
#[test]
fn a_cache_folder_overlapping_out_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cases = [
        (out.join("cache"), "is inside --out"),
        (out.clone(), "is the same folder as --out"),
        (tmp.path().to_path_buf(), "holds --out"),
    ];
    for (cache, says) in cases {
        let o = vdc()
            .timeout(HANG)
            .args(["render", BOOKINFO, "--out"])
            .arg(&out)
            .arg("--cache")
            .arg(&cache)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("the cache folder"), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        let written: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert!(written.is_empty(), "nothing is written: {written:?}");
    }
}
