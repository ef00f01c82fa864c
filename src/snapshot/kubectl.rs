//! Running kubectl without trusting it: every call has a deadline (the child is killed when it
//! passes, or when vdc stops reading for any reason), its JSON is parsed as it streams in with
//! each item kept only in the form vdc keeps it, and what is read of either stream is capped.

use anyhow::{Context, Result, bail};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The most of kubectl's output one call may print: far above any real cluster's List of one
/// kind, and a bound on what a broken or hostile kubectl can make vdc read.
pub const MAX_OUTPUT_BYTES: u64 = 4 << 30;

/// The most of kubectl's error output kept for the message; the rest is read and dropped.
const MAX_ERROR_BYTES: usize = 16 * 1024;

/// The first `kubectl` on PATH that is an executable file (a non-executable one is skipped, as
/// the shell skips it).
pub fn find() -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|candidate| {
            std::fs::metadata(candidate)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// What a call printed to stderr, and how it ended, when it did not succeed.
pub enum Failure {
    /// It exited with an error; its stderr (the first part of it).
    Exited(String),
    /// It did not finish within the deadline and was killed.
    TimedOut(Duration),
}

/// Runs `kubectl ARGS` (which print a `List` as JSON), passing each of the List's items to
/// `on_item` as it is parsed. Returns `Ok(Err(failure))` when kubectl itself failed.
pub fn list(
    kubectl: &Path,
    args: &[&str],
    timeout: Duration,
    on_item: &mut dyn FnMut(Value),
) -> Result<std::result::Result<(), Failure>> {
    // In a process group of its own, so that what kubectl starts (a credential plugin, say)
    // is killed with it: one left running would hold its output open and vdc waiting on it.
    let mut child = Command::new(kubectl)
        .args(args)
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", kubectl.display()))?;
    let stdout = child.stdout.take().context("kubectl's output")?;
    let stderr = child.stderr.take().context("kubectl's error output")?;
    let errors = std::thread::spawn(move || read_start(stderr, MAX_ERROR_BYTES));
    let watch = Watch::start(child, timeout);
    let capped = Capped {
        inner: io::BufReader::with_capacity(1 << 16, stdout),
        left: MAX_OUTPUT_BYTES,
    };
    let parsed = parse_list(capped, on_item);
    // Whatever happened, kubectl is not left running: killed if it has not exited by now.
    let (status, timed_out) = watch.finish();
    let stderr = errors.join().unwrap_or_default();
    if timed_out {
        return Ok(Err(Failure::TimedOut(timeout)));
    }
    match status {
        Some(status) if status.success() => {}
        _ => return Ok(Err(Failure::Exited(stderr))),
    }
    parsed.map(Ok)
}

/// The first `cap` bytes of `from` as text; the rest is read (so the writer never blocks) and
/// dropped.
fn read_start(mut from: impl Read, cap: usize) -> String {
    let mut kept = Vec::new();
    let mut buffer = [0u8; 8192];
    while let Ok(n) = from.read(&mut buffer) {
        if n == 0 {
            break;
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&buffer[..n.min(room)]);
    }
    String::from_utf8_lossy(&kept).into_owned()
}

/// A reader that fails once more than its allowance has been read.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            io::Error::other(format!(
                "kubectl printed more than {MAX_OUTPUT_BYTES} bytes; vdc reads at most that much of one call"
            ))
        })?;
        Ok(n)
    }
}

/// The child and its process group, watched by a thread that kills them at the deadline or
/// when told to.
struct Watch {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<(Option<std::process::ExitStatus>, bool)>,
}

impl Watch {
    fn start(mut child: Child, timeout: Duration) -> Watch {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + timeout;
            // Until vdc has read all it will: kubectl may have exited while a process it left
            // behind still holds its output open.
            let late = loop {
                if stopped.load(Ordering::Relaxed) {
                    break false;
                }
                if Instant::now() >= deadline {
                    break true;
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            // The group goes before kubectl is reaped: until then its id, which is the group's,
            // cannot be taken by another process.
            let group = rustix::process::Pid::from_child(&child);
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            let _ = child.kill();
            (child.wait().ok(), late)
        });
        Watch { stop, thread }
    }

    /// Stops watching: the child's exit status (killed now if still running), and whether the
    /// deadline passed.
    fn finish(self) -> (Option<std::process::ExitStatus>, bool) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or((None, false))
    }
}

/// Parses a JSON `List` from `reader`, one item at a time.
fn parse_list(reader: impl Read, on_item: &mut dyn FnMut(Value)) -> Result<()> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let found = ListSeed { on_item }
        .deserialize(&mut de)
        .context("kubectl printed no JSON List")?;
    de.end()
        .context("kubectl printed more than one JSON value")?;
    if !found {
        bail!("kubectl printed JSON that is not a List (it has no `items`)");
    }
    Ok(())
}

/// The List object: its `items` go to `on_item`, everything else is skipped unread.
struct ListSeed<'a> {
    on_item: &'a mut dyn FnMut(Value),
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<bool, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object with `items`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" && !found {
                map.next_value_seed(Items {
                    on_item: &mut *self.on_item,
                })?;
                found = true;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// The `items` array, one element at a time.
struct Items<'a> {
    on_item: &'a mut dyn FnMut(Value),
}

impl<'de> DeserializeSeed<'de> for Items<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            (self.on_item)(item);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_read_item_by_item_and_the_rest_skipped() {
        let text = r#"{"apiVersion":"v1","items":[{"a":1},{"b":2}],"kind":"List","metadata":{}}"#;
        let mut seen = Vec::new();
        parse_list(text.as_bytes(), &mut |v| seen.push(v)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            seen,
            [serde_json::json!({"a":1}), serde_json::json!({"b":2})]
        );
        let err = parse_list(&b"{\"kind\":\"List\"}"[..], &mut |_| {});
        assert!(err.is_err());
        let err = parse_list(&b"[1]"[..], &mut |_| {});
        assert!(err.is_err());
    }
}
