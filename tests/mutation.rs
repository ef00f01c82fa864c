//! §7: a few thousand mutations of the testdata manifests go through load, model, validation,
//! translation and emit. Files are truncated (on a character and in the middle of one), lines
//! deleted, duplicated, swapped and re-indented, scalars swapped for other types, random bytes
//! inserted and keys misspelt. No mutant may panic or hang, an error must mean no output, every
//! diagnostic must point into the input, and a mutant that is invalid by construction must earn
//! its diagnostic (code, file and line).
//!
//! Mutants are compiled from memory: the mutated file is parsed and decoded
//! ([`vdc::load::parse_source`], [`vdc::model::decode`]) and joins the fixture's other files,
//! decoded once, in [`vdc::compile_loaded`]. Reading and parsing every file of a fixture again
//! for each mutant would not fit a debug `cargo test`. A sample, and every mutant of `vdc.yaml`,
//! also goes through [`vdc::compile`] on a copy of the fixture on disk, which must agree to the
//! diagnostic.
//!
//! Every mutant comes from its index alone (a fixed seed and splitmix64), so a failure is
//! reproduced with `VDC_MUTANT=<index> cargo test --test mutation -- --nocapture`, and
//! `VDC_MUTANTS=<count>` runs more of them than the default.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

#[allow(dead_code)]
#[path = "../examples/synth.rs"]
mod synth;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use vdc::Compilation;
use vdc::load::{Loaded, ParsedFile, Settings};
use vdc::model::DecodedDocument;

const FIXTURES: [&str; 4] = ["bookinfo", "routing-policies", "multi-vd", "client-only"];
const SEED: u64 = 0x5eed_0007_d0c5_u64;
const MUTANTS: usize = 2500;
/// One mutant in this many also runs through `vdc::compile` on disk.
const ON_DISK_EVERY: usize = 250;
/// Per mille of mutants that hit a large cluster-state dump rather than Gloo config; parsing a
/// dump costs twenty times a Gloo file in a debug build.
const STATE_PER_MILLE: u64 = 25;
/// Per mille of mutants that hit `vdc.yaml` (always compiled on disk).
const SETTINGS_PER_MILLE: u64 = 2;
/// A mutant running longer than this is a hang: the run is aborted, naming it.
const HANG: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Randomness

/// splitmix64: tiny, fast and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn for_mutant(index: usize) -> Self {
        let mut rng = Rng(SEED ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        synth::splitmix64(&mut self.0)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn per_mille(&mut self, p: u64) -> bool {
        self.next() % 1000 < p
    }
}

// ---------------------------------------------------------------------------------------------
// The fixtures and what the mutator knows about their lines

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ScalarType {
    Str,
    Int,
    Bool,
    Null,
}

/// What one line of a file holds, as far as a line-based look at block YAML (or pretty-printed
/// JSON) can tell.
#[derive(Clone, Debug, Default)]
struct Line {
    /// Byte range of the line, without its line break.
    span: Range<usize>,
    /// Byte range of the mapping key on this line (inside the quotes for JSON).
    key: Option<Range<usize>>,
    /// Byte range of the scalar value on this line, when it has one.
    value: Option<(Range<usize>, ScalarType)>,
    /// The line is `- …`: a list item.
    list_item: bool,
    /// Keys from the document root down to this line's key (or to the parent of a list item).
    path: Vec<String>,
}

struct InputFile {
    rel: String,
    bytes: Vec<u8>,
    json: bool,
    /// Gloo config (a `gloo/` folder): every document is a Gloo kind, read strictly.
    gloo: bool,
    /// Cluster state (a large dump).
    state: bool,
    lines: Vec<Line>,
    keys: BTreeSet<String>,
    /// The file as it is, parsed and decoded once.
    decoded: ParsedFile<DecodedDocument>,
}

struct Fixture {
    name: &'static str,
    dir: PathBuf,
    settings: Settings,
    clusters: BTreeSet<String>,
    files: Vec<InputFile>,
    settings_file: Vec<u8>,
    /// What the fixture compiles to unmutated.
    outputs: Vec<vdc::translate::Output>,
}

