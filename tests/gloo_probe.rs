//! Real Gloo manifests must load as they are. A probe manifest generated from the schema sets
//! every field of every kind vdc reads and, across its documents, every oneof member and every
//! enum value: none may be refused as unknown, mistyped or invalid. The keys that older
//! versions of vdc accepted but no Gloo proto has must be refused, with a suggestion when one is
//! close.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use vdc::diagnostic::Diagnostic;
use vdc::model::schema::{self, Card, KINDS, Kind, MESSAGES, Ty};

/// Rotates through the members of each oneof and the values of each enum, so that the probe
/// documents, together, set all of them; records which fields and values were set.
#[derive(Default)]
struct Probe {
    turns: BTreeMap<String, usize>,
    fields: BTreeSet<(usize, &'static str)>,
    values: BTreeSet<(usize, &'static str)>,
}

impl Probe {
    fn turn(&mut self, key: String, len: usize) -> usize {
        let n = self.turns.entry(key).or_default();
        *n += 1;
        (*n - 1) % len
    }

    fn message(&mut self, index: usize, stack: &mut Vec<usize>) -> Value {
        stack.push(index);
        let msg = schema::message(index);
        let mut out = Map::new();
        let mut chosen: BTreeMap<&str, &str> = BTreeMap::new();
        for field in msg.fields {
            if let Some(oneof) = field.oneof {
                let members: Vec<&str> = msg
                    .fields
                    .iter()
                    .filter(|f| f.oneof == Some(oneof))
                    .map(|f| f.name)
                    .collect();
                let pick = *chosen.entry(oneof).or_insert_with(|| {
                    members[self.turn(format!("{}.{oneof}", msg.name), members.len())]
                });
                if pick != field.name {
                    continue;
                }
            }
            if let Ty::Message(m) = field.ty
                && stack.contains(&m)
            {
                continue;
            }
            self.fields.insert((index, field.name));
            let one = self.value(field.ty, stack);
            let value = match field.card {
                Card::One => one,
                Card::Repeated => json!([one]),
                Card::Map => json!({ "probe-key": one }),
            };
            out.insert(field.name.to_owned(), value);
        }
        stack.pop();
        Value::Object(out)
    }

    fn value(&mut self, ty: Ty, stack: &mut Vec<usize>) -> Value {
        match ty {
            Ty::String | Ty::Bytes => json!("probe"),
            Ty::Bool => json!(true),
            Ty::Int32 | Ty::UInt32 | Ty::Int64 | Ty::UInt64 => json!(80),
            Ty::Double => json!(1.5),
            Ty::Duration => json!("5s"),
            Ty::Timestamp => json!("2024-01-01T00:00:00Z"),
            Ty::Struct => json!({ "any": ["thing", 1] }),
            Ty::Value => json!("anything"),
            Ty::ListValue => json!([1, "two"]),
            Ty::Any => json!({ "@type": "type.googleapis.com/probe" }),
            Ty::Empty | Ty::External(_) => json!({}),
            Ty::Enum(e) => {
                let values = schema::enumeration(e).values;
                let value = values[self.turn(format!("enum {e}"), values.len())];
                self.values.insert((e, value));
                json!(value)
            }
            Ty::Message(m) => self.message(m, stack),
        }
    }

    fn document(&mut self, kind: &Kind, n: usize) -> Value {
        json!({
            "apiVersion": format!("{}/{}", kind.group, kind.version),
            "kind": kind.kind,
            "metadata": { "name": format!("probe-{n}"), "namespace": "probe" },
            "spec": self.message(kind.spec, &mut Vec::new()),
        })
    }
}

fn compile(files: &[(String, String)]) -> Vec<Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    vdc::compile(dir.path()).unwrap().diagnostics
}

/// The VDC207 that vdc's own rules give a valid schema value (not the schema check's).
fn semantic(d: &Diagnostic) -> bool {
    // The probe's 80 is no HTTP status: istiod takes 200–599 for a direct response.
    let status = (d.field.as_deref()).is_some_and(|f| f.ends_with("directResponse.status"));
    d.message
        .starts_with("an OutlierDetectionPolicy applies to")
        || status
}

#[test]
fn every_field_and_enum_value_of_the_protos_is_accepted() {
    let mut probe = Probe::default();
    let mut files = Vec::new();
    for round in 0..24 {
        for kind in KINDS {
            let doc = probe.document(kind, round);
            let rel = format!("clusters/probe/{}-{round}.json", kind.kind);
            files.push((rel, serde_json::to_string_pretty(&doc).unwrap()));
        }
    }
    let all_fields: usize = MESSAGES.iter().map(|m| m.fields.len()).sum();
    let all_values: usize = schema::ENUMS.iter().map(|e| e.values.len()).sum();
    assert_eq!(probe.fields.len(), all_fields, "fields the probe sets");
    assert_eq!(probe.values.len(), all_values, "enum values the probe sets");
    let refused: Vec<String> = compile(&files)
        .iter()
        .filter(|d| match d.code.as_str() {
            "VDC201" | "VDC202" => true,
            "VDC207" => !semantic(d),
            _ => false,
        })
        .map(|d| format!("{} {:?} {}", d.code, d.field, d.message))
        .collect();
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

const ROUTE_TABLE: &str = r#"
apiVersion: networking.gloo.solo.io/v2
kind: RouteTable
metadata: {name: over-accepted, namespace: probe}
spec:
  hosts: [www.example.com]
  applyToRoutes: [{route: {labels: {a: b}}}]
  http:
  - name: r
    forwardToPortal: {}
    matchers:
    - cookies: [{name: c}]
      mirrorPercentage: 10
      headers: [{name: h, present: true}]
    forwardTo:
      destinations:
      - ref: {name: reviews}
        kind: VirtualDestination
        port: {number: 9080}
        weight: 100
"#;

const VIRTUAL_GATEWAY: &str = r#"
apiVersion: networking.gloo.solo.io/v2
kind: VirtualGateway
metadata: {name: over-accepted, namespace: probe}
spec:
  workloads: [{selector: {labels: {istio: ingressgateway}}}]
  listeners:
  - port: {number: 80, name: http}
    http: {}
    appliedRouteTables: [{}]
    allowedClientRanges: [10.0.0.0/8]
  - port: {number: 443}
    http: {}
    tls:
      secretName: cert
      mode: OPTIONAL_MUTUAL
      minProtocolVersion: TLSv1_2
      maxProtocolVersion: TLSv1_3
      cipherSuites: [ECDHE-RSA-AES256-GCM-SHA384]
      subjectAltNames: [spiffe://x]
"#;

#[test]
fn keys_no_gloo_proto_has_are_refused_once_each() {
    let files = vec![
        ("clusters/probe/rt.yaml".to_owned(), ROUTE_TABLE.to_owned()),
        (
            "clusters/probe/vg.yaml".to_owned(),
            VIRTUAL_GATEWAY.to_owned(),
        ),
    ];
    let found: Vec<String> = compile(&files)
        .iter()
        .filter(|d| matches!(d.code.as_str(), "VDC201" | "VDC207" | "VDC205"))
        .map(|d| {
            let field = d.field.as_deref().unwrap_or("");
            let help = d.help.as_deref().unwrap_or("");
            format!("{} {field}: {} | {help}", d.code, d.message)
        })
        .collect();
    insta::assert_snapshot!(found.join("\n"));
}

/// Workshop-style manifests (an HTTPS listener with TLS parameters, an egress listener, Lambda
/// routes of Gloo 2.2 and 2.3+) load without an error; what vdc leaves out, it says.
#[test]
fn workshop_manifests_load_without_an_error() {
    let c = vdc::compile(std::path::Path::new("testdata/workshop-manifests")).unwrap();
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(!c.outputs.is_empty());
    let said: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.field.as_deref().unwrap_or("")))
        .collect();
    insta::assert_snapshot!(said.join("\n"));
}
