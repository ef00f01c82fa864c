//! `vdc snapshot` trusts neither kubectl nor what INPUT holds: links where it writes, a kubectl
//! that never answers or floods its output, two snapshots at once, two contexts with one name.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]
#![cfg(unix)]

mod common;
use common::{HANG, vdc};
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

const EMPTY_LIST: &str = r#"{"apiVersion":"v1","kind":"List","metadata":{},"items":[]}"#;

/// A folder holding a `kubectl` that runs `body` (a shell script fragment).
fn kubectl(tmp: &Path, folder: &str, body: &str) -> PathBuf {
    let bin = tmp.join(folder);
    fs::create_dir_all(&bin).unwrap();
    let path = bin.join("kubectl");
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// A kubectl that answers every `get` with an empty List.
fn empty_kubectl(tmp: &Path) -> PathBuf {
    kubectl(tmp, "bin", &format!("echo '{EMPTY_LIST}'"))
}

fn snapshot(bin: &Path, input: &Path, args: &[&str]) -> (i32, String) {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let o = vdc()
        .timeout(HANG)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .arg("snapshot")
        .args(args)
        .arg(input)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Item 4: a link at the temporary name, or a cluster folder that is a link, never has vdc
/// write outside INPUT.
#[test]
fn links_in_input_never_redirect_a_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = empty_kubectl(tmp.path());
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("clusters/c1")).unwrap();
    let victim = tmp.path().join("victim");
    fs::write(&victim, "precious").unwrap();
    symlink(&victim, input.join("clusters/c1/.state.json.vdc-tmp")).unwrap();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert!(input.join("clusters/c1/state.json").is_file());

    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    symlink(&elsewhere, input.join("clusters/c2")).unwrap();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c2"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

/// Item 5: a kubectl that never answers is stopped at the deadline, and killed.
#[test]
fn a_kubectl_that_never_answers_is_stopped_and_killed() {
    let tmp = tempfile::tempdir().unwrap();
    let pid_file = tmp.path().join("pid");
    let bin = kubectl(
        tmp.path(),
        "bin",
        &format!("echo $$ > '{}'; exec sleep 600", pid_file.display()),
    );
    let input = tmp.path().join("in");
    let started = std::time::Instant::now();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1", "--timeout", "1"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("did not finish within 1 s"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    let pid = fs::read_to_string(&pid_file).unwrap();
    let alive = std::process::Command::new("kill")
        .args(["-0", pid.trim()])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap()
        .success();
    assert!(!alive, "kubectl (pid {pid}) still runs");
    assert!(!input.join("clusters/c1/state.json").exists());
}

/// Whether the process whose id is in `pid_file` still runs, a few seconds after it was killed:
/// a process killed while it waits for a CPU (as on a loaded 2-core CI runner) dies only once
/// it is scheduled, so one look can find it still running.
fn outlives_its_kill(pid_file: &Path) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while is_alive(pid_file) {
        if std::time::Instant::now() > deadline {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// Whether the process whose id is in `pid_file` still runs: a zombie, killed and waiting for
/// whoever adopted it to reap it, does not.
fn is_alive(pid_file: &Path) -> bool {
    let pid = fs::read_to_string(pid_file).unwrap();
    let status = fs::read_to_string(format!("/proc/{}/status", pid.trim())).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("State:"))
        .is_some_and(|state| !state.trim_start().starts_with('Z'))
}

/// What kubectl starts (a credential plugin that hangs, say) holds kubectl's error output open
/// after kubectl is gone: it is killed with kubectl, at the deadline or when kubectl is done,
/// rather than waited on.
#[test]
fn what_kubectl_leaves_running_is_killed_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let hung = tmp.path().join("hung");
    let bin = kubectl(
        tmp.path(),
        "hangs",
        &format!(
            "sleep 600 >/dev/null & echo $! > '{}'; wait",
            hung.display()
        ),
    );
    let started = std::time::Instant::now();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1", "--timeout", "1"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("did not finish within 1 s"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(
        !outlives_its_kill(&hung),
        "the plugin kubectl started still runs"
    );

    let left = tmp.path().join("left");
    let bin = kubectl(
        tmp.path(),
        "leaves",
        &format!(
            "(sleep 600 >/dev/null & echo $! > '{}'); echo '{EMPTY_LIST}'",
            left.display()
        ),
    );
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1", "--timeout", "60"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        !outlives_its_kill(&left),
        "what kubectl left running still runs"
    );
}

/// Peak memory of one `vdc snapshot` run, in KiB, as `/usr/bin/time` measures it.
fn peak_kib(bin: &Path, input: &Path) -> (u64, String) {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let o = std::process::Command::new("/usr/bin/time")
        .args(["-f", "peak %M"])
        .arg(common::vdc_path())
        .args(["snapshot", "--context", "c1"])
        .arg(input)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    let peak = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("peak "))
        .next_back()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(u64::MAX);
    (peak, stderr)
}

