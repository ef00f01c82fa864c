//! **VDC412 several-backing-services** (warning): Several Services match in one cluster; the oldest wins.
//!
//! ## What it does
//!
//! A VirtualDestination whose `services` selectors match more than one Service in one cluster.
//! The oldest (by `creationTimestamp`, then namespace and name) backs it; the others are passed
//! over (`vdc explain` lists them).
//!
//! ## Why is this bad?
//!
//! A VirtualDestination is backed by one Service per cluster. A selector that matches several
//! is usually too broad, and which one wins may not be the one you meant.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - kind: Service
//!   metadata:
//!     name: productpage-canary       # also labelled app: productpage
//!     creationTimestamp: "2022-05-01T10:00:00Z"
//!     labels:
//!       app: productpage
//! ```
//!
//! ## Fix
//!
//! Narrow the selector so it matches one Service per cluster, for example
//! `services: [{name: productpage, namespace: bookinfo-frontends}]`, or more labels.
//!
//! Fixture: `testdata/check/several-backing-services/`. Long form: `docs/diagnostics.md#vdc412`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::SeveralBackingServices;

/// VirtualDestination `vd_name` selects `count` Services in `cluster`: `chosen` wins over
/// `others` (each `namespace/name`).
pub fn diagnostic(
    site: Site,
    vd_name: &str,
    count: usize,
    cluster: &str,
    chosen: &str,
    others: &[String],
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{vd_name}` selects {count} Services in cluster `{cluster}`; only one per cluster backs it: the oldest, {chosen}, wins over {}",
        others.join(", ")
    ))
    .field("spec.services")
    .help("narrow the selector (by `name`, `namespace` or more labels) so it matches one Service per cluster")
}
