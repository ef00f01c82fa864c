//! The decode cache never changes an answer: output is byte-identical with it, cold or warm,
//! and without it; a damaged, truncated, stale or foreign entry is ignored and written again;
//! runs sharing a cache at the same time are safe; a sound entry is really used; and the cache
//! is pruned to its bound, keeping what the run used.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use common::vdc;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fleet(dir: &Path) {
    let dir = dir.to_str().unwrap();
    let args = [
        "--clusters",
        "5",
        "--services",
        "20",
        "--vds",
        "8",
        "--workspaces",
        "2",
    ];
    let mut args = args.to_vec();
    args.extend(["--json-fraction", "0.4", dir]);
    synth::generate(&args).unwrap();
}

/// `vdc COMMAND INPUT ARGS…`: exit status and stdout (stderr joined, as the user sees both).
fn run(command: &str, input: &Path, extra: &[&str]) -> (Option<i32>, Vec<u8>) {
    let out = vdc()
        .args(["--quiet", command])
        .arg(input)
        .args(extra)
        .output()
        .unwrap();
    let mut text = out.stdout;
    text.extend_from_slice(b"\n--- stderr\n");
    text.extend_from_slice(&out.stderr);
    (out.status.code(), text)
}

/// Every entry of the cache in `dir`: path → bytes. The input's stamps kept beside them are
/// not entries (they change as the input's files age; see `tests/input_stamps.rs`).
fn entries(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != "inputs")
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_owned(), fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn output_is_the_same_without_the_cache_cold_and_warm() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let cache = tmp.path().join("cache");
    let cache = cache.to_str().unwrap();
    let mut inputs: Vec<PathBuf> = fs::read_dir("testdata")
        .unwrap()
        .chain(fs::read_dir("testdata/check").unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("clusters").is_dir())
        .collect();
    inputs.sort();
    inputs.push(input);
    assert!(inputs.len() > 50, "{}", inputs.len());
    for input in &inputs {
        // A fixture of one problem renders nothing: `check` says all there is.
        let commands: &[&str] = if input.starts_with("testdata/check") {
            &["check"]
        } else {
            &["render", "check"]
        };
        for command in commands {
            let without = run(command, input, &["--no-cache"]);
            let cold = run(command, input, &["--cache", cache]);
            let warm = run(command, input, &["--cache", cache]);
            let name = input.display();
            assert!(cold == without, "{command} {name}: cold cache");
            assert!(warm == without, "{command} {name}: warm cache");
        }
    }
    assert!(entries(Path::new(cache)).len() > 10, "files were cached");
}

#[test]
fn an_out_tree_is_the_same_with_a_warm_cache() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let cache = tmp.path().join("cache");
    let trees: Vec<_> = [["--no-cache", ""], ["--cache", ""], ["--cache", ""]]
        .iter()
        .enumerate()
        .map(|(i, [flag, _])| {
            let out = tmp.path().join(format!("out-{i}"));
            let mut args = vec!["--out", out.to_str().unwrap(), *flag];
            if *flag == "--cache" {
                args.push(cache.to_str().unwrap());
            }
            assert_eq!(run("render", &input, &args).0, Some(0));
            entries(&out)
                .into_iter()
                .map(|(p, b)| (p.strip_prefix(&out).unwrap().to_owned(), b))
                .collect::<BTreeMap<_, _>>()
        })
        .collect();
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

/// Ways an entry goes bad: each must be noticed, ignored and written again.
fn damage(kind: &str, bytes: &[u8], other: &[u8]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    match kind {
        "truncated" => bytes.truncate(bytes.len() * 2 / 3),
        "empty" => bytes.clear(),
        "flipped" => {
            let at = bytes.len() - 10;
            bytes[at] ^= 0x01;
        }
        "appended" => bytes.extend_from_slice(b"{}"),
        // A sound entry of another file, in this one's place.
        "foreign" => bytes = other.to_vec(),
        // Another format's entry: its first line names another version.
        "stale" => {
            let at = bytes.iter().position(|b| *b == b'\n').unwrap() - 1;
            bytes[at] = if bytes[at] == b'0' { b'1' } else { b'0' };
        }
        "garbage" => bytes = b"not an entry at all\n\x00\xff".to_vec(),
        _ => unreachable!(),
    }
    bytes
}

