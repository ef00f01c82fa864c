//! **VDC707 route-table-without-hosts** (error): A RouteTable attached to gateways or workloads has no hosts.
//!
//! ## What it does
//!
//! A RouteTable attached to VirtualGateways or workloads (`virtualGateways` or
//! `workloadSelectors`) without `hosts`.
//!
//! ## Why is this bad?
//!
//! The generated VirtualService would match no host, so no request reaches its routes.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! kind: RouteTable
//! spec:
//!   workloadSelectors:
//!   - selector:
//!       labels:
//!         app: productpage
//!   http:
//!   - name: productpage
//! ```
//!
//! ## Fix
//!
//! Add the hosts the table serves: `hosts: [productpage.global]`, or `hosts: ['*']` on an
//! ingress gateway.
//!
//! Fixture: `testdata/check/route-table-without-hosts/`. Long form: `docs/diagnostics.md#vdc707`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::RouteTableWithoutHosts;
