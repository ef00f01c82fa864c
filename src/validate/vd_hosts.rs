//! **VDC407 invalid-host, VDC408 duplicate-host.**
//!
//! What: every `spec.hosts` entry must be a DNS name (labels of 1–63 letters, digits and `-`,
//! not starting or ending with `-`, at most 255 characters, a top-level label that is not all
//! digits, no `*`), and appear once.
//!
//! Why: the host becomes a ServiceEntry host and an SNI name; Istio rejects, or silently never
//! matches, a malformed one. Example: `my_app.global` has `_`. Fix: `my-app.global`.

use crate::diagnostic::Code;
use crate::model::decode::Cx;
use crate::model::names::{host_fix, host_problem};
use crate::model::types::VirtualDestination;
use std::collections::HashSet;

pub(super) fn check(cx: &mut Cx, vd: &VirtualDestination) {
    let mut seen = HashSet::new();
    for (i, host) in vd.hosts.iter().enumerate() {
        let path = format!("spec.hosts[{i}]");
        if let Some(problem) = host_problem(host) {
            cx.report_with_help(
                Code::InvalidHost,
                host.pos,
                &path,
                format!("`{}` is not a valid host: {problem}", host.value),
                match host_fix(host) {
                    Some(fixed) => format!("use a DNS name, such as `{fixed}`"),
                    None => "a host is a DNS name such as `my-app.mesh.internal`".to_owned(),
                },
            );
        }
        if !seen.insert(host.value.to_ascii_lowercase()) {
            cx.report_with_help(
                Code::DuplicateHost,
                host.pos,
                &path,
                format!("host `{}` is listed twice", host.value),
                "remove the repeat",
            );
        }
    }
}