/// Item 6: kubectl's output is parsed as it streams in, keeping only what vdc keeps, and its
/// error output is capped: 20 MB of ConfigMaps vdc does not read, or 20 MB of errors, never
/// cost more than a small multiple of vdc's own size.
#[test]
fn kubectl_output_is_streamed_and_its_errors_capped() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: no /usr/bin/time");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("configmaps.json");
    let item = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"istio-system"},"data":{"k":"v"}}"#;
    let mut text = String::from(r#"{"apiVersion":"v1","kind":"List","items":["#);
    for i in 0..200_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(item);
    }
    text.push_str("]}");
    fs::write(&big, text).unwrap();
    let body = format!(
        "case \"$*\" in *configmaps*) cat '{}';; *) echo '{EMPTY_LIST}';; esac",
        big.display()
    );
    let bin = kubectl(tmp.path(), "bin", &body);
    let (peak, stderr) = peak_kib(&bin, &tmp.path().join("in"));
    assert!(stderr.contains("0 objects"), "{stderr}");
    assert!(peak < 120 * 1024, "peak {peak} KiB for 20 MB of output");

    let noise = tmp.path().join("noise");
    fs::write(&noise, "e".repeat(20 << 20)).unwrap();
    let bin = kubectl(
        tmp.path(),
        "bin2",
        &format!("cat '{}' >&2; exit 1", noise.display()),
    );
    let (peak, stderr) = peak_kib(&bin, &tmp.path().join("in2"));
    assert!(
        stderr.len() < 64 * 1024,
        "{} bytes of message",
        stderr.len()
    );
    assert!(peak < 120 * 1024, "peak {peak} KiB for 20 MB of errors");
}

/// Item 7: a snapshot takes INPUT's lock as render takes DIR's: a second one at the same time
/// stops at once, writing nothing.
#[test]
fn a_snapshot_locks_input() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = empty_kubectl(tmp.path());
    let input = tmp.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::create_dir(tmp.path().join(".in.vdc")).unwrap();
    let lock = fs::File::create(tmp.path().join(".in.vdc/lock")).unwrap();
    lock.lock().unwrap();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("another vdc run"), "{stderr}");
    assert!(!input.join("clusters").exists());
}

/// Item 8: two contexts named as one cluster are refused, and when one file cannot be written,
/// none is replaced.
#[test]
fn duplicate_names_are_refused_and_writes_are_all_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = empty_kubectl(tmp.path());
    let input = tmp.path().join("in");
    let args = [
        "--context",
        "a",
        "--as",
        "c1",
        "--context",
        "b",
        "--as",
        "c1",
    ];
    let (status, stderr) = snapshot(&bin, &input, &args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("cluster `c1`"), "{stderr}");

    fs::create_dir_all(input.join("clusters/c1")).unwrap();
    fs::write(input.join("clusters/c1/state.json"), "old").unwrap();
    fs::write(input.join("clusters/c2"), "a file where a folder goes").unwrap();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1", "--context", "c2"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("nothing was replaced"), "{stderr}");
    assert_eq!(
        fs::read_to_string(input.join("clusters/c1/state.json")).unwrap(),
        "old"
    );
    let names: Vec<_> = fs::read_dir(input.join("clusters/c1")).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left behind");
}

/// A folder where a cluster's `state.json` goes is found before any file is replaced: its
/// rename would fail after the clusters before it were written, leaving INPUT half new.
#[test]
fn a_folder_in_a_files_place_replaces_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = empty_kubectl(tmp.path());
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("clusters/c1")).unwrap();
    fs::write(input.join("clusters/c1/state.json"), "old").unwrap();
    fs::create_dir_all(input.join("clusters/c2/state.json")).unwrap();
    fs::write(input.join("clusters/c2/state.json/notes"), "theirs").unwrap();
    let (status, stderr) = snapshot(&bin, &input, &["--context", "c1", "--context", "c2"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("is a folder"), "{stderr}");
    assert!(stderr.contains("nothing was replaced"), "{stderr}");
    assert_eq!(
        fs::read_to_string(input.join("clusters/c1/state.json")).unwrap(),
        "old"
    );
    for folder in ["clusters/c1", "clusters/c2"] {
        let names: Vec<_> = fs::read_dir(input.join(folder)).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left in {folder}");
    }
}

/// `vdc snapshot --context c1 .`, run in INPUT itself, writes there: `.` names the folder it
/// is, and the lock goes beside that folder as when INPUT is named by its name.
#[test]
fn input_named_dot_is_the_folder_vdc_runs_in() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = empty_kubectl(tmp.path());
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    let mut paths = vec![bin];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    for (dir, arg) in [(input.clone(), "."), (input.join("sub"), "..")] {
        let o = vdc()
            .timeout(HANG)
            .current_dir(&dir)
            .env("PATH", std::env::join_paths(&paths).unwrap())
            .args(["snapshot", "--context", "c1", arg])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{o:?}");
        assert!(input.join("clusters/c1/state.json").is_file());
        assert!(tmp.path().join(".in.vdc/lock").is_file());
        fs::remove_dir_all(input.join("clusters")).unwrap();
    }
}

/// Items 15 and 22: kubectl's error output reaches the terminal with its control characters
/// escaped, and a `kubectl` on PATH that is not executable is skipped, as the shell skips it.
#[test]
fn kubectl_errors_are_escaped_and_a_non_executable_kubectl_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = kubectl(
        tmp.path(),
        "bin",
        r"printf 'error: \033]0;owned\007\033[2Jgone\n' >&2; exit 1",
    );
    let (status, stderr) = snapshot(&bin, &tmp.path().join("in"), &["--context", "c1"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(stderr.contains("\\u{1b}"), "{stderr}");

    let working = empty_kubectl(tmp.path());
    let broken = tmp.path().join("broken");
    fs::create_dir(&broken).unwrap();
    fs::write(broken.join("kubectl"), "not a program").unwrap();
    let mut paths = vec![broken, working];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
    let o = vdc()
        .timeout(HANG)
        .env("PATH", std::env::join_paths(paths).unwrap())
        .args(["snapshot", "--context", "c1"])
        .arg(tmp.path().join("in3"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
}
