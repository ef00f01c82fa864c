//! **VDC406 nothing-to-serve** (error): A VirtualDestination has no hosts and no backing selectors.
//!
//! ## What it does
//!
//! A VirtualDestination with none of `hosts`, `services`, `externalServices` and
//! `externalWorkloads`.
//!
//! ## Why is this bad?
//!
//! It serves nothing; Gloo's CRD refuses it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//! ```
//!
//! ## Fix
//!
//! Add the host clients call and `services:` selectors for the Services behind it.
//!
//! Fixture: `testdata/check/nothing-to-serve/`. Long form: `docs/diagnostics.md#vdc406`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::NothingToServe;