#[test]
fn bad_entries_are_ignored_and_written_again() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let cache = tmp.path().join("cache");
    let flags = ["--cache", cache.to_str().unwrap()];
    let expected = run("render", &input, &["--no-cache"]);
    assert!(run("render", &input, &flags) == expected);
    let sound = entries(&cache);
    assert!(sound.len() >= 5, "{}", sound.len());
    let kinds = [
        "truncated",
        "empty",
        "flipped",
        "appended",
        "foreign",
        "stale",
        "garbage",
    ];
    let paths: Vec<&PathBuf> = sound.keys().collect();
    for (i, kind) in kinds.iter().enumerate() {
        let path = paths[i % paths.len()];
        let other = &sound[paths[(i + 1) % paths.len()]];
        fs::write(path, damage(kind, &sound[path], other)).unwrap();
        assert!(run("render", &input, &flags) == expected, "{kind}");
        assert_eq!(entries(&cache), sound, "the {kind} entry is written again");
    }
}

#[test]
fn a_sound_entry_is_what_the_run_reads() {
    // An entry forged with a valid header (the cache checks integrity, not intent) changes the
    // output: proof that a warm run takes the file from the cache rather than parsing it.
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let cache = tmp.path().join("cache");
    let flags = ["--cache", cache.to_str().unwrap()];
    let before = run("render", &input, &flags);
    let mut forged = 0;
    for (path, bytes) in entries(&cache) {
        // The header's three lines, then the payload (binary): a same-length edit of a string
        // in it keeps every length prefix right. The edit moves an east-west gateway's address.
        let header_end = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(2)
            .unwrap()
            .0
            + 1;
        let header = String::from_utf8(bytes[..header_end].to_vec()).unwrap();
        let mut lines = header.lines();
        let (magic, key) = (lines.next().unwrap(), lines.next().unwrap());
        let mut payload = bytes[header_end..].to_vec();
        let mut changed = false;
        for at in 0..payload.len().saturating_sub(8) {
            if &payload[at..at + 8] == b"10.0.0.1" {
                payload[at..at + 8].copy_from_slice(b"10.9.9.1");
                changed = true;
            }
        }
        if !changed {
            continue;
        }
        let digest = vdc::hash::hex(&Sha256::digest(&payload));
        let mut forged_entry =
            format!("{magic}\n{key}\npayload {} {digest}\n", payload.len()).into_bytes();
        forged_entry.extend_from_slice(&payload);
        fs::write(path, forged_entry).unwrap();
        forged += 1;
    }
    assert!(forged > 0, "cluster-000's gateway has an address");
    let after = String::from_utf8(run("render", &input, &flags).1).unwrap();
    assert!(
        after.contains("address: \"10.9.9.1\""),
        "the forged entries were used"
    );
    assert!(run("render", &input, &["--no-cache"]) == before);
}

#[test]
fn runs_sharing_a_cache_at_once_agree() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let expected = run("render", &input, &["--no-cache"]).1;
    let alone = tmp.path().join("alone");
    run("render", &input, &["--cache", alone.to_str().unwrap()]);
    let shared = tmp.path().join("shared");
    for round in 0..2 {
        let children: Vec<_> = (0..6)
            .map(|_| {
                common::vdc_process()
                    .args(["--quiet", "render"])
                    .arg(&input)
                    .arg("--cache")
                    .arg(&shared)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}");
            let mut text = out.stdout;
            text.extend_from_slice(b"\n--- stderr\n");
            text.extend_from_slice(&out.stderr);
            assert!(text == expected, "round {round}: same output");
        }
    }
    let relative = |dir: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        entries(dir)
            .into_iter()
            .map(|(p, b)| (p.strip_prefix(dir).unwrap().to_owned(), b))
            .collect()
    };
    // No temporary file left, no entry torn: the same entries one run alone writes.
    assert_eq!(relative(&shared), relative(&alone));
}

