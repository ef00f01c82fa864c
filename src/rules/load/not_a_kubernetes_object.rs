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

use crate::diagnostic::Code;

pub const CODE: Code = Code::NotAnObject;