fn load_fixture(name: &'static str) -> Fixture {
    let dir = Path::new("testdata").join(name);
    let base = vdc::load::load(&dir).expect("the fixture loads");
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("the fixture is readable");
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let is_input = rel.ends_with(".yaml") || rel.ends_with(".json");
        if !entry.file_type().is_file() || !is_input || rel == "vdc.yaml" {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let json = rel.ends_with(".json");
        let text = std::str::from_utf8(&bytes).expect("testdata is UTF-8");
        let lines = analyse(text, json);
        let keys = lines
            .iter()
            .filter_map(|l| l.key.clone().map(|k| text[k].to_owned()))
            .collect();
        files.push(InputFile {
            gloo: rel.split('/').any(|part| part == "gloo"),
            state: rel
                .split('/')
                .next_back()
                .is_some_and(|f| f.starts_with("state.")),
            decoded: vdc::load::parse_source(&rel, bytes.clone())
                .decode(&base.settings, vdc::model::decode),
            rel,
            bytes,
            json,
            lines,
            keys,
        });
    }
    let mut fixture = Fixture {
        name,
        settings_file: std::fs::read(dir.join("vdc.yaml")).unwrap(),
        dir,
        settings: base.settings,
        clusters: base.clusters,
        files,
        outputs: Vec::new(),
    };
    let unmutated = compile_in_memory(&fixture, None, &[]);
    assert!(
        !unmutated.has_errors() && !unmutated.outputs.is_empty(),
        "{name} compiles to objects: {:#?}",
        summary(&unmutated)
    );
    let on_disk = vdc::compile(&fixture.dir).expect("the fixture compiles");
    assert_eq!(on_disk.diagnostics, unmutated.diagnostics, "{name}");
    assert!(
        on_disk.outputs == unmutated.outputs,
        "{name}: outputs differ"
    );
    fixture.outputs = unmutated.outputs;
    fixture
}

/// A line-by-line look at block YAML: keys, scalar values and the key path of each line.
/// Good enough for the testdata, which is plain block YAML or pretty-printed JSON.
fn analyse(text: &str, json: bool) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    // A block scalar (`key: |`) runs while lines are indented deeper than its key.
    let mut block_scalar_indent: Option<usize> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        let start = offset;
        offset += raw.len();
        let mut line = Line {
            span: start..start + body.len(),
            ..Line::default()
        };
        let content = body.trim_start_matches(' ');
        let indent = body.len() - content.len();
        if let Some(block) = block_scalar_indent {
            if content.is_empty() || indent > block {
                lines.push(line);
                continue;
            }
            block_scalar_indent = None;
        }
        if content.is_empty() || content.starts_with('#') {
            lines.push(line);
            continue;
        }
        if body == "---" {
            stack.clear();
            lines.push(line);
            continue;
        }
        let mut column = indent;
        let mut rest = content;
        while let Some(after) = rest.strip_prefix("- ") {
            line.list_item = true;
            column += 2;
            rest = after;
        }
        while stack.last().is_some_and(|(c, _)| *c >= column) {
            stack.pop();
        }
        let rest_start = start + column;
        let key_len = key_length(rest, json);
        let value_text = match key_len {
            Some((len, inner)) => {
                let key = rest_start + inner.start..rest_start + inner.end;
                let name = text[key.clone()].to_owned();
                line.key = Some(key);
                stack.push((column, name));
                line.path = stack.iter().map(|(_, k)| k.clone()).collect();
                let after = &rest[len + 1..];
                let trimmed = after.trim_start();
                (
                    rest_start + len + 1 + (after.len() - trimmed.len()),
                    trimmed,
                )
            }
            None if line.list_item => {
                line.path = stack.iter().map(|(_, k)| k.clone()).collect();
                (rest_start, rest)
            }
            None => {
                lines.push(line);
                continue;
            }
        };
        let (value_start, value) = value_text;
        let value = if json {
            value.trim_end_matches(',')
        } else {
            value
        };
        if value.starts_with(['|', '>']) {
            block_scalar_indent = Some(indent);
        } else if !value.is_empty() && !value.starts_with(['{', '[', '&', '*', '!', '#']) {
            let kind = match value {
                "true" | "false" => ScalarType::Bool,
                "null" | "~" => ScalarType::Null,
                v if v.strip_prefix('-').unwrap_or(v).parse::<u128>().is_ok() => ScalarType::Int,
                _ => ScalarType::Str,
            };
            line.value = Some((value_start..value_start + value.len(), kind));
        }
        lines.push(line);
    }
    lines
}

