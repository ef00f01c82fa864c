//! Typed reading of [`Node`] trees with every problem recorded as a diagnostic.
//!
//! Each decoder asks a [`Fields`] reader for the keys it knows. Kubernetes state is read
//! leniently (its schema is not ours to police). A Gloo document is first checked against its
//! kind's schema ([`crate::model::schema`]), which reports unknown fields, wrong types, wrong
//! enum values and fields vdc does not read; its decoder then reads only what vdc translates,
//! and reports only what the schema cannot say (required fields, ranges, references).

use super::labels::{Labels, Names};
use crate::diagnostic::{Diagnostic, Diagnostics, ObjectRef, Site};
use crate::load::SourceFile;
use crate::load::node::{Node, Pos, Value};
use crate::rules::load::yaml11_boolean;
use crate::rules::schema::{invalid_value, missing_field};
use crate::rules::vd::port_out_of_range;
use std::borrow::Cow;
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
pub struct DecodeContext {
    pub file: Arc<str>,
    pub object: ObjectRef,
    pub source: Option<Arc<SourceFile>>,
    pub diags: Diagnostics,
    /// Set once the document has been checked against its schema: the type problems the
    /// decoder meets have been reported already, and its reads must be of fields vdc reads.
    pub checked: bool,
    /// The run's shared label strings and sets.
    pub names: Arc<Names>,
}

impl DecodeContext {
    /// The context of one document, sharing label strings and sets through `names` (the
    /// run's table: a table of its own per document would cost more than the decoding).
    pub fn new(
        file: Arc<str>,
        object: ObjectRef,
        source: Option<Arc<SourceFile>>,
        names: Arc<Names>,
    ) -> Self {
        DecodeContext {
            file,
            object,
            source,
            diags: Diagnostics::default(),
            checked: false,
            names,
        }
    }

    /// The place `pos` in this document, about its object.
    pub fn site(&self, pos: Pos) -> Site {
        Site::in_object(&self.file, pos, self.object.clone())
    }

    /// Adds a diagnostic a rule built for this document.
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn wrong_type(&mut self, node: &Node, path: &str, expected: &str) {
        if self.checked {
            return;
        }
        let case = crate::rules::schema::wrong_type::Case::Field {
            path,
            expected,
            found: node.type_name(),
        };
        self.push(crate::rules::schema::wrong_type::diagnostic(
            self.site(node.pos),
            case,
        ));
    }

    pub fn string(&mut self, node: &Node, path: &str) -> Option<Located<String>> {
        match &node.value {
            Value::Str(s) => Some(Located {
                value: s.clone(),
                pos: node.pos,
            }),
            Value::Bool(_) => match self.yaml11_boolean_word(node) {
                Some(word) if self.checked => Some(Located {
                    value: word,
                    pos: node.pos,
                }),
                Some(word) => {
                    let site = self.site(node.pos);
                    self.push(yaml11_boolean::diagnostic(site, path, &word));
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
        // A long line (a one-line JSON dump) is not searched: YAML 1.1 words are a YAML matter.
        let line = self.source.as_ref()?.line_within(node.pos.line, 4096)?;
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
        let case = invalid_value::Case::OutOfRange {
            path,
            n: &n,
            min: &min,
            max: &max,
        };
        self.push(invalid_value::diagnostic(self.site(node.pos), case));
        None
    }

    /// A number (integer or not) in `min..=max`, such as a percentage.
    pub fn double(&mut self, node: &Node, path: &str, min: f64, max: f64) -> Option<Located<f64>> {
        let value = match node.value {
            Value::Int(n) => n as f64,
            Value::Float(f) if f.is_finite() => f,
            _ => {
                self.wrong_type(node, path, "a number");
                return None;
            }
        };
        if !(min..=max).contains(&value) {
            let case = invalid_value::Case::OutOfRange {
                path,
                n: &value,
                min: &min,
                max: &max,
            };
            self.push(invalid_value::diagnostic(self.site(node.pos), case));
            return None;
        }
        Some(Located {
            value,
            pos: node.pos,
        })
    }

    /// A port number, 1–65535; out of range is VDC402.
    pub fn port_number(&mut self, node: &Node, path: &str) -> Option<Located<u32>> {
        let out_of_range = match self.whole_number(node) {
            Some(Ok(n)) if !(1..=65535).contains(&n) => Some(n.to_string()),
            Some(Err(text)) => Some(text),
            _ => None,
        };
        if let Some(n) = out_of_range {
            self.push(port_out_of_range::diagnostic(self.site(node.pos), path, &n));
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
    pub fn string_map(&mut self, node: &Node, path: &str) -> Labels {
        match &node.value {
            Value::Null => Labels::new(),
            Value::Map(entries) => {
                let mut pairs: Vec<(&str, Cow<str>)> = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    let value = match &value.value {
                        Value::Str(s) => Cow::Borrowed(s.as_str()),
                        _ => {
                            let item_path = format!("{path}.{}", key.name);
                            match self.string(value, &item_path) {
                                Some(v) => Cow::Owned(v.value),
                                None => continue,
                            }
                        }
                    };
                    pairs.push((&key.name, value));
                }
                self.names
                    .labels(pairs.iter().map(|(k, v)| (*k, v.as_ref())))
            }
            _ => {
                self.wrong_type(node, path, "a mapping of strings");
                Labels::new()
            }
        }
    }

    pub fn strings(&mut self, node: &Node, path: &str) -> Vec<Located<String>> {
        self.list(node, path, |cx, item, item_path| cx.string(item, item_path))
    }

    pub fn list<'n, T>(
        &mut self,
        node: &'n Node,
        path: &str,
        mut decode: impl FnMut(&mut DecodeContext, &'n Node, &str) -> Option<T>,
    ) -> Vec<T> {
        match &node.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => {
                // Sized to the list: a collected `filter_map` starts at four items, and most
                // lists of a dump (ports, hosts) hold one or two, kept for the whole run.
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.extend(decode(self, item, &format!("{path}[{i}]")));
                }
                out
            }
            _ => {
                self.wrong_type(node, path, "a list");
                Vec::new()
            }
        }
    }

    /// A reader over the fields of the mapping `node`.
    pub fn fields<'c, 'n>(&'c mut self, node: &'n Node, path: &str) -> Fields<'c, 'n> {
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
        }
    }
}

/// Reads the fields of one mapping; see the module docs.
pub struct Fields<'c, 'n> {
    pub cx: &'c mut DecodeContext,
    entries: &'n [(crate::load::node::Key, Node)],
    pub pos: Pos,
    path: String,
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

