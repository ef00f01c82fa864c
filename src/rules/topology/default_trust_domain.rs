//! **VDC504 default-trust-domain** (info): A cluster's trust domain is not in the dump; cluster.local is used.
//!
//! ## What it does
//!
//! A backing cluster whose dump has no `istio` (or `istio-<revision>`) ConfigMap in
//! `istio-system` setting `trustDomain` in `data.mesh`. vdc uses Istio's default, `cluster.local`.
//!
//! ## Why is this bad?
//!
//! The backends' SPIFFE identities (`spiffe://<trust domain>/ns/…/sa/…`) in the generated
//! DestinationRules use the trust domain. If the cluster really uses another one, mTLS
//! subject-name checks fail, silently, at run time.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```text
//! cluster1's dump has no istio-system/istio ConfigMap
//! ```
//!
//! ## Fix
//!
//! Include the ConfigMap in the dump (`kubectl -n istio-system get configmap istio -o yaml`).
//!
//! Fixture: `testdata/check/default-trust-domain/`. Long form: `docs/diagnostics.md#vdc504`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::DefaultTrustDomain;
