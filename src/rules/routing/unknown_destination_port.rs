//! **VDC703 unknown-destination-port** (error): A route names a port the VirtualDestination does not serve.
//!
//! ## What it does
//!
//! A route that asks for a port its VirtualDestination does not serve.
//!
//! ## Why is this bad?
//!
//! The route would send traffic to a port with no listener: requests fail.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!       - ref:
//!           name: productpage        # serves 9080
//!         kind: VIRTUAL_DESTINATION
//!         port:
//!           number: 9081
//! ```
//!
//! ## Fix
//!
//! Use one of the VirtualDestination's port numbers (the message lists them).
//!
//! Fixture: `testdata/check/unknown-destination-port/`. Long form: `docs/diagnostics.md#vdc703`.

use super::Target;
use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnknownDestinationPort;

/// Route `route` asks for `port` of the `target` `namespace/name`, which serves `numbers`;
/// `field` is the destination's path.
#[allow(clippy::too_many_arguments)] // each is one fact of the message
pub fn diagnostic(
    site: Site,
    target: Target,
    route: &str,
    port: &dyn std::fmt::Display,
    namespace: &str,
    name: &str,
    numbers: &[u32],
    field: &str,
) -> Diagnostic {
    let (served, help) = match target {
        Target::VirtualDestination => (
            port_list(numbers),
            match numbers {
                [only] => format!("use `port: {{number: {only}}}`"),
                _ => "use one of the VirtualDestination's port numbers".to_owned(),
            },
        ),
        Target::ExternalService => (
            format!("{numbers:?}"),
            "use one of the ExternalService's port numbers".to_owned(),
        ),
    };
    let kind = target.kind();
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` asks for port {port} of {kind} {namespace}/{name}, which serves {served}"
    ))
    .field(format!("{field}.port"))
    .help(help)
}

/// "port 9080", "ports 9080 and 9443", "ports 80, 443 and 8080".
fn port_list(numbers: &[u32]) -> String {
    let shown: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match &shown[..] {
        [] => "no port".to_owned(),
        [one] => format!("port {one}"),
        [rest @ .., last] => format!("ports {} and {last}", rest.join(", ")),
    }
}
