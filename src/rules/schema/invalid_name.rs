//! **VDC206 invalid-name** (error): An object name or namespace is not a valid DNS name.
//!
//! ## What it does
//!
//! A Gloo object, or a cluster-state object vdc reads (Service, workload, Node, Namespace,
//! ConfigMap, Istio object), whose `metadata.name` is not a DNS subdomain (lower-case letters,
//! digits, `-` and `.`, at most 253 characters) or whose namespace is not a DNS label: `..`,
//! `/`, a NUL, a newline, a look-alike letter from another alphabet, 300 bytes. Such a state
//! object is not used. (An object of a kind vdc does not read is skipped: VDC111.)
//!
//! ## Why is this bad?
//!
//! Kubernetes refuses the object, and vdc derives generated object names, namespaces and output
//! file paths from these names: a namespace like `istio-gateways/../../tmp` would otherwise
//! write outside the output folder.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! metadata:
//!   name: productPage
//!   namespace: bookinfo-frontends
//! ```
//!
//! ## Fix
//!
//! Use lower case: `name: productpage`.
//!
//! Fixture: `testdata/check/invalid-name/`. Long form: `docs/diagnostics.md#vdc206`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidName;

/// `field` holds a name that is not a DNS name: `message` says which, `help` what a name is.
pub fn diagnostic(site: Site, field: &str, message: String, help: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, message)
        .field(field)
        .help(help)
}
