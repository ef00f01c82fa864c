//! Whether a destination takes the request, and if not, which object is at fault: no endpoint
//! at all, none left after `--fail`, a gateway with no server for the host, or TLS the
//! endpoints cannot accept.

use super::config::ClusterView;
use super::destination::Svc;
use super::endpoints::Endpoint;
use super::question::FailTarget;
use super::{DestinationJson, Fault, Outcome};
use crate::translate::istio::{DestinationRule, ObjectMeta};

/// Sets `out.outcome`; `Err` is the fault when it is not `ok`.
pub fn judge(
    view: &ClusterView,
    svc: &Svc,
    rule: Option<(&ObjectMeta, &DestinationRule)>,
    out: &mut DestinationJson,
    eps: &[Endpoint],
    fail: &[FailTarget],
) -> Result<(), Fault> {
    let blame_rule = |reason: String| match rule {
        Some((meta, _)) => Fault {
            cluster: view.name.into(),
            kind: "DestinationRule".into(),
            object: Some(format!("{}/{}", meta.namespace, meta.name)),
            reason,
        },
        None => svc.fault(view.name, reason),
    };
    if eps.is_empty() {
        out.outcome = Outcome::NoHealthyEndpoint;
        return Err(match &out.subset {
            Some(subset) => blame_rule(format!(
                "no endpoint of {} carries the labels of subset {subset}",
                svc.describe()
            )),
            None => svc.fault(view.name, format!("selects no endpoint in {}", view.name)),
        });
    }
    let Some(serving) = out.serving else {
        out.outcome = Outcome::NoHealthyEndpoint;
        let targets: Vec<String> = fail.iter().map(ToString::to_string).collect();
        return Err(if targets.is_empty() {
            blame_rule("its `distribute` gives no weight to any locality with endpoints".into())
        } else {
            svc.fault(
                view.name,
                format!(
                    "--fail {} ejects every endpoint: no priority is left",
                    targets.join(" ")
                ),
            )
        });
    };
    let live: Vec<&Endpoint> = out
        .priorities
        .iter()
        .filter(|p| p.priority == serving)
        .flat_map(|p| &p.endpoints)
        .filter(|e| !e.ejected && e.weight > 0)
        .map(|e| &eps[e.index])
        .collect();
    tls_check(out, &live, blame_rule)
}

/// The serving endpoints must accept the TLS the sidecar sends.
fn tls_check(
    out: &mut DestinationJson,
    live: &[&Endpoint],
    blame_rule: impl Fn(String) -> Fault,
) -> Result<(), Fault> {
    let hop_fault = live.iter().find_map(|e| {
        let hop = e.gateway.as_ref().filter(|h| !h.serves_host)?;
        Some(Fault {
            cluster: e.cluster.clone(),
            kind: "Service".into(),
            object: Some(hop.service.clone()),
            reason: format!(
                "no Gateway on this east-west gateway has a server for {} on port {}: it resets the connection (no filter chain for the SNI)",
                out.host, e.port
            ),
        })
    });
    let all_dead_ends = live
        .iter()
        .all(|e| e.gateway.as_ref().is_some_and(|h| !h.serves_host));
    if all_dead_ends && let Some(fault) = hop_fault {
        out.outcome = Outcome::TlsMismatch;
        return Err(fault);
    }
    let mode = out.tls.mode.as_str();
    if matches!(mode, "DISABLE" | "SIMPLE") && live.iter().any(|e| e.gateway.is_some()) {
        out.outcome = Outcome::TlsMismatch;
        return Err(blame_rule(format!(
            "sets TLS mode {mode} for port {}, but an east-west gateway in AUTO_PASSTHROUGH only takes Istio mTLS",
            out.port.unwrap_or(0)
        )));
    }
    let sans = &out.tls.subject_alt_names;
    if mode == "ISTIO_MUTUAL" && !sans.is_empty() {
        let stranger = live
            .iter()
            .flat_map(|e| e.pods.iter().zip(&e.identities))
            .find(|(_, id)| !sans.contains(id));
        if let Some((pod, id)) = stranger {
            out.outcome = Outcome::TlsMismatch;
            return Err(blame_rule(format!(
                "its subjectAltNames leave out {id}, the identity of {pod}: the sidecar refuses that certificate"
            )));
        }
    }
    Ok(())
}
