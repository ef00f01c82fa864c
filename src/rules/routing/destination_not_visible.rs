//! **VDC705 destination-not-visible** (error): A route forwards to a VirtualDestination its workspace cannot see.
//!
//! ## What it does
//!
//! A route to a VirtualDestination that the RouteTable's workspace cannot see: the owner
//! workspace does not export it there (`exportTo`), or the RouteTable's workspace does not import
//! it (`importFrom`).
//!
//! ## Why is this bad?
//!
//! Workspaces are the isolation boundary: Gloo would not route across them unless both sides
//! agree, and neither does vdc.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: RouteTable
//! metadata:
//!   name: productpage
//!   namespace: istio-gateways        # workspace gateways
//! spec:
//!   http:
//!   - forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage        # owned by workspace bookinfo, not exported
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//! ```
//!
//! ## Fix
//!
//! Export the VirtualDestination from its workspace and import it into the RouteTable's, in
//! their WorkspaceSettings:
//!
//! ```yaml
//! kind: WorkspaceSettings          # of workspace bookinfo
//! spec:
//!   exportTo:
//!   - workspaces:
//!     - name: gateways
//!     resources:
//!     - kind: VIRTUAL_DESTINATION
//! ---
//! kind: WorkspaceSettings          # of workspace gateways
//! spec:
//!   importFrom:
//!   - workspaces:
//!     - name: bookinfo
//! ```
//!
//! Fixture: `testdata/check/destination-not-visible/`. Long form: `docs/diagnostics.md#vdc705`.

use super::Target;
use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::DestinationNotVisible;

/// Route `route` of a RouteTable in workspace `rt_ws` forwards to the `target`
/// `namespace/name`, owned by workspace `owner`; `field` is the destination's path.
#[allow(clippy::too_many_arguments)] // each is one fact of the message
pub fn diagnostic(
    site: Site,
    target: Target,
    route: &str,
    namespace: &str,
    name: &str,
    rt_ws: &str,
    owner: &str,
    field: &str,
) -> Diagnostic {
    let kind = target.kind();
    let help = match target {
        Target::VirtualDestination => format!(
            "export the VirtualDestination from `{owner}` and import it into `{rt_ws}` in their WorkspaceSettings"
        ),
        Target::ExternalService => format!(
            "export the ExternalService (kind EXTERNAL_SERVICE) from `{owner}` and import it into `{rt_ws}`"
        ),
    };
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` forwards to {kind} {namespace}/{name}, which workspace `{rt_ws}` of the RouteTable cannot see (owner `{owner}` does not export it there, or `{rt_ws}` does not import it)"
    ))
    .field(field)
    .help(help)
}
