//! **VDC509 generated-object-collision** (error): Two generated objects have one identity or one output path.
//!
//! ## What it does
//!
//! Two objects vdc would generate with the same cluster, kind, namespace and name, and so the
//! same file under `render --out`: for instance two VirtualDestinations whose hosts differ only by
//! `.` and `-` (`productpage.global`, `productpage-global`), which Gloo's name sanitizer maps to
//! one ServiceEntry name. The message names both sources.
//!
//! ## Why is this bad?
//!
//! One object would silently replace the other, in the cluster and in the `--out` tree, whose
//! `kustomization.yaml` would list the path twice (`kubectl kustomize` then fails). `check`,
//! `render` and `diff` all refuse the input, and nothing is written.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml` holds two VirtualDestinations, one with host
//! `productpage.global`, the other (`productpage-dash`) with host `productpage-global`.
//!
//! `vdc check testdata/check/generated-object-collision` prints:
//!
//! ```text
//! error[VDC509]: ServiceEntry bookinfo-frontends/vd-productpage-global-bookinfo in cluster cluster1 would be generated twice, from VirtualDestination bookinfo-frontends/productpage in cluster cluster1 (clusters/cluster1/gloo/productpage.yaml:1) and from VirtualDestination bookinfo-frontends/productpage-dash in cluster cluster1 (clusters/cluster1/gloo/productpage.yaml:16); one would replace the other
//!   --> testdata/check/generated-object-collision/clusters/cluster1/gloo/productpage.yaml:16:1
//!    |
//! 16 | apiVersion: networking.gloo.solo.io/v2
//!    | ^^^^^^^^^^
//!    = object: ServiceEntry bookinfo-frontends/vd-productpage-global-bookinfo in cluster cluster1
//!    = help: rename one of the two sources (a host, or an object name) so that their generated names differ
//! ```
//!
//! ## Fix
//!
//! Rename one of the two sources so that their generated names differ: here, one of the hosts.
//!
//! Fixture: `testdata/check/generated-object-collision/`. Long form: `docs/diagnostics.md#vdc509`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::GeneratedObjectCollision;
