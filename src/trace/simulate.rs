//! One trace from end to end: the route, then per destination the service, DestinationRule,
//! TLS, endpoints, priorities, what `--fail` leaves, and the outcome with the object at fault.

use super::Labels;
use super::client::Client;
use super::config::ClusterView;
use super::destination::{self, Svc, port_policy, visible_service};
use super::eject;
use super::endpoints::{self, Endpoint};
use super::priority::{self, LbEndpoint, LocalityGroup};
use super::question::{FailTarget, Question};
use super::route::{self, Request, RouteDest, Routed};
use super::{
    Answer, DestinationJson, EndpointJson, Fault, Outcome, PriorityJson, RouteJson, Target, Tls,
    reference,
};
use crate::translate::istio::{
    DestinationRule, Distribute, Failover, LocalityLbSetting, ObjectMeta, PortTrafficPolicy,
    VirtualService,
};
use anyhow::{Result, bail};
use std::collections::BTreeMap;

/// Answers `question` for `client` in its cluster's config.
pub fn answer(
    view: &ClusterView,
    client: &Client,
    request: &Request,
    question: &Question,
) -> Result<Answer> {
    let host = &question.host;
    let requested = visible_service(view, &client.namespace, host).ok();
    let port = request_port(requested.as_ref(), question)?;
    let http = requested
        .and_then(|s| s.ports().into_iter().find(|p| Some(p.number) == port))
        .is_none_or(|p| p.is_http());
    let mut answer = Answer {
        from: client.json(),
        to: Target {
            host: host.clone(),
            port,
            normalized_path: request.asked.as_ref().map(|_| request.path.clone()),
            path: request.asked.as_ref().unwrap_or(&request.path).clone(),
        },
        route: RouteJson::default(),
        destinations: Vec::new(),
        outcome: Outcome::Ok,
        fault: None,
        notes: existing_notes(view, host),
    };
    let direct = vec![RouteDest {
        host: host.clone(),
        port,
        subset: None,
        weight: 100,
    }];
    // istiod skips a VirtualService that keeps no rule for this client, for the next one of
    // the host (`buildSidecarVirtualHostsForVirtualService`); with none, the default route.
    let (mut routed, mut left) = (None, Vec::new());
    for (meta, vs) in route::virtual_services(view, &client.namespace, host) {
        match route::route(view, meta, vs, port, http, request, &client.proxy_labels()) {
            Routed::Rule {
                route,
                destinations,
            } => {
                answer.route = route;
                routed = Some(destinations);
                break;
            }
            Routed::NoRule(vs) => {
                answer.route.virtual_service = Some(reference(vs));
                answer.outcome = Outcome::NoRoute;
                answer.fault = Some(no_rule(view, vs, request, client));
                return Ok(answer);
            }
            Routed::LeftOut(meta) => left.push((meta, vs)),
        }
    }
    let taken = answer.route.virtual_service.clone();
    for (meta, vs) in left {
        let note = left_out_note(meta, vs, taken.as_deref(), client, (host, port, http));
        answer.notes.push(note);
    }
    let destinations = routed.unwrap_or(direct);
    for d in &destinations {
        let same_host = d.host == *host;
        let (json, fault) = destination(view, client, d, port.filter(|_| same_host), question);
        if answer.outcome == Outcome::Ok && json.weight > 0 && json.outcome != Outcome::Ok {
            answer.outcome = json.outcome;
            answer.fault = fault;
        }
        answer.notes.extend(fail_notes(&json, question));
        answer.notes.extend(endpoint_notes(&json));
        answer.destinations.push(json);
    }
    Ok(answer)
}

/// The port asked, else the service's only port. `Err` when the service has several.
fn request_port(service: Option<&Svc>, question: &Question) -> Result<Option<u32>> {
    if question.port.is_some() {
        return Ok(question.port);
    }
    let Some(service) = service else {
        return Ok(None);
    };
    let ports = service.ports();
    if ports.len() > 1 {
        let list: Vec<String> = ports.iter().map(|p| p.number.to_string()).collect();
        bail!(
            "--to {}: {} has ports {}; say which with {}:PORT",
            question.host,
            service.describe(),
            list.join(", "),
            question.host
        );
    }
    Ok(ports.first().map(|p| p.number))
}

