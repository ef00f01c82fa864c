//! One file → its documents. Pure apart from reading the file, so files parse in parallel.

pub use super::node::SyntaxError;
use super::node::{Node, Pos, Value};
use super::{Document, Settings, SourceFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Site};
use crate::rules::load::{empty_file, invalid_settings, not_a_kubernetes_object, unreadable_file};
use crate::rules::schema::wrong_type;
use std::path::Path;
use std::sync::Arc;

/// Larger files are refused rather than read: no real dump comes near this.
const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// One input file, parsed (see [`super::parse_source`]), its documents perhaps decoded.
#[derive(Debug, Clone)]
pub struct ParsedFile<T = Document> {
    pub source: Arc<SourceFile>,
    pub documents: Vec<T>,
    pub diagnostics: Diagnostics,
    pub skipped: usize,
}

impl ParsedFile {
    /// Hands each document to `decode`, as [`super::load_with`] does with every file it parses.
    pub fn decode<T>(
        self,
        settings: &Settings,
        decode: impl Fn(&Settings, Document, &Arc<SourceFile>) -> T,
    ) -> ParsedFile<T> {
        let documents = self
            .documents
            .into_iter()
            .map(|doc| decode(settings, doc, &self.source))
            .collect();
        ParsedFile {
            source: self.source,
            documents,
            diagnostics: self.diagnostics,
            skipped: self.skipped,
        }
    }
}

/// A file's bytes, or why it could not be read.
pub(super) type FileBytes = Result<Vec<u8>, String>;

/// The documents of one file's contents (or the reason it could not be read), as `rel`.
pub(super) fn parse_bytes(bytes: FileBytes, rel: &str, cluster: Option<&str>) -> ParsedFile {
    let file: Arc<str> = Arc::from(rel);
    let mut diagnostics = Diagnostics::default();
    let text = match bytes
        .map_err(|e| (e, Pos::new(1, 1)))
        .and_then(super::text::into_text)
    {
        Ok(text) => text,
        Err((message, pos)) => {
            let case = unreadable_file::Case::Contents { message: &message };
            diagnostics.push(unreadable_file::diagnostic(Site::at(&file, pos), case));
            String::new()
        }
    };
    let mut documents = Vec::new();
    if !text.is_empty() || diagnostics.is_empty() {
        match parse_file_text(rel, &text) {
            Ok(nodes) if nodes.iter().all(|n| n.value == Value::Null) => {
                let site = Site::at(&file, Pos::new(1, 1));
                diagnostics.push(empty_file::diagnostic(site, empty_file::Case::File));
            }
            Ok(nodes) => {
                for node in nodes {
                    objects_of(node, &file, cluster, &mut documents, &mut diagnostics);
                }
            }
            Err(err) => diagnostics.push(err.into_diagnostic(&file)),
        }
    }
    ParsedFile {
        source: Arc::new(SourceFile::new(file, text)),
        documents,
        diagnostics,
        skipped: 0,
    }
}

fn read_text(path: &Path) -> Result<String, (String, Pos)> {
    read_bytes(path, &RunBudget::default())
        .map_err(|e| (e, Pos::new(1, 1)))
        .and_then(super::text::into_text)
}

/// Only a regular file is read (a FIFO or a device is refused without blocking), and never more
/// than [`MAX_FILE_BYTES`] of it, nor more than what is left of the run's [`RunBudget`].
pub(super) fn read_bytes(path: &Path, budget: &RunBudget) -> Result<Vec<u8>, String> {
    read_bytes_with_status(path, budget, 0).map(|(bytes, _)| bytes)
}

/// [`read_bytes`], with the file's status taken just before its bytes were read, for a file
/// `taken` bytes of which were already counted against the budget (when its size was known).
pub(super) fn read_bytes_with_status(
    path: &Path,
    budget: &RunBudget,
    taken: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), String> {
    let (bytes, meta) = crate::fsio::read_capped_with_status(path, MAX_FILE_BYTES, true)
        .map_err(|e| e.to_string())?;
    budget.take((bytes.len() as u64).saturating_sub(taken))?;
    Ok((bytes, meta))
}

/// What one run may read in all: every file's text is kept to quote it in diagnostics, so the
/// sum is bounded as well as each file.
pub const MAX_RUN_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The input bytes a run may still read (see [`MAX_RUN_BYTES`]); shared by the reading threads.
#[derive(Debug)]
pub struct RunBudget(std::sync::atomic::AtomicU64);

impl Default for RunBudget {
    fn default() -> Self {
        RunBudget::new(MAX_RUN_BYTES)
    }
}

impl RunBudget {
    pub fn new(bytes: u64) -> Self {
        RunBudget(std::sync::atomic::AtomicU64::new(bytes))
    }

    pub(super) fn take(&self, bytes: u64) -> Result<(), String> {
        use std::sync::atomic::Ordering;
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .map(|_| ())
            .map_err(|_| {
                format!(
                    "the input's files together exceed the run's budget of {MAX_RUN_BYTES} bytes; this file ({bytes} bytes) is not read"
                )
            })
    }
}

