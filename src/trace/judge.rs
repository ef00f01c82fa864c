//! Whether a destination takes the request, and if not, which object is at fault: no endpoint
//! at all, none left after `--fail`, a gateway with no server for the host, or TLS the
//! endpoints cannot accept.

use super::config::ClusterView;
use super::destination::Svc;
use super::endpoints::Endpoint;
use super::question::FailTarget;
use super::{DestinationJson, EndpointJson, FailingJson, Fault, Outcome};
use crate::translate::istio::{DestinationRule, ObjectMeta};
use std::collections::BTreeMap;

/// Envoy's answer to a request whose endpoint refuses or drops the connection.
const UPSTREAM_FAILURE: &str = "503 UF";

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
            response: None,
        },
        None => svc.fault(view.name, reason),
    };
    if eps.is_empty() {
        out.outcome = Outcome::NoHealthyEndpoint;
        if let Some(left) = out.left_out.first() {
            return Err(Fault {
                cluster: left.cluster.clone(),
                kind: left.object.0.clone(),
                object: left.object.1.clone(),
                reason: left.reason.clone(),
                response: None,
            });
        }
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
    tls_check(out, &live, &blame_rule)?;
    partial_failure(out, serving, eps, &blame_rule)
}

/// Some of the endpoints the serving priority sends requests to fail them: a share of the
/// requests fails, and the answer says which and how many.
fn partial_failure(
    out: &mut DestinationJson,
    serving: u32,
    eps: &[Endpoint],
    blame_rule: &impl Fn(String) -> Fault,
) -> Result<(), Fault> {
    out.failing = failing(out, serving, eps);
    let Some(first) = out.failing.first().cloned() else {
        return Ok(());
    };
    let share = super::round_share(out.failing.iter().map(|f| f.share).sum::<f64>());
    let (host, port) = (&out.host, out.port.unwrap_or(0));
    let at = crate::text::address_port(&first.address, first.port);
    if first.why == "down" {
        out.outcome = Outcome::NoHealthyEndpoint;
        let down: Vec<String> = (out.failing.iter())
            .filter(|f| f.why == "down")
            .map(|f| crate::text::address_port(&f.address, f.port))
            .collect();
        let why = match out.max_ejection_percent {
            Some(max) => format!("lets outlier detection eject at most {max}% of the endpoints"),
            None => format!("sets no outlier detection for port {port}"),
        };
        let mut fault = blame_rule(format!(
            "{why}, so endpoints --fail took down stay in the serving priority ({}): {share}% of the requests to {host}:{port} go to them and fail",
            down.join(", ")
        ));
        fault.response = Some(UPSTREAM_FAILURE);
        return Err(fault);
    }
    if first.why == "other-network" {
        out.outcome = Outcome::NoHealthyEndpoint;
        return Err(off_network(out, &first, share, eps));
    }
    let service = (out.priorities.iter())
        .flat_map(|p| &p.endpoints)
        .find(|e| e.address == first.address && e.port == first.port)
        .and_then(|e| eps[e.index].gateway.as_ref());
    let refused = first.why == "no-port";
    let what = if refused {
        out.outcome = Outcome::NoHealthyEndpoint;
        format!(
            "has no port {}: the connection to {at} is refused",
            first.port
        )
    } else {
        out.outcome = Outcome::TlsMismatch;
        format!(
            "no Gateway on this east-west gateway has a server for {host} on port {}: it resets the connection to {at} (no filter chain for the SNI)",
            first.port
        )
    };
    Err(Fault {
        cluster: first.cluster.clone(),
        kind: "Service".into(),
        object: service.map(|g| g.service.clone()),
        reason: format!("{what}; {share}% of the requests to {host}:{port} fail so"),
        response: refused.then_some(UPSTREAM_FAILURE),
    })
}