/// Objects already in the cluster for the host, which vdc cannot read.
fn existing_notes(view: &ClusterView, host: &str) -> Vec<String> {
    let mut notes = Vec::new();
    for kind in ["VirtualService", "ServiceEntry", "DestinationRule"] {
        for object in view.existing(kind, host) {
            notes.push(format!(
                "{} already holds {kind} {object} for {host}; vdc reads only its hosts, so this trace leaves it out",
                view.name
            ));
        }
    }
    notes
}

/// The fault of a 404: rules for the client are left and none fits the request (a TCP port
/// never answers one: it falls back on the host's own cluster).
fn no_rule(view: &ClusterView, vs: &ObjectMeta, request: &Request, client: &Client) -> Fault {
    Fault {
        cluster: view.name.into(),
        kind: "VirtualService".into(),
        object: Some(reference(vs)),
        reason: format!(
            "no http rule matches {} {} from a workload labelled {}",
            request.method,
            request.path,
            labels_phrase(&client.labels)
        ),
        response: None,
    }
}

/// Why a VirtualService for the host is not in the client's sidecar, said in a note: the
/// JSON's `virtualService` is null, as no VirtualService applies.
fn left_out(
    meta: &ObjectMeta,
    vs: &VirtualService,
    client: &Client,
    port: Option<u32>,
    http: bool,
) -> String {
    if !http {
        // `buildSidecarOutboundTCPFilterChainOpts` adds the default route when none matched.
        return format!(
            "VirtualService {} has no tcp route for port {} that this workload matches",
            reference(meta),
            port.unwrap_or(0)
        );
    }
    // A match with a `port` is only built into that port's routes.
    let ported = vs
        .http
        .iter()
        .flat_map(|r| &r.matches)
        .any(|m| m.port.is_some());
    let on_port = match port {
        Some(p) if ported => format!(" on port {p}"),
        _ => String::new(),
    };
    let why = if vs.http.is_empty() {
        "has no http route".to_owned()
    } else {
        format!(
            "has no http rule for a workload labelled {}{on_port}",
            labels_phrase(&client.labels)
        )
    };
    format!("VirtualService {} {why}", reference(meta))
}

/// The note for VirtualService `meta` that keeps no rule for the client, on `host` and `port`
/// (`http` or TCP): what takes the request instead, VirtualService `taken` or the default route.
fn left_out_note(
    meta: &ObjectMeta,
    vs: &VirtualService,
    taken: Option<&str>,
    client: &Client,
    (host, port, http): (&str, Option<u32>, bool),
) -> String {
    let why = left_out(meta, vs, client, port, http);
    let then = match (taken, http) {
        (Some(next), true) => format!(
            "istiod leaves it out of this sidecar and uses VirtualService {next} of the host instead"
        ),
        (Some(next), false) => format!("the sidecar uses VirtualService {next} of the host"),
        (None, true) => {
            "istiod leaves it out of this sidecar and the host's default route takes the request"
                .to_owned()
        }
        (None, false) => format!(
            "the sidecar sends the connection to the host's own cluster outbound|{}||{host}",
            port.unwrap_or(0)
        ),
    };
    format!("{why}, so {then}")
}

/// `k=v,k2=v2`, or "with nothing".
fn labels_phrase(labels: &Labels) -> String {
    let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if pairs.is_empty() {
        "with nothing".into()
    } else {
        pairs.join(",")
    }
}

/// The mesh-wide locality setting istiod gives the client's sidecar: its cluster's mesh
/// config's, read over Istio's default (on, with no rules), as istiod reads a mesh config over
/// its defaults.
fn mesh_setting(view: &ClusterView, client: &Client) -> LocalityLbSetting {
    let mesh = view
        .world
        .clusters
        .get(&client.cluster)
        .and_then(|c| c.mesh_config.as_ref())
        .and_then(|m| m.locality_lb.as_ref());
    let Some(mesh) = mesh else {
        return LocalityLbSetting {
            enabled: Some(true),
            ..Default::default()
        };
    };
    LocalityLbSetting {
        enabled: mesh.enabled.or(Some(true)),
        distribute: mesh
            .distribute
            .iter()
            .map(|(from, to)| Distribute {
                from: from.clone(),
                to: to.clone(),
            })
            .collect(),
        failover: mesh
            .failover
            .iter()
            .map(|(from, to)| Failover {
                from: from.clone(),
                to: to.clone(),
            })
            .collect(),
        failover_priority: mesh.failover_priority.clone(),
    }
}