/// The syntax trees of the text of the file `rel`, as [`super::load`] reads it: [`parse_documents`],
/// through the JSON fast path for a `.json` file (which declines anything the YAML parser should
/// judge).
pub fn parse_file_text(rel: &str, text: &str) -> Result<Vec<Node>, SyntaxError> {
    parse_file_text_within(rel, text, super::tree_cost::tree_budget(text.len()))
}

/// [`parse_file_text`] with the trees allowed `budget` bytes (see [`super::tree_cost`]) rather
/// than the file's budget.
pub fn parse_file_text_within(
    rel: &str,
    text: &str,
    budget: usize,
) -> Result<Vec<Node>, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let json = super::node::is_json(rel);
    if json && let Some(nodes) = super::json::parse_within(text, budget) {
        return Ok(nodes);
    }
    let parsed = super::yaml::parse_stream_within(text, budget);
    parsed.map_err(|err| match json {
        true => json_syntax_error(text).unwrap_or(err),
        false => err,
    })
}

/// For a `.json` file the YAML parser refused: where a JSON reader stops and why, in JSON's
/// words ("expected value"), rather than the YAML parser's ("implicit flow mapping"). `None`
/// when the text is JSON, so the YAML parser's finding (a breached budget) stands.
fn json_syntax_error(text: &str) -> Option<SyntaxError> {
    let err = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    if !(err.is_syntax() || err.is_eof()) {
        return None;
    }
    let line = err.line().max(1);
    let line_text = text.lines().nth(line - 1).unwrap_or_default();
    // serde_json counts bytes; a column here counts characters.
    let bytes = err.column().min(line_text.len());
    let column = line_text
        .get(..bytes)
        .map_or(bytes, |s| s.chars().count())
        .max(1);
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or_default();
    Some(SyntaxError {
        pos: Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        ),
        message: message.to_owned(),
    })
}

/// Parses a YAML (or JSON) stream into one node per document. A syntax error or a breached
/// parsing budget (alias bombs, deep nesting) is a [`SyntaxError`].
pub fn parse_documents(text: &str) -> Result<Vec<Node>, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    super::yaml::parse_stream(text)
}

/// Turns one parsed document into objects: unwraps `List`s, checks the object header.
fn objects_of(
    node: Node,
    file: &Arc<str>,
    cluster: Option<&str>,
    out: &mut Vec<Document>,
    diags: &mut Diagnostics,
) {
    objects_of_list_item(node, file, cluster, None, out, diags)
}

/// One object, or the objects of a list; `inherited` is the type a `<Kind>List` gives the
/// items that omit theirs.
fn objects_of_list_item(
    mut node: Node,
    file: &Arc<str>,
    cluster: Option<&str>,
    inherited: Option<TypeMeta>,
    out: &mut Vec<Document>,
    diags: &mut Diagnostics,
) {
    if node.value == Value::Null {
        return;
    }
    if !matches!(node.value, Value::Map(_)) {
        let case = not_a_kubernetes_object::Case::NotAMapping {
            found: node.type_name(),
        };
        diags.push(not_a_kubernetes_object::diagnostic(
            Site::at(file, node.pos),
            case,
        ));
        return;
    }
    let text = |key: &str| node.get(key).and_then(Node::as_str).map(str::to_owned);
    let api_version = text("apiVersion").or_else(|| inherited.map(|t| t.api_version.to_owned()));
    let kind = text("kind").or_else(|| inherited.map(|t| t.kind.to_owned()));
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        let case = not_a_kubernetes_object::Case::NoKind;
        diags.push(not_a_kubernetes_object::diagnostic(
            Site::at(file, node.pos),
            case,
        ));
        return;
    };
    if kind.ends_with("List")
        && let Value::Map(entries) = &mut node.value
        && let Some(at) = entries.iter().position(|(k, _)| k.name == "items")
    {
        let items = entries.swap_remove(at).1;
        let list = TypeMeta {
            kind: &kind,
            api_version: &api_version,
        };
        return objects_of_list(items, list, file, cluster, out, diags);
    }
    match document(node, file, cluster, api_version, kind) {
        Ok(document) => out.push(document),
        Err(diagnostic) => diags.push(*diagnostic),
    }
}

/// An object's `apiVersion` and `kind`, as Kubernetes' `TypeMeta` holds them.
#[derive(Clone, Copy)]
struct TypeMeta<'a> {
    kind: &'a str,
    api_version: &'a str,
}

