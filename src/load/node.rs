//! A YAML/JSON document as a tree whose every node remembers where it came from.
//!
//! vdc decodes its inputs by hand from this tree rather than with `#[derive(Deserialize)]`:
//! serde stops at the first problem, while a compiler must report every unknown field, wrong
//! type and bad value of a run together, each at its own line and column.

pub use crate::span::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key: its text and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Self {
        Node { value, pos }
    }

    /// The value of `key` when this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A short name for the node's type, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The node as a scalar string, the way Kubernetes would stringify it for a label value.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => None,
        }
    }
}

/// Deeper than any Kubernetes object; deep enough nesting would overflow the stack of any code
/// that walks the tree recursively, dropping it included.
pub const MAX_DEPTH: usize = 256;

/// A YAML syntax error or a breached parsing budget, before it is tied to a file.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Whether the file `rel` is read as JSON (the fast path first), its syntax errors worded as
/// JSON's.
pub fn is_json(rel: &str) -> bool {
    rel.ends_with(".json")
}

impl SyntaxError {
    pub fn into_diagnostic(self, file: &std::sync::Arc<str>) -> crate::diagnostic::Diagnostic {
        let language = if is_json(file) { "JSON" } else { "YAML" };
        crate::rules::load::yaml_syntax::diagnostic(
            crate::diagnostic::Site::at(file, self.pos),
            language,
            &self.message,
        )
    }
}