/// The fault of the first endpoint on another network than the client's, with no gateway to
/// it: istiod keeps it at its own address (`EndpointsByNetworkFilter`, sidecar mode), which the
/// client's network does not reach, so the connection fails (503 UF).
fn off_network(out: &DestinationJson, first: &FailingJson, share: f64, eps: &[Endpoint]) -> Fault {
    let (host, port) = (&out.host, out.port.unwrap_or(0));
    let at = crate::text::address_port(&first.address, first.port);
    let e = (out.priorities.iter())
        .flat_map(|p| &p.endpoints)
        .find(|e| e.address == first.address && e.port == first.port)
        .map(|e| &eps[e.index]);
    let (kind, object, network, client) = match e {
        Some(e) => (
            e.kind,
            e.pods.first().cloned(),
            e.network.as_str(),
            e.off_network.as_ref().map_or("", |o| o.client.as_str()),
        ),
        None => ("Service", None, "", ""),
    };
    Fault {
        cluster: first.cluster.clone(),
        kind: kind.into(),
        object,
        reason: format!(
            "is on network {network}, the client on {client}, and istiod in {} knows no gateway to {network} (a Service labelled {}={network} with its mTLS port, 15443 unless its label {} names another): the sidecar connects to {at} directly, across networks; {share}% of the requests to {host}:{port} fail so",
            first.cluster,
            super::network::NETWORK,
            super::split::GATEWAY_PORT
        ),
        response: Some(UPSTREAM_FAILURE),
    }
}

/// The endpoints of the serving priority that fail the requests they take, with their share
/// of the destination's requests: their locality's share of the priority's locality weights,
/// split among the locality's endpoints left by their own weights (Envoy's overprovisioning
/// and its spill to the next priority left aside).
fn failing(out: &DestinationJson, serving: u32, eps: &[Endpoint]) -> Vec<FailingJson> {
    let live: Vec<&EndpointJson> = (out.priorities.iter())
        .filter(|p| p.priority == serving)
        .flat_map(|p| &p.endpoints)
        .filter(|e| !e.ejected && e.weight > 0)
        .collect();
    let mut localities: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for e in &live {
        let entry = localities.entry(&e.locality).or_insert((e.weight, 0));
        entry.1 = entry.1.saturating_add(eps[e.index].weight.max(1));
    }
    let total: f64 = localities.values().map(|(w, _)| f64::from(*w)).sum();
    live.into_iter()
        .filter_map(|e| {
            let why = if e.down {
                "down"
            } else if e.refused {
                "no-port"
            } else if e.dead_end {
                "no-server"
            } else if e.unreachable {
                "other-network"
            } else {
                return None;
            };
            let (weight, sum) = localities[e.locality.as_str()];
            let own = f64::from(eps[e.index].weight.max(1)) / f64::from(sum);
            let share = 100.0 * f64::from(weight) / total * own;
            Some(FailingJson {
                address: e.address.clone(),
                port: e.port,
                cluster: e.cluster.clone(),
                share,
                why,
            })
        })
        .collect()
}

/// The serving endpoints must accept the TLS the sidecar sends.
fn tls_check(
    out: &mut DestinationJson,
    live: &[&Endpoint],
    blame_rule: &impl Fn(String) -> Fault,
) -> Result<(), Fault> {
    let hop_fault = live.iter().find_map(|e| {
        let hop = e.gateway.as_ref().filter(|h| !h.serves_host)?;
        let reason = if hop.has_port {
            format!(
                "no Gateway on this east-west gateway has a server for {} on port {}: it resets the connection (no filter chain for the SNI)",
                out.host, e.port
            )
        } else {
            format!(
                "has no port {}: the connection to {} is refused",
                e.port,
                crate::text::address_port(&e.address, e.port)
            )
        };
        Some(Fault {
            cluster: e.cluster.clone(),
            kind: "Service".into(),
            object: Some(hop.service.clone()),
            reason,
            response: None,
        })
    });
    let all_dead_ends = live
        .iter()
        .all(|e| e.gateway.as_ref().is_some_and(|h| !h.serves_host));
    if all_dead_ends && let Some(fault) = hop_fault {
        let refused = live
            .iter()
            .all(|e| e.gateway.as_ref().is_some_and(|h| !h.has_port));
        out.outcome = if refused {
            Outcome::NoHealthyEndpoint
        } else {
            Outcome::TlsMismatch
        };
        return Err(Fault {
            response: refused.then_some(UPSTREAM_FAILURE),
            ..fault
        });
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
