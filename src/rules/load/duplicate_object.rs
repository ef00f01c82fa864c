//! **VDC105 duplicate-object** (error): The same object (cluster, kind, namespace, name) is defined twice.
//!
//! ## What it does
//!
//! Two documents with the same identity: cluster, API group, kind, namespace and name. Gloo
//! config outside `clusters/` counts as the management cluster's.
//!
//! ## Why is this bad?
//!
//! A cluster holds one object per identity; applying both, the second silently replaces the
//! first, so which one is meant is ambiguous. It is nearly always a copied file whose name was not
//! changed.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage2.yaml`:
//!
//! ```yaml
//! apiVersion: networking.gloo.solo.io/v2
//! kind: VirtualDestination
//! metadata:
//!   name: productpage                # same as in productpage.yaml
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Delete one of the two, or give the copy its own `metadata.name`. The message says where the
//! first definition is.
//!
//! Fixture: `testdata/check/duplicate-object/`. Long form: `docs/diagnostics.md#vdc105`.

use crate::diagnostic::{Code, Diagnostic, ObjectRef, Site};

pub const CODE: Code = Code::DuplicateObject;

/// `object` again; the first is at `file:line`.
pub fn diagnostic(site: Site, object: &ObjectRef, file: &str, line: u32) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("{object} is defined twice; the first is at {file}:{line}"),
    )
    .field("metadata.name")
    .help("remove one of the two, or rename it")
}
