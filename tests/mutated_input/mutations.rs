//! The mutations: each mutant is made from its index alone (a fixed seed and splitmix64), with
//! what it must earn beyond the invariants every mutant keeps.

use super::fixtures::{Fixture, Line, ScalarType, analyse, is_schema_key};
use super::{SEED, SETTINGS_PER_MILLE, STATE_PER_MILLE, synth};
use std::collections::BTreeSet;
/// splitmix64: tiny, fast and good enough to pick mutations.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn for_mutant(index: usize) -> Self {
        let mut rng = Rng(SEED ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }

    pub(crate) fn next(&mut self) -> u64 {
        synth::splitmix64(&mut self.0)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub(crate) fn per_mille(&mut self, p: u64) -> bool {
        self.next() % 1000 < p
    }
}

/// What a mutant must earn beyond the invariants every mutant must keep.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expect {
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
    pub(crate) fn error(code: &'static str) -> Self {
        Expect::Error {
            code: Some(code),
            lines: Vec::new(),
        }
    }

    pub(crate) fn error_at(code: &'static str, line: u32) -> Self {
        Expect::Error {
            code: Some(code),
            lines: vec![line],
        }
    }

    pub(crate) fn any_error() -> Self {
        Expect::Error {
            code: None,
            lines: Vec::new(),
        }
    }
}

pub(crate) const KINDS: [&str; 9] = [
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

pub(crate) const REPLACEMENTS: [&str; 11] = [
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

pub(crate) struct Mutant {
    pub(crate) index: usize,
    pub(crate) fixture: usize,
    /// Index into the fixture's files; `None` for `vdc.yaml`.
    pub(crate) file: Option<usize>,
    pub(crate) kind: &'static str,
    pub(crate) detail: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) expect: Expect,
}

impl Mutant {
    pub(crate) fn describe(&self, fixtures: &[Fixture]) -> String {
        let f = &fixtures[self.fixture];
        let rel = self.file.map_or("vdc.yaml", |i| f.files[i].rel.as_str());
        format!(
            "mutant {} (seed {SEED:#x}): {}/{rel}: {} {}",
            self.index, f.name, self.kind, self.detail
        )
    }
}

pub(crate) fn line_of(bytes: &[u8], at: usize) -> u32 {
    1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u32
}

pub(crate) fn make_mutant(fixtures: &[Fixture], index: usize) -> Mutant {
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

pub(crate) fn mutate(
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

pub(crate) fn misspell(key: &str, rng: &mut Rng) -> String {
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
pub(crate) fn type_swap_expectation(
    line: &Line,
    was: ScalarType,
    replacement: &str,
    line_no: u32,
) -> Expect {
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