/// One destination of the route, and the fault when it cannot take traffic.
fn destination(
    view: &ClusterView,
    client: &Client,
    d: &RouteDest,
    request_port: Option<u32>,
    question: &Question,
) -> (DestinationJson, Option<Fault>) {
    let mut out = DestinationJson {
        host: d.host.clone(),
        port: d.port.or(request_port),
        subset: d.subset.clone(),
        weight: d.weight,
        destination_rule: None,
        tls: Tls::default(),
        locality_lb: priority::Mode::Off.as_str(),
        priorities: Vec::new(),
        serving: None,
        failing: Vec::new(),
        left_out: Vec::new(),
        outcome: Outcome::Ok,
        service: None,
        outlier_detection: false,
        max_ejection_percent: None,
    };
    let fault = fill(view, client, &mut out, question).err();
    if fault.is_some() && out.outcome == Outcome::Ok {
        out.outcome = Outcome::NoCluster;
    }
    (out, fault)
}

/// Fills `out` in; `Err` is the fault (with `out.outcome` set, or no-cluster).
fn fill(
    view: &ClusterView,
    client: &Client,
    out: &mut DestinationJson,
    question: &Question,
) -> Result<(), Fault> {
    let svc = visible_service(view, &client.namespace, &out.host)?;
    out.service = Some(svc.describe());
    let ports = svc.ports();
    let port = out
        .port
        .or_else(|| (ports.len() == 1).then(|| ports[0].number));
    let Some(svc_port) = ports.iter().find(|p| Some(p.number) == port) else {
        let list: Vec<String> = ports.iter().map(|p| p.number.to_string()).collect();
        let reason = match port {
            Some(p) => format!("declares port {} but not {p}", list.join(", ")),
            None => format!("has ports {} and the route names none", list.join(", ")),
        };
        return Err(svc.fault(view.name, reason));
    };
    out.port = Some(svc_port.number);
    let rule = destination::destination_rule(view, &client.namespace, svc.namespace, &out.host);
    out.destination_rule = rule.map(|(meta, _)| reference(meta));
    let subset_labels = subset_labels(view, rule, out)?;
    let policy = rule.and_then(|(_, r)| port_policy(r, svc_port.number));
    out.tls = tls(policy, &svc, out);
    let outlier_detection = policy.and_then(|p| p.outlier_detection.as_ref());
    out.outlier_detection = outlier_detection.is_some();
    out.max_ejection_percent =
        outlier_detection.map(|o| eject::max_ejection_percent(o.max_ejection_percent));
    let mesh = mesh_setting(view, client);
    let own = policy
        .and_then(|p| p.load_balancer.as_ref())
        .and_then(|lb| lb.locality_lb_setting.as_ref());
    let setting = priority::effective_setting(Some(&mesh), own);
    out.locality_lb = priority::mode(setting, out.outlier_detection).as_str();
    let eps = endpoints::endpoints(view, &svc, svc_port, &out.host, &subset_labels);
    let rule_tls = policy.map(|p| p.tls.mode).filter(|m| !m.is_empty());
    let (eps, left_out) =
        super::split::split_horizon(view.cluster, view.name, &client.network, rule_tls, eps);
    out.left_out = (left_out.iter())
        .map(|e| super::split::left_out(e, rule_tls, &client.network))
        .collect();
    let groups = priority::group_by_locality(
        eps.iter()
            .enumerate()
            .map(|(id, e)| {
                let lb = LbEndpoint {
                    id,
                    labels: e.topology.clone(),
                    weight: e.weight,
                };
                (e.locality.clone(), lb)
            })
            .collect(),
    );
    let groups = priority::apply(
        groups,
        &client.locality,
        &client.proxy_labels(),
        setting,
        out.outlier_detection,
    );
    out.priorities = priorities_json(&eps, &groups, &question.fail);
    // Without outlier detection nothing is ejected: the failed endpoints keep their share.
    eject::eject(&mut out.priorities, out.max_ejection_percent.unwrap_or(0));
    out.serving = serving(&out.priorities);
    super::judge::judge(view, &svc, rule, out, &eps, &question.fail)
}

