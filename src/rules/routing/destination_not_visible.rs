//! **VDC705 destination-not-visible** (error): A route forwards to a VirtualDestination, ExternalService or Kubernetes Service its workspace cannot see.
//!
//! ## What it does
//!
//! A route to a VirtualDestination that the RouteTable's workspace cannot see: the owner
//! workspace does not export it there (`exportTo`), or the RouteTable's workspace does not import
//! it (`importFrom`). An ExternalService destination (kind `EXTERNAL_SERVICE`) is held to the same
//! rule, and so is a Kubernetes Service (kind `SERVICE`, the default), in each cluster the route is
//! written to: the workspace holding the Service's namespace there must export it (matched by the
//! Service's labels, name, namespace and cluster) and the RouteTable's workspace import it. Gloo:
//! "To route to a destination, the parent workspace must have the destination in its workspace.
//! If not, the parent must import the destination, such as SERVICE or VIRTUAL_DESTINATION". A
//! MirrorPolicy's Kubernetes Service destination is held to the same rule for each route the policy
//! mirrors, reported on the policy's `spec.config.destination` with "mirrors to" (a
//! VirtualDestination or ExternalService it mirrors to that the policy's workspace does not see is
//! [VDC610](#vdc610)). The message says which of the export and the import is missing:
//!
//! ```text
//! error[VDC705]: route `productpage` forwards to Service bookinfo-frontends/productpage of cluster cluster1, which workspace `gateways` of the RouteTable cannot see: owner `bookinfo` does not export it to `gateways`, and `gateways` does not import it from `bookinfo`
//! ```
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

/// A Kubernetes Service a route forwards to, in the cluster the route is written to, that
/// workspace `ws` does not see: owned by `owner` (`None` when no workspace holds its
/// namespace there), which exports it to `ws` or not, and which `ws` imports or not.
pub struct UnseenService<'a> {
    pub route: &'a str,
    /// `namespace/name`.
    pub service: &'a str,
    pub cluster: &'a str,
    pub owner: Option<&'a str>,
    pub ws: &'a str,
    /// Whether the owner's WorkspaceSettings export it to `ws`, and `ws`'s import it.
    pub shared: (bool, bool),
    /// Whether the route mirrors to it (a MirrorPolicy's destination) rather than forwards.
    pub mirrored: bool,
}

/// What a route does with a destination: "forwards to", or "mirrors to" a MirrorPolicy's.
pub fn verb(mirrored: bool) -> &'static str {
    if mirrored {
        "mirrors to"
    } else {
        "forwards to"
    }
}

impl UnseenService<'_> {
    /// Which of the export and the import is missing.
    pub fn missing(&self) -> String {
        let (cluster, ws) = (self.cluster, self.ws);
        let Some(owner) = self.owner else {
            return format!(
                "no workspace holds its namespace in cluster {cluster}, so none can export it"
            );
        };
        match self.shared {
            (false, false) => format!(
                "owner `{owner}` does not export it to `{ws}`, and `{ws}` does not import it from `{owner}`"
            ),
            (false, true) => format!("owner `{owner}` does not export it to `{ws}`"),
            _ => format!("`{ws}` does not import it from `{owner}`"),
        }
    }

    /// How to share it.
    pub fn help(&self) -> String {
        let ws = self.ws;
        match self.owner {
            None => format!(
                "put the Service's namespace in a workspace, and export the Service from there to `{ws}`"
            ),
            Some(owner) => format!(
                "export the Service (kind SERVICE, e.g. by its label `expose: \"true\"`) from `{owner}` to `{ws}` and import it into `{ws}` in their WorkspaceSettings"
            ),
        }
    }
}

/// The route's Service destination `unseen` (at `field`), which the RouteTable's own workspace
/// `unseen.ws` does not see.
pub fn service(site: Site, unseen: &UnseenService, field: &str) -> Diagnostic {
    let UnseenService {
        route,
        service,
        cluster,
        ws,
        mirrored,
        ..
    } = unseen;
    let verb = verb(*mirrored);
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` {verb} Service {service} of cluster {cluster}, which workspace `{ws}` of the RouteTable cannot see: {}",
        unseen.missing()
    ))
    .field(field)
    .help(unseen.help())
}
