//! **VDC738 destination-not-seen-where-served** (error): A route forwards to a VirtualDestination, ExternalService or Kubernetes Service that a workspace serving the route (its VirtualGateway's, or a delegating table's) cannot see.
//!
//! ## What it does
//!
//! A route whose VirtualDestination, ExternalService or Kubernetes Service destination its own
//! table's workspace sees (else [VDC705](#vdc705)), but another workspace that serves the route
//! does not: the workspace of a VirtualGateway the table is attached to, or of a table that
//! delegates to it. Gloo's routing concepts: "To route to a destination, the parent workspace must
//! have the destination in its workspace. If not, the parent must import the destination, such as
//! SERVICE or VIRTUAL_DESTINATION"; the solo-io/workshops label the VirtualDestination a bookinfo
//! RouteTable routes to through the gateway `expose: "true"` "to make sure it will be exported to
//! the Gateway Workspace". A Kubernetes Service is the one of each cluster the route is written
//! to, exported as kind `SERVICE` (matched by its labels, name, namespace and cluster); the message
//! names the cluster and which of the export and the import is missing. The destination of a
//! MirrorPolicy on the route is held to the same rule, reported on the policy's
//! `spec.config.destination` with "mirrors to" (the copies are sent by the same VirtualService),
//! the policy's workspace standing for the route's own table's (a delegating table's policy need
//! not be seen by the delegated table's workspace):
//!
//! ```text
//! error[VDC738]: route `productpage` of RouteTable bookinfo-frontends/productpage forwards to Service bookinfo-frontends/productpage of cluster cluster1, which workspace `gateways` does not see (owner `bookinfo` does not export it to `gateways`, and `gateways` does not import it from `bookinfo`), and `gateways` serves the route (through its VirtualGateway istio-gateways/north-south-gw): Gloo routes only to destinations the serving workspace holds or imports, and does not document what it does with this one, so vdc refuses it
//! ```
//!
//! ## Why is this bad?
//!
//! The VirtualService is written in the gateway's namespace (or with the delegating table's), where
//! the destination's ServiceEntry is not meant to be seen. Gloo does not document what it does with
//! such a route; vdc does not guess and stops.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` holds the RouteTable `productpage` of workspace
//! `bookinfo`, exported to and imported by workspace `gateways`, on the VirtualGateway
//! `north-south-gw` of `gateways`; it routes to the VirtualDestination `productpage`, which
//! `bookinfo` does not export.
//!
//! `vdc check testdata/check/destination-not-seen-where-served` prints:
//!
//! ```text
//! error[VDC738]: route `productpage` of RouteTable bookinfo-frontends/productpage forwards to VirtualDestination bookinfo-frontends/productpage, which workspace `gateways` does not see, and `gateways` serves the route (through its VirtualGateway istio-gateways/north-south-gw): Gloo routes only to destinations the serving workspace holds or imports, and does not document what it does with this one, so vdc refuses it
//!   --> testdata/check/destination-not-seen-where-served/clusters/cluster1/gloo/routing.yaml:25:9
//!    |
//! 25 |       - ref:
//!    |         ^^^
//!    = object: RouteTable bookinfo-frontends/productpage in cluster cluster1
//!    = field: spec.http[0].forwardTo.destinations[0]
//!    = help: export the VirtualDestination from `bookinfo` to `gateways` and import it into `gateways` in their WorkspaceSettings
//!    = see: vdc rule VDC738
//! ```
//!
//! ## Fix
//!
//! Export the destination to the serving workspace and import it there, as the workshops do with
//! the label `expose: "true"`:
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
//! Fixture: `testdata/check/destination-not-seen-where-served/`. Long form: `docs/diagnostics.md#vdc738`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::DestinationNotSeenWhereServed;

/// What a route destination names: its `kind`, `namespace/name` and owner workspace.
pub struct Named<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub owner: &'a str,
    /// Whether the route mirrors to it (a MirrorPolicy's destination) rather than forwards.
    pub mirrored: bool,
}

/// Route `route` of RouteTable `table` (`namespace/name`) forwards to `named`, which workspace
/// `ws` does not see, where `ws` serves the route `through` its VirtualGateways or delegating
/// tables (named, e.g. "VirtualGateway ns/name"); `field` is the destination's path.
pub fn diagnostic(
    site: Site,
    (route, table): (&str, &str),
    named: &Named,
    (ws, through): (&str, &str),
    field: &str,
) -> Diagnostic {
    let Named {
        kind,
        name,
        owner,
        mirrored,
    } = named;
    let verb = super::destination_not_visible::verb(*mirrored);
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` of RouteTable {table} {verb} {kind} {name}, which workspace `{ws}` does not see, and `{ws}` serves the route (through its {through}): Gloo routes only to destinations the serving workspace holds or imports, and does not document what it does with this one, so vdc refuses it"
    ))
    .field(field)
    .help(format!(
        "export the {kind} from `{owner}` to `{ws}` and import it into `{ws}` in their WorkspaceSettings"
    ))
}

/// Route `unseen.route` of RouteTable `table` forwards to the Kubernetes Service `unseen`
/// describes, which workspace `unseen.ws`, serving the route `through` its VirtualGateways or
/// delegating tables (named, e.g. "VirtualGateway ns/name"), does not see; `field` is the
/// destination's path.
pub fn service(
    site: Site,
    (table, through): (&str, &str),
    unseen: &super::destination_not_visible::UnseenService,
    field: &str,
) -> Diagnostic {
    let (route, service, cluster, ws) = (unseen.route, unseen.service, unseen.cluster, unseen.ws);
    let verb = super::destination_not_visible::verb(unseen.mirrored);
    Diagnostic::new_at(CODE, site, format!(
        "route `{route}` of RouteTable {table} {verb} Service {service} of cluster {cluster}, which workspace `{ws}` does not see ({}), and `{ws}` serves the route (through its {through}): Gloo routes only to destinations the serving workspace holds or imports, and does not document what it does with this one, so vdc refuses it",
        unseen.missing()
    ))
    .field(field)
    .help(unseen.help())
}
