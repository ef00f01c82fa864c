//! **VDC414 host-is-service-fqdn** (warning): A VirtualDestination host equals a Kubernetes Service FQDN.
//!
//! ## What it does
//!
//! A VirtualDestination host equal to the cluster-local name
//! `<service>.<namespace>.svc.<clusterDomain>` of a Service in the input.
//!
//! ## Why is this bad?
//!
//! The generated ServiceEntry takes over that name for every client that sees it: calls meant
//! for the plain Kubernetes Service go through the VirtualDestination instead.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//!   hosts:
//!   - productpage.bookinfo-frontends.svc.cluster.local
//! ```
//!
//! ## Fix
//!
//! Give the VirtualDestination a host of its own, such as `productpage.global` or
//! `productpage.mesh.internal`.
//!
//! Fixture: `testdata/check/host-is-service-fqdn/`. Long form: `docs/diagnostics.md#vdc414`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::HostIsServiceFqdn;
