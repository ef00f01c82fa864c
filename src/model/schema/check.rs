//! Checks a Gloo document against its kind's schema: every key must be a field of its message
//! (VDC201, with the closest field as a suggestion), every value of the field's JSON type
//! (VDC202), every enum value one of the enum's (VDC207), at most one field of each oneof
//! (VDC207). A problem is reported once, where it is, and the check goes on with the siblings.
//! Fields present in the document that vdc does not read earn one VDC203 each.

use super::{Card, Kind, Message, Ty, enumeration, legacy, message, read};
use crate::load::node::{Key, Node, Value};
use crate::model::decode::DecodeContext;
use crate::rules::schema::{invalid_value, unknown_field, untranslated_field};
use crate::text::closest;

/// Checks `doc` (a whole document of `kind`). `translated`: whether vdc translates the kind, so
/// that fields it does not read are worth a warning.
pub fn document(cx: &mut DecodeContext, doc: &Node, kind: &Kind, translated: bool) {
    let Value::Map(entries) = &doc.value else {
        return;
    };
    for (key, value) in entries {
        match key.name.as_str() {
            "apiVersion" | "kind" | "metadata" | "status" => {}
            "spec" => {
                let mut walk = Walk {
                    cx: &mut *cx,
                    kind: kind.kind,
                };
                walk.message(value, message(kind.spec), "spec", translated);
            }
            _ => unknown(
                cx,
                key,
                "",
                &["apiVersion", "kind", "metadata", "spec", "status"],
            ),
        }
    }
}

/// What is known of the field a value belongs to.
#[derive(Clone, Copy, Default)]
struct Place {
    /// vdc reads it (its decoder checks what the schema cannot).
    read: bool,
    /// Fields below it that vdc does not read are worth a warning.
    warn: bool,
}

/// An integer, or a whole number too large for 64 bits (which the YAML reader hands over as a
/// float).
fn is_whole(v: &Value) -> bool {
    match v {
        Value::Int(_) => true,
        Value::Float(f) => f.is_finite() && f.fract() == 0.0,
        _ => false,
    }
}

struct Walk<'c> {
    cx: &'c mut DecodeContext,
    kind: &'static str,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

impl Walk<'_> {
    /// `warn`: report fields vdc does not read (off below a field already reported, and in
    /// kinds vdc does not translate).
    fn message(&mut self, node: &Node, msg: &'static Message, path: &str, warn: bool) {
        let entries = match &node.value {
            Value::Null => return,
            Value::Map(entries) => entries,
            _ => return self.cx.wrong_type(node, path, "a mapping"),
        };
        let mut oneofs: Vec<(&str, &str)> = Vec::new();
        for (key, value) in entries {
            let field_path = join(path, &key.name);
            let Some(field) = msg.field(&key.name) else {
                if !legacy::removed_field(self.cx, msg, key, &field_path) {
                    unknown_in(self.cx, key, path, msg);
                }
                continue;
            };
            if let Some(oneof) = field.oneof {
                if let Some((_, first)) = oneofs.iter().find(|(o, _)| *o == oneof) {
                    let (first, members) = (join(path, first), oneof_members(msg, oneof));
                    let case = invalid_value::Case::OneofTwice {
                        path: &field_path,
                        first: &first,
                        oneof,
                        members: &members,
                    };
                    let site = self.cx.site(key.pos);
                    self.cx.push(invalid_value::diagnostic(site, case));
                    continue;
                }
                oneofs.push((oneof, field.name));
            }
            let read = warn && read::is_read(self.kind, &read::schema_path(&field_path));
            if warn && !read {
                let case = untranslated_field::Case::NotRead { path: &field_path };
                let site = self.cx.site(key.pos);
                self.cx.push(untranslated_field::diagnostic(site, case));
            }
            let at = Place { read, warn: read };
            match field.card {
                Card::One => self.value(value, field.ty, &field_path, at),
                Card::Repeated => match &value.value {
                    Value::Null => {}
                    Value::Seq(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.value(item, field.ty, &format!("{field_path}[{i}]"), at);
                        }
                    }
                    _ => self.cx.wrong_type(value, &field_path, "a list"),
                },
                Card::Map => match &value.value {
                    Value::Null => {}
                    Value::Map(items) => {
                        for (k, item) in items {
                            let item_path = join(&field_path, &k.name);
                            self.value(item, field.ty, &item_path, Place::default());
                        }
                    }
                    _ => self.cx.wrong_type(value, &field_path, "a mapping"),
                },
            }
        }
    }

    fn value(&mut self, node: &Node, ty: Ty, path: &str, at: Place) {
        let v = &node.value;
        if *v == Value::Null {
            return;
        }
        let expected = match ty {
            Ty::String | Ty::Bytes | Ty::Timestamp | Ty::Duration => {
                self.cx.string(node, path);
                return;
            }
            Ty::Bool => {
                self.cx.boolean(node, path);
                return;
            }
            // The decoder of a field vdc reads checks its range, with sharper limits.
            Ty::Int32 | Ty::UInt32 | Ty::Int64 | Ty::UInt64 if at.read && is_whole(v) => return,
            Ty::Int32 | Ty::UInt32 | Ty::Int64 | Ty::UInt64 => {
                return self.integer(node, ty, path);
            }
            Ty::Double if matches!(v, Value::Int(_) | Value::Float(_)) => return,
            Ty::Double => "a number",
            Ty::Empty => match v {
                Value::Map(entries) => {
                    for (key, _) in entries {
                        unknown(self.cx, key, path, &[]);
                    }
                    return;
                }
                _ => "an empty mapping `{}`",
            },
            Ty::Struct | Ty::Any if matches!(v, Value::Map(_)) => return,
            Ty::Struct | Ty::Any => "a mapping",
            Ty::ListValue if matches!(v, Value::Seq(_)) => return,
            Ty::ListValue => "a list",
            Ty::Value | Ty::External(_) => return,
            Ty::Enum(e) => return self.enum_value(node, e, path),
            Ty::Message(m) => return self.message(node, message(m), path, at.warn),
        };
        self.cx.wrong_type(node, path, expected);
    }

    fn integer(&mut self, node: &Node, ty: Ty, path: &str) {
        let (min, max): (i128, i128) = match ty {
            Ty::Int32 => (i32::MIN.into(), i32::MAX.into()),
            Ty::UInt32 => (0, u32::MAX.into()),
            Ty::Int64 => (i64::MIN.into(), i64::MAX.into()),
            _ => (0, u64::MAX.into()),
        };
        match &node.value {
            Value::Int(n) if (min..=max).contains(n) => {}
            Value::Int(n) => {
                let case = invalid_value::Case::OutOfRange {
                    path,
                    n,
                    min: &min,
                    max: &max,
                };
                let site = self.cx.site(node.pos);
                self.cx.push(invalid_value::diagnostic(site, case));
            }
            // 64-bit integers are strings in protobuf's JSON mapping.
            Value::Str(s) if matches!(ty, Ty::Int64 | Ty::UInt64) && s.parse::<i128>().is_ok() => {}
            _ => self.cx.wrong_type(node, path, "an integer"),
        }
    }

    fn enum_value(&mut self, node: &Node, e: usize, path: &str) {
        let Some(value) = self.cx.string(node, path) else {
            return;
        };
        let values = enumeration(e).values;
        if values.contains(&value.as_str()) || legacy::removed_value(self.cx, e, &value, path) {
            return;
        }
        let help = match closest(&value, values) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of {}", values.join(", ")),
        };
        let case = invalid_value::Case::NotAnEnumValue {
            path,
            value: &value.value,
            help,
        };
        let site = self.cx.site(value.pos);
        self.cx.push(invalid_value::diagnostic(site, case));
    }
}