/// The length of `key:` at the start of `rest` (up to the colon), and the key's range inside.
fn key_length(rest: &str, json: bool) -> Option<(usize, Range<usize>)> {
    if json {
        let inner = rest.strip_prefix('"')?;
        let end = inner.find('"')?;
        let colon = 1 + end + 1;
        return rest[colon..]
            .starts_with(':')
            .then_some((colon, 1..1 + end));
    }
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || "_./-".contains(c)))?;
    let is_key = end > 0
        && rest[end..].starts_with(':')
        && (rest.len() == end + 1 || rest[end + 1..].starts_with(' '));
    is_key.then_some((end, 0..end))
}

/// Keys below `labels`, `subset` or a label `selector` are the user's, not the schema's.
fn is_schema_key(line: &Line) -> bool {
    let n = line.path.len();
    let key = &line.path[n - 1];
    let parent = if n >= 2 {
        line.path[n - 2].as_str()
    } else {
        ""
    };
    match parent {
        "labels" | "subset" => false,
        "selector" => {
            ["labels", "name", "namespace", "cluster", "workspace"].contains(&key.as_str())
        }
        _ => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations

/// What a mutant must earn beyond the invariants every mutant must keep.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    Nothing,
    /// A diagnostic of any severity with this code in the mutated file.
    Diagnostic {
        code: &'static str,
    },
    /// An error-level diagnostic; with `code`, one with that code in the mutated file, and with
    /// `lines`, on one of those lines.
    Error {
        code: Option<&'static str>,
        lines: Vec<u32>,
    },
}

impl Expect {
    fn error(code: &'static str) -> Self {
        Expect::Error {
            code: Some(code),
            lines: Vec::new(),
        }
    }

    fn error_at(code: &'static str, line: u32) -> Self {
        Expect::Error {
            code: Some(code),
            lines: vec![line],
        }
    }

    fn any_error() -> Self {
        Expect::Error {
            code: None,
            lines: Vec::new(),
        }
    }
}

const KINDS: [&str; 9] = [
    "truncate",
    "truncate-mid-utf8",
    "delete-line",
    "duplicate-line",
    "swap-lines",
    "reindent",
    "replace-scalar",
    "insert-bytes",
    "misspell-key",
];

const REPLACEMENTS: [&str; 11] = [
    "{}",
    "[]",
    "null",
    "99999999999999999999",
    "123456789012345678901234567890123456789012",
    "-1",
    "1.5",
    "1e400",
    "<10k>",
    "yes",
    ".nan",
];

struct Mutant {
    index: usize,
    fixture: usize,
    /// Index into the fixture's files; `None` for `vdc.yaml`.
    file: Option<usize>,
    kind: &'static str,
    detail: String,
    bytes: Vec<u8>,
    expect: Expect,
}

impl Mutant {
    fn describe(&self, fixtures: &[Fixture]) -> String {
        let f = &fixtures[self.fixture];
        let rel = self.file.map_or("vdc.yaml", |i| f.files[i].rel.as_str());
        format!(
            "mutant {} (seed {SEED:#x}): {}/{rel}: {} {}",
            self.index, f.name, self.kind, self.detail
        )
    }
}

fn line_of(bytes: &[u8], at: usize) -> u32 {
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u32
}

fn make_mutant(fixtures: &[Fixture], index: usize) -> Mutant {
    let mut rng = Rng::for_mutant(index);
    let fixture = rng.below(fixtures.len());
    let fx = &fixtures[fixture];
    let file = if rng.per_mille(SETTINGS_PER_MILLE) {
        None
    } else {
        let want_state = rng.per_mille(STATE_PER_MILLE);
        let candidates: Vec<usize> = (0..fx.files.len())
            .filter(|i| fx.files[*i].state == want_state)
            .collect();
        Some(*rng.pick(&candidates))
    };
    let settings_lines;
    let no_keys = BTreeSet::new();
    let (bytes, lines, json, keys) = match file {
        Some(i) => {
            let f = &fx.files[i];
            (&f.bytes[..], &f.lines[..], f.json, &f.keys)
        }
        None => {
            settings_lines = analyse(std::str::from_utf8(&fx.settings_file).unwrap(), false);
            (&fx.settings_file[..], &settings_lines[..], false, &no_keys)
        }
    };
    let gloo = file.is_some_and(|i| fx.files[i].gloo);
    // JSON is only in the (costly) state dumps: its truncations, the ones an independent
    // parser can judge, get half of those mutants.
    let kind = if json && rng.per_mille(500) {
        "truncate"
    } else {
        *rng.pick(&KINDS)
    };
    let (bytes, detail, mut expect) = mutate(kind, bytes, lines, json, gloo, keys, &mut rng);
    if file.is_none() && expect == (Expect::Diagnostic { code: "VDC108" }) {
        // An empty vdc.yaml is no settings, not an empty manifest.
        expect = Expect::Nothing;
    }
    Mutant {
        index,
        fixture,
        file,
        kind,
        detail,
        bytes,
        expect,
    }
}

fn mutate(
    kind: &str,
    original: &[u8],
    lines: &[Line],
    json: bool,
    gloo: bool,
    keys: &BTreeSet<String>,
    rng: &mut Rng,
) -> (Vec<u8>, String, Expect) {
    let text = std::str::from_utf8(original).unwrap();
    let mut out = original.to_vec();
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|i| !text[lines[*i].span.clone()].trim().is_empty())
        .collect();
    let char_boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    // The byte range of line `i` with its line break.
    let whole_line =
        |i: usize| lines[i].span.start..lines.get(i + 1).map_or(text.len(), |l| l.span.start);
    match kind {
        "truncate" => {
            let at = char_boundary(rng.below(original.len() + 1));
            out.truncate(at);
            let kept = &text[..at];
            let expect = if kept
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            {
                Expect::Diagnostic { code: "VDC108" }
            } else if json && serde_json::from_str::<serde_json::Value>(kept).is_err() {
                Expect::error("VDC101")
            } else {
                Expect::Nothing
            };
            (out, format!("at byte {at}"), expect)
        }
        "truncate-mid-utf8" => {
            let at = char_boundary(rng.below(original.len() + 1));
            let c = *rng.pick(&['é', '€', '𝄞', 'ß', '中', '\u{2028}']);
            let mut buf = [0; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let keep = 1 + rng.below(encoded.len() - 1);
            out.truncate(at);
            out.extend_from_slice(&encoded[..keep]);
            let line = line_of(&out, at);
            (
                out,
                format!(
                    "at byte {at}, then {keep} of the {} bytes of {c:?}",
                    encoded.len()
                ),
                Expect::error_at("VDC103", line),
            )
        }
        "delete-line" => {
            let i = *rng.pick(&nonblank);
            out.drain(whole_line(i));
            (out, format!("line {}", i + 1), Expect::Nothing)
        }
        "duplicate-line" => {
            let i = *rng.pick(&nonblank);
            let range = whole_line(i);
            let mut copy = original[range.clone()].to_vec();
            if !copy.ends_with(b"\n") {
                copy.insert(0, b'\n');
            }
            out.splice(range.end..range.end, copy);
            // The same key twice in one mapping is invalid YAML (and JSON).
            let expect = if lines[i].key.is_some() && !lines[i].list_item {
                Expect::error("VDC101")
            } else {
                Expect::Nothing
            };
            (out, format!("line {}", i + 1), expect)
        }
        "swap-lines" => {
            let a = *rng.pick(&nonblank);
            let b = *rng.pick(&nonblank);
            let (a, b) = (a.min(b), a.max(b));
            if a == b {
                return (out, format!("line {} with itself", a + 1), Expect::Nothing);
            }
            let (ra, rb) = (lines[a].span.clone(), lines[b].span.clone());
            let mut swapped = Vec::new();
            swapped.extend_from_slice(&original[..ra.start]);
            swapped.extend_from_slice(&original[rb.clone()]);
            swapped.extend_from_slice(&original[ra.end..rb.start]);
            swapped.extend_from_slice(&original[ra]);
            swapped.extend_from_slice(&original[rb.end..]);
            (
                swapped,
                format!("lines {} and {}", a + 1, b + 1),
                Expect::Nothing,
            )
        }
        "reindent" => {
            let i = *rng.pick(&nonblank);
            let span = lines[i].span.clone();
            let body = &text[span.clone()];
            let indent = body.len() - body.trim_start_matches(' ').len();
            let (new_indent, how) = match rng.below(3) {
                0 => {
                    let n = 1 + rng.below(4);
                    (" ".repeat(indent + n), format!("{n} more spaces"))
                }
                1 => {
                    let n = 1 + rng.below(4);
                    (
                        " ".repeat(indent.saturating_sub(n)),
                        format!("{n} fewer spaces"),
                    )
                }
                _ => ("\t".repeat(1 + indent / 2), "tabs".to_owned()),
            };
            out.splice(span.start..span.start + indent, new_indent.into_bytes());
            (out, format!("line {}: {how}", i + 1), Expect::Nothing)
        }
        "replace-scalar" => {
            let with_value: Vec<usize> = (0..lines.len())
                .filter(|i| lines[*i].value.is_some())
                .collect();
            let Some(&i) = (!with_value.is_empty()).then(|| rng.pick(&with_value)) else {
                return (out, "no scalar to replace".into(), Expect::Nothing);
            };
            let (range, was) = lines[i].value.clone().unwrap();
            let replacement = *rng.pick(&REPLACEMENTS);
            let new = match replacement {
                "<10k>" => format!("\"{}\"", "x".repeat(10_000)),
                r => r.to_owned(),
            };
            out.splice(range.clone(), new.into_bytes());
            let line_no = i as u32 + 1;
            let expect = if gloo {
                type_swap_expectation(&lines[i], was, replacement, line_no)
            } else {
                Expect::Nothing
            };
            (
                out,
                format!(
                    "line {line_no}: `{}` ({was:?}) → {replacement}",
                    &text[range]
                ),
                expect,
            )
        }
        "insert-bytes" => {
            let at = char_boundary(rng.below(original.len() + 1));
            let (inserted, what): (Vec<u8>, &str) = match rng.below(5) {
                0 => {
                    let mut b: Vec<u8> = (0..1 + rng.below(4)).map(|_| rng.next() as u8).collect();
                    let nul = rng.below(b.len());
                    b[nul] = 0;
                    (b, "with a NUL")
                }
                1 => {
                    let seqs: [&[u8]; 6] = [
                        &[0xff],
                        &[0x80],
                        &[0xc3, b'('],
                        &[0xe2, 0x28, 0xa1],
                        &[0xf0, 0x9f, 0x98],
                        &[0xed, 0xa0, 0x80],
                    ];
                    (rng.pick(&seqs).to_vec(), "invalid UTF-8")
                }
                2 => {
                    const NOISE: &[u8] = b":-{}[]&*!|>'\"#%@`, \t\n?ab0";
                    let b = (0..1 + rng.below(6)).map(|_| *rng.pick(NOISE)).collect();
                    (b, "YAML punctuation")
                }
                3 => {
                    let c = *rng.pick(&['é', '\u{feff}', '\u{85}', '\u{2028}', '\u{7f}', '\u{1b}']);
                    (c.to_string().into_bytes(), "a valid non-ASCII character")
                }
                _ => {
                    let b = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
                    (b, "random bytes")
                }
            };
            out.splice(at..at, inserted.iter().copied());
            let expect = match (out.iter().position(|b| *b == 0), std::str::from_utf8(&out)) {
                (None, Ok(_)) => Expect::Nothing,
                (nul, utf8) => {
                    let mut lines = Vec::new();
                    lines.extend(nul.map(|p| line_of(&out, p)));
                    if let Err(e) = utf8 {
                        lines.push(line_of(&out, e.valid_up_to()));
                    }
                    Expect::Error {
                        code: Some("VDC103"),
                        lines,
                    }
                }
            };
            (out, format!("{what} {inserted:02x?} at byte {at}"), expect)
        }
        "misspell-key" => {
            let with_key: Vec<usize> = (0..lines.len())
                .filter(|i| lines[*i].key.is_some())
                .collect();
            if with_key.is_empty() {
                return (out, "no key to misspell".into(), Expect::Nothing);
            }
            let i = *rng.pick(&with_key);
            let range = lines[i].key.clone().unwrap();
            let key = &text[range.clone()];
            let mut new = misspell(key, rng);
            while new == key || keys.contains(&new) {
                new.push('q');
            }
            let line_no = i as u32 + 1;
            let path = &lines[i].path;
            let expect = if !gloo {
                Expect::Nothing
            } else if path[0] == "spec" && is_schema_key(&lines[i]) {
                Expect::error_at("VDC201", line_no)
            } else if path.len() == 1 || path == &["metadata", "name"] {
                Expect::any_error()
            } else {
                Expect::Nothing
            };
            out.splice(range, new.clone().into_bytes());
            (out, format!("line {line_no}: `{key}` → `{new}`"), expect)
        }
        other => unreachable!("unknown mutation {other}"),
    }
}

fn misspell(key: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = key.chars().collect();
    let n = chars.len();
    match rng.below(4) {
        0 if n >= 2 => {
            let i = rng.below(n - 1);
            chars.swap(i, i + 1);
        }
        1 if n >= 2 => {
            chars.remove(rng.below(n));
        }
        2 => {
            let i = rng.below(n);
            chars.insert(i, chars[i]);
        }
        _ => {
            let i = rng.below(n);
            chars[i] = if chars[i] == 'q' { 'z' } else { 'q' };
        }
    }
    chars.into_iter().collect()
}

/// What replacing a scalar of a Gloo kind with `replacement` must earn. Only fields vdc reads
/// are checked: `spec` (strictly, against the schema), the object header and the labels.
fn type_swap_expectation(line: &Line, was: ScalarType, replacement: &str, line_no: u32) -> Expect {
    let path: Vec<&str> = line.path.iter().map(String::as_str).collect();
    let in_spec = path.first() == Some(&"spec");
    let header = matches!(
        path.as_slice(),
        ["apiVersion"] | ["kind"] | ["metadata", "name" | "namespace"] | ["metadata", "labels", _]
    );
    if !in_spec && !header {
        return Expect::Nothing;
    }
    let wrong = match replacement {
        "null" => false,
        // A string where a string is expected is fine; where a number is, it is not.
        "<10k>" => was != ScalarType::Str,
        // The object header must be strings, not YAML 1.1 booleans.
        "yes"
            if !in_spec
                && !path.starts_with(&["metadata", "namespace"])
                && !path.starts_with(&["metadata", "labels"]) =>
        {
            true
        }
        // A plain `yes` is a string in YAML 1.2: a warning in a string field, an error elsewhere.
        "yes" if was == ScalarType::Str => return Expect::Diagnostic { code: "VDC107" },
        _ => true,
    };
    match (wrong, in_spec) {
        (false, _) => Expect::Nothing,
        (true, true) => Expect::Error {
            code: None,
            lines: vec![line_no],
        },
        (true, false) => Expect::any_error(),
    }
}

// ---------------------------------------------------------------------------------------------
// Running and checking

/// Compiles the fixture from memory, with file `mutated` (if any) replaced by `bytes`.
fn compile_in_memory(fx: &Fixture, mutated: Option<usize>, bytes: &[u8]) -> Compilation {
    let mut loaded = Loaded {
        settings: fx.settings.clone(),
        clusters: fx.clusters.clone(),
        ..Loaded::default()
    };
    for (i, f) in fx.files.iter().enumerate() {
        if Some(i) == mutated {
            loaded.add(
                vdc::load::parse_source(&f.rel, bytes.to_vec())
                    .decode(&fx.settings, vdc::model::decode),
            );
        } else {
            loaded.add(f.decoded.clone());
        }
    }
    vdc::compile_loaded(loaded)
}

/// A copy of a fixture on disk that one mutated file at a time is written into.
struct DiskCopy {
    dir: tempfile::TempDir,
}

impl DiskCopy {
    fn new(fx: &Fixture) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fx.dir) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&fx.dir).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        DiskCopy { dir }
    }

    /// Compiles the copy with `rel` replaced by `bytes`, then puts the file back.
    fn compile_with(&self, rel: &str, bytes: &[u8], original: &[u8]) -> Compilation {
        let path = self.dir.path().join(rel);
        std::fs::write(&path, bytes).unwrap();
        let compiled = vdc::compile(self.dir.path());
        std::fs::write(&path, original).unwrap();
        compiled.expect("a readable folder always compiles")
    }
}

