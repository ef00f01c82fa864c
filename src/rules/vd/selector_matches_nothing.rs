//! **VDC413 selector-matches-nothing** (warning): A backing-service selector matches no Service.
//!
//! ## What it does
//!
//! A VirtualDestination whose `services` selectors match no Service in a namespace of its
//! workspace, or of a workspace that exports Services to it, while an ExternalService or
//! ExternalWorkload still backs it. When nothing backs it at all, error VDC418 says so instead.
//!
//! ## Why is this bad?
//!
//! The VirtualDestination has none of the mesh backends it asks for: clients reach only its
//! external ones. The usual causes are a typo, selecting the pods' labels instead of the Service's own
//! `metadata.labels`, and a Service in a workspace that does not export it.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   services:
//!   - labels:
//!       app: product-page       # the Service is labelled app: productpage
//! ```
//!
//! ## Fix
//!
//! Match the Service's `metadata.labels` (or its `name` and `namespace`): `app: productpage`.
//!
//! Fixture: `testdata/check/selector-matches-nothing/`. Long form: `docs/diagnostics.md#vdc413`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::GlooKind;
use crate::model::suggest::LabelHint;

pub const CODE: Code = Code::SelectorMatchesNothing;

/// The selectors of VirtualDestination `vd_name` in workspace `owner`; `help` names what they
/// probably meant.
pub fn diagnostic(site: Site, owner: &str, vd_name: &str, hint: Option<LabelHint>) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "no Service in a namespace of workspace `{owner}` (or imported into it) matches the `spec.services` selectors of VirtualDestination `{vd_name}`"
    ))
    .field("spec.services")
    .help(label_help(hint))
}

/// What the selectors probably meant, from `hint`, or where to look.
pub fn label_help(hint: Option<LabelHint>) -> String {
    let Some(h) = hint else {
        return "check the selector's labels against the Services' metadata labels (not their pod selectors)".to_owned();
    };
    let example = h
        .example
        .map(|s| {
            format!(
                " (Service {}/{} in cluster `{}` has it)",
                s.namespace, s.name, s.cluster
            )
        })
        .unwrap_or_default();
    format!(
        "no Service has the label `{}: {}`; did you mean `{}`?{example}",
        h.key, h.value, h.closest
    )
}

/// [`diagnostic`] for the `spec.externalServices` (`kind` "ExternalService") or
/// `spec.externalWorkloads` ("ExternalWorkload") selectors.
/// The external selectors of a VirtualDestination.
pub enum ExternalSelectors {
    Services,
    Workloads,
}

pub fn external(
    site: Site,
    selectors: ExternalSelectors,
    owner: &str,
    vd_name: &str,
) -> Diagnostic {
    let (kind, field) = match selectors {
        ExternalSelectors::Services => (GlooKind::ExternalService, "externalServices"),
        ExternalSelectors::Workloads => (GlooKind::ExternalWorkload, "externalWorkloads"),
    };
    Diagnostic::new_at(CODE, site, format!(
        "no {kind} of workspace `{owner}` (or imported into it) matches the `spec.{field}` selectors of VirtualDestination `{vd_name}`"
    ))
    .field(format!("spec.{field}"))
    .help(format!("check the selector's labels against the {kind}s' metadata labels"))
}
