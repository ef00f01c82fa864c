//! Writes src/model/schema/older.rs: the fields and enum values that earlier Gloo 2.x releases
//! (2.0 to 2.5) have and the 2.6 protos lack, in the messages and enums the 2.6 table holds. A
//! manifest written for an earlier release still loads: such a field is accepted, with a
//! warning that it has no effect, instead of being refused as unknown.

use super::proto::Protos;
use super::render::{KindRow, reachable};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// One earlier release: its name (`2.1`), its protos and kinds.
pub struct Release {
    pub name: String,
    pub protos: Protos,
    pub kinds: Vec<KindRow>,
}

/// (message or enum, field or value) → the releases that have it, in release order.
type Seen = BTreeMap<(String, String), Vec<String>>;

/// What `release` has beyond the 2.6 table: fields of the messages reachable from the kinds vdc
/// reads, and values of their enums, that 2.6 lacks.
fn beyond(
    current: &Protos,
    in_table: &BTreeSet<String>,
    release: &Release,
    seen: &mut (Seen, Seen),
) {
    let index = reachable(&release.protos, &kinds_vdc_reads(release));
    for name in index.messages.keys() {
        if !in_table.contains(name) {
            continue; // below a field 2.6 lacks, or a message 2.6 renamed: not reached there
        }
        let now = &current.messages[name].fields;
        for field in &release.protos.messages[name].fields {
            if !now.iter().any(|f| f.json_name == field.json_name) {
                let key = (name.clone(), field.json_name.clone());
                seen.0.entry(key).or_default().push(release.name.clone());
            }
        }
    }
    for name in index.enums.keys() {
        let Some(now) = current.enums.get(name).filter(|_| in_table.contains(name)) else {
            continue;
        };
        for value in &release.protos.enums[name] {
            if !now.contains(value) {
                let key = (name.clone(), value.clone());
                seen.1.entry(key).or_default().push(release.name.clone());
            }
        }
    }
}

/// The kinds of `release` that the 2.6 table has (by kind name: ExternalWorkload changed its
/// version).
fn kinds_vdc_reads(release: &Release) -> Vec<KindRow> {
    const KINDS: &[&str] = &[
        "KubernetesCluster",
        "Workspace",
        "WorkspaceSettings",
        "ExternalEndpoint",
        "ExternalService",
        "RouteTable",
        "VirtualDestination",
        "VirtualGateway",
        "ExternalWorkload",
        "FailoverPolicy",
        "OutlierDetectionPolicy",
    ];
    (release.kinds.iter())
        .filter(|k| KINDS.contains(&k.2.as_str()))
        .cloned()
        .collect()
}

/// `2.1`, or `2.0–2.2` for a run of releases (they are listed oldest first).
fn releases(list: &[String]) -> String {
    match (list.first(), list.last()) {
        (Some(first), Some(last)) if first != last => format!("{first}–{last}"),
        (Some(first), _) => first.clone(),
        _ => String::new(),
    }
}

/// The table: `current` and the names of its messages and enums in the 2.6 table (`in_table`),
/// and the earlier releases, oldest first.
pub fn render(current: &Protos, in_table: &BTreeSet<String>, older: &[Release]) -> String {
    let mut seen = (Seen::new(), Seen::new());
    for release in older {
        beyond(current, in_table, release, &mut seen);
    }
    let names: Vec<&str> = older.iter().map(|r| r.name.as_str()).collect();
    let mut out = format!(
        "// @generated from the solo-apis protos of Gloo {} by tests/gloo_schema.rs; do not edit.\n\
         // Regenerate with `VDC_OLDER_PROTOS=DIR UPDATE_GENERATED=1 cargo test --test gloo_schema`\n\
         // (DIR from `scripts/older-protos`).\n\n\
         /// (message, field, the releases that have it): fields of earlier Gloo 2.x releases that\n\
         /// the 2.6 protos lack.\n\
         pub static OLDER_FIELDS: &[(&str, &str, &str)] = &[\n",
        names.join(", ")
    );
    for ((message, field), list) in &seen.0 {
        let _ = writeln!(out, "    ({message:?}, {field:?}, {:?}),", releases(list));
    }
    out.push_str(
        "];\n\n/// (enum, value, the releases that have it): enum values of earlier Gloo 2.x releases\n\
         /// that the 2.6 protos lack.\npub static OLDER_VALUES: &[(&str, &str, &str)] = &[\n",
    );
    for ((e, value), list) in &seen.1 {
        let _ = writeln!(out, "    ({e:?}, {value:?}, {:?}),", releases(list));
    }
    out.push_str("];\n");
    out
}
