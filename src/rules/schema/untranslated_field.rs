//! **VDC203 untranslated-field** (warning): A real Gloo field that vdc does not translate yet.
//!
//! ## What it does
//!
//! A field of a Gloo kind's schema (the Gloo 2.6.5 protos) that vdc accepts but does not
//! translate yet: any field a document sets that is not in vdc's list of the fields it reads
//! ([translation.md](translation.md#fields-vdc-reads)), such as a WorkspaceSettings'
//! `options.federation` or `trimAllProxyConfig`, a RouteTable's `defaultDestination`, `failureMode`,
//! redirects and rewrites, a VirtualGateway listener's `appProtocol` or `tls.files`,
//! an ExternalWorkload's `identitySelector`. One warning per field, at its key;
//! nothing below it warns again. Also: a route destination with `awsLambda`, and a workload
//! selector of `kind: VM`, which vdc leaves out rather than invent a target for; and fields and
//! values of earlier Gloo 2.x releases that 2.6 no longer has (Gloo 2.2's `destinations[].function`
//! and `kind: CLOUD_PROVIDER`, removed in 2.3; workspace resource kinds `CLOUD_PROVIDER` and
//! `API_SCHEMA`), whose warning says so. A VirtualDestination's `externalServices`,
//! `externalWorkloads` and `clientMode` are translated (see
//! [translation.md](translation.md#external-backends-and-client-modes)).
//!
//! ## Why is this bad?
//!
//! Real manifests load as they are, but under Gloo the field would take effect and in vdc's
//! output it does not. The warning names it so nobody believes it did.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/settings.yaml`:
//!
//! ```yaml
//! spec:
//!   options:
//!     federation:
//!       enabled: true
//! ```
//!
//! ## Fix
//!
//! Remove the field, or keep it knowing the generated objects do not implement it (check
//! `vdc render`'s output).
//!
//! Fixture: `testdata/check/untranslated-field/`. Long form: `docs/diagnostics.md#vdc203`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::UntranslatedField;

/// Which field vdc does not translate.
pub enum Case<'a> {
    /// A field of the schema at `path` that vdc does not read.
    NotRead { path: &'a str },
    /// A removed or renamed field at `path`: `what` it is, what became of it (`said`), `help`.
    Legacy {
        path: &'a str,
        what: String,
        said: &'a str,
        help: &'a str,
    },
    /// A workload selector at `path` of kind `kind` (virtual machines).
    VirtualMachines { path: &'a str, kind: &'a str },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::NotRead { path } => Diagnostic::new_at(
            CODE,
            site,
            format!("`{path}` is a Gloo field that vdc does not translate yet; it has no effect on the output"),
        )
        .field(path),
        Case::Legacy {
            path,
            what,
            said,
            help,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!("{what} {said}; vdc accepts it, but it has no effect on the output"),
        )
        .field(path)
        .help(help),
        Case::VirtualMachines { path, kind } => Diagnostic::new_at(
            CODE,
            site,
            format!("`{path}: {kind}` selects virtual machines, which vdc does not translate; the selector is left out"),
        )
        .field(path),
    }
}
