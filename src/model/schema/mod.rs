//! The public schema of every Gloo kind vdc reads, as data: the solo-apis protos of Gloo 2.6.5
//! in protobuf's JSON mapping (lowerCamelCase names, oneofs, enums by name, well-known types in
//! their JSON forms). [`generated`] is written from the protos and checked against them by
//! `tests/gloo_schema.rs`; so is [`older`], the fields and enum values of Gloo 2.0-2.5 that
//! 2.6 lacks, which load with a warning (`legacy`). Nothing else in vdc lists Gloo fields.

#[rustfmt::skip]
mod generated;
pub mod check;
mod legacy;
#[rustfmt::skip]
mod older;
mod read;

pub use check::document as check_document;
pub use read::{is_read, schema_path};

pub use generated::{ENUMS, KINDS, MESSAGES};

/// A field's type, as its JSON form is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    String,
    Bytes,
    Bool,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Double,
    /// `google.protobuf.Duration`: a string such as `5s`.
    Duration,
    /// `google.protobuf.Timestamp`: an RFC 3339 string.
    Timestamp,
    /// `google.protobuf.Struct`: any mapping.
    Struct,
    /// `google.protobuf.Value`: any value.
    Value,
    /// `google.protobuf.ListValue`: any list.
    ListValue,
    /// `google.protobuf.Any`: a mapping with `@type`.
    Any,
    /// `google.protobuf.Empty`: an empty mapping.
    Empty,
    /// An index into [`ENUMS`].
    Enum(usize),
    /// An index into [`MESSAGES`].
    Message(usize),
    /// A message defined outside solo-apis (Envoy, skv2, Kubernetes): any value is accepted.
    External(&'static str),
}

/// Single, `repeated`, or `map<string, T>` (then `ty` is the value type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    One,
    Repeated,
    Map,
}

#[derive(Debug)]
pub struct Field {
    /// The JSON name.
    pub name: &'static str,
    pub ty: Ty,
    pub card: Card,
    /// The JSON name of the oneof this field belongs to.
    pub oneof: Option<&'static str>,
}

#[derive(Debug)]
pub struct Message {
    /// Fully qualified, such as `common.gloo.solo.io.PortSelector`.
    pub name: &'static str,
    pub fields: &'static [Field],
}

#[derive(Debug)]
pub struct Enum {
    pub name: &'static str,
    pub values: &'static [&'static str],
}

#[derive(Debug)]
pub struct Kind {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    /// The index of the kind's `spec` message in [`MESSAGES`].
    pub spec: usize,
}

impl Message {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The schema of `kind` in API group `group` (any version vdc reads), if vdc knows it.
pub fn kind(group: &str, kind: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

pub fn message(index: usize) -> &'static Message {
    &MESSAGES[index]
}

pub fn enumeration(index: usize) -> &'static Enum {
    &ENUMS[index]
}

/// Every field path of `kind` below `spec` (`spec.listeners.tls.mode`), in schema order; a
/// message met again below itself is not entered twice.
pub fn paths(kind: &Kind) -> Vec<String> {
    fn walk(index: usize, prefix: &str, seen: &mut Vec<usize>, out: &mut Vec<String>) {
        seen.push(index);
        for f in message(index).fields {
            let path = format!("{prefix}.{}", f.name);
            out.push(path.clone());
            if let Ty::Message(m) = f.ty
                && !seen.contains(&m)
            {
                walk(m, &path, seen, out);
            }
        }
        seen.pop();
    }
    let mut out = Vec::new();
    walk(kind.spec, "spec", &mut Vec::new(), &mut out);
    out
}

/// The enum named `name` (fully qualified). Decoders name the enum of a field they read; a name
/// that is not in the schema is a bug in vdc.
pub fn enum_named(name: &str) -> &'static Enum {
    ENUMS
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("the Gloo schema has no enum {name}"))
}
