//! The one form both sides of a diff are compared in.
//!
//! A rendered folder is parsed YAML and an INPUT folder is freshly translated objects; both are
//! brought to a `serde_json::Value` and written by the same YAML writer with keys in one fixed
//! order, so quoting, indentation, key order and document markers can never show as a change.

use crate::load::node::{Node, Value as NodeValue};
use anyhow::{Context, Result};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// A parsed node as a generic value. Positions are dropped: only content is compared.
pub fn from_node(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(i) => i64::try_from(*i)
            .map(Value::from)
            .or_else(|_| u64::try_from(*i).map(Value::from))
            .unwrap_or_else(|_| Value::from(*i as f64)),
        // JSON has no NaN or infinity; their YAML spelling keeps them comparable.
        NodeValue::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        NodeValue::Str(s) => Value::String(s.clone()),
        NodeValue::Seq(items) => Value::Array(items.iter().map(from_node).collect()),
        NodeValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), from_node(v)))
                .collect(),
        ),
    }
}

/// `value` as YAML text in vdc's output order: apiVersion, kind, metadata (name, namespace,
/// labels, annotations, then the rest), then every other key alphabetically at every depth.
/// List order is kept: in Istio objects it often carries meaning (routes, servers).
pub fn to_text(value: &Value) -> Result<String> {
    let mut text = crate::emit::yaml::to_string(&Ordered {
        value,
        level: Level::Root,
    })
    .context("serialising an object for comparison")?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

#[derive(Clone, Copy)]
enum Level {
    Root,
    Metadata,
    Nested,
}

impl Level {
    /// Keys that come first at this level, in this order; all others follow alphabetically.
    fn leading_keys(self) -> &'static [&'static str] {
        match self {
            Level::Root => &["apiVersion", "kind", "metadata"],
            Level::Metadata => &["name", "namespace", "labels", "annotations"],
            Level::Nested => &[],
        }
    }

    fn child(self, key: &str) -> Level {
        match (self, key) {
            (Level::Root, "metadata") => Level::Metadata,
            _ => Level::Nested,
        }
    }
}

struct Ordered<'a> {
    value: &'a Value,
    level: Level,
}

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let leading = self.level.leading_keys();
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort_by_key(|k| {
                    let rank = leading.iter().position(|l| l == k);
                    (rank.unwrap_or(leading.len()), k.as_str())
                });
                let mut out = s.serialize_map(Some(keys.len()))?;
                for key in keys {
                    let child = Ordered {
                        value: &map[key],
                        level: self.level.child(key),
                    };
                    out.serialize_entry(key, &child)?;
                }
                out.end()
            }
            Value::Array(items) => s.collect_seq(items.iter().map(|value| Ordered {
                value,
                level: Level::Nested,
            })),
            scalar => scalar.serialize(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_formatting_do_not_matter() {
        let a = crate::load::parse_documents(
            "spec: {b: 1, a: [x, 'z']}\nmetadata: {labels: {k: v}, name: web}\nkind: K\napiVersion: v1\n",
        )
        .unwrap();
        let b = crate::load::parse_documents(
            "apiVersion: v1\nkind: K\nmetadata:\n  name: web\n  labels:\n    k: \"v\"\nspec:\n  a:\n  - \"x\"\n  - z\n  b: 1\n",
        )
        .unwrap();
        let (a, b) = (
            to_text(&from_node(&a[0])).unwrap(),
            to_text(&from_node(&b[0])).unwrap(),
        );
        assert_eq!(a, b);
        assert!(
            a.starts_with("apiVersion: v1\nkind: K\nmetadata:\n  name: web\n  labels:"),
            "{a}"
        );
    }
}