fn oneof_members(msg: &Message, oneof: &str) -> String {
    msg.fields
        .iter()
        .filter(|f| f.oneof == Some(oneof))
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// VDC201 for `key` of `msg` below `path`. The suggestion is the closest field of `msg`, or
/// else the closest field of a message one level down (`tls.minProtocolVersion` →
/// `tls.parameters.minimumProtocolVersion`).
fn unknown_in(cx: &mut DecodeContext, key: &Key, path: &str, msg: &Message) {
    let names: Vec<&str> = msg.fields.iter().map(|f| f.name).collect();
    if closest(&key.name, &names).is_none() {
        let nested: Vec<String> = msg
            .fields
            .iter()
            .filter_map(|f| match f.ty {
                Ty::Message(m) => Some((f.name, message(m))),
                _ => None,
            })
            .flat_map(|(outer, m)| m.fields.iter().map(move |f| format!("{outer}.{}", f.name)))
            .collect();
        let leaves: Vec<&str> = nested
            .iter()
            .map(|n| n.rsplit('.').next().unwrap_or(n))
            .collect();
        if let Some(near) = closest(&key.name, &leaves) {
            let at = leaves.iter().position(|l| *l == near).unwrap_or(0);
            return unknown_with(cx, key, path, &names, Some(&nested[at]));
        }
    }
    unknown_with(cx, key, path, &names, closest(&key.name, &names))
}

/// VDC201 for `key` below `path`, suggesting the closest of `known`.
fn unknown(cx: &mut DecodeContext, key: &Key, path: &str, known: &[&str]) {
    unknown_with(cx, key, path, known, closest(&key.name, known))
}

fn unknown_with(cx: &mut DecodeContext, key: &Key, path: &str, known: &[&str], near: Option<&str>) {
    let field_path = join(path, &key.name);
    let near = near.map(|near| (near, join(path, near)));
    let d = unknown_field::diagnostic(cx.site(key.pos), field_path, near, known);
    cx.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_name_suggests_its_enum_value() {
        let kinds = ["SERVICE", "VIRTUAL_DESTINATION"];
        assert_eq!(
            closest(crate::model::GlooKind::VirtualDestination.name(), &kinds),
            Some("VIRTUAL_DESTINATION")
        );
    }
}
