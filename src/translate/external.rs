//! ExternalServices → MESH_EXTERNAL ServiceEntries and client-TLS DestinationRules, and what a
//! VirtualDestination's external backends add to its own objects.

use super::istio::*;
use super::{Context, Output, output};
use crate::dns::is_ip;
use crate::model::external::EsTls;
use crate::names::sanitize;
use crate::resolve::Resolved;
use crate::resolve::resolved::{ExtEndpoint, ResolvedEs};
use std::collections::BTreeMap;

/// Istio's name for a client TLS mode (the proto's enum names are Istio's).
fn mode(m: &str) -> &'static str {
    match m {
        "DISABLE" => "DISABLE",
        "MUTUAL" => "MUTUAL",
        "ISTIO_MUTUAL" => "ISTIO_MUTUAL",
        _ => "SIMPLE",
    }
}

pub(super) fn client_tls(tls: &EsTls, subject_alt_names: &[String]) -> ClientTls {
    let mode = mode(&tls.mode);
    if mode == "DISABLE" {
        return ClientTls {
            mode,
            ..ClientTls::default()
        };
    }
    ClientTls {
        ca_certificates: tls.ca_certificates.clone(),
        client_certificate: tls.client_certificate.clone(),
        credential_name: tls.credential_name.clone(),
        insecure_skip_verify: tls.insecure_skip_verify,
        mode,
        private_key: tls.private_key.clone(),
        sni: tls.sni.clone(),
        subject_alt_names: subject_alt_names.to_vec(),
    }
}

/// Every ExternalService's objects in `only`, in one namespace of each consuming workspace
/// there: the ExternalService's own namespace when it is there, else the first.
pub(super) fn outputs(resolved: &Resolved, api_version: &str, only: &str) -> Vec<Output> {
    let mut out = Vec::new();
    for r in &resolved.external.services {
        for copy in copies(resolved, r, only) {
            let place = |kind, name, spec| {
                output(
                    api_version,
                    kind,
                    &r.es.meta,
                    only,
                    copy.namespace,
                    copy.workspace,
                    name,
                    spec,
                )
            };
            out.push(place(
                "ServiceEntry",
                entry_name(r, copy.workspace),
                Spec::ServiceEntry(service_entry(r, copy.export_to.clone())),
            ));
            for (host, rule) in destination_rules(r, &copy.export_to) {
                out.push(place(
                    "DestinationRule",
                    sanitize(&format!("{}-{host}-{}", base_name(r), copy.workspace)),
                    Spec::DestinationRule(rule),
                ));
            }
        }
    }
    out.extend(workload_groups(resolved, api_version, only));
    out
}

/// One consuming workspace's copy of an ExternalService's objects in a cluster.
struct Copy<'a> {
    workspace: &'a str,
    namespace: &'a str,
    export_to: Vec<String>,
}

/// The copies of `r`'s objects in `cluster`, one per consuming workspace, in the order of its
/// consumers. Two copies are never visible in one namespace: a proxy keeps only one
/// ServiceEntry (and one DestinationRule) of a host, so a namespace an earlier copy already
/// reaches (say a gateway namespace one workspace's routes use and another workspace holds) is
/// left out of the later one's `exportTo`, and a copy left with nowhere new is not made.
fn copies<'a>(resolved: &'a Resolved, r: &'a ResolvedEs, cluster: &'a str) -> Vec<Copy<'a>> {
    let mut reached = std::collections::BTreeSet::new();
    let mut copies = Vec::new();
    for workspace in &r.consumers {
        if !resolved
            .workspaces
            .clusters_holding(workspace)
            .any(|c| c == cluster)
        {
            continue;
        }
        let namespaces: Vec<&str> = resolved
            .workspaces
            .namespaces_in(cluster, workspace)
            .collect();
        let own = r.es.meta.namespace.as_str();
        let Some(&namespace) = namespaces
            .iter()
            .find(|n| **n == own)
            .or(namespaces.first())
        else {
            continue;
        };
        let visible = export_to(r, cluster, workspace, namespace)
            .into_iter()
            .map(|n| if n == "." { namespace.to_owned() } else { n });
        let new: std::collections::BTreeSet<String> =
            visible.filter(|n| !reached.contains(n)).collect();
        if new.is_empty() {
            continue;
        }
        reached.extend(new.iter().cloned());
        let export_to = if new.len() == 1 && new.contains(namespace) {
            vec![".".to_owned()]
        } else {
            new.into_iter().collect()
        };
        copies.push(Copy {
            workspace,
            namespace,
            export_to,
        });
    }
    copies
}

