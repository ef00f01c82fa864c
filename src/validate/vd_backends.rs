//! **VDC406 nothing-to-serve, VDC405 target-port-without-backing.**
//!
//! What: a VirtualDestination with none of `hosts`, `services`, `externalServices`,
//! `externalWorkloads`; or a `targetPort` on a VirtualDestination with no backing selectors.
//!
//! Why: Gloo's CRD refuses both (CEL rules of the 2.6 API): the first has nothing to serve, and a
//! target port must match a port of a backing object that cannot exist. Example: `spec: {hosts:
//! [a.global], ports: [{number: 80, protocol: HTTP, targetPort: {number: 8080}}]}`. Fix: add
//! `services:` selectors, or drop the `targetPort`.

use crate::diagnostic::Code;
use crate::model::decode::Cx;
use crate::model::types::VirtualDestination;

pub(super) fn check(cx: &mut Cx, vd: &VirtualDestination) {
    let has_backing = !vd.services.is_empty()
        || !vd.external_services.is_empty()
        || !vd.external_workloads.is_empty();
    if vd.hosts.is_empty() && !has_backing {
        cx.report_with_help(
            Code::NothingToServe,
            vd.spec_pos,
            "spec",
            "a VirtualDestination needs at least one of `hosts`, `services`, `externalServices` or `externalWorkloads`",
            "add the host it serves and `services:` selectors for the Services behind it",
        );
    }
    if !has_backing {
        for (i, port) in vd.ports.iter().enumerate() {
            if let Some(target) = &port.target_port {
                cx.report_with_help(
                    Code::TargetPortWithoutBacking,
                    target.pos,
                    &format!("spec.ports[{i}].targetPort"),
                    "`targetPort` needs backing objects, but this VirtualDestination selects none",
                    "add `services:` selectors, or remove the `targetPort`",
                );
            }
        }
    }
}
