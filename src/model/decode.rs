//! Typed reading of [`Node`] trees with every problem recorded as a diagnostic.
//!
//! Each decoder asks a [`Fields`] reader for the keys it knows; whatever is left when the
//! reader finishes is an unknown field (an error for Gloo kinds, where a typo must not pass
//! silently, and ignored for Kubernetes state, whose schema is not ours to police).

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::load::SourceFile;
use crate::load::node::{Node, Pos, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A value and the position of the node it was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> std::ops::Deref for Located<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The decoding context of one document: where it is and what it is, for diagnostics.
pub struct Cx {
    pub file: Arc<str>,
    pub object: ObjectRef,
    pub source: Option<Arc<SourceFile>>,
    pub diags: Diagnostics,
}

impl Cx {
    pub fn new(file: Arc<str>, object: ObjectRef, source: Option<Arc<SourceFile>>) -> Self {
        Cx {
            file,
            object,
            source,
            diags: Diagnostics::default(),
        }
    }

    /// A diagnostic about this document, at `pos`, naming `field`.
    pub fn report(&mut self, code: Code, pos: Pos, field: &str, message: impl Into<String>) {
        self.push(code, pos, field, message, None::<String>);
    }

    pub fn report_with_help(
        &mut self,
        code: Code,
        pos: Pos,
        field: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(code, pos, field, message, Some(help));
    }

    fn push(
        &mut self,
        code: Code,
        pos: Pos,
        field: &str,
        message: impl Into<String>,
        help: Option<impl Into<String>>,
    ) {
        let mut d = Diagnostic::new(code, message)
            .at(&self.file, pos)
            .object(self.object.clone());
        if !field.is_empty() {
            d = d.field(field);
        }
        if let Some(help) = help {
            d = d.help(help);
        }
        self.diags.push(d);
    }

    fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        self.report(
            Code::WrongType,
            node.pos,
            path,
            format!("`{path}` must be {expected}, found {}", node.type_name()),
        );
    }

    pub fn string(&mut self, node: &Node, path: &str) -> Option<Located<String>> {
        match &node.value {
            Value::Str(s) => Some(Located {
                value: s.clone(),
                pos: node.pos,
            }),
            Value::Bool(_) => match self.yaml11_boolean_word(node) {
                Some(word) => {
                    self.report_with_help(
                        Code::Yaml11Boolean,
                        node.pos,
                        path,
                        format!("`{path}: {word}` is read as the string \"{word}\", but Kubernetes (YAML 1.1) reads a plain `{word}` as a boolean"),
                        format!("quote it: `\"{word}\"`"),
                    );
                    Some(Located {
                        value: word,
                        pos: node.pos,
                    })
                }
                None => {
                    self.wrong_type(node, path, "a string");
                    None
                }
            },
            _ => {
                self.wrong_type(node, path, "a string");
                None
            }
        }
    }

    /// The source text of a plain scalar that YAML 1.1 reads as a boolean but YAML 1.2 as a
    /// string (`yes`, `no`, `on`, `off`, `y`, `n`, any case), if `node` is one.
    fn yaml11_boolean_word(&self, node: &Node) -> Option<String> {
        const WORDS: [&str; 6] = ["yes", "no", "on", "off", "y", "n"];
        let token = self.plain_token(node)?;
        WORDS
            .contains(&token.to_ascii_lowercase().as_str())
            .then_some(token)
    }

    /// The source text of the plain scalar at `node`.
    fn plain_token(&self, node: &Node) -> Option<String> {
        let line = self.source.as_ref()?.line(node.pos.line)?;
        Some(
            line.chars()
                .skip(node.pos.column.saturating_sub(1) as usize)
                .take_while(|c| !matches!(c, ',' | ']' | '}' | '#' | ' ' | '\t'))
                .collect(),
        )
    }

    /// `node` as a whole number: `Ok` for an integer; `Err`, with its source text, for one too
    /// large for 64 bits, which the YAML reader hands over as a float; `None` for anything else.
    fn whole_number(&self, node: &Node) -> Option<Result<i128, String>> {
        match node.value {
            Value::Int(n) => Some(Ok(n)),
            Value::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() >= 2f64.powi(63) => {
                Some(Err(self
                    .plain_token(node)
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| format!("{f:.0}"))))
            }
            _ => None,
        }
    }

    /// An unsigned integer in `min..=max`. Numbers written as strings are refused, as the CRDs do.
    pub fn uint(&mut self, node: &Node, path: &str, min: u32, max: u32) -> Option<Located<u32>> {
        let Some(number) = self.whole_number(node) else {
            self.wrong_type(node, path, "an integer");
            return None;
        };
        match number {
            Ok(n) if (i128::from(min)..=i128::from(max)).contains(&n) => Some(Located {
                value: n as u32,
                pos: node.pos,
            }),
            Ok(n) => self.out_of_range(node, path, &n.to_string(), min, max),
            Err(text) => self.out_of_range(node, path, &text, min, max),
        }
    }

    fn out_of_range<T>(
        &mut self,
        node: &Node,
        path: &str,
        n: &str,
        min: u32,
        max: u32,
    ) -> Option<T> {
        self.report(
            Code::InvalidValue,
            node.pos,
            path,
            format!("`{path}` is {n}; it must be between {min} and {max}"),
        );
        None
    }

    /// A port number, 1–65535; out of range is VDC402.
    pub fn port_number(&mut self, node: &Node, path: &str) -> Option<Located<u32>> {
        let out_of_range = match self.whole_number(node) {
            Some(Ok(n)) if !(1..=65535).contains(&n) => Some(n.to_string()),
            Some(Err(text)) => Some(text),
            _ => None,
        };
        if let Some(n) = out_of_range {
            self.report_with_help(
                Code::PortOutOfRange,
                node.pos,
                path,
                format!("`{path}` is {n}, which is not a port number"),
                "a port number is between 1 and 65535",
            );
            return None;
        }
        self.uint(node, path, 1, 65535)
    }

    pub fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, path, "a boolean");
                None
            }
        }
    }

    /// A map of strings, such as labels. Scalar values that are not strings are refused, as
    /// Kubernetes refuses them.
    pub fn string_map(&mut self, node: &Node, path: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        match &node.value {
            Value::Null => {}
            Value::Map(entries) => {
                for (key, value) in entries {
                    let item_path = format!("{path}.{}", key.name);
                    if let Some(v) = self.string(value, &item_path) {
                        out.insert(key.name.clone(), v.value);
                    }
                }
            }
            _ => self.wrong_type(node, path, "a mapping of strings"),
        }
        out
    }

    pub fn strings(&mut self, node: &Node, path: &str) -> Vec<Located<String>> {
        self.list(node, path, |cx, item, item_path| cx.string(item, item_path))
    }

    pub fn list<'n, T>(
        &mut self,
        node: &'n Node,
        path: &str,
        mut decode: impl FnMut(&mut Cx, &'n Node, &str) -> Option<T>,
    ) -> Vec<T> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| decode(self, item, &format!("{path}[{i}]")))
                .collect(),
            _ => {
                self.wrong_type(node, path, "a list");
                Vec::new()
            }
        }
    }

    /// A reader over the fields of the mapping `node`. `strict` makes unknown fields errors.
    pub fn fields<'c, 'n>(
        &'c mut self,
        node: &'n Node,
        path: &str,
        strict: bool,
    ) -> Fields<'c, 'n> {
        let entries: &'n [(crate::load::node::Key, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(node, path, "a mapping");
                &[]
            }
        };
        Fields {
            cx: self,
            entries,
            pos: node.pos,
            path: path.to_owned(),
            asked: Vec::new(),
            strict,
        }
    }
}