#[test]
fn pruning_keeps_what_the_run_used_and_drops_the_oldest() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("fleet");
    fleet(&input);
    let dir = tmp.path().join("cache");
    let old = dir.join("v2/00").join("0".repeat(64));
    fs::create_dir_all(old.parent().unwrap()).unwrap();
    fs::write(&old, vec![b'x'; 4096]).unwrap();
    let a_day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(a_day_ago)
        .unwrap();
    let cache = vdc::model::cache::DecodeCache::open(&dir).unwrap();
    let c = vdc::compile_cached(&input, Some(&cache)).unwrap();
    assert!(!c.has_errors());
    let used = entries(&dir).len() - 1;
    assert!(used >= 5, "{used}");
    cache.prune(0);
    assert!(!old.exists(), "an entry this run did not use goes first");
    assert_eq!(entries(&dir).len(), used, "the entries of this run stay");
}

/// A `--cache` that names a file cannot hold a cache: the run says so and goes on without one,
/// with the same output, and leaves the file alone.
#[test]
fn a_cache_that_is_not_a_folder_is_said_so_and_not_used() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("not-a-folder");
    fs::write(&file, "mine").unwrap();
    let without = vdc()
        .args(["render", "testdata/bookinfo", "--no-cache"])
        .output()
        .unwrap();
    let with = vdc()
        .args(["render", "testdata/bookinfo", "--cache"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(with.status.code(), Some(0));
    assert_eq!(with.stdout, without.stdout);
    let stderr = String::from_utf8_lossy(&with.stderr);
    assert!(
        stderr.contains("is not a folder, so this run reads and keeps no cache"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

/// A FIFO planted where the input's stamps are kept is no record: the run reads every file, as
/// without one, rather than waiting forever for a writer to open it.
#[cfg(unix)]
#[test]
fn a_fifo_in_place_of_the_input_stamps_does_not_hang() {
    let tmp = TempDir::new().unwrap();
    let cache = tmp.path().join("cache");
    let render = || {
        vdc()
            .timeout(common::HANG)
            .args(["render", "testdata/bookinfo", "--cache"])
            .arg(&cache)
            .output()
            .unwrap()
    };
    let first = render();
    assert_eq!(first.status.code(), Some(0));
    let stamps: Vec<PathBuf> = fs::read_dir(cache.join("v2/inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(
        stamps.len(),
        1,
        "the testdata's files are settled: {stamps:?}"
    );
    fs::remove_file(&stamps[0]).unwrap();
    let c = std::ffi::CString::new(stamps[0].to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let second = render();
    assert_eq!(second.status.code(), Some(0), "{second:?}");
    assert_eq!(second.stdout, first.stdout);
}

/// A cache on a full disk (here, a file-size limit that every entry and the input's stamps are
/// over) changes nothing in the output and keeps no part-written temporary file: each run
/// would otherwise leave more of them, on the disk that is already full.
#[cfg(unix)]
#[test]
fn a_cache_that_cannot_be_written_leaves_no_temporary_files() {
    let tmp = TempDir::new().unwrap();
    let cache = tmp.path().join("cache");
    let without = vdc()
        .args(["render", "testdata/bookinfo", "--no-cache"])
        .output()
        .unwrap();
    let bin = common::vdc_path();
    let limited = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f 1; exec '{}' render testdata/bookinfo --cache '{}'",
            bin.display(),
            cache.display()
        ))
        .output()
        .unwrap();
    assert_eq!(limited.status.code(), Some(0), "{limited:?}");
    assert_eq!(limited.stdout, without.stdout);
    let left: Vec<PathBuf> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".tmp-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
