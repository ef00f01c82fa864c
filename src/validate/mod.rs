//! `validate`: rules on the typed model, one per file. Each rule's doc comment says what it
//! catches, why it matters and how to fix it; `docs/diagnostics.md` has the long form.
//!
//! Checks that resolution needs anyway (a missing target port, a namespace claimed twice) live
//! where the fact is computed, in `model`; the rules here look at one object's own fields.

mod vd_backends;
mod vd_hosts;
mod vd_ports;

use crate::model::decode::Cx;
use crate::model::types::VirtualDestination;

/// Every per-object rule for a VirtualDestination.
pub fn virtual_destination(cx: &mut Cx, vd: &VirtualDestination, has_external_backends: bool) {
    vd_hosts::check(cx, vd);
    vd_ports::check(cx, vd);
    vd_backends::check(cx, vd, has_external_backends);
}
