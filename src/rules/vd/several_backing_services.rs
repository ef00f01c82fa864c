//! **VDC412 several-backing-services** (warning): Several Services match in one cluster; the oldest wins.
//!
//! ## What it does
//!
//! A VirtualDestination whose `services` selectors match more than one Service in one cluster.
//! The oldest (by `creationTimestamp`, then namespace and name) backs it; the others are passed
//! over (`vdc explain` lists them).
//!
//! ## Why is this bad?
//!
//! A VirtualDestination is backed by one Service per cluster. A selector that matches several
//! is usually too broad, and which one wins may not be the one you meant.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - kind: Service
//!   metadata:
//!     name: productpage-canary       # also labelled app: productpage
//!     creationTimestamp: "2022-05-01T10:00:00Z"
//!     labels:
//!       app: productpage
//! ```
//!
//! ## Fix
//!
//! Narrow the selector so it matches one Service per cluster, for example
//! `services: [{name: productpage, namespace: bookinfo-frontends}]`, or more labels.
//!
//! Fixture: `testdata/check/several-backing-services/`. Long form: `docs/diagnostics.md#vdc412`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::SeveralBackingServices;
