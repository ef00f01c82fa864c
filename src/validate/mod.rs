//! `validate`: rules on the typed model, one per file. Each rule's doc comment says what it
//! catches, why it matters and how to fix it; `docs/diagnostics.md` has the long form.
//!
//! Checks that resolution needs anyway (a missing target port, a namespace claimed twice) live
//! where the fact is computed, in `model`; the rules here look at one object's own fields.

pub mod dns_capture;
pub mod east_west_overlap;
mod failover;
pub mod output_collisions;
mod route_table;
pub mod user_objects;
mod vd_backends;
mod vd_hosts;
mod vd_ports;

use crate::load::node::Pos;
use crate::model::decode::Cx;
use crate::model::types::{FailoverPolicy, RouteTable, VirtualDestination};

/// Every per-object rule for a VirtualDestination.
pub fn virtual_destination(cx: &mut Cx, vd: &VirtualDestination) {
    vd_hosts::check(cx, vd);
    vd_ports::check(cx, vd);
    vd_backends::check(cx, vd);
}

/// Every per-object rule for a FailoverPolicy.
pub fn failover_policy(cx: &mut Cx, policy: &FailoverPolicy) {
    failover::check(cx, policy);
}

/// Every per-object rule for a RouteTable. `delegates` are the positions of `delegate` actions.
pub fn route_table(cx: &mut Cx, rt: &RouteTable, delegates: &[Pos]) {
    route_table::check(cx, rt, delegates);
}
