//! **VDC410 missing-target-port** (error): A backing Service lacks the port a VirtualDestination targets.
//!
//! ## What it does
//!
//! A backing Service, in some cluster, without the port a VirtualDestination port targets.
//! `targetPort.number` names the Service's `port`, `targetPort.name` the Service port's `name`;
//! without a `targetPort` the VirtualDestination port's own number is looked up. (vdc then follows
//! the Service's own `targetPort` to the container port.)
//!
//! ## Why is this bad?
//!
//! Traffic for that port would be sent to a port nothing listens on in that cluster: requests
//! fail with 503s that are hard to trace back to the config.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   ports:
//!   - number: 9080
//!     protocol: HTTP
//!     targetPort:
//!       number: 8080      # the productpage Service has port 9080 only
//! ```
//!
//! ## Fix
//!
//! Target a port the Service has (the help lists them): `targetPort: {number: 9080}` or
//! `targetPort: {name: http}`, or drop `targetPort` when the numbers are equal.
//!
//! Fixture: `testdata/check/missing-target-port/`. Long form: `docs/diagnostics.md#vdc410`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::PortRef;

pub const CODE: Code = Code::MissingTargetPort;

/// What a backing Service lacks: the port `target` for VirtualDestination port `vd_port`
/// (`field` of the VD), in `clusters_phrase`; `have` lists the Service's TCP ports as (number, name).
pub struct Missing<'a> {
    pub service: &'a str,
    pub clusters_phrase: &'a str,
    pub target: &'a PortRef,
    pub vd_port: u32,
    pub field: &'a str,
    pub have: &'a [(u32, String)],
}

pub fn diagnostic(site: Site, m: Missing) -> Diagnostic {
    let show = |(number, name): &(u32, String)| {
        if name.is_empty() {
            number.to_string()
        } else {
            format!("{number} (`{name}`)")
        }
    };
    let have = m.have;
    let help = match (have, m.target) {
        ([], _) => {
            "the Service has no TCP ports; give it one, or select another Service".to_owned()
        }
        ([(_, name)], PortRef::Name(_)) if !name.is_empty() => format!(
            "the Service's only port is {}; set `targetPort: {{name: {name}}}`",
            show(&have[0])
        ),
        ([(number, _)], _) => format!(
            "the Service's only port is {}; set `targetPort: {{number: {number}}}`",
            show(&have[0])
        ),
        _ => format!(
            "the Service's ports are {}; set `targetPort` to one of them",
            have.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "backing Service {} in {} has no port {} for VirtualDestination port {}",
            m.service, m.clusters_phrase, m.target, m.vd_port
        ),
    )
    .field(m.field.to_owned())
    .help(help)
}
