//! Writes src/model/schema/generated.rs from the protos: the messages reachable from each kind's
//! spec, their fields in protobuf's JSON mapping, and their enums.

use super::proto::{Field, Protos};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

/// A kind found in the protos: (group, version, kind, spec message).
pub type KindRow = (String, String, String, String);

/// Reads every .proto below each of `roots` (one tree may import another's `common/`); returns
/// the protos and the kinds they define (a top-level `<Kind>Spec` message in a file outside
/// `common/`, its group and version from `go_package`).
pub fn read_trees(roots: &[&Path]) -> (Protos, Vec<KindRow>) {
    let mut protos = Protos::default();
    let mut kinds = Vec::new();
    for root in roots {
        read_into(root, &mut protos, &mut kinds);
    }
    kinds.sort();
    (protos, kinds)
}

/// [`read_trees`] of one tree.
pub fn read_tree(root: &Path) -> (Protos, Vec<KindRow>) {
    read_trees(&[root])
}

fn read_into(root: &Path, protos: &mut Protos, kinds: &mut Vec<KindRow>) {
    let mut files: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        protos.read(&text);
        if path.strip_prefix(root).unwrap().starts_with("common") {
            continue;
        }
        let go_package = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("option go_package = \""))
            .expect("every solo-apis file names its go_package");
        let mut gv = go_package.trim_end_matches("\";").rsplit('/');
        let version = gv.next().unwrap().to_owned();
        let group = gv.next().unwrap().to_owned();
        let package = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("package "))
            .unwrap()
            .trim_end_matches(';');
        for line in text.lines() {
            if let Some(kind) = line
                .strip_prefix("message ")
                .and_then(|rest| rest.trim_end_matches(" {").strip_suffix("Spec"))
            {
                let spec = format!("{package}.{kind}Spec");
                kinds.push((group.clone(), version.clone(), kind.to_owned(), spec));
            }
        }
    }
}

/// The Rust expression for a field's type, with the messages and enums it reaches.
fn rust_type(protos: &Protos, scope: &str, field: &Field, index: &Index) -> String {
    let scalar = match field.type_name.as_str() {
        "string" => Some("String"),
        "bytes" => Some("Bytes"),
        "bool" | "google.protobuf.BoolValue" => Some("Bool"),
        "int32" | "sint32" | "sfixed32" | "google.protobuf.Int32Value" => Some("Int32"),
        "uint32" | "fixed32" | "google.protobuf.UInt32Value" => Some("UInt32"),
        "int64" | "sint64" | "sfixed64" | "google.protobuf.Int64Value" => Some("Int64"),
        "uint64" | "fixed64" | "google.protobuf.UInt64Value" => Some("UInt64"),
        "double" | "float" | "google.protobuf.DoubleValue" | "google.protobuf.FloatValue" => {
            Some("Double")
        }
        "google.protobuf.StringValue" => Some("String"),
        "google.protobuf.BytesValue" => Some("Bytes"),
        "google.protobuf.Duration" => Some("Duration"),
        "google.protobuf.Timestamp" => Some("Timestamp"),
        "google.protobuf.Struct" => Some("Struct"),
        "google.protobuf.Value" => Some("Value"),
        "google.protobuf.ListValue" => Some("ListValue"),
        "google.protobuf.Any" => Some("Any"),
        "google.protobuf.Empty" => Some("Empty"),
        _ => None,
    };
    if let Some(s) = scalar {
        return format!("Ty::{s}");
    }
    match protos.resolve(scope, &field.type_name) {
        Some(full) if protos.enums.contains_key(&full) => {
            format!("Ty::Enum({})", index.enums[&full])
        }
        Some(full) => format!("Ty::Message({})", index.messages[&full]),
        None => format!(
            "Ty::External({:?})",
            field.type_name.trim_start_matches('.')
        ),
    }
}

pub struct Index {
    pub messages: BTreeMap<String, usize>,
    pub enums: BTreeMap<String, usize>,
}

/// The messages and enums reachable from the kinds' specs, each numbered in name order.
pub fn reachable(protos: &Protos, kinds: &[KindRow]) -> Index {
    let mut messages = BTreeSet::new();
    let mut enums = BTreeSet::new();
    let mut todo: Vec<String> = kinds.iter().map(|k| k.3.clone()).collect();
    while let Some(name) = todo.pop() {
        if !messages.insert(name.clone()) {
            continue;
        }
        for field in &protos.messages[&name].fields {
            match protos.resolve(&name, &field.type_name) {
                Some(t) if protos.enums.contains_key(&t) => {
                    enums.insert(t);
                }
                Some(t) => todo.push(t),
                None => {}
            }
        }
    }
    let number = |set: BTreeSet<String>| set.into_iter().enumerate().map(|(i, n)| (n, i)).collect();
    Index {
        messages: number(messages),
        enums: number(enums),
    }
}

pub fn render(protos: &Protos, kinds: &[KindRow]) -> String {
    let index = reachable(protos, kinds);
    let mut out = String::from(
        "// @generated from the solo-apis protos of Gloo 2.6.5 by tests/gloo_schema.rs; do not edit.\n\
         // Regenerate with `UPDATE_GENERATED=1 cargo test --test gloo_schema`.\n\n\
         use super::{Card, Enum, Field, Kind, Message, Ty};\n\n",
    );
    out.push_str("pub static KINDS: &[Kind] = &[\n");
    for (group, version, kind, spec) in kinds {
        let _ = writeln!(
            out,
            "    Kind {{ group: {group:?}, version: {version:?}, kind: {kind:?}, spec: {} }},",
            index.messages[spec]
        );
    }
    out.push_str("];\n\npub static MESSAGES: &[Message] = &[\n");
    for (name, i) in &index.messages {
        let _ = writeln!(
            out,
            "    // {i}\n    Message {{\n        name: {name:?},\n        fields: &["
        );
        for field in &protos.messages[name].fields {
            let card = match (&field.map_key, field.repeated) {
                (Some(_), _) => "Map",
                (None, true) => "Repeated",
                (None, false) => "One",
            };
            let _ = writeln!(
                out,
                "            Field {{ name: {:?}, ty: {}, card: Card::{card}, oneof: {} }},",
                field.json_name,
                rust_type(protos, name, field, &index),
                field.oneof.as_ref().map_or("None".to_owned(), |o| format!(
                    "Some({:?})",
                    super::proto::json_name(o)
                )),
            );
        }
        out.push_str("        ],\n    },\n");
    }
    out.push_str("];\n\npub static ENUMS: &[Enum] = &[\n");
    for (name, i) in &index.enums {
        let values = protos.enums[name]
            .iter()
            .map(|v| format!("{v:?}"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "    // {i}\n    Enum {{ name: {name:?}, values: &[{values}] }},"
        );
    }
    out.push_str("];\n");
    out
}