/// The labels of the route's subset. `Err` when no DestinationRule defines it (503 NC).
fn subset_labels(
    view: &ClusterView,
    rule: Option<(&ObjectMeta, &DestinationRule)>,
    out: &DestinationJson,
) -> Result<Labels, Fault> {
    let Some(name) = &out.subset else {
        return Ok(Labels::new());
    };
    if let Some(subset) = rule.and_then(|(_, r)| r.subsets.iter().find(|s| &s.name == name)) {
        return Ok(subset.labels.clone());
    }
    Err(match rule {
        Some((meta, _)) => Fault {
            cluster: view.name.into(),
            kind: "DestinationRule".into(),
            object: Some(reference(meta)),
            reason: format!("defines no subset {name}, which the route sends to"),
            response: None,
        },
        None => Fault {
            cluster: view.name.into(),
            kind: "DestinationRule".into(),
            object: None,
            reason: format!("no DestinationRule for {} defines subset {name}", out.host),
            response: None,
        },
    })
}

/// The TLS the sidecar originates: the DestinationRule's for the port, else Istio's auto mTLS
/// (plain text to a service outside the mesh). `ISTIO_MUTUAL` sends the cluster's name as SNI.
fn tls(policy: Option<&PortTrafficPolicy>, svc: &Svc, out: &DestinationJson) -> Tls {
    let (mode, sni, sans) = match policy {
        Some(p) => (
            p.tls.mode.to_owned(),
            p.tls.sni.clone(),
            p.tls.subject_alt_names.clone(),
        ),
        None if svc.external() => ("DISABLE".to_owned(), None, Vec::new()),
        None => ("ISTIO_MUTUAL".to_owned(), None, Vec::new()),
    };
    let sni = sni.or_else(|| {
        (mode == "ISTIO_MUTUAL").then(|| {
            format!(
                "outbound_.{}_.{}_.{}",
                out.port.unwrap_or(0),
                out.subset.as_deref().unwrap_or(""),
                out.host
            )
        })
    });
    Tls {
        mode,
        sni,
        subject_alt_names: sans,
    }
}

/// Every endpoint under its priority, with its locality's weight; localities `distribute`
/// leaves out are listed at priority 0 with weight 0.
fn priorities_json(
    eps: &[Endpoint],
    groups: &[LocalityGroup],
    fail: &[FailTarget],
) -> Vec<PriorityJson> {
    let mut by_priority: BTreeMap<u32, Vec<EndpointJson>> = BTreeMap::new();
    let mut placed = vec![false; eps.len()];
    for group in groups {
        for lb in &group.endpoints {
            placed[lb.id] = true;
            let json = endpoint_json(lb.id, &eps[lb.id], group.weight.unwrap_or(1), fail);
            by_priority.entry(group.priority).or_default().push(json);
        }
    }
    for (id, e) in eps.iter().enumerate().filter(|(id, _)| !placed[*id]) {
        by_priority
            .entry(0)
            .or_default()
            .push(endpoint_json(id, e, 0, fail));
    }
    by_priority
        .into_iter()
        .map(|(priority, endpoints)| PriorityJson {
            priority,
            endpoints,
        })
        .collect()
}

