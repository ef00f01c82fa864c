//! **VDC610 unresolved-mirror** (error): A MirrorPolicy mirrors to a destination vdc cannot route to.
//!
//! ## What it does
//!
//! A MirrorPolicy whose `config.destination` names a VirtualDestination, ExternalService or
//! Service that does not exist, a VirtualDestination or ExternalService its workspace cannot see,
//! or a port the destination does not serve (or no port, when the destination serves several). A
//! mirror destination that another workspace serving a route the policy mirrors cannot see (the
//! VirtualGateway's, a delegating table's), or a Kubernetes Service the policy's workspace cannot
//! see, is [VDC738](#vdc738) or [VDC705](#vdc705), as for a route's destination.
//!
//! ## Why is this bad?
//!
//! Istio needs the mirror's host and port: a copy sent nowhere is a cluster Envoy does not
//! know, and the route that carries it is refused or mirrors into a black hole.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: MirrorPolicy
//! spec:
//!   config:
//!     destination:
//!       ref:
//!         name: reviews-shadow
//!       kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! Name a destination that exists and that the policy's workspace can see, with one of its
//! ports.
//!
//! Fixture: `testdata/check/unresolved-mirror/`. Long form: `docs/diagnostics.md#vdc610`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UnresolvedMirror;

/// The MirrorPolicy's destination `target` (`Kind namespace/name`) cannot be routed to, for the
/// reason `problem`.
pub fn diagnostic(site: Site, target: &str, problem: &str) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!("the mirror destination {target} {problem}, so nothing can be mirrored to it"),
    )
    .field("spec.config.destination")
    .help("name a destination that exists and that the policy's workspace can see, with one of its ports")
}
