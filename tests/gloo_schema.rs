//! The Gloo schema table (src/model/schema/generated.rs) is written from the solo-apis protos
//! and must never drift from them: it is regenerated here and compared.
//! `UPDATE_GENERATED=1 cargo test --test gloo_schema` rewrites it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

#[path = "schema_gen/older.rs"]
mod older;
#[path = "schema_gen/proto.rs"]
mod proto;
#[path = "schema_gen/render.rs"]
mod render;

use std::path::Path;

const PROTOS: &str = "../shared/reference/solo-apis-v2.6";
/// The route and destination policies, kept apart from [`PROTOS`] (whose `common/` they import).
const POLICY_PROTOS: &str = "../shared/reference/solo-apis-v2.6-policies";
const TABLE: &str = "src/model/schema/generated.rs";
const OLDER_TABLE: &str = "src/model/schema/older.rs";
/// The earlier releases whose fields the older table lists, oldest first.
const OLDER_RELEASES: &[&str] = &["2.0", "2.1", "2.2", "2.3", "2.4", "2.5"];

#[test]
fn schema_table_matches_the_protos() {
    let roots = [Path::new(PROTOS), Path::new(POLICY_PROTOS)];
    if !roots.iter().all(|r| r.is_dir()) {
        eprintln!(
            "skipped: the solo-apis protos are not at {PROTOS} and {POLICY_PROTOS}, so the schema table cannot be checked against them"
        );
        return;
    }
    let (protos, kinds) = render::read_trees(&roots);
    assert_eq!(kinds.len(), 18, "the kinds vdc reads: {kinds:?}");
    let generated = render::render(&protos, &kinds);
    let how = "UPDATE_GENERATED=1 cargo test --test gloo_schema";
    matches_committed(TABLE, &generated, how);
}

/// Compares `generated` with the committed `table`, or rewrites it under `UPDATE_GENERATED`.
fn matches_committed(table: &str, generated: &str, how: &str) {
    let committed = std::fs::read_to_string(table).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(table, generated).unwrap();
        return;
    }
    panic!("{table} is stale; regenerate it with `{how}` and commit the result");
}

/// The table of fields and values of Gloo 2.0-2.5 that 2.6 lacks (src/model/schema/older.rs),
/// from the protos of each release: `VDC_OLDER_PROTOS` names a folder with one folder per
/// release (`v2.0` … `v2.5`), each laid out as the 2.6 reference is (`scripts/older-protos`
/// writes it from a solo-apis clone). Skipped without it.
#[test]
fn older_releases_table_matches_the_protos() {
    let (Some(dir), true) = (
        std::env::var_os("VDC_OLDER_PROTOS"),
        Path::new(PROTOS).is_dir(),
    ) else {
        eprintln!("skipped: VDC_OLDER_PROTOS is not set, or the 2.6 protos are not at {PROTOS}");
        return;
    };
    let (current, kinds) = render::read_trees(&[Path::new(PROTOS), Path::new(POLICY_PROTOS)]);
    let index = render::reachable(&current, &kinds);
    let in_table = index
        .messages
        .into_keys()
        .chain(index.enums.into_keys())
        .collect();
    let releases: Vec<older::Release> = OLDER_RELEASES
        .iter()
        .map(|name| {
            let (protos, kinds) = render::read_tree(&Path::new(&dir).join(format!("v{name}")));
            older::Release {
                name: (*name).to_owned(),
                protos,
                kinds,
            }
        })
        .collect();
    let generated = older::render(&current, &in_table, &releases);
    let how = "VDC_OLDER_PROTOS=DIR UPDATE_GENERATED=1 cargo test --test gloo_schema";
    matches_committed(OLDER_TABLE, &generated, how);
}

#[test]
fn json_names_follow_protoc() {
    assert_eq!(
        proto::json_name("verify_subject_alt_name"),
        "verifySubjectAltName"
    );
    assert_eq!(proto::json_name("meshConfig"), "meshConfig");
    assert_eq!(proto::json_name("tls_v1_2"), "tlsV12");
}
