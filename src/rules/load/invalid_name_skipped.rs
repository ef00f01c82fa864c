//! **VDC111 invalid-name-skipped** (warning): An object of a kind vdc does not read has an invalid name or namespace; it is skipped.
//!
//! ## What it does
//!
//! An object in a cluster dump, of a kind vdc does not read (a Secret, a Role, …), whose
//! `metadata.name` is not a DNS subdomain or whose `metadata.namespace` is not a DNS label:
//! `..`, `/`, a NUL, a newline, a look-alike letter from another alphabet, 300 bytes. (The same in
//! an object vdc reads, or in Gloo config, is the error VDC206.)
//!
//! ## Why is this bad?
//!
//! The Kubernetes API server never holds such a name, so the dump was edited by hand or by a tool,
//! and maybe by someone hostile: a name like `istio-gateways/../../tmp` must never become a path.
//! vdc skips the object, as it skips every object of a kind it does not read, and says so.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: v1
//!   kind: Secret
//!   metadata:
//!     name: productpage-tls
//!     namespace: bookinfo-frontends/../../../tmp
//! ```
//!
//! ## Fix
//!
//! Dump the cluster again with `kubectl get … -o yaml`, or remove the object from the dump.
//!
//! Fixture: `testdata/check/invalid-name-skipped/`. Long form: `docs/diagnostics.md#vdc111`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::rules::schema::invalid_name::Problem;

pub const CODE: Code = Code::InvalidNameSkipped;

/// The name problem of an object of `kind` that vdc does not read, phrased as
/// [`crate::rules::schema::invalid_name`] phrases it.
pub fn diagnostic(site: Site, kind: &str, problem: Problem) -> Diagnostic {
    let message = problem.message();
    Diagnostic::new_at(CODE, site, format!("{message}; this {kind} is skipped"))
        .field(problem.metadata_field())
        .help(problem.help())
}
