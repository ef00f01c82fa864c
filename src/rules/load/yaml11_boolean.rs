//! **VDC107 yaml11-boolean** (warning): A plain yes/no/on/off/y/n that Kubernetes reads as a boolean.
//!
//! ## What it does
//!
//! A plain (unquoted) `yes`, `no`, `on`, `off`, `y` or `n`, in any case, in a field that holds
//! a string, such as a label value.
//!
//! ## Why is this bad?
//!
//! vdc reads YAML 1.2, where these words are strings, but Kubernetes reads YAML 1.1, where they
//! are booleans. The manifest vdc checked is not the one the API server sees: `kubectl apply`
//! sends `true` where a string is expected, and the object is refused or means something else.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! metadata:
//!   name: productpage
//!   namespace: bookinfo-frontends
//!   labels:
//!     expose: yes
//! ```
//!
//! ## Fix
//!
//! Quote the value: `expose: "yes"`.
//!
//! Fixture: `testdata/check/yaml11-boolean/`. Long form: `docs/diagnostics.md#vdc107`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::Yaml11Boolean;

/// `path: word`, a plain word that YAML 1.1 reads as a boolean.
pub fn diagnostic(site: Site, path: &str, word: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("`{path}: {word}` is read as the string \"{word}\", but Kubernetes (YAML 1.1) reads a plain `{word}` as a boolean"),
    )
    .field(path)
    .help(format!("quote it: `\"{word}\"`"))
}
