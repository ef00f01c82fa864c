//! **VDC102 not-a-kubernetes-object** (error): A document is not a Kubernetes object (apiVersion, kind, metadata.name).
//!
//! ## What it does
//!
//! A document that is not a Kubernetes object: not a mapping (a bare list or a scalar), a
//! mapping without string `apiVersion` and `kind`, or an object without `metadata.name`. Items of
//! a `List` are checked the same way.
//!
//! ## Why is this bad?
//!
//! vdc identifies every object by its apiVersion, kind, namespace and name; a document without
//! them cannot be told apart from noise and would otherwise be lost without a word. `kubectl apply`
//! refuses such a document too.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! apiVersion: networking.gloo.solo.io/v2
//! # kind: VirtualDestination   <- the line was deleted
//! metadata:
//!   name: productpage
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Add the missing header field (`kind: VirtualDestination` here), or move files that are not
//! Kubernetes objects out of INPUT: every `*.yaml`, `*.yml` and `*.json` below INPUT is read.
//!
//! Fixture: `testdata/check/not-a-kubernetes-object/`. Long form: `docs/diagnostics.md#vdc102`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::NotAnObject;

/// How a document fails to be a Kubernetes object.
pub enum Case<'a> {
    /// Not a mapping: a `found` (the node's type name).
    NotAMapping { found: &'a str },
    /// No string `apiVersion` and `kind`.
    NoKind,
    /// A `kind` with no `metadata.name`.
    NoName { kind: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::NotAMapping { found } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "expected a Kubernetes object (a mapping with apiVersion, kind and metadata), found {found}"
            ),
        ),
        Case::NoKind => Diagnostic::new_at(
            CODE,
            site,
            "this document is not a Kubernetes object: it needs string `apiVersion` and `kind` fields",
        )
        .help("every document must start with `apiVersion:` and `kind:`"),
        Case::NoName { kind } => {
            Diagnostic::new_at(CODE, site, format!("this {kind} has no `metadata.name`"))
                .field("metadata.name")
        }
    }
}