fn check(m: &Mutant, fx: &Fixture, rel: &str, c: &Compilation) -> Result<(), String> {
    if c.has_errors() && !c.outputs.is_empty() {
        return Err("error-level diagnostics, yet outputs were generated".into());
    }
    let line_count = 1 + m.bytes.iter().filter(|b| **b == b'\n').count() as u32;
    for d in &c.diagnostics {
        let Some(span) = &d.span else {
            // About the input or a cluster as a whole, not a place in a file: the implicit
            // workspace, a cluster's locality and its trust domain.
            if ["VDC302", "VDC502", "VDC503", "VDC504", "VDC508"].contains(&d.code.as_str()) {
                continue;
            }
            return Err(format!("{} has no location: {}", d.code, d.message));
        };
        if span.pos.line == 0 {
            return Err(format!("{} has no line: {}", d.code, d.message));
        }
        if &*span.file == rel && span.pos.line > line_count {
            return Err(format!(
                "{} points at line {}, but the file has {line_count}: {}",
                d.code, span.pos.line, d.message
            ));
        }
    }
    let in_file = |code: &'static str| {
        c.diagnostics
            .iter()
            .filter(move |d| d.code.as_str() == code)
            .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == rel))
    };
    match &m.expect {
        Expect::Nothing => {}
        Expect::Diagnostic { code } => {
            if in_file(code).next().is_none() {
                return Err(format!("expected {code} in {rel}"));
            }
        }
        Expect::Error { code, lines } => {
            if !c.has_errors() {
                return Err("an invalid input earned no error".into());
            }
            let located: Vec<_> = match code {
                Some(code) => in_file(code).collect(),
                None => c
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity() == vdc::diagnostic::Severity::Error)
                    .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == rel))
                    .collect(),
            };
            if code.is_some() && located.is_empty() {
                return Err(format!("expected {} in {rel}", code.unwrap()));
            }
            if !lines.is_empty()
                && !located
                    .iter()
                    .any(|d| lines.contains(&d.span.as_ref().unwrap().pos.line))
            {
                return Err(format!(
                    "expected {} on line {lines:?} of {rel}",
                    code.unwrap_or("an error")
                ));
            }
        }
    }
    // Output that differs from the fixture's goes through the writers (the same output again
    // would only test them again on the same objects).
    if !c.has_errors() && c.outputs != fx.outputs {
        check_emit(c)?;
    }
    Ok(())
}

