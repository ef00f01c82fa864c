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

#[path = "schema_gen/proto.rs"]
mod proto;
#[path = "schema_gen/render.rs"]
mod render;

use std::path::Path;

const PROTOS: &str = "../shared/reference/solo-apis-v2.6";
/// The route and destination policies, kept apart from [`PROTOS`] (whose `common/` they import).
const POLICY_PROTOS: &str = "../shared/reference/solo-apis-v2.6-policies";
const TABLE: &str = "src/model/schema/generated.rs";

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
    let committed = std::fs::read_to_string(TABLE).unwrap_or_default();
    if committed == generated {
        return;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(TABLE, generated).unwrap();
        return;
    }
    panic!(
        "{TABLE} is stale; regenerate it with `UPDATE_GENERATED=1 cargo test --test gloo_schema` and commit the result"
    );
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
