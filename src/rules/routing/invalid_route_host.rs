//! **VDC709 invalid-route-host** (error): A RouteTable host is not a valid host or wildcard.
//!
//! ## What it does
//!
//! A RouteTable host that is not a DNS name, optionally starting with one wildcard label
//! (`*.example.com`), or `*` alone.
//!
//! ## Why is this bad?
//!
//! Gloo refuses a wildcard anywhere but in the left-most label, and Istio refuses malformed
//! hosts.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - productpage.*.global
//! ```
//!
//! ## Fix
//!
//! Put the wildcard in the left-most label only (`*.global`), or name the host in full.
//!
//! Fixture: `testdata/check/invalid-route-host/`. Long form: `docs/diagnostics.md#vdc709`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidRouteHost;
