//! **VDC109 invalid-settings** (error): vdc.yaml has an unknown key or an invalid value.
//!
//! ## What it does
//!
//! A `vdc.yaml` that is not a mapping, has a key vdc does not know, or an invalid value. The
//! keys are `managementCluster` (a DNS label; default `mgmt`) and `istioApiVersion` (`v1`, the
//! default, or `v1beta1`).
//!
//! ## Why is this bad?
//!
//! Settings change the output. A misspelt key would otherwise be ignored and the default used
//! without a word.
//!
//! ## Example
//!
//! `vdc.yaml`:
//!
//! ```yaml
//! managmentCluster: mgmt
//! ```
//!
//! ## Fix
//!
//! Spell the key as documented: `managementCluster: mgmt`.
//!
//! Fixture: `testdata/check/invalid-settings/`. Long form: `docs/diagnostics.md#vdc109`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidSettings;
