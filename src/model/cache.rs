//! The decode cache: what each file of cluster state decodes to, kept on disk between runs so a
//! re-render parses only the files that changed.
//!
//! An entry is keyed by the SHA-256 of vdc's build (its version, and the SHA-256 of its
//! executable's bytes), the settings, the file's path below INPUT (which decides its cluster) and its
//! bytes' digest: a key never names an entry of other bytes, of another build or other settings.
//! An entry is trusted only after it is checked: its header names the key it was written for
//! and the length and SHA-256 of what follows; anything else (a damaged, truncated, stale or
//! foreign entry, or one that does not decode) is ignored, and the file is parsed and its entry
//! written again. Entries are written to a temporary file and renamed into place, so runs that
//! share a cache never see half an entry. A cache over [`MAX_CACHE_BYTES`] loses its least
//! recently used entries at the end of a run; deleting the folder is always safe.
//!
//! Only files that decode wholly into cluster state (Namespaces, Services, workloads, Nodes,
//! the mesh ConfigMap, Istio objects, WorkloadEntries, and kinds vdc skips) with no diagnostic
//! are cached: they are nearly all of a large input. Gloo config and any file with a problem is
//! parsed every run, so every diagnostic comes from a parse.
//!
//! The payload is postcard: serde's data model without field names, lengths as varints. A warm
//! re-render of a large fleet reads every entry, so their size and decoding speed are most of
//! its input time: for the 100-cluster mesh L, 31 MB of postcard against 96 MB of the JSON of
//! format `v1`, and read in about two thirds of the time. Entries of an older format are never
//! read, and pruning removes them.