/// Valid mutants go through the YAML and JSON writers, and what they write reads back.
fn check_emit(c: &Compilation) -> Result<(), String> {
    let outputs: Vec<_> = c.outputs.iter().collect();
    let files =
        vdc::emit::files(&outputs, vdc::emit::Format::Yaml).map_err(|e| format!("emit: {e:#}"))?;
    for (path, text) in &files {
        vdc::load::parse_documents(text)
            .map_err(|e| format!("emitted {path} does not read back: {}", e.message))?;
    }
    let mut json = Vec::new();
    vdc::emit::write_stream(&outputs, vdc::emit::Format::Json, &mut json)
        .map_err(|e| format!("emit: {e:#}"))?;
    serde_json::from_slice::<serde_json::Value>(&json)
        .map_err(|e| format!("the JSON stream does not read back: {e}"))?;
    Ok(())
}

fn summary(c: &Compilation) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| {
            let at = d
                .span
                .as_ref()
                .map(|s| format!("{}:{}:{}", s.file, s.pos.line, s.pos.column))
                .unwrap_or_default();
            format!("{} {at} {}", d.code, d.message)
        })
        .collect()
}

/// Runs one mutant; `Err` describes what went wrong.
fn run_mutant(
    fixtures: &[Fixture],
    disk: &mut BTreeMap<usize, DiskCopy>,
    m: &Mutant,
) -> Result<(), String> {
    let fx = &fixtures[m.fixture];
    let on_disk = m.file.is_none() || m.index.is_multiple_of(ON_DISK_EVERY);
    let (rel, original) = match m.file {
        Some(i) => (fx.files[i].rel.as_str(), fx.files[i].bytes.as_slice()),
        None => ("vdc.yaml", fx.settings_file.as_slice()),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let from_disk = on_disk.then(|| {
            disk.entry(m.fixture)
                .or_insert_with(|| DiskCopy::new(fx))
                .compile_with(rel, &m.bytes, original)
        });
        let in_memory = m.file.map(|i| compile_in_memory(fx, Some(i), &m.bytes));
        (from_disk, in_memory)
    }));
    let (from_disk, in_memory) = outcome.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("PANIC: {message}")
    })?;
    if let (Some(a), Some(b)) = (&from_disk, &in_memory)
        && (a.diagnostics != b.diagnostics || a.outputs != b.outputs)
    {
        return Err(format!(
            "compile on disk and in memory disagree:\n  disk:   {:?}\n  memory: {:?}",
            summary(a),
            summary(b)
        ));
    }
    let compiled = in_memory.or(from_disk).unwrap();
    check(m, fx, rel, &compiled)
        .map_err(|e| format!("{e}\n  diagnostics: {:#?}", summary(&compiled)))
}