    /// The node under `key`, `None` when absent or null. In a checked Gloo document, `key`
    /// must be a field vdc reads (see [`crate::model::schema`]).
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node> {
        self.expect_read(key);
        self.peek(key)
    }

    /// The node under `key` without translating it: for decisions about a field that is
    /// reported as not translated (`externalServices`, `awsLambda`).
    pub fn peek(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
            .filter(|v| v.value != Value::Null)
    }

    /// Whether `key` is present at all (even as null or an empty mapping, which matters for
    /// oneof fields such as `clientMode.sniRouting: {}`).
    pub fn has(&mut self, key: &'static str) -> bool {
        self.expect_read(key);
        self.entries.iter().any(|(k, _)| k.name == key)
    }

    fn expect_read(&self, key: &str) {
        debug_assert!(
            !self.cx.checked
                || crate::model::schema::is_read(
                    &self.cx.object.kind,
                    &crate::model::schema::schema_path(&self.path(key))
                ),
            "{} reads `{}`, which model/schema/read.rs does not list",
            self.cx.object.kind,
            self.path(key)
        );
    }

    pub fn string(&mut self, key: &'static str) -> Option<Located<String>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.string(n, &path))
    }

    pub fn required_string(&mut self, key: &'static str) -> Option<Located<String>> {
        let found = self.string(key);
        if found.is_none() && self.get(key).is_none() {
            let path = self.path(key);
            let case = missing_field::Case::Required { path: &path };
            let site = self.cx.site(self.pos);
            self.cx.push(missing_field::diagnostic(site, case));
        }
        found
    }

    pub fn uint(&mut self, key: &'static str, min: u32, max: u32) -> Option<Located<u32>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.uint(n, &path, min, max))
    }

    pub fn double(&mut self, key: &'static str, min: f64, max: f64) -> Option<Located<f64>> {
        let path = self.path(key);
        self.get(key)
            .and_then(|n| self.cx.double(n, &path, min, max))
    }

    pub fn port_number(&mut self, key: &'static str) -> Option<Located<u32>> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.port_number(n, &path))
    }

    pub fn boolean(&mut self, key: &'static str) -> Option<bool> {
        let path = self.path(key);
        self.get(key).and_then(|n| self.cx.boolean(n, &path))
    }

    pub fn string_map(&mut self, key: &'static str) -> Labels {
        let path = self.path(key);
        match self.get(key) {
            Some(n) => self.cx.string_map(n, &path),
            None => Labels::new(),
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
        decode: impl FnMut(&mut DecodeContext, &'n Node, &str) -> Option<T>,
    ) -> Vec<T> {
        let path = self.path(key);
        match self.get(key) {
            Some(n) => self.cx.list(n, &path, decode),
            None => Vec::new(),
        }
    }

    /// A list of mappings, each read with its own [`Fields`].
    pub fn objects<T>(
        &mut self,
        key: &'static str,
        mut decode: impl FnMut(&mut Fields<'_, 'n>) -> Option<T>,
    ) -> Vec<T> {
        self.list(key, |cx, node, path| decode(&mut cx.fields(node, path)))
    }

    /// A nested mapping read with its own [`Fields`]; `None` when absent.
    pub fn object<T>(
        &mut self,
        key: &'static str,
        decode: impl FnOnce(&mut Fields<'_, 'n>) -> T,
    ) -> Option<T> {
        let path = self.path(key);
        let node = self.get(key)?;
        Some(decode(&mut self.cx.fields(node, &path)))
    }

    /// The value of the enum field `key`, whose type is the schema's enum `enum_name`:
    /// `default` when absent, `None` when it is not one of the enum's values (the schema check
    /// reported it) or is a value Gloo 2.3 removed.
    pub fn enum_value(
        &mut self,
        key: &'static str,
        enum_name: &str,
        default: &str,
    ) -> Option<String> {
        let Some(value) = self.string(key) else {
            return self.get(key).is_none().then(|| default.to_owned());
        };
        crate::model::schema::enum_named(enum_name)
            .values
            .contains(&value.as_str())
            .then_some(value.value)
    }
}