use super::labels::Names;
use super::{Decoded, DecodedDocument, ObjectKey, StateObject};
use crate::diagnostic::Diagnostics;
use crate::load::node::Pos;
use crate::load::{FileDigest, FileInput, ParsedFile, Settings, SourceFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The cache is pruned to this size, least recently used entries first.
pub const MAX_CACHE_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The format of entries; a new format is a new folder, so old entries are never read.
const FORMAT: &str = "v2";
const MAGIC: &str = "vdc decode cache v2";
/// The folders of formats this vdc no longer reads, removed when the cache is pruned: `v1`
/// held JSON payloads.
const OLDER_FORMATS: &[&str] = &["v1"];

/// An open cache folder.
#[derive(Debug)]
pub struct DecodeCache {
    dir: PathBuf,
    build: String,
    /// Entries used or written by this run, kept when the cache is pruned.
    used: Mutex<Vec<PathBuf>>,
    written: AtomicUsize,
}

/// One file's entry: its documents, decoded.
#[derive(Serialize, Deserialize)]
struct Entry {
    skipped: usize,
    documents: Vec<CachedDocument>,
}

#[derive(Serialize, Deserialize)]
struct CachedDocument {
    cluster: String,
    group: String,
    kind: String,
    namespace: String,
    name: String,
    pos: Pos,
    decoded: CachedDecoded,
}

/// The [`Decoded`] variants a cached file may hold.
// As `Decoded` itself: boxing the state would cost an allocation for each of a fleet's objects.
#[allow(clippy::large_enum_variant)]
#[derive(Serialize, Deserialize)]
enum CachedDecoded {
    Skipped,
    Nothing,
    State(StateObject),
}

impl DecodeCache {
    /// The cache in `dir` (created when first written). `None` when vdc cannot tell its own
    /// build apart, so an entry could not be tied to it.
    pub fn open(dir: &Path) -> Option<DecodeCache> {
        Some(DecodeCache {
            dir: dir.join(FORMAT),
            build: build_id()?,
            used: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0),
        })
    }

    /// How many entries this run wrote.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// `file`'s documents: from its entry when a sound one exists (its labels shared through
    /// `names`, as a decoder shares them); otherwise parsed and decoded with `decode`, and
    /// stored when they can be.
    pub fn read(
        &self,
        settings: &Settings,
        mut file: FileInput,
        names: &Arc<Names>,
        decode: impl Fn(FileInput) -> ParsedFile<DecodedDocument>,
    ) -> ParsedFile<DecodedDocument> {
        let Some(digest) = file.digest else {
            return decode(file);
        };
        let key = self.key(settings, file.rel, &digest);
        let path = self.dir.join(&key[..2]).join(&key);
        if let Some(entry) = Names::reading(names, || read_entry(&path, &key)) {
            touch(&path);
            self.used_entry(path);
            return entry.into_parsed(file.rel);
        }
        if !file.is_read() {
            // Its digest was vouched for by its status, not taken from bytes: an entry is
            // written only under the digest of the bytes parsed, so the file is read and looked
            // up again (it may have changed since its status was taken).
            file.read();
            return self.read(settings, file, names, decode);
        }
        let parsed = decode(file);
        if let Some(entry) = Entry::of(&parsed) {
            if self.write_entry(&path, &key, &entry).is_ok() {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            self.used_entry(path);
        }
        parsed
    }

    /// Where the stamps of INPUT's files are kept (see [`crate::load::stamps`]): one record per
    /// INPUT folder, named by the digest of its canonical path.
    pub fn input_stamps(&self, input: &Path) -> Option<PathBuf> {
        let canonical = input.canonicalize().ok()?;
        let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
        let path = self.dir.join("inputs").join(crate::hash::hex(&digest));
        self.used_entry(path.clone());
        Some(path)
    }

    fn used_entry(&self, path: PathBuf) {
        if let Ok(mut used) = self.used.lock() {
            used.push(path);
        }
    }

    fn key(&self, settings: &Settings, rel: &str, digest: &FileDigest) -> String {
        let mut hash = Sha256::new();
        for part in [MAGIC, &self.build, &format!("{settings:?}"), rel] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.update(digest);
        crate::hash::hex(&hash.finalize())
    }

    /// Writes an entry beside its place and renames it there: a reader sees the old entry, the
    /// new one, or none, never a part.
    fn write_entry(&self, path: &Path, key: &str, entry: &Entry) -> std::io::Result<()> {
        let payload = postcard::to_allocvec(entry).map_err(std::io::Error::other)?;
        let mut bytes = header(key, &payload).into_bytes();
        bytes.extend_from_slice(&payload);
        let folder = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(folder)?;
        crate::fsio::replace_file(path, &bytes)
    }

    /// Removes the least recently used entries (and temporary files older than an hour, left
    /// by runs that were killed) until the cache is under `max` bytes, keeping this run's, and
    /// every entry of a format this vdc no longer reads.
    pub fn prune(&self, max: u64) {
        if let Some(top) = self.dir.parent() {
            OLDER_FORMATS
                .iter()
                .for_each(|format| remove_format(&top.join(format)));
        }
        let used: std::collections::HashSet<PathBuf> = match self.used.lock() {
            Ok(used) => used.iter().cloned().collect(),
            Err(_) => return,
        };
        // A walk follows its root when it is a link: a `v2` planted as a link to another folder
        // would have that folder's files pruned.
        if !fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) {
            return;
        }
        let mut entries: Vec<(SystemTime, u64, PathBuf)> = walkdir::WalkDir::new(&self.dir)
            .min_depth(2)
            .max_depth(2)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && named_by_vdc(e.path()))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().ok()?, meta.len(), e.into_path()))
            })
            .collect();
        let hour_ago = SystemTime::now() - std::time::Duration::from_secs(3600);
        entries.retain(|(modified, _, path)| {
            let stale_temporary = is_temporary(path) && *modified < hour_ago;
            if stale_temporary {
                let _ = fs::remove_file(path);
            }
            !stale_temporary && !is_temporary(path)
        });
        let mut total: u64 = entries.iter().map(|(_, len, _)| len).sum();
        entries.sort();
        for (_, len, path) in entries {
            if total <= max {
                break;
            }
            if !used.contains(&path) && fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
    }
}

/// Removes the entries of an older format's folder, and then its folders if that left them
/// empty: only files named as vdc names entries and temporary files, so a file of someone
/// else's in the cache keeps its folder. A format folder that is a link is left alone: listing
/// it would remove files of the folder it leads to.
fn remove_format(dir: &Path) {
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    let Ok(folders) = fs::read_dir(dir) else {
        return;
    };
    for folder in folders.filter_map(Result::ok) {
        if !folder.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        for entry in fs::read_dir(folder.path()).into_iter().flatten().flatten() {
            let path = entry.path();
            if named_by_vdc(&path) && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(path);
            }
        }
        let _ = fs::remove_dir(folder.path());
    }
    let _ = fs::remove_dir(dir);
}

/// Whether `path` is named as vdc names its files in the cache: an entry or the input's stamps
/// (64 hex digits), or a temporary file. Pruning removes nothing else.
fn named_by_vdc(path: &Path) -> bool {
    is_temporary(path)
        || path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(".tmp-"))
}

