//! **VDC206 invalid-name** (error): An object name or namespace is not a valid DNS name.
//!
//! ## What it does
//!
//! A Gloo object, or a cluster-state object vdc reads (Service, workload, Node, Namespace,
//! ConfigMap, Istio object), whose `metadata.name` is not a DNS subdomain (lower-case letters,
//! digits, `-` and `.`, at most 253 characters) or whose namespace is not a DNS label: `..`,
//! `/`, a NUL, a newline, a look-alike letter from another alphabet, 300 bytes. Such a state
//! object is not used. (An object of a kind vdc does not read is skipped: VDC111.) Also an
//! ExternalWorkload's `spec.connectedClusters` namespace, which becomes the namespace of the objects
//! vdc writes for it there: that cluster is left out of the workload's connections.
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

const LABEL: &str = "namespaces are lower-case letters, digits and `-`, at most 63 characters";
const SUBDOMAIN: &str =
    "object names are lower-case letters, digits, `-` and `.`, at most 253 characters";

/// A name that is not a DNS name, and which kind of name it is.
pub enum Problem<'a> {
    /// `metadata.name` is not a DNS subdomain, or for a Namespace (`label`) not a DNS label.
    ObjectName { name: &'a str, label: bool },
    /// `metadata.namespace` is not a DNS label.
    Namespace { namespace: &'a str },
    /// An ExternalWorkload's `connectedClusters` namespace for `cluster` is not a DNS label.
    ConnectedNamespace {
        namespace: &'a str,
        workload: &'a str,
        cluster: &'a str,
    },
}

impl Problem<'_> {
    /// The field of the object's metadata that holds the name.
    pub fn metadata_field(&self) -> &'static str {
        match self {
            Problem::ObjectName { .. } => "metadata.name",
            _ => "metadata.namespace",
        }
    }

    /// What is wrong, with the name shown escaped and cut to 80 characters.
    pub(crate) fn message(&self) -> String {
        match self {
            Problem::ObjectName { name, .. } => {
                format!("`{}` is not a valid object name", shown(name))
            }
            Problem::Namespace { namespace } => {
                format!("`{}` is not a valid namespace name", shown(namespace))
            }
            Problem::ConnectedNamespace {
                namespace,
                workload,
                cluster,
            } => format!(
                "`{}` is not a valid namespace name; ExternalWorkload `{workload}` is not connected to cluster `{cluster}`",
                crate::text::escape_controls(namespace)
            ),
        }
    }

    /// What a valid name is.
    pub(crate) fn help(&self) -> &'static str {
        match self {
            Problem::ObjectName { label: false, .. } => SUBDOMAIN,
            _ => LABEL,
        }
    }
}

fn shown(name: &str) -> String {
    crate::text::escape_controls(name)
        .chars()
        .take(80)
        .collect()
}

/// `field` holds a name that is not a DNS name.
pub fn diagnostic(site: Site, field: &str, problem: Problem) -> Diagnostic {
    Diagnostic::new_at(CODE, site, problem.message())
        .field(field)
        .help(problem.help())
}
