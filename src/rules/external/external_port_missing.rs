//! **VDC802 external-port-missing** (error): A VirtualDestination port that a selected ExternalService does not have.
//!
//! ## What it does
//!
//! A VirtualDestination port whose `targetPort` (or, without one, its `number`) matches no port of
//! an ExternalService its `externalServices` selectors pick, by number or by name.
//!
//! ## Why is this bad?
//!
//! The ExternalService's endpoints would have no port to receive that traffic on; Gloo requires
//! every backing object to have the target port, as it does for Services (VDC410).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/external.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 80
//!     protocol: HTTP
//!   externalServices:
//!   - labels:
//!       app: ratings-api
//! ```
//!
//! ## Fix
//!
//! Set the VirtualDestination port's `targetPort` to a port of the ExternalService, or add the port
//! to the ExternalService.
//!
//! Fixture: `testdata/check/external-port-missing/`. Long form: `docs/diagnostics.md#vdc802`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::external::ExternalService;
use crate::model::types::VdPort;

pub const CODE: Code = Code::ExternalPortMissing;

/// `es` has no port for entry `i` of the VirtualDestination's `spec.ports`, `port`.
pub fn diagnostic(site: Site, es: &ExternalService, i: usize, port: &VdPort) -> Diagnostic {
    let have: Vec<String> = es
        .ports
        .iter()
        .map(|p| {
            if p.name.is_empty() {
                p.number.to_string()
            } else {
                format!("{} (`{}`)", p.number, p.name)
            }
        })
        .collect();
    let field = if port.target_port.is_some() {
        format!("spec.ports[{i}].targetPort")
    } else {
        format!("spec.ports[{i}].number")
    };
    let help = if have.is_empty() {
        "give the ExternalService a port".to_owned()
    } else {
        format!(
            "the ExternalService's ports are {}; set `targetPort` to one of them",
            have.join(", ")
        )
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "ExternalService {}/{} has no port {} for VirtualDestination port {}",
            es.meta.namespace,
            es.meta.name,
            port.target(),
            *port.number
        ),
    )
    .field(field)
    .help(help)
}