/// Marks an entry used now, so pruning keeps it over older ones.
fn touch(path: &Path) {
    if let Ok(file) = fs::File::options().write(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

fn header(key: &str, payload: &[u8]) -> String {
    let digest = crate::hash::hex(&Sha256::digest(payload));
    format!("{MAGIC}\nkey {key}\npayload {} {digest}\n", payload.len())
}

/// The entry at `path`, if it is one, written for `key`, whole and unchanged.
fn read_entry(path: &Path, key: &str) -> Option<Entry> {
    let bytes = crate::fsio::read_capped(path, MAX_CACHE_BYTES, false).ok()?;
    let mut lines = bytes.splitn(4, |b| *b == b'\n');
    let (magic, key_line, payload_line) = (lines.next()?, lines.next()?, lines.next()?);
    let payload = lines.next()?;
    let expected = header(key, payload);
    let found = [magic, key_line, payload_line].join(&b'\n');
    if expected.as_bytes().strip_suffix(b"\n")? != found.as_slice() {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// vdc's version and the SHA-256 of its executable's bytes: a rebuild with any change is
/// another build, even one a reproducible build gives the same size and modification time
/// (Nix sets every store file's time to 1 s past the epoch). Hashing about 10 MB costs a few
/// milliseconds, once a run that uses the cache.
fn build_id() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    build_id_of(&exe).ok()
}

/// An executable larger than this is not vdc; it is not hashed and the cache is not used.
const MAX_EXECUTABLE_BYTES: u64 = 1 << 30;

fn build_id_of(exe: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = crate::fsio::open_regular(exe, true)?;
    let mut bytes = file.take(MAX_EXECUTABLE_BYTES + 1);
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = bytes.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    if total > MAX_EXECUTABLE_BYTES {
        return Err(std::io::Error::other(
            "the executable is too large to be vdc",
        ));
    }
    Ok(format!(
        "{} {}",
        env!("VDC_VERSION"),
        crate::hash::hex(&hasher.finalize())
    ))
}

impl Entry {
    /// The entry for a parsed file, when every document of it is cluster state and nothing in
    /// it was a problem.
    fn of(parsed: &ParsedFile<DecodedDocument>) -> Option<Entry> {
        if !parsed.diagnostics.is_empty() {
            return None;
        }
        let documents = parsed
            .documents
            .iter()
            .map(CachedDocument::of)
            .collect::<Option<_>>()?;
        Some(Entry {
            skipped: parsed.skipped,
            documents,
        })
    }

    fn into_parsed(self, rel: &str) -> ParsedFile<DecodedDocument> {
        let file: Arc<str> = Arc::from(rel);
        ParsedFile {
            source: Arc::new(SourceFile::new(file.clone(), String::new())),
            documents: self
                .documents
                .into_iter()
                .map(|d| d.into_decoded(&file))
                .collect(),
            diagnostics: Diagnostics::default(),
            skipped: self.skipped,
        }
    }
}

impl CachedDocument {
    fn of(doc: &DecodedDocument) -> Option<CachedDocument> {
        if !doc.diags.is_empty() {
            return None;
        }
        let decoded = match &doc.decoded {
            Decoded::Skipped => CachedDecoded::Skipped,
            Decoded::Nothing => CachedDecoded::Nothing,
            Decoded::State(state) => CachedDecoded::State((**state).clone()),
            Decoded::Gloo(_) => return None,
        };
        Some(CachedDocument {
            cluster: doc.cluster.clone(),
            group: doc.key.group.clone(),
            kind: doc.key.kind.clone(),
            namespace: doc.key.namespace.clone(),
            name: doc.key.name.clone(),
            pos: doc.pos,
            decoded,
        })
    }

    fn into_decoded(self, file: &Arc<str>) -> DecodedDocument {
        let decoded = match self.decoded {
            CachedDecoded::Skipped => Decoded::Skipped,
            CachedDecoded::Nothing => Decoded::Nothing,
            CachedDecoded::State(state) => Decoded::State(Box::new(with_file(state, file))),
        };
        DecodedDocument {
            cluster: self.cluster,
            key: ObjectKey {
                group: self.group,
                kind: self.kind,
                namespace: self.namespace,
                name: self.name,
            },
            file: file.clone(),
            pos: self.pos,
            diags: Diagnostics::default(),
            decoded,
        }
    }
}

/// `state` read from an entry, its file (not stored in entries) set to `file`.
fn with_file(mut state: StateObject, file: &Arc<str>) -> StateObject {
    match &mut state {
        StateObject::Service(s) => s.meta.file = file.clone(),
        StateObject::Workload(w) => w.meta.file = file.clone(),
        StateObject::MeshConfig(facts) => facts.file = file.clone(),
        StateObject::Istio(o) => o.meta.file = file.clone(),
        StateObject::LiveWorkloadEntry(e) => e.meta.file = file.clone(),
        StateObject::PreviousOutput(meta) => meta.file = file.clone(),
        StateObject::Namespace(_) | StateObject::Node(_) => {}
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_from_an_entry_are_shared_as_decoded_ones_are() {
        let names = Names::default();
        let decoded = names.labels([("app", "reviews"), ("version", "v1")]);
        let bytes = postcard::to_allocvec(&StateObject::Namespace(decoded.clone())).unwrap();
        let names = Arc::new(names);
        let read = Names::reading(&names, || postcard::from_bytes(&bytes).unwrap());
        let StateObject::Namespace(labels) = read else {
            panic!("a Namespace reads back as a Namespace");
        };
        assert_eq!(labels, decoded);
        assert!(labels.same_set(&decoded));
    }

    #[cfg(unix)]
    #[test]
    fn pruning_removes_only_vdcs_files_and_never_through_a_link() {
        let tmp = std::env::temp_dir().join(format!("vdc-cache-prune-{}", std::process::id()));
        let entry = tmp.join("v2/ab").join("ab".repeat(32));
        let theirs = tmp.join("v2/ab/notes.txt");
        let elsewhere = tmp.join("elsewhere/cd").join("cd".repeat(32));
        for file in [&entry, &theirs, &elsewhere] {
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, "x").unwrap();
        }
        DecodeCache::open(&tmp).unwrap().prune(0);
        assert!(
            !entry.exists(),
            "an entry goes when the cache is over its bound"
        );
        assert!(theirs.exists(), "a file vdc did not name stays");
        let linked = tmp.join("linked");
        fs::create_dir_all(&linked).unwrap();
        std::os::unix::fs::symlink(tmp.join("elsewhere"), linked.join("v2")).unwrap();
        DecodeCache::open(&linked).unwrap().prune(0);
        assert!(elsewhere.exists(), "a `v2` that is a link is not pruned");
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn an_older_formats_entries_are_removed_and_nothing_else() {
        let tmp = std::env::temp_dir().join(format!("vdc-cache-format-{}", std::process::id()));
        let entry = tmp.join("v1/ab").join("ab".repeat(32));
        let theirs = tmp.join("v1/cd/notes.txt");
        for file in [&entry, &theirs] {
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, "x").unwrap();
        }
        DecodeCache::open(&tmp).unwrap().prune(MAX_CACHE_BYTES);
        assert!(
            !tmp.join("v1/ab").exists(),
            "the old entry and its folder go"
        );
        assert!(theirs.exists(), "a file vdc did not name stays");
        fs::remove_dir_all(&tmp).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_older_format_that_is_a_link_is_not_followed() {
        let tmp = std::env::temp_dir().join(format!("vdc-cache-v1-link-{}", std::process::id()));
        let elsewhere = tmp.join("elsewhere/ab").join("ab".repeat(32));
        fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
        fs::write(&elsewhere, "x").unwrap();
        let cache = tmp.join("cache");
        fs::create_dir_all(&cache).unwrap();
        std::os::unix::fs::symlink(tmp.join("elsewhere"), cache.join("v1")).unwrap();
        DecodeCache::open(&cache).unwrap().prune(MAX_CACHE_BYTES);
        assert!(elsewhere.exists(), "a `v1` that is a link is not emptied");
        fs::remove_dir_all(&tmp).unwrap();
    }

    /// A reproducible build gives two builds one size and one modification time; only their
    /// bytes tell them apart, so the cache keys on the bytes.
    #[test]
    fn builds_of_one_size_and_time_are_told_apart_by_their_bytes() {
        let tmp = std::env::temp_dir().join(format!("vdc-cache-build-{}", std::process::id()));
        fs::create_dir_all(&tmp).unwrap();
        let epoch_plus_one = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        let ids: Vec<String> = ["vdc-a", "vdc-b"]
            .iter()
            .map(|name| {
                let exe = tmp.join(name);
                fs::write(&exe, format!("build {name}")).unwrap();
                fs::File::options()
                    .write(true)
                    .open(&exe)
                    .unwrap()
                    .set_modified(epoch_plus_one)
                    .unwrap();
                build_id_of(&exe).unwrap()
            })
            .collect();
        assert_ne!(ids[0], ids[1]);
        let again = build_id_of(&tmp.join("vdc-a")).unwrap();
        assert_eq!(ids[0], again, "one build has one identity");
        fs::remove_dir_all(&tmp).unwrap();
    }
}
