//! **VDC801 external-hosts-and-addresses** (error): An ExternalService sets both hosts and addresses, or neither.
//!
//! ## What it does
//!
//! An ExternalService with both `spec.hosts` and `spec.addresses`, or with neither.
//!
//! ## Why is this bad?
//!
//! Gloo's API makes the two mutually exclusive: hosts are reached by name (DNS resolution, TLS
//! origination, SNI), addresses by IP. With neither, nothing says where the service is, and the
//! ServiceEntry vdc would write has no host Istio accepts.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/external.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - ratings.example.com
//!   addresses:
//!   - 203.0.113.10
//! ```
//!
//! ## Fix
//!
//! Keep one of the two. For a service reached by IP that still needs a name, use `addresses` and
//! select ExternalEndpoints; vdc names its ServiceEntry host `<name>.<namespace>.external`.
//!
//! Fixture: `testdata/check/external-hosts-and-addresses/`. Long form: `docs/diagnostics.md#vdc801`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::ExternalHostsAndAddresses;

/// Which of the two an ExternalService gets wrong.
pub enum Case<'a> {
    /// ExternalService `name` sets both.
    Both { name: &'a str },
    /// ExternalService `name` sets neither.
    Neither { name: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::Both { name } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "ExternalService `{name}` sets both `hosts` and `addresses`, which are mutually exclusive"
            ),
        )
        .field("spec.addresses")
        .help("keep `hosts` for a service reached by name, or `addresses` for one reached by IP, not both"),
        Case::Neither { name } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "ExternalService `{name}` has neither `hosts` nor `addresses`, so nothing says where it is"
            ),
        )
        .field("spec.hosts")
        .help("add `hosts: [api.example.com]` or `addresses: [203.0.113.10]`"),
    }
}
