//! **VDC505 user-object-conflict** (warning): A generated object collides with an Istio object already in the cluster.
//!
//! ## What it does
//!
//! An Istio ServiceEntry, DestinationRule, VirtualService or Gateway already in a cluster's dump
//! that has the name of an object vdc generates in that cluster, or (ServiceEntry,
//! DestinationRule, VirtualService) serves one of its hosts.
//!
//! ## Why is this bad?
//!
//! Two DestinationRules for one host are merged by Istio in an unspecified order, two
//! ServiceEntries for one host conflict, and an object of the same name is overwritten when vdc's
//! output is applied.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: networking.istio.io/v1
//!   kind: DestinationRule
//!   metadata:
//!     name: productpage
//!     namespace: bookinfo-frontends
//!   spec:
//!     host: productpage.global
//! ```
//!
//! ## Fix
//!
//! Delete the hand-written object, or move its settings into Gloo policies so vdc generates
//! them.
//!
//! Fixture: `testdata/check/user-object-conflict/`. Long form: `docs/diagnostics.md#vdc505`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::UserObjectConflict;
