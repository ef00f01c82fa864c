//! **VDC710 subset-not-served** (warning): A route's subset matches no pod of any backing cluster.
//!
//! ## What it does
//!
//! A RouteTable destination with a `subset` whose labels no pod behind the VirtualDestination's
//! backing Services carries, in any backing cluster. Clusters whose dump holds none of the
//! backing workloads are taken to possibly serve it (vdc cannot tell), so the warning only fires
//! when every backing cluster's pods are known.
//!
//! ## Why is this bad?
//!
//! Istio fills a subset's cluster with the endpoints whose labels carry the subset's labels. vdc
//! makes every backing cluster that runs pods of the subset reachable for it (the endpoint toward
//! that cluster's east-west gateway carries the subset's labels), but a subset nobody runs has no
//! endpoint anywhere: the route's share of traffic gets 503 (`no healthy upstream`).
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/routing.yaml`:
//!
//! ```yaml
//!     forwardTo:
//!       destinations:
//!       - ref:
//!           name: productpage
//!           namespace: bookinfo-frontends
//!         kind: VIRTUAL_DESTINATION
//!         subset:
//!           version: v9        # the productpage pods are all version v1
//! ```
//!
//! ## Fix
//!
//! Use the labels the subset's pods carry (`kubectl get pods --show-labels`), deploy the
//! version the route expects, or drop the subset. If the pods run in a cluster whose dump lacks
//! them, include its Deployments or Pods in the dump.
//!
//! Fixture: `testdata/check/subset-not-served/`. Long form: `docs/diagnostics.md#vdc710`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::SubsetNotServed;
