//! **VDC806 mixed-backend-tls** (warning): A port with in-mesh and external backends needing different TLS; the external ones are left out.
//!
//! ## What it does
//!
//! A VirtualDestination port served both by in-mesh backends (Services or ExternalWorkloads, which
//! need ISTIO_MUTUAL) and by an ExternalService whose port has another client TLS (none, SIMPLE
//! or MUTUAL), or by two ExternalServices that disagree.
//!
//! ## Why is this bad?
//!
//! A DestinationRule port entry has one TLS mode for all endpoints: mesh mTLS sent to a plain
//! external server fails, and plaintext to a remote east-west gateway is reset. vdc keeps the
//! in-mesh backends (or the first ExternalService) and leaves the others out of that port.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   externalServices:
//!   - labels:
//!       app: productpage-legacy
//! ```
//!
//! ## Fix
//!
//! Serve the external backend on a VirtualDestination of its own, or, if it speaks mesh mTLS (for
//! example through another mesh's gateway), give its port `clientsideTls: {mode: ISTIO_MUTUAL}`.
//!
//! Fixture: `testdata/check/mixed-backend-tls/`. Long form: `docs/diagnostics.md#vdc806`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::external::ExternalService;

pub const CODE: Code = Code::MixedBackendTls;

/// Port `number` (entry `i`) of VirtualDestination `vd_name` has backends that need TLS mode
/// `first`, and `es` needs `mode`.
pub fn diagnostic(
    site: Site,
    vd_name: &str,
    (i, number): (usize, u32),
    es: &ExternalService,
    first: &str,
    mode: &str,
) -> Diagnostic {
    let say = |m: &str| {
        if m == "DISABLE" {
            "no client TLS".to_owned()
        } else {
            format!("client TLS {m}")
        }
    };
    Diagnostic::new_at(CODE, site, format!(
        "port {} of VirtualDestination `{}` has backends that need {} and ExternalService {}/{} needs {}; one port has one TLS mode, so vdc leaves the ExternalService out of this port",
        number, vd_name, say(first), es.meta.namespace, es.meta.name, say(mode)
    ))
    .field(format!("spec.ports[{i}]"))
    .help("serve the external backend on a VirtualDestination of its own, or give its port `clientsideTls: {mode: ISTIO_MUTUAL}` if it speaks mesh mTLS")
}
