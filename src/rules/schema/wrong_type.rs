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

use crate::diagnostic::Code;

pub const CODE: Code = Code::WrongType;
