//! **VDC201 unknown-field** (error): A field that the Gloo kind's schema does not have.
//!
//! ## What it does
//!
//! A field that the Gloo kind's public schema (the solo-io/solo-apis protos of Gloo 2.x) does
//! not have, at any depth of a Gloo object (Gloo 2.6.5; a field that a newer Gloo added is reported
//! the same way, see [input-format.md](input-format.md#which-gloo-schema)). vdc suggests the nearest
//! known field when there is one, and otherwise lists the fields allowed there. Kubernetes state (Services, Deployments, …) is not
//! checked this way: its schema is not vdc's to police.
//!
//! ## Why is this bad?
//!
//! Gloo and the Kubernetes API server drop unknown fields without a word: with a typo the field
//! simply has no effect in the cluster, which shows up much later as a 503. Here the
//! VirtualDestination ends up with no hosts at all. vdc reports the typo alone: when the suggested
//! field is one that is then missing (VDC205, VDC401, VDC406, VDC416, VDC707), that follow-up is the
//! same mistake and is left out.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hots:
//!   - productpage.global
//! ```
//!
//! ## Fix
//!
//! Correct the field name: `hosts:`.
//!
//! Fixture: `testdata/check/unknown-field/`. Long form: `docs/diagnostics.md#vdc201`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnknownField;

/// `field_path` is no field of the schema. `near` is the known field it probably meant (a full
/// path in `meant_path`), else `known` lists the fields that may go there.
pub fn diagnostic(
    site: Site,
    field_path: String,
    near: Option<(&str, String)>,
    known: &[&str],
) -> Diagnostic {
    let message = format!("unknown field `{field_path}`");
    let d = Diagnostic::new_at(CODE, site, message).field(field_path);
    match near {
        Some((near, meant_path)) => d.help(format!("did you mean `{near}`?")).meant(meant_path),
        None if known.is_empty() => d.help("nothing goes here: write `{}`"),
        None => {
            let mut sorted = known.to_vec();
            sorted.sort_unstable();
            let list: Vec<String> = sorted.iter().map(|k| format!("`{k}`")).collect();
            d.help(format!("known fields here: {}", list.join(", ")))
        }
    }
}
