//! **VDC205 missing-field** (error): A required field is missing.
//!
//! ## What it does
//!
//! A required field that is missing: a VirtualDestination port's `number` or `protocol`, a
//! locality's `region` in a FailoverPolicy, a route destination's `ref.name`, a header or query
//! matcher's `name`, a VirtualGateway listener's `port`, a `hostInfoOverrides` entry's `addr`.
//! Also a field vdc needs to translate the object: a VirtualGateway's `workloads`, absent or `[]`,
//! or an entry of it whose selector sets nothing; and any Gloo object's `metadata.namespace`
//! (every Gloo kind is namespaced; a file kept without it and applied with `kubectl apply -n`
//! leaves vdc nothing to read it from), which is then not used at all.
//!
//! ## Why is this bad?
//!
//! The CRD requires it: the API server refuses the object. A VirtualGateway without `workloads` is
//! valid, and Gloo applies it to every gateway workload of its workspace ("If this field is nil, it
//! is applied to all gateway workloads", virtual_gateway.proto); a cluster dump does not say which
//! workloads are gateways (a label such as `istio: ingressgateway` is only a convention), so vdc
//! refuses it rather than guess which gateways to program.
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
//! Add the field: `protocol: HTTP` (one of HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS). For a
//! VirtualGateway, select its gateways: `workloads: [{selector: {labels: {istio: ingressgateway}}}]`.
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
    /// A Gloo object's `metadata.namespace`: every Gloo kind is namespaced, and a namespace
    /// given on the command line (`kubectl apply -n`) is not in the file vdc reads.
    Namespace,
    /// A VirtualGateway's `workloads` absent or `[]` (`every` false), or an entry of it that
    /// selects every workload (`every` true): Gloo then programs every gateway workload of the
    /// workspace, which vdc cannot tell from a dump.
    GatewayWorkloads { path: &'a str, every: bool },
}

/// Whether `d` refused a whole object ([`Case::Namespace`]): vdc does not use the object, so
/// what refers to it would only repeat that it is missing.
pub fn refuses_object(d: &Diagnostic) -> bool {
    d.code == CODE && d.field.as_deref() == Some("metadata.namespace")
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::Required { path } => {
            Diagnostic::new_at(CODE, site, format!("`{path}` is required")).field(path)
        }
        Case::Namespace => Diagnostic::new_at(
            CODE,
            site,
            "`metadata.namespace` is required: every Gloo kind is namespaced, and vdc reads the namespace from the object itself",
        )
        .field("metadata.namespace")
        .help("write the namespace into the object (a namespace given to `kubectl apply -n` is not in the file vdc reads)"),
        Case::ListenerPort { path } => {
            Diagnostic::new_at(CODE, site, "a listener needs `port: {number: …}`").field(path)
        }
        Case::GatewayWorkloads { path, every } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "a VirtualGateway {} is applied by Gloo to every gateway workload of its workspace, and vdc cannot tell from the cluster dumps which workloads are gateways, so it translates nothing of this VirtualGateway",
                if every {
                    "whose `workloads` entry selects every workload"
                } else {
                    "without `workloads`"
                }
            ),
        )
        .field(path)
        .help("select the gateways in `workloads`, e.g. `- selector: {labels: {istio: ingressgateway}}`"),
    }
}
