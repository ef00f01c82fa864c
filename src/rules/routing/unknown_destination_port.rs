//! **VDC703 unknown-destination-port** (error): A route names a port its VirtualDestination, ExternalService or Kubernetes Service does not serve.
//!
//! ## What it does
//!
//! A route that asks for a port its VirtualDestination or ExternalService does not serve (by
//! number; a VirtualDestination's ports have no names), or a Kubernetes Service does not serve (by
//! number or name) in a cluster the route is written to.
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
//! Use one of the destination's ports (the message lists them).
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
    listed(&numbers.iter().map(u32::to_string).collect::<Vec<_>>())
}

/// "port 9080", "ports 9080 (http) and 9443": ports as shown.
fn listed(shown: &[String]) -> String {
    match shown {
        [] => "no port".to_owned(),
        [one] => format!("port {one}"),
        [rest @ .., last] => format!("ports {} and {last}", rest.join(", ")),
    }
}

/// Route `route` asks for `port` of Service `namespace/name`, which serves `ports` (number,
/// name) in `cluster`, where the route is written; `field` is the destination's path.
pub fn of_service(
    site: Site,
    (route, port): (&str, &dyn std::fmt::Display),
    (namespace, name): (&str, &str),
    cluster: &str,
    ports: &[(u32, &str)],
    field: &str,
) -> Diagnostic {
    let named: Vec<String> = (ports.iter())
        .map(|&(n, port_name)| match port_name {
            "" => n.to_string(),
            _ => format!("{n} ({port_name})"),
        })
        .collect();
    let served = listed(&named);
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` asks for port {port} of Service {namespace}/{name}, which serves {served} in cluster `{cluster}`"
    ))
    .field(format!("{field}.port"))
    .help(match ports {
        [(only, _)] => format!("use `port: {{number: {only}}}`"),
        _ => "use one of the Service's port numbers or names".to_owned(),
    })
}
