//! **VDC101 yaml-syntax** (error): A file is not valid YAML or JSON, or breaks a parsing budget.
//!
//! ## What it does
//!
//! A file that is not valid YAML (or JSON), or that breaks one of vdc's parsing budgets: an
//! alias bomb (anchors and aliases that would take more memory than the file's size, 16 MiB at
//! least), nesting deeper than a real manifest ever goes, or a tree that would take more than
//! 12 × the file's text in memory (+ 64 MiB), or grow faster than that as the file is read:
//! millions of tiny collections, scalars or anchors. Every dump `kubectl` writes takes at most
//! 10 × its text, so any of them, of any size, is read.
//!
//! ## Why is this bad?
//!
//! vdc cannot read any object of that file, so whatever it holds would be missing from the
//! output. The diagnostic carries the line and column the parser stopped at, and every other file
//! is still parsed and checked against its schema, so one run shows every syntax and schema
//! problem. The checks that run on the input as a whole (a route's destination, a workspace's
//! exports, a policy's selector, and the rules run after decoding, such as a VirtualDestination's
//! hosts and ports) wait until every file parses: with the file unread, they would report the
//! objects it defines as missing. The budgets keep a hostile or corrupted file from making vdc hang or
//! exhaust memory.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.global
//!    services:        # indented one space too far
//!   - labels:
//!       app: productpage
//! ```
//!
//! ## Fix
//!
//! Fix the YAML at the reported position; here, indent `services:` like `hosts:`. For a budget
//! error, remove the anchors and aliases that expand the document, or split the file.
//!
//! Fixture: `testdata/check/yaml-syntax/`. Long form: `docs/diagnostics.md#vdc101`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::YamlSyntax;

/// The parser's `message`, for a file in `language` (`YAML`, or `JSON` for a `.json` file).
pub fn diagnostic(site: Site, language: &str, message: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!("invalid {language}: {message}"))
}
