//! **VDC205 missing-field** (error): A required field is missing.
//!
//! ## What it does
//!
//! A required field that is missing: a VirtualDestination port's `number` or `protocol`, a
//! locality's `region` in a FailoverPolicy, a route destination's `ref.name`, a header or query
//! matcher's `name`, a VirtualGateway listener's `port`, a `hostInfoOverrides` entry's `addr`.
//!
//! ## Why is this bad?
//!
//! The CRD requires it: the API server refuses the object.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080        # no protocol
//! ```
//!
//! ## Fix
//!
//! Add the field: `protocol: HTTP` (one of HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS).
//!
//! Fixture: `testdata/check/missing-field/`. Long form: `docs/diagnostics.md#vdc205`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::MissingField;

/// Which required field is missing.
pub enum Case<'a> {
    /// The field at `path`.
    Required { path: &'a str },
    /// A VirtualGateway listener's `port` (at `path`).
    ListenerPort { path: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::Required { path } => {
            Diagnostic::new_at(CODE, site, format!("`{path}` is required")).field(path)
        }
        Case::ListenerPort { path } => {
            Diagnostic::new_at(CODE, site, "a listener needs `port: {number: …}`").field(path)
        }
    }
}