fn env_number(name: &str) -> Option<usize> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
    )
}

/// What a run did: mutants per kind (and how many of them had to earn a diagnostic), time per
/// kind of file, the slowest mutant.
#[derive(Default)]
struct Stats {
    kinds: BTreeMap<&'static str, (usize, usize)>,
    classes: BTreeMap<String, (usize, Duration)>,
    slowest: (Duration, String),
}

impl Stats {
    fn record(&mut self, fixtures: &[Fixture], m: &Mutant, took: Duration, description: &str) {
        let kind = self.kinds.entry(m.kind).or_default();
        kind.0 += 1;
        kind.1 += usize::from(m.expect != Expect::Nothing);
        let mut class = match m.file {
            None => "vdc.yaml",
            Some(i) if fixtures[m.fixture].files[i].state => "cluster state",
            Some(_) => "gloo config",
        }
        .to_owned();
        if m.index.is_multiple_of(ON_DISK_EVERY) {
            class.push_str(" (also on disk)");
        }
        let class = self.classes.entry(class).or_default();
        class.0 += 1;
        class.1 += took;
        if took > self.slowest.0 {
            self.slowest = (took, description.to_owned());
        }
    }
}

#[test]
fn thousands_of_mutants_never_panic_and_invalid_ones_are_diagnosed() {
    let started = Instant::now();
    let fixtures: Vec<Fixture> = FIXTURES.iter().map(|f| load_fixture(f)).collect();
    let only = env_number("VDC_MUTANT");
    let indices: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..env_number("VDC_MUTANTS").unwrap_or(MUTANTS)).collect(),
    };

    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let next = AtomicUsize::new(0);
    // What each worker is running, and since when, for the watchdog.
    let running: Mutex<Vec<Option<(Instant, String)>>> = Mutex::new(vec![None; workers]);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let stats: Mutex<Stats> = Mutex::new(Stats::default());

    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (fixtures, indices, next, running, failures, stats) =
                (&fixtures, &indices, &next, &running, &failures, &stats);
            scope.spawn(move || {
                let mut disk = BTreeMap::new();
                while let Some(&index) = indices.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let m = make_mutant(fixtures, index);
                    let description = m.describe(fixtures);
                    if only.is_some() {
                        println!("{description}");
                    }
                    let t = Instant::now();
                    running.lock().unwrap()[worker] = Some((t, description.clone()));
                    let result = run_mutant(fixtures, &mut disk, &m);
                    running.lock().unwrap()[worker] = None;
                    stats
                        .lock()
                        .unwrap()
                        .record(fixtures, &m, t.elapsed(), &description);
                    if let Err(e) = result {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{description}\n  {e}"));
                    }
                }
            });
        }
        // The watchdog: a mutant that runs for a minute is a hang. Name it before giving up,
        // writing past the test harness's output capture, which an abort would lose.
        scope.spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let running = running.lock().unwrap();
                if next.load(Ordering::Relaxed) >= indices.len()
                    && running.iter().all(Option::is_none)
                {
                    break;
                }
                for (start, description) in running.iter().flatten() {
                    if start.elapsed() > HANG {
                        let _ = writeln!(
                            std::io::stderr(),
                            "HANG: {description} has run for {:?}",
                            start.elapsed()
                        );
                        std::process::abort();
                    }
                }
            }
        });
    });

    let stats = stats.into_inner().unwrap();
    println!(
        "{} mutants in {:?} on {workers} threads",
        indices.len(),
        started.elapsed()
    );
    for (kind, (n, required)) in &stats.kinds {
        println!("  {kind}: {n}, {required} of them must earn a diagnostic");
    }
    for (class, (n, took)) in &stats.classes {
        println!("  {class}: {n} in {took:?}");
    }
    println!("  slowest: {:?} for {}", stats.slowest.0, stats.slowest.1);
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} mutants failed:\n\n{}",
        failures.len(),
        indices.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
