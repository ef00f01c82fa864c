//! **VDC305 unknown-cluster** (warning): A KubernetesCluster names a cluster with no folder.
//!
//! ## What it does
//!
//! A KubernetesCluster that names a cluster with no `clusters/<name>/` folder (other than the
//! management cluster).
//!
//! ## Why is this bad?
//!
//! Usually a cluster whose state dump is missing, or a typo in the folder or the
//! KubernetesCluster's name. Its labels and `clusterDomain` apply to nothing, and no output is
//! generated for it.
//!
//! ## Example
//!
//! `gloo/clusters.yaml`:
//!
//! ```yaml
//! kind: KubernetesCluster
//! metadata:
//!   name: cluster3          # there is no clusters/cluster3/
//!   namespace: gloo-mesh
//! ```
//!
//! ## Fix
//!
//! Add the cluster's state dump under `clusters/cluster3/`, or remove (or rename) the
//! KubernetesCluster.
//!
//! Fixture: `testdata/check/unknown-cluster/`. Long form: `docs/diagnostics.md#vdc305`.

use crate::diagnostic::Code;

pub const CODE: Code = Code::UnknownCluster;
