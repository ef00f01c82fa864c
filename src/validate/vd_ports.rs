//! **VDC403 duplicate-port.** (Range, protocol and presence are checked while decoding:
//! VDC207, VDC404, VDC401.)
//!
//! What: two `spec.ports` entries with the same `number`.
//!
//! Why: both would become the ServiceEntry port `<protocol>-<number>` twice, or two ports on one
//! number, which Istio rejects. Example: `ports: [{number: 80, protocol: HTTP}, {number: 80,
//! protocol: TCP}]`. Fix: give each entry its own number.

use crate::diagnostic::Code;
use crate::model::decode::Cx;
use crate::model::types::VirtualDestination;
use std::collections::HashMap;

pub(super) fn check(cx: &mut Cx, vd: &VirtualDestination) {
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for (i, port) in vd.ports.iter().enumerate() {
        if let Some(first) = seen.insert(*port.number, i) {
            cx.report_with_help(
                Code::DuplicatePort,
                port.number.pos,
                &format!("spec.ports[{i}].number"),
                format!(
                    "port {} is listed twice (also `spec.ports[{first}]`)",
                    *port.number
                ),
                "each VirtualDestination port needs its own number",
            );
        }
    }
}
