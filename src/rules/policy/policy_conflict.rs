//! **VDC602 policy-conflict** (warning): Two policies of one kind apply to one port or route; the oldest wins.
//!
//! ## What it does
//!
//! Two policies of one kind (two FailoverPolicies, two LoadBalancerPolicies, …) that apply to
//! one port of a VirtualDestination, or two route policies of one kind (two
//! RetryTimeoutPolicies, …) that select one route of a RouteTable. The oldest (by
//! `creationTimestamp`, then namespace and name) wins.
//!
//! ## Why is this bad?
//!
//! Only one can shape the DestinationRule; the other is silently ignored, which is rarely what
//! its author expects.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//! kind: OutlierDetectionPolicy
//! metadata:
//!   name: outlier-detection
//!   creationTimestamp: "2022-04-02T15:55:00Z"
//! spec:
//!   applyToDestinations:
//!   - kind: VIRTUAL_DESTINATION
//!     selector:
//!       name: productpage
//! ---
//! kind: OutlierDetectionPolicy
//! metadata:
//!   name: outlier-detection-strict
//!   creationTimestamp: "2022-06-01T09:00:00Z"
//! spec:
//!   applyToDestinations:
//!   - kind: VIRTUAL_DESTINATION
//!     selector:
//!       name: productpage
//! ```
//!
//! ## Fix
//!
//! Narrow one policy's `applyToDestinations` (by name, labels or `port`) so each port gets one
//! policy of each kind, or delete one.
//!
//! Fixture: `testdata/check/policy-conflict/`. Long form: `docs/diagnostics.md#vdc602`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::PolicyConflict;

/// Policies `winner` and `loser`, of one kind, both apply to `port` of VirtualDestination `vd`.
pub fn diagnostic(site: Site, winner: &Meta, loser: &Meta, port: u32, vd: &Meta) -> Diagnostic {
    let (w, l) = (winner, loser);
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} and {}/{} both apply to port {} of VirtualDestination {}/{}; {}",
            w.kind,
            w.namespace,
            w.name,
            l.namespace,
            l.name,
            port,
            vd.namespace,
            vd.name,
            who_wins(w, l)
        ),
    )
    .field("spec.applyToDestinations")
    .help("narrow one policy's `applyToDestinations` so each port gets one policy of each kind")
}

/// Route policies `winner` and `loser`, of one kind, both select route `route` of RouteTable
/// `table`.
pub fn on_route(site: Site, winner: &Meta, loser: &Meta, route: &str, table: &Meta) -> Diagnostic {
    let (w, l) = (winner, loser);
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "{} {}/{} and {}/{} both select route `{}` of RouteTable {}/{}; {}",
            w.kind,
            w.namespace,
            w.name,
            l.namespace,
            l.name,
            route,
            table.namespace,
            table.name,
            who_wins(w, l)
        ),
    )
    .field("spec.applyToRoutes")
    .help("narrow one policy's `applyToRoutes` (by route labels) so each route gets one policy of each kind")
}

/// Why `winner` wins over `loser` ([`Meta::age_key`]): it is older, or, when their creation
/// times do not tell them apart (a dump without them, or the same second), it comes first by
/// namespace and name.
fn who_wins(winner: &Meta, loser: &Meta) -> String {
    if winner.creation_timestamp != loser.creation_timestamp {
        format!("the older, {}, wins", winner.name)
    } else if winner.creation_timestamp.is_empty() {
        format!(
            "neither has a creationTimestamp, so {}, first by namespace and name, wins",
            winner.name
        )
    } else {
        format!(
            "both were created in the same second, so {}, first by namespace and name, wins",
            winner.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::who_wins;
    use crate::model::types::Meta;

    fn policy(name: &str, created: &str) -> Meta {
        Meta {
            kind: "RetryTimeoutPolicy".into(),
            cluster: "cluster1".into(),
            namespace: "bookinfo".into(),
            name: name.into(),
            labels: Default::default(),
            creation_timestamp: created.into(),
            file: "policies.yaml".into(),
            pos: Default::default(),
        }
    }

    /// "The older" only when the creation times say so; otherwise the name order decided.
    #[test]
    fn the_message_says_what_decided() {
        let (a, b) = (policy("a", ""), policy("b", ""));
        assert_eq!(
            who_wins(&a, &b),
            "neither has a creationTimestamp, so a, first by namespace and name, wins"
        );
        let (a, b) = (
            policy("a", "2024-01-01T00:00:00Z"),
            policy("b", "2024-01-01T00:00:00Z"),
        );
        assert!(who_wins(&a, &b).starts_with("both were created in the same second"));
        let (b, a) = (
            policy("b", "2023-01-01T00:00:00Z"),
            policy("a", "2024-01-01T00:00:00Z"),
        );
        assert_eq!(who_wins(&b, &a), "the older, b, wins");
    }
}
