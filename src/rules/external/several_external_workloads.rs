//! **VDC804 several-external-workloads** (warning): Several ExternalWorkloads back one VirtualDestination in one cluster; the oldest wins.
//!
//! ## What it does
//!
//! A VirtualDestination whose `externalWorkloads` selectors match more than one ExternalWorkload
//! connected to one cluster, or an ExternalWorkload in a cluster where a Service already backs
//! the VirtualDestination.
//!
//! ## Why is this bad?
//!
//! Gloo backs a VirtualDestination with at most one ExternalWorkload per cluster and picks the
//! oldest (seed 000); the others get no traffic. vdc does the same and names the ones left out.
//! A Service in the same cluster wins over the ExternalWorkloads, since one ServiceEntry selects
//! one set of labels.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/vm.yaml`:
//!
//! ```yaml
//!   externalWorkloads:
//!   - labels:
//!       app: ratings-vm
//! ```
//!
//! ## Fix
//!
//! Narrow the selector (by `name` or more labels) so it matches one ExternalWorkload per cluster.
//!
//! Fixture: `testdata/check/several-external-workloads/`. Long form: `docs/diagnostics.md#vdc804`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::SeveralExternalWorkloads;

/// VirtualDestination `vd_name` selects more ExternalWorkloads in `cluster` than can back it:
/// `why`, and the `others` left out.
pub fn diagnostic(
    site: Site,
    vd_name: &str,
    cluster: &str,
    why: &str,
    others: &[String],
) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "VirtualDestination `{}` selects more ExternalWorkloads in cluster `{cluster}` than can back it (one per cluster): {why} {}",
        vd_name,
        others.join(", ")
    ))
    .field("spec.externalWorkloads")
    .help("narrow the selector so it matches one ExternalWorkload per cluster")
}
