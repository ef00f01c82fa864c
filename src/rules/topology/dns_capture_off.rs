//! **VDC506 dns-capture-off** (warning): A client cluster's mesh config does not turn on DNS capture.
//!
//! ## What it does
//!
//! A cluster with clients of a VirtualDestination whose `istio` mesh ConfigMap (in
//! `istio-system`; the default revision's when there are several) does not set
//! `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE` to `"true"`. A cluster whose dump has no
//! mesh ConfigMap is not reported: vdc cannot tell.
//!
//! ## Why is this bad?
//!
//! VirtualDestination hosts such as `productpage.global` exist only as ServiceEntries: no DNS
//! server knows them. With DNS capture the sidecar answers the lookup itself (with the VIP);
//! without it the application's lookup fails and no request ever reaches the sidecar, however
//! right the generated objects are.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: v1
//!   kind: ConfigMap
//!   metadata:
//!     name: istio
//!     namespace: istio-system
//!   data:
//!     mesh: |-
//!       rootNamespace: istio-system     # no defaultConfig.proxyMetadata
//!       trustDomain: cluster1
//! ```
//!
//! ## Fix
//!
//! Turn DNS capture on for the mesh (`meshConfig.defaultConfig.proxyMetadata` in the Istio
//! install, which writes this ConfigMap), with `ISTIO_META_DNS_AUTO_ALLOCATE: "true"` as well,
//! and restart the pods so their sidecars pick it up. Pods can also turn it on one by one with the
//! `proxy.istio.io/config` annotation; vdc does not see those, so the warning then stays.
//!
//! Fixture: `testdata/check/dns-capture-off/`. Long form: `docs/diagnostics.md#vdc506`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::DnsCaptureOff;
