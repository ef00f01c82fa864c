//! **VDC728 mirror-subset** (error): A MirrorPolicy mirrors to a subset of its destination, which vdc does not translate.
//!
//! ## What it does
//!
//! A MirrorPolicy whose `config.destination` has a `subset`: the labels of the destination's
//! endpoints the copies should go to.
//!
//! ## Why is this bad?
//!
//! vdc does not write the subset into the mirror, nor define it in the destination's
//! DestinationRule. Mirroring to the whole destination instead would send the copies to every
//! version, traffic Gloo would not send (shadow copies reaching the pods that serve real users),
//! so vdc refuses the policy rather than mirror to other pods.
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
//!         name: productpage
//!       kind: VIRTUAL_DESTINATION
//!       subset:
//!         version: v2
//! ```
//!
//! ## Fix
//!
//! Mirror to a destination that holds only the pods meant to get the copies (a VirtualDestination
//! or Service that selects them), without `subset`.
//!
//! Fixture: `testdata/check/mirror-subset/`. Long form: `docs/diagnostics.md#vdc728`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Labels;

pub const CODE: Code = Code::MirrorSubset;

/// The MirrorPolicy's destination `target` (`Kind namespace/name`) asks for the subset
/// `labels`.
pub fn diagnostic(site: Site, target: &str, labels: &Labels) -> Diagnostic {
    Diagnostic::new_at(
        CODE,
        site,
        format!(
            "the mirror destination {target} asks for subset {}, which vdc does not translate: mirroring to every pod of the destination would copy traffic to pods Gloo would not send it to",
            crate::rules::routing::subset_not_served::labels_shown(labels)
        ),
    )
    .field("spec.config.destination.subset")
    .help("mirror to a VirtualDestination or Service that selects only those pods, without `subset`")
}
