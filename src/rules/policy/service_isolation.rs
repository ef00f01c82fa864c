//! **VDC614 service-isolation** (error): A WorkspaceSettings turns on service isolation or proxy trimming, whose AuthorizationPolicies and Sidecars vdc cannot write as Gloo does.
//!
//! ## What it does
//!
//! A WorkspaceSettings with `options.serviceIsolation.enabled: true`, or with
//! `options.serviceIsolation.trimProxyConfig: true`, as the workshops' "Zero trust" lab sets both.
//! `enabled: false` with `trimProxyConfig` false or absent, and no `serviceIsolation` at all, are
//! fine; `enforcementLayers` is read only to go with them.
//!
//! ## Why is this bad?
//!
//! With service isolation on, Gloo's controller writes strict-mTLS PeerAuthentications and
//! AuthorizationPolicies so that only the workspace's own workloads and those of the workspaces
//! that import from it reach its destinations (workspace_settings.proto: "blocks any access from
//! non-importing workspaces"), and with `trimProxyConfig` Sidecars that keep out of each proxy the
//! destinations outside the workspace. Their exact contents (the principals, the gateways let in,
//! the Sidecar egress hosts) are not public, so vdc cannot write them. Rendering without them
//! would be a mesh that lets in every caller Gloo blocks: a security control silently not applied.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/settings.yaml`:
//!
//! ```yaml
//! spec:
//!   options:
//!     serviceIsolation:
//!       enabled: true
//!       trimProxyConfig: true
//! ```
//!
//! ## Fix
//!
//! vdc renders only what it can render as Gloo does. Render a copy of the config without
//! `serviceIsolation` (or with `enabled: false` and `trimProxyConfig: false`), and enforce the
//! isolation another way: PeerAuthentication (`mtls.mode: STRICT`), AuthorizationPolicy and
//! Sidecar objects of your own, applied next to vdc's output. An error cannot be ignored, in
//! `vdc.yaml` or with `--ignore`.
//!
//! Fixture: `testdata/check/service-isolation/`. Long form: `docs/diagnostics.md#vdc614`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::ServiceIsolation;

/// What the WorkspaceSettings turns on.
#[derive(Clone, Copy)]
pub enum Case {
    /// `serviceIsolation.enabled: true` (with or without `trimProxyConfig`).
    Isolation { trim: bool },
    /// `serviceIsolation.trimProxyConfig: true` without `enabled: true`.
    TrimOnly,
}

/// The WorkspaceSettings (the diagnostic's object) turns on `case`.
pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    let (field, message) = match case {
        Case::Isolation { trim } => (
            "spec.options.serviceIsolation.enabled",
            format!(
                "service isolation is on (`serviceIsolation.enabled: true`{}): Gloo then writes strict-mTLS PeerAuthentications and AuthorizationPolicies that admit only the workspace and the workspaces importing from it{}, and vdc cannot write them as Gloo does; its output would let in the traffic Gloo blocks",
                if trim { ", `trimProxyConfig: true`" } else { "" },
                if trim {
                    ", plus Sidecars that trim what each proxy can reach"
                } else {
                    ""
                },
            ),
        ),
        Case::TrimOnly => (
            "spec.options.serviceIsolation.trimProxyConfig",
            "proxy trimming is on (`serviceIsolation.trimProxyConfig: true`): Gloo then writes Sidecars that limit what each proxy of the workspace can reach, and vdc cannot write them as Gloo does; its output would let the workspace's proxies reach destinations Gloo trims away".to_owned(),
        ),
    };
    Diagnostic::new_at(CODE, site, message)
        .field(field)
        .help("render a copy of the config without `serviceIsolation` (or with `enabled: false` and `trimProxyConfig: false`) and enforce isolation another way, with PeerAuthentication, AuthorizationPolicy and Sidecar objects of your own; an error cannot be ignored in vdc.yaml")
}
