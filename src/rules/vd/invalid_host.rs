//! **VDC407 invalid-host** (error): A VirtualDestination host is not a valid DNS name.
//!
//! ## What it does
//!
//! A VirtualDestination host that is not a DNS name: each dot-separated label 1–63 letters,
//! digits and `-`, not starting or ending with `-`; at most 255 characters in all; a last label
//! that is not all digits; no wildcard `*`. A trailing dot is allowed.
//!
//! ## Why is this bad?
//!
//! The host becomes the ServiceEntry's host and the SNI name remote clusters route on. Istio
//! refuses a malformed host, or the host never matches what clients send; `_` in particular is not
//! allowed in DNS names, though it is easy to type.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml`:
//!
//! ```yaml
//! spec:
//!   hosts:
//!   - product_page.global
//! ```
//!
//! ## Fix
//!
//! Use `-` instead of `_`: `product-page.global`.
//!
//! Fixture: `testdata/check/invalid-host/`. Long form: `docs/diagnostics.md#vdc407`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::InvalidHost;
