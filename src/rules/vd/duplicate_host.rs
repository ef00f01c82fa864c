//! **VDC408 duplicate-host** (error): A VirtualDestination lists a host twice.
//!
//! ## What it does
//!
//! A VirtualDestination that lists one host twice (compared without regard to case).
//!
//! ## Why is this bad?
//!
//! The ServiceEntry would list the host twice; it is a copy-paste slip that hides what was
//! meant.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   hosts:
//!   - productpage.global
//!   - productpage.global
//! ```
//!
//! ## Fix
//!
//! Remove the repeat.
//!
//! Fixture: `testdata/check/duplicate-host/`. Long form: `docs/diagnostics.md#vdc408`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::DuplicateHost;