/// Where the copy of `r`'s objects for `workspace`, in `namespace` of `cluster`, is exported:
/// its own namespace (`.`), and every namespace where that workspace's routes to it are used.
fn export_to(r: &ResolvedEs, cluster: &str, workspace: &str, namespace: &str) -> Vec<String> {
    let key = (cluster.to_owned(), workspace.to_owned());
    match r.routed_from.get(&key) {
        Some(users) if users.iter().any(|n| n != namespace) => {
            let mut all = users.clone();
            all.insert(namespace.to_owned());
            all.into_iter().collect()
        }
        _ => vec![".".into()],
    }
}

/// Per ExternalWorkload and connected cluster, a WorkloadGroup in the connected namespace: the
/// template a VM's proxy registers its WorkloadEntry from, with the workload's labels (which
/// the VirtualDestination's ServiceEntry selects), ports and service account (its name).
fn workload_groups(resolved: &Resolved, api_version: &str, only: &str) -> Vec<Output> {
    let world = resolved.world;
    let mut out = Vec::new();
    for w in &world.external.workloads {
        if let Some((cluster, namespace)) = w.connected_clusters.get_key_value(only) {
            if !world.clusters.contains_key(cluster) {
                continue; // VDC803
            }
            let workspace = resolved
                .workspaces
                .of(cluster, namespace)
                .unwrap_or_default();
            let group = WorkloadGroup {
                metadata: WorkloadGroupMeta {
                    labels: w.meta.labels.to_map(),
                },
                template: WorkloadGroupTemplate {
                    ports: w.ports.iter().map(|p| (p.entry_name(), p.number)).collect(),
                    service_account: w.meta.name.clone(),
                },
            };
            out.push(output(
                api_version,
                "WorkloadGroup",
                &w.meta,
                cluster,
                namespace,
                &workspace,
                sanitize(&w.meta.name),
                Spec::WorkloadGroup(group),
            ));
        }
    }
    out
}

fn base_name(r: &ResolvedEs) -> String {
    let m = &r.es.meta;
    format!("externalservice-{}-{}-{}", m.name, m.namespace, m.cluster)
}

fn entry_name(r: &ResolvedEs, workspace: &str) -> String {
    sanitize(&format!("{}-{workspace}", base_name(r)))
}

fn service_entry(r: &ResolvedEs, export_to: Vec<String>) -> ServiceEntry {
    let es = r.es;
    let endpoints: Vec<WorkloadEntry> = r
        .endpoints
        .iter()
        .filter(|ee| !ee.address.is_empty())
        .map(|ee| WorkloadEntry {
            address: ee.address.clone(),
            labels: Labels::new(),
            locality: ee
                .locality
                .as_ref()
                .map(|l| {
                    crate::model::types::Locality {
                        region: l.region.clone(),
                        zone: l.zone.clone().unwrap_or_default(),
                        subzone: l.sub_zone.clone().unwrap_or_default(),
                    }
                    .istio()
                })
                .unwrap_or_default(),
            ports: es
                .ports
                .iter()
                .map(|p| (p.entry_name(), ResolvedEs::endpoint_port(ee, p)))
                .collect(),
            weight: None,
        })
        .collect();
    let resolution = if !endpoints.is_empty() {
        if endpoints.iter().all(|e| is_ip(&e.address)) {
            "STATIC"
        } else {
            "DNS"
        }
    } else if es.hosts.is_empty() || es.hosts.iter().any(|h| h.contains('*')) {
        "NONE"
    } else {
        "DNS"
    };
    ServiceEntry {
        addresses: es.addresses.iter().map(|a| a.value.clone()).collect(),
        endpoints: endpoints.into(),
        export_to,
        hosts: r.hosts.clone(),
        location: "MESH_EXTERNAL",
        ports: es
            .ports
            .iter()
            .map(|p| ServicePort {
                name: p.entry_name(),
                number: p.number,
                protocol: p.protocol.clone(),
                target_port: Some(ResolvedEs::direct_port(p)).filter(|t| *t != p.number),
            })
            .collect(),
        resolution,
        workload_selector: None,
    }
}

