//! **VDC511 mesh-configs-disagree** (warning): A cluster's mesh ConfigMaps of several revisions disagree on a setting vdc reads.
//!
//! ## What it does
//!
//! A cluster whose dump has several mesh ConfigMaps in `istio-system` (`istio` and
//! `istio-<revision>`, one per Istio revision installed), where one vdc does not read sets a value
//! vdc reads otherwise than the one it reads: `trustDomain`, DNS capture
//! (`defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE`), `pathNormalization` or
//! `localityLbSetting`. vdc reads the ConfigMap of the revision most of the cluster's namespaces
//! name in `istio.io/rev` (ties: the first revision by name), unless as many namespaces or more
//! are injected by the default revision (`istio-injection: enabled`); when no namespace names one,
//! or the revision has no ConfigMap, `istio`; else the first by name. The order the objects are listed in
//! never matters.
//!
//! ## Why is this bad?
//!
//! Each istiod reads its own revision's ConfigMap, so the workloads of each revision may have
//! another trust domain, DNS capture or path handling. vdc writes one set of objects per cluster:
//! the SPIFFE identities of its DestinationRules carry the trust domain of the ConfigMap it reads,
//! and for the workloads of the other revision they may be wrong, failing mTLS at run time.
//!
//! ## Example
//!
//! `clusters/cluster1/state.yaml` has the ConfigMaps of revisions `1-20` and `1-21`, with trust
//! domains `cluster1` and `cluster1-next`; namespace `bookinfo-frontends` is labelled
//! `istio.io/rev: 1-20`.
//!
//! `vdc check testdata/check/mesh-configs-disagree` prints:
//!
//! ```text
//! warning[VDC511]: the mesh ConfigMaps `istio-1-20` and `istio-1-21` of cluster `cluster1` disagree on `trustDomain` (`cluster1` vs `cluster1-next`); vdc reads `istio-1-20`: the ConfigMap of revision `1-20`, which 1 namespace names in `istio.io/rev`
//!   --> testdata/check/mesh-configs-disagree/clusters/cluster1/state.yaml:12:5
//!    |
//! 12 |     rootNamespace: istio-system
//!    |     ^^^^^^^^^^^^^
//!    = object: ConfigMap istio-system/istio-1-21 in cluster cluster1
//!    = field: data.mesh
//!    = help: workloads of the revision that reads `istio-1-21` see other settings than vdc assumes: make the revisions' mesh configs agree, label the namespaces with the revision they run, or leave the unused ConfigMap out of the dump
//!    = see: vdc rule VDC511
//! ```
//!
//! ## Fix
//!
//! Make the revisions' mesh configs agree on these settings (a revision upgrade normally keeps the
//! trust domain), label each namespace with the revision it runs, or leave the ConfigMap of a
//! revision no workload uses out of the dump.
//!
//! Fixture: `testdata/check/mesh-configs-disagree/`. Long form: `docs/diagnostics.md#vdc511`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::model::World;
use crate::model::types::{Cluster, MeshConfig};

pub const CODE: Code = Code::MeshConfigsDisagree;

/// One warning per mesh ConfigMap vdc does not read that disagrees with the one it reads on a
/// setting vdc reads: the other revision's workloads may see another trust domain, DNS or path
/// handling than vdc assumes.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for c in world.clusters.values() {
        let Some(taken) = &c.mesh_config else {
            continue;
        };
        for other in c.mesh_configs.iter().filter(|m| m.name != taken.name) {
            let differences = differences(taken, other);
            if differences.is_empty() {
                continue;
            }
            diags.push(diagnostic(c, taken, other, &differences));
        }
    }
}

/// What `other` sets otherwise than `taken`, as `field (taken's vs other's)`.
fn differences(taken: &MeshConfig, other: &MeshConfig) -> Vec<String> {
    let mut out = Vec::new();
    if taken.trust_domain != other.trust_domain {
        let show = |m: &MeshConfig| {
            m.trust_domain
                .as_deref()
                .map_or("unset".to_owned(), |d| format!("`{d}`"))
        };
        out.push(format!(
            "`trustDomain` ({} vs {})",
            show(taken),
            show(other)
        ));
    }
    if taken.dns_capture != other.dns_capture {
        let show = |m: &MeshConfig| if m.dns_capture { "on" } else { "off" };
        out.push(format!("DNS capture ({} vs {})", show(taken), show(other)));
    }
    if taken.path_normalization != other.path_normalization {
        out.push(format!(
            "`pathNormalization` ({:?} vs {:?})",
            taken.path_normalization, other.path_normalization
        ));
    }
    if taken.locality_lb != other.locality_lb {
        out.push("`localityLbSetting`".to_owned());
    }
    out
}

/// Why vdc reads `taken`.
fn reason(c: &Cluster, taken: &MeshConfig) -> String {
    match &c.mesh_revision {
        Some((rev, n)) if taken.name == format!("istio-{rev}") => format!(
            "the ConfigMap of revision `{rev}`, which {n} namespace{} name{} in `istio.io/rev`",
            if *n == 1 { "" } else { "s" },
            if *n == 1 { "s" } else { "" },
        ),
        Some((rev, _)) => format!(
            "revision `{rev}`, which most namespaces name in `istio.io/rev`, has no ConfigMap `istio-{rev}`, so vdc reads {}",
            fallback(taken)
        ),
        None => format!(
            "no revision named in `istio.io/rev` serves more namespaces than the default one (`istio-injection: enabled`), so vdc reads {}",
            fallback(taken)
        ),
    }
}

fn fallback(taken: &MeshConfig) -> &'static str {
    if taken.name == "istio" {
        "the default revision's"
    } else {
        "the first by name"
    }
}

fn diagnostic(c: &Cluster, taken: &MeshConfig, other: &MeshConfig, diff: &[String]) -> Diagnostic {
    Diagnostic::new(
        CODE,
        format!(
            "the mesh ConfigMaps `{}` and `{}` of cluster `{}` disagree on {}; vdc reads `{}`: {}",
            taken.name,
            other.name,
            c.name,
            diff.join(", "),
            taken.name,
            reason(c, taken),
        ),
    )
    .at(&other.file, other.pos)
    .object(ObjectRef {
        cluster: c.name.clone(),
        kind: "ConfigMap".into(),
        namespace: "istio-system".into(),
        name: other.name.clone(),
    })
    .field("data.mesh")
    .help(format!(
        "workloads of the revision that reads `{}` see other settings than vdc assumes: make the revisions' mesh configs agree, label the namespaces with the revision they run, or leave the unused ConfigMap out of the dump",
        other.name
    ))
}
