//! **VDC411 unresolved-target-port** (error): A named targetPort matches no container port.
//!
//! ## What it does
//!
//! A backing Service port whose `targetPort` is a name, when no Pod or pod template behind the
//! Service in the dump declares a container port of that name.
//!
//! ## Why is this bad?
//!
//! Remote clusters reach the backends through the east-west gateway on the workload's own port;
//! with the name unresolved vdc cannot know which port that is, and guessing would route traffic to
//! the wrong one.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - kind: Service
//!   metadata:
//!     name: productpage
//!   spec:
//!     ports:
//!     - name: http
//!       port: 9080
//!       targetPort: http-web      # no container port is named http-web
//! ```
//!
//! ## Fix
//!
//! Name the container port (`ports: [{name: http-web, containerPort: 9080}]` in the
//! Deployment), give the Service a numeric `targetPort`, or include the Deployment or Pods behind
//! the Service in the dump.
//!
//! Fixture: `testdata/check/unresolved-target-port/`. Long form: `docs/diagnostics.md#vdc411`.

use crate::diagnostic::{Code, Diagnostic, Site};
use crate::model::types::Meta;

pub const CODE: Code = Code::UnresolvedTargetPort;

/// Service `svc` sends `port` to the named target port `name`, which no pod declares; `field`
/// is the VirtualDestination's port field.
pub fn diagnostic(site: Site, svc: &Meta, port: u32, name: &str, field: &str) -> Diagnostic {
    Diagnostic::new_at(CODE, site, format!(
        "Service {}/{} in cluster `{}` sends port {} to the named targetPort `{}`, but no pod behind it declares a container port with that name",
        svc.namespace, svc.name, svc.cluster, port, name
    ))
    .field(field.to_owned())
    .help("include the Deployment or Pods behind the Service in the dump, or give the Service a numeric targetPort")
}
