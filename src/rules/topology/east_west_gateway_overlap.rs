//! **VDC507 east-west-gateway-overlap** (warning): A Gateway in the cluster serves a VD host on the east-west gateway's port.
//!
//! ## What it does
//!
//! A Gateway already in a cluster's dump that selects the pods of an east-west gateway vdc writes
//! a Gateway for (by the pods' labels when the dump has them, else by the selectors), with a server
//! on the same port whose hosts cover a VirtualDestination host: `*`, a wildcard such as
//! `*.global`, or the host itself.
//!
//! ## Why is this bad?
//!
//! istiod builds an SNI filter chain for every host of every `AUTO_PASSTHROUGH` server on the port
//! and does not merge overlapping ones. Envoy refuses a listener with two identical filter chains,
//! so the gateway keeps serving its previous listener or none at all, and cross-cluster traffic
//! for every host on that port fails.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml`:
//!
//! ```yaml
//! - apiVersion: networking.istio.io/v1
//!   kind: Gateway
//!   metadata:
//!     name: cross-network-gateway
//!     namespace: istio-gateways
//!   spec:
//!     selector:
//!       istio: eastwestgateway
//!     servers:
//!     - port:
//!         number: 15443
//!         name: tls
//!         protocol: TLS
//!       tls:
//!         mode: AUTO_PASSTHROUGH
//!       hosts:
//!       - "*.global"
//! ```
//!
//! ## Fix
//!
//! Narrow the existing Gateway's hosts so they do not cover VirtualDestination hosts (Istio's own
//! east-west Gateway uses `*.local`, which serves Kubernetes Services only), or remove it: vdc's
//! Gateway serves every VirtualDestination host that needs it.
//!
//! Fixture: `testdata/check/east-west-gateway-overlap/`. Long form: `docs/diagnostics.md#vdc507`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::EastWestGatewayOverlap;