/// The objects of a list's `items`; a `<Kind>List`'s items inherit its kind and `apiVersion`.
fn objects_of_list(
    items: Node,
    list: TypeMeta,
    file: &Arc<str>,
    cluster: Option<&str>,
    out: &mut Vec<Document>,
    diags: &mut Diagnostics,
) {
    let Value::Seq(items) = items.value else {
        if items.value != Value::Null {
            let case = wrong_type::Case::ListItems {
                kind: list.kind,
                found: items.type_name(),
            };
            diags.push(wrong_type::diagnostic(Site::at(file, items.pos), case));
        }
        return;
    };
    let item_kind = list.kind.strip_suffix("List").unwrap_or_default();
    let inherited = (list.kind != "List").then_some(TypeMeta {
        api_version: list.api_version,
        kind: item_kind,
    });
    for item in items {
        objects_of_list_item(item, file, cluster, inherited, out, diags);
    }
}

/// The document a mapping of a known kind is, or the diagnostic that it has no name.
fn document(
    node: Node,
    file: &Arc<str>,
    cluster: Option<&str>,
    api_version: String,
    kind: String,
) -> Result<Document, Box<Diagnostic>> {
    let metadata = node.get("metadata");
    let name = metadata.and_then(|m| m.get("name")).and_then(Node::as_str);
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        let site = Site::at(file, metadata.map_or(node.pos, |m| m.pos));
        let case = not_a_kubernetes_object::Case::NoName { kind: &kind };
        return Err(Box::new(not_a_kubernetes_object::diagnostic(site, case)));
    };
    let name = name.to_owned();
    let namespace = metadata
        .and_then(|m| m.get("namespace"))
        .and_then(Node::as_str)
        .unwrap_or_default()
        .to_owned();
    Ok(Document {
        file: file.clone(),
        cluster: cluster.map(str::to_owned),
        api_version,
        kind,
        name,
        namespace,
        node,
    })
}

/// Reads `vdc.yaml`: a small, strict settings file.
/// Also returns the text read, to quote in diagnostics.
pub(super) fn read_settings(path: &Path, rel: &str) -> (Settings, Diagnostics, Option<String>) {
    match read_text(path) {
        Ok(text) => {
            let (settings, diags) = settings_of(&text, rel);
            (settings, diags, Some(text))
        }
        Err((message, pos)) => {
            let mut diags = Diagnostics::default();
            let case = unreadable_file::Case::Contents { message: &message };
            let site = Site::at(&Arc::from(rel), pos);
            diags.push(unreadable_file::diagnostic(site, case));
            (Settings::default(), diags, None)
        }
    }
}

fn settings_of(text: &str, rel: &str) -> (Settings, Diagnostics) {
    let file: Arc<str> = Arc::from(rel);
    let mut diags = Diagnostics::default();
    let mut settings = Settings::default();
    let node = match parse_documents(text) {
        Ok(mut docs) if !docs.is_empty() => {
            if let Some(second) = docs.get(1) {
                let site = Site::at(&file, second.pos);
                diags.push(invalid_settings::diagnostic(
                    site,
                    invalid_settings::Case::SecondDocument,
                ));
            }
            docs.swap_remove(0)
        }
        Ok(_) => return (settings, diags),
        Err(err) => {
            diags.push(err.into_diagnostic(&file));
            return (settings, diags);
        }
    };
    let entries = match node.value {
        Value::Map(entries) => entries,
        Value::Null => return (settings, diags),
        _ => {
            let site = Site::at(&file, node.pos);
            diags.push(invalid_settings::diagnostic(
                site,
                invalid_settings::Case::NotAMapping,
            ));
            return (settings, diags);
        }
    };
    for (key, value) in entries {
        if key.name == "ignore" {
            super::ignore::read_ignore(&value, &file, &mut settings, &mut diags);
            continue;
        }
        match (key.name.as_str(), value.as_str()) {
            ("managementCluster", Some(name)) if crate::dns::is_dns_label(name) => {
                settings.management_cluster = name.to_owned();
            }
            ("istioApiVersion", Some(v @ ("v1" | "v1beta1"))) => {
                settings.istio_api_version = format!("networking.istio.io/{v}");
            }
            ("managementCluster" | "istioApiVersion", _) => {
                diags.push(invalid_settings::diagnostic(
                    Site::at(&file, value.pos),
                    invalid_settings::Case::InvalidValue { key: &key.name },
                ))
            }
            (other, _) => diags.push(invalid_settings::diagnostic(
                Site::at(&file, key.pos),
                invalid_settings::Case::UnknownSetting { key: other },
            )),
        }
    }
    (settings, diags)
}

#[cfg(test)]
mod tests {
    /// A long `ignore:` list of repeats keeps each code once, so applying it to every
    /// diagnostic stays linear (2 million repeats with 20,000 warnings took 14 s).
    #[test]
    fn an_ignore_list_of_repeats_holds_each_code_once() {
        let text = format!(
            "ignore:\n{}",
            "- VDC413\n- selector-matches-nothing\n".repeat(5000)
        );
        let (settings, diags) = super::settings_of(&text, "vdc.yaml");
        assert!(diags.is_empty());
        assert_eq!(settings.ignore.len(), 1);
    }
}