fn endpoint_json(index: usize, e: &Endpoint, weight: u32, fail: &[FailTarget]) -> EndpointJson {
    let down = fail.iter().any(|t| fails(t, e));
    EndpointJson {
        address: e.address.clone(),
        port: e.port,
        locality: e.locality.istio(),
        weight,
        cluster: e.cluster.clone(),
        via: e.gateway.as_ref().map(|_| "east-west-gateway"),
        // Until outlier detection's share is applied ([`eject::eject`]).
        ejected: down,
        hostname: e.gateway.is_some() && !crate::dns::is_ip(&e.address),
        down,
        pods: e.pods.clone(),
        terminates: e.gateway.as_ref().is_some_and(|g| g.terminates),
        dead_end: e.gateway.as_ref().is_some_and(|g| !g.serves_host),
        refused: e.gateway.as_ref().is_some_and(|g| !g.has_port),
        unreachable: e.off_network.is_some(),
        index,
    }
}

/// Whether `--fail target` takes `e` down.
fn fails(target: &FailTarget, e: &Endpoint) -> bool {
    match target {
        FailTarget::Cluster(c) => &e.cluster == c,
        FailTarget::Region(r) => &e.locality.region == r,
        FailTarget::Zone { region, zone } => {
            &e.locality.region == region && &e.locality.zone == zone
        }
        FailTarget::Address(a) => &e.address == a,
    }
}

/// The first priority with an endpoint left that takes traffic.
fn serving(priorities: &[PriorityJson]) -> Option<u32> {
    priorities
        .iter()
        .find(|p| p.endpoints.iter().any(|e| !e.ejected && e.weight > 0))
        .map(|p| p.priority)
}

/// What the trace assumed of a gateway at a DNS name, and why istiod left endpoints out when
/// others are left (with none, the first one left out is the outcome's fault already).
fn endpoint_notes(d: &DestinationJson) -> Vec<String> {
    let mut names: Vec<&str> = (d.priorities.iter())
        .flat_map(|p| &p.endpoints)
        .filter(|e| e.hostname)
        .map(|e| e.address.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut notes: Vec<String> = names
        .into_iter()
        .map(|name| format!(
            "{name} is a DNS name: istiod resolves a network gateway's name, and Envoy a DNS ServiceEntry's, into one endpoint per address it gets; vdc has no DNS and counts it as one endpoint, so its locality's weight is as shown, but how that weight splits against other endpoints of the locality, how many hosts outlier detection's maxEjectionPercent counts, and whether the name resolves at all (a name that does not is no endpoint) are not known here"
        ))
        .collect();
    if !d.priorities.is_empty() {
        notes.extend(d.left_out.iter().map(|l| {
            let at = crate::text::address_port(&l.address, l.port);
            let (kind, object) = &l.object;
            let what = object
                .as_ref()
                .map_or(kind.clone(), |o| format!("{kind} {o}"));
            format!("{what} at {at} {}", l.reason)
        }));
    }
    notes
}

/// What a reader of a failure drill must know: without outlier detection nothing is ejected;
/// with it, nothing past its share of the cluster's hosts.
fn fail_notes(d: &DestinationJson, question: &Question) -> Vec<String> {
    let endpoints = || d.priorities.iter().flat_map(|p| &p.endpoints);
    if question.fail.is_empty() || !endpoints().any(|e| e.down) {
        return Vec::new();
    }
    let rule = d
        .destination_rule
        .as_deref()
        .unwrap_or("no DestinationRule");
    let port = d.port.unwrap_or(0);
    let Some(max) = d.max_ejection_percent else {
        return vec![format!(
            "no outlier detection for {}:{port} ({rule}): the sidecar never ejects the failed endpoints and, with every locality at priority 0, keeps sending them their share",
            d.host,
        )];
    };
    let kept = endpoints()
        .filter(|e| e.down && !e.ejected && e.weight > 0)
        .count();
    if kept == 0 {
        return Vec::new();
    }
    let cluster = format!(
        "outbound|{port}|{}|{}",
        d.subset.as_deref().unwrap_or(""),
        d.host
    );
    let hosts = eject::hosts(&d.priorities);
    let (them, stay) = match kept {
        1 => ("1 endpoint".to_owned(), "stays"),
        n => (format!("{n} endpoints"), "stay"),
    };
    vec![format!(
        "outlier detection ejects at most {max}% of the {hosts} endpoints of {cluster} (maxEjectionPercent of {rule}): {them} --fail took down {stay} in the load-balancing set, down, not ejected, and the requests sent there fail"
    )]
}