/// Reads the fields of one mapping; see the module docs.
pub struct Fields<'c, 'n> {
    pub cx: &'c mut Cx,
    entries: &'n [(crate::load::node::Key, Node)],
    pub pos: Pos,
    path: String,
    asked: Vec<&'static str>,
    strict: bool,
}

impl<'n> Fields<'_, 'n> {
    /// The dotted path of `key` below this mapping.
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The node under `key`, `None` when absent or null.
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node> {
        self.asked.push(key);
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
            .filter(|v| v.value != Value::Null)
    }

    /// Whether `key` is present at all (even as null or an empty mapping, which matters for
    /// oneof fields such as `clientMode.sniRouting: {}`).
    pub fn has(&mut self, key: &'static str) -> bool {
        self.asked.push(key);
        self.entries.iter().any(|(k, _)| k.name == key)
    }

    pub fn string(&mut self, key: &'static str) -> Option<Located<String>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.string(n, &path))
    }

    pub fn required_string(&mut self, key: &'static str) -> Option<Located<String>> {
        let found = self.string(key);
        if found.is_none() && self.get(key).is_none() {
            let path = self.path(key);
            self.cx.report(
                Code::MissingField,
                self.pos,
                &path,
                format!("`{path}` is required"),
            );
        }
        found
    }

    pub fn uint(&mut self, key: &'static str, min: u32, max: u32) -> Option<Located<u32>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.uint(n, &path, min, max))
    }

    pub fn port_number(&mut self, key: &'static str) -> Option<Located<u32>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.port_number(n, &path))
    }

    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.boolean(n, &path))
    }

    pub fn string_map(&mut self, key: &'static str) -> BTreeMap<String, String> {
        let path = self.path(key);
        match self.get(key) {
            Some(n) => self.cx.string_map(n, &path),
            None => BTreeMap::new(),
        }
    }

    pub fn strings(&mut self, key: &'static str) -> Vec<Located<String>> {
        let path = self.path(key);
        match self.get(key) {
            Some(n) => self.cx.strings(n, &path),
            None => Vec::new(),
        }
    }

    pub fn list<T>(
        &mut self,
        key: &'static str,
        decode: impl FnMut(&mut Cx, &'n Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let path = self.path(key);
        match self.get(key) {
            Some(n) => self.cx.list(n, &path, decode),
            None => Vec::new(),
        }
    }

    /// A list of mappings, each read with its own [`Fields`] of the same strictness.
    pub fn objects<T>(
        &mut self,
        key: &'static str,
        mut decode: impl FnMut(&mut Fields<'_, 'n>) -> Option<T>,
    ) -> Vec<T> {
        let strict = self.strict;
        self.list(key, |cx, node, path| {
            let mut fields = cx.fields(node, path, strict);
            let out = decode(&mut fields);
            fields.finish();
            out
        })
    }

    /// A nested mapping read with its own [`Fields`]; `None` when absent.
    pub fn object<T>(
        &mut self,
        key: &'static str,
        decode: impl FnOnce(&mut Fields<'_, 'n>) -> T,
    ) -> Option<T> {
        let path = self.path(key);
        let strict = self.strict;
        let node = self.get(key)?;
        let mut fields = self.cx.fields(node, &path, strict);
        let out = decode(&mut fields);
        fields.finish();
        Some(out)
    }

    /// Real fields of the kind that vdc reads but does not translate: accepted, with a warning
    /// that names them so nobody believes they took effect.
    pub fn untranslated(&mut self, keys: &[&'static str]) {
        for key in keys {
            if let Some(node) = self.get(key) {
                let path = self.path(key);
                self.cx.report(
                    Code::UntranslatedField,
                    node.pos,
                    &path,
                    format!("`{path}` is a real Gloo field, but vdc does not translate it yet; it has no effect on the output"),
                );
            }
        }
    }

    /// Fields that are known and deliberately ignored (status, managed metadata).
    pub fn ignore(&mut self, keys: &[&'static str]) {
        self.asked.extend_from_slice(keys);
    }

    /// Reports the fields nobody asked for (strict readers only).
    pub fn finish(self) {
        if !self.strict {
            return;
        }
        for (key, _) in self.entries {
            if self.asked.contains(&key.name.as_str()) {
                continue;
            }
            let path = self.path(&key.name);
            let message = format!("unknown field `{path}`");
            match closest(&key.name, &self.asked) {
                Some(near) => {
                    let d = Diagnostic::new(Code::UnknownField, message)
                        .at(&self.cx.file, key.pos)
                        .object(self.cx.object.clone())
                        .field(path)
                        .help(format!("did you mean `{near}`?"))
                        .meant(self.path(near));
                    self.cx.diags.push(d);
                }
                None => self.cx.report_with_help(
                    Code::UnknownField,
                    key.pos,
                    &path,
                    message,
                    format!("known fields here: {}", known_list(&self.asked)),
                ),
            }
        }
    }
}

fn known_list(asked: &[&str]) -> String {
    let mut known: Vec<&str> = asked.to_vec();
    known.sort_unstable();
    known.dedup();
    known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The known key closest to a misspelt one, when it is close enough to be a typo.
pub(crate) fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                edit_distance(&key.to_ascii_lowercase(), &k.to_ascii_lowercase()),
                *k,
            )
        })
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_known_field() {
        assert_eq!(closest("host", &["hosts", "ports"]), Some("hosts"));
        assert_eq!(closest("prots", &["hosts", "ports"]), Some("ports"));
        assert_eq!(closest("zzzzzz", &["hosts", "ports"]), None);
    }
}