/// One DestinationRule per host for the ports with `clientsideTls`.
fn destination_rules(r: &ResolvedEs, export_to: &[String]) -> Vec<(String, DestinationRule)> {
    let settings: Vec<PortTrafficPolicy> =
        r.es.ports
            .iter()
            .filter_map(|p| {
                let tls = r.tls_for(p)?;
                Some(PortTrafficPolicy {
                    connection_pool: None,
                    load_balancer: None,
                    outlier_detection: None,
                    port: PortSelector { number: p.number },
                    tls: client_tls(&tls, &r.es.subject_alt_names),
                })
            })
            .collect();
    if settings.is_empty() {
        return Vec::new();
    }
    r.hosts
        .iter()
        .map(|host| {
            (
                host.clone(),
                DestinationRule {
                    export_to: export_to.to_vec(),
                    host: host.clone(),
                    subsets: Vec::new(),
                    traffic_policy: TrafficPolicy {
                        port_level_settings: settings.clone(),
                    },
                },
            )
        })
        .collect()
}

/// A VD's external endpoints merged by (address, locality): the ports map names each VD port
/// it serves.
fn vd_endpoints(cx: &Context, labels: &Labels) -> Vec<WorkloadEntry> {
    let mut merged: BTreeMap<(String, String), BTreeMap<String, u32>> = BTreeMap::new();
    for (port, ext) in cx.vd.vd.ports.iter().zip(&cx.vd.external.ports) {
        for ExtEndpoint {
            address,
            port: number,
            locality,
        } in &ext.endpoints
        {
            merged
                .entry((address.clone(), locality.clone()))
                .or_default()
                .insert(port.entry_name(), *number);
        }
    }
    merged
        .into_iter()
        .map(|((address, locality), ports)| WorkloadEntry {
            address,
            labels: labels.clone(),
            locality,
            ports,
            weight: None,
        })
        .collect()
}

/// Client-only clusters: the external endpoints join the ServiceEntry's inline endpoints.
pub(super) fn extend_vd_entry(cx: &Context, entry: &mut ServiceEntry) {
    if cx.local_selector().is_some() {
        return;
    }
    let extra = vd_endpoints(cx, &Labels::new());
    if extra.is_empty() {
        return;
    }
    if extra.iter().any(|e| !is_ip(&e.address)) {
        entry.resolution = "DNS";
    }
    let mut endpoints = entry.endpoints.to_vec();
    endpoints.extend(extra);
    endpoints.sort_by(|a, b| (&a.address, &a.locality).cmp(&(&b.address, &b.locality)));
    entry.endpoints = endpoints.into();
}

/// Backing clusters select endpoints by labels, so the external ones become WorkloadEntries.
pub(super) fn vd_workload_entries(cx: &Context) -> Vec<(String, WorkloadEntry)> {
    let Some(selector) = cx.local_selector() else {
        return Vec::new();
    };
    let base = format!(
        "{}-{}",
        cx.entry_name(),
        crate::names::label_pairs(selector)
    );
    let mut out: Vec<(String, WorkloadEntry)> = vd_endpoints(cx, &selector.to_map())
        .into_iter()
        .map(|we| (sanitize(&format!("{base}-{}", we.address)), we))
        .collect();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

/// A VD's DestinationRule port entries as its external backends and client mode need them.
pub(super) fn amend_vd_rule(cx: &Context, rule: &mut DestinationRule) {
    let in_mesh = !cx.vd.backing.is_empty();
    let termination = cx.vd.external.tls_termination();
    let gateway_sans = if termination {
        super::tls_termination::client_sans(cx)
    } else {
        Vec::new()
    };
    let host = rule.host.clone();
    for (entry, ext) in rule
        .traffic_policy
        .port_level_settings
        .iter_mut()
        .zip(&cx.vd.external.ports)
    {
        if !in_mesh {
            if ext.endpoints.is_empty() {
                continue;
            }
            entry.tls = match &ext.tls {
                Some(tls) => client_tls(tls, &ext.subject_alt_names),
                None => ClientTls {
                    mode: "DISABLE",
                    ..ClientTls::default()
                },
            };
            continue;
        }
        if termination {
            entry.tls.subject_alt_names = gateway_sans.clone();
            entry.tls.sni = Some(host.clone());
        }
        if !ext.subject_alt_names.is_empty() {
            entry
                .tls
                .subject_alt_names
                .extend(ext.subject_alt_names.iter().cloned());
            entry.tls.subject_alt_names.sort();
            entry.tls.subject_alt_names.dedup();
        }
    }
}
