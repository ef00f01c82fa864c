//! **VDC724 subset-name-collision** (error): Two subsets that routes ask of one host get one DestinationRule subset name.
//!
//! ## What it does
//!
//! Two route destinations of one VirtualDestination (or one Kubernetes Service in one cluster)
//! whose `subset` labels differ but give the same subset name. vdc names a subset as Gloo does:
//! each `key-value` pair joined by `-`, lower-cased, with `.`, `_`, `/`, `:` and spaces made `-`,
//! so `{version: v1.0}` and `{version: v1-0}` are both `version-v1-0`.
//!
//! ## Why is this bad?
//!
//! The DestinationRule can define the name once, with one set of labels: the other route's
//! traffic would go to the first route's pods, and nothing would say so.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml` holds a RouteTable with one route to subset
//! `{version: v1.0}` and another to subset `{version: v1-0}` of productpage.global.
//!
//! `vdc check testdata/check/subset-name-collision` prints:
//!
//! ```text
//! error[VDC724]: route `everyone` asks productpage.global for subset {version: v1-0}, whose DestinationRule subset name `version-v1-0` another route already gives to subset {version: v1.0}: one of them would get the other's pods
//!   --> testdata/check/subset-name-collision/clusters/cluster1/gloo/routing.yaml:35:9
//!    |
//! 35 |       - ref:
//!    |         ^^^
//!    = object: RouteTable bookinfo-frontends/productpage in cluster cluster1
//!    = field: spec.http[1].forwardTo.destinations[0].subset
//!    = help: give the workloads label values whose subset names differ, or route both to one subset
//!    = see: vdc rule VDC724
//! ```
//!
//! ## Fix
//!
//! Give the workloads label values whose subset names differ (say `v1.0` and `v1-1`), or route
//! both to one subset.
//!
//! Fixture: `testdata/check/subset-name-collision/`. Long form: `docs/diagnostics.md#vdc724`.

use super::subset_not_served::labels_shown;
use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Labels;

pub const CODE: Code = Code::SubsetNameCollision;

/// Route `route` asks `host` (a VirtualDestination's or a Service's) for subset `labels`,
/// whose name `name` another route already gives to `taken`; `field` is the destination's path.
pub fn diagnostic(
    site: Site,
    route: &str,
    field: &str,
    host: &str,
    name: &str,
    (labels, taken): (&Labels, &Labels),
) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "route `{route}` asks {host} for subset {}, whose DestinationRule subset name `{name}` another route already gives to subset {}: one of them would get the other's pods",
            labels_shown(labels),
            labels_shown(taken)
        ),
    )
    .field(format!("{field}.subset"))
    .help("give the workloads label values whose subset names differ, or route both to one subset")
}
