//! **VDC202 wrong-type** (error): A field has the wrong type.
//!
//! ## What it does
//!
//! A field of a Gloo object, or a field vdc reads from cluster state, whose value has the wrong
//! type: a string where a number is expected, a scalar where a list or mapping is expected, a
//! non-string label value, `items` of a `List` that is not a list. Numbers written as strings are
//! refused, as the CRDs refuse them.
//!
//! ## Why is this bad?
//!
//! The API server validates objects against the CRD schema and refuses the whole object, so it
//! would never be applied.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: "9080"
//!     protocol: HTTP
//! ```
//!
//! ## Fix
//!
//! Write the value with the type the message asks for: `number: 9080`.
//!
//! Fixture: `testdata/check/wrong-type/`. Long form: `docs/diagnostics.md#vdc202`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::WrongType;

/// Which value has the wrong type.
pub enum Case<'a> {
    /// The field at `path` must be `expected` (such as "a string"), and is a `found`.
    Field {
        path: &'a str,
        expected: &'a str,
        found: &'a str,
    },
    /// The `items` of a `kind` (a `…List`) are a `found`, not a list.
    ListItems { kind: &'a str, found: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::Field {
            path,
            expected,
            found,
        } => {
            let d = Diagnostic::new_at(
                CODE,
                site,
                format!("`{path}` must be {expected}, found {found}"),
            );
            if path.is_empty() { d } else { d.field(path) }
        }
        Case::ListItems { kind, found } => Diagnostic::new_at(
            CODE,
            site,
            format!("`items` of a {kind} must be a list, found {found}"),
        )
        .field("items"),
    }
}
