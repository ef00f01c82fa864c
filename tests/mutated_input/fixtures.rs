//! The fixtures and what the mutator knows about their lines: each file's keys, scalars and
//! list items, and the fixture compiled once unmutated.

use super::{compile_in_memory, summary};
use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use vdc::load::{ParsedFile, Settings};
use vdc::model::DecodedDocument;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ScalarType {
    Str,
    Int,
    Bool,
    Null,
}

/// What one line of a file holds, as far as a line-based look at block YAML (or pretty-printed
/// JSON) can tell.
#[derive(Clone, Debug, Default)]
pub(crate) struct Line {
    /// Byte range of the line, without its line break.
    pub(crate) span: Range<usize>,
    /// Byte range of the mapping key on this line (inside the quotes for JSON).
    pub(crate) key: Option<Range<usize>>,
    /// Byte range of the scalar value on this line, when it has one.
    pub(crate) value: Option<(Range<usize>, ScalarType)>,
    /// The line is `- …`: a list item.
    pub(crate) list_item: bool,
    /// Keys from the document root down to this line's key (or to the parent of a list item).
    pub(crate) path: Vec<String>,
}

pub(crate) struct InputFile {
    pub(crate) rel: String,
    pub(crate) bytes: Vec<u8>,
    pub(crate) json: bool,
    /// Gloo config (a `gloo/` folder): every document is a Gloo kind, read strictly.
    pub(crate) gloo: bool,
    /// Cluster state (a large dump).
    pub(crate) state: bool,
    pub(crate) lines: Vec<Line>,
    pub(crate) keys: BTreeSet<String>,
    /// The file as it is, parsed and decoded once.
    pub(crate) decoded: ParsedFile<DecodedDocument>,
}

pub(crate) struct Fixture {
    pub(crate) name: &'static str,
    pub(crate) dir: PathBuf,
    pub(crate) settings: Settings,
    pub(crate) clusters: BTreeSet<String>,
    pub(crate) files: Vec<InputFile>,
    pub(crate) settings_file: Vec<u8>,
    /// What the fixture compiles to unmutated.
    pub(crate) outputs: Vec<vdc::translate::Output>,
}

pub(crate) fn load_fixture(name: &'static str) -> Fixture {
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
pub(crate) fn analyse(text: &str, json: bool) -> Vec<Line> {
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
pub(crate) fn key_length(rest: &str, json: bool) -> Option<(usize, Range<usize>)> {
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
pub(crate) fn is_schema_key(line: &Line) -> bool {
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
