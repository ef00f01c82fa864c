//! **VDC409 host-conflict** (error): Two VirtualDestinations serve one host in one cluster.
//!
//! ## What it does
//!
//! Two VirtualDestinations that serve the same host in a cluster where both generate objects.
//!
//! ## Why is this bad?
//!
//! Each generates a ServiceEntry for the host; Istio then routes the host to one of them at
//! random, so traffic goes to the wrong backends some of the time.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage-v2.yaml`:
//!
//! ```yaml
//! kind: VirtualDestination
//! metadata:
//!   name: productpage-v2
//!   namespace: bookinfo-frontends
//! spec:
//!   hosts:
//!   - productpage.global      # productpage serves it already
//! ```
//!
//! ## Fix
//!
//! Give each VirtualDestination its own host, or delete the one that is no longer needed.
//!
//! Fixture: `testdata/check/host-conflict/`. Long form: `docs/diagnostics.md#vdc409`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::HostConflict;
