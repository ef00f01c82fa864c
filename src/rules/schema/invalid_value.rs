//! **VDC207 invalid-value** (error): A field has a value outside what its schema allows.
//!
//! ## What it does
//!
//! A value of the right type outside what the schema allows: an integer out of its range
//! (`consecutiveErrors` at least 1, `maxEjectionPercent` 0–100, weights 0–100), a value that is not
//! one of an enum's values (`applyToDestinations[].kind`, WorkspaceSettings `resources[].kind`,
//! a VirtualGateway's `tls.mode`, …), a duration that is not Go style or is below 1ms, a port
//! selector with both `number` and `name`, an OutlierDetectionPolicy that selects `SERVICE`
//! destinations. Values from cluster dumps that reach the output are checked too: a Service's
//! load-balancer ingress `ip` (an IP address) or `hostname` (a DNS name), a pod's
//! `serviceAccountName` (a DNS subdomain), a Node's region, zone and subzone labels (label
//! values Istio can put in a locality) and the mesh config's `trustDomain` (SPIFFE-safe) and
//! `pathNormalization.normalization` (one of Istio's names or numbers for it) and the types of
//! its `localityLbSetting`'s fields: istiod refuses a mesh config with another.
//!
//! ## Why is this bad?
//!
//! Gloo refuses such a policy, or Istio refuses the configuration it translates to.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: OutlierDetectionPolicy
//! spec:
//!   config:
//!     consecutiveErrors: 2
//!     maxEjectionPercent: 150
//! ```
//!
//! ## Fix
//!
//! Use a value the message allows: `maxEjectionPercent: 100` (0 also means 100).
//!
//! Fixture: `testdata/check/invalid-value/`. Long form: `docs/diagnostics.md#vdc207`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidValue;

/// How a value falls outside what its schema allows.
pub enum Case<'a> {
    /// The number `n` at `path` is outside `min..=max`.
    OutOfRange {
        path: &'a str,
        n: &'a dyn std::fmt::Display,
        min: &'a dyn std::fmt::Display,
        max: &'a dyn std::fmt::Display,
    },
    /// The value at `path` cannot be read, for the reason `problem`.
    Unreadable { path: &'a str, problem: &'a str },
    /// An OutlierDetectionPolicy selects Kubernetes Services.
    OutlierDetectionOnService,
    /// `path` and `first` are both set, members of oneof `oneof` (`members` lists them).
    OneofTwice {
        path: &'a str,
        first: &'a str,
        oneof: &'a str,
        members: &'a str,
    },
    /// A value read from a cluster dump at `path` is not what Kubernetes accepts there, and
    /// would reach the output (`expected` says what it must be).
    DumpValue {
        path: &'a str,
        value: &'a str,
        expected: &'a str,
    },
    /// `value` at `path` is none of the enum's values; `help` says which ones it has.
    NotAnEnumValue {
        path: &'a str,
        value: &'a str,
        help: String,
    },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::OutOfRange { path, n, min, max } => Diagnostic::new_at(
            CODE,
            site,
            format!("`{path}` is {n}; it must be between {min} and {max}"),
        )
        .field(path),
        Case::Unreadable { path, problem } => {
            Diagnostic::new_at(CODE, site, format!("`{path}`: {problem}")).field(path)
        }
        Case::OutlierDetectionOnService => Diagnostic::new_at(
            CODE,
            site,
            "an OutlierDetectionPolicy applies to VIRTUAL_DESTINATION or EXTERNAL_SERVICE destinations; selecting Kubernetes Services is not supported",
        )
        .field("spec.applyToDestinations")
        .help("set `kind: VIRTUAL_DESTINATION`"),
        Case::OneofTwice {
            path,
            first,
            oneof,
            members,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "`{path}` and `{first}` are both set, but they are alternatives (oneof `{oneof}`)"
            ),
        )
        .field(path)
        .help(format!("keep one of {members}")),
        Case::DumpValue {
            path,
            value,
            expected,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!("`{path}` is `{value}`, which is not {expected}"),
        )
        .field(path)
        .help("Kubernetes never holds such a value: the dump was edited or damaged; take it again with `vdc snapshot` or `kubectl get -o yaml`"),
        Case::NotAnEnumValue { path, value, help } => Diagnostic::new_at(
            CODE,
            site,
            format!("`{path}` is `{value}`, which is not one of its values"),
        )
        .field(path)
        .help(help),
    }
}
