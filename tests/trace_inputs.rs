//! `vdc trace` on every bundled input: from each client cluster to each VirtualDestination
//! host and port, the request ends `ok`, the priorities agree with what `explain` reports
//! (backing clusters, gateway localities, outlier detection), and failing the client's own
//! cluster hands the traffic to the next priority where outlier detection allows it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::collections::BTreeSet;
use std::path::Path;
use vdc::explain::Explanation;
use vdc::trace::{self, Answer, DestinationJson, FailTarget, Loaded, Outcome, Question};
use vdc::translate::istio::Spec;

const INPUTS: &[&str] = &[
    "bookinfo",
    "client-only",
    "delegation",
    "external-backends",
    "multi-vd",
    "route-actions",
    "routing-policies",
    "tcp-tls-routes",
    "team-workspaces",
    "traffic-policies",
    "workshop-manifests",
];

#[test]
fn every_input_lists_its_inputs_here() {
    let mut found: Vec<String> = std::fs::read_dir("testdata")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "check")
        .collect();
    found.sort();
    assert_eq!(
        found, INPUTS,
        "a new input under testdata/ belongs in INPUTS"
    );
}

/// The namespace of the ServiceEntry vdc writes for `host` in `cluster` (where its clients
/// see it), and the source labels the first mesh route for the host asks of a client there.
fn client_for(
    loaded: &Loaded,
    cluster: &str,
    host: &str,
) -> Option<(String, Option<trace::Labels>)> {
    let mine = loaded.outputs.iter().filter(|o| o.cluster == cluster);
    let namespace = mine.clone().find_map(|o| match &o.object.spec {
        Spec::ServiceEntry(se) if se.hosts.iter().any(|h| h == host) => {
            Some(o.object.metadata.namespace.clone())
        }
        _ => None,
    })?;
    let labels = mine.clone().find_map(|o| match &o.object.spec {
        Spec::VirtualService(vs)
            if vs.hosts.iter().any(|h| h == host) && vs.gateways.iter().any(|g| g == "mesh") =>
        {
            vs.http
                .first()
                .and_then(|r| r.matches.first())
                .map(|m| m.source_labels.clone())
        }
        _ => None,
    });
    Some((namespace, labels))
}

/// The trace's priorities agree with `explain`: the clusters reached are the backing ones (and
/// external sites), a gateway endpoint sits at its gateway's locality, and locality failover
/// is on exactly where an OutlierDetectionPolicy applies to the port.
fn agrees(e: &Explanation, d: &DestinationJson, port: u32, what: &str) {
    let clusters: BTreeSet<&str> = d
        .priorities
        .iter()
        .flat_map(|p| &p.endpoints)
        .map(|ep| ep.cluster.as_str())
        .filter(|c| *c != "external")
        .collect();
    let backing: BTreeSet<&str> = e.backing_clusters.iter().map(String::as_str).collect();
    assert!(
        clusters.is_subset(&backing),
        "{what}: reaches {clusters:?}, explain backs it with {backing:?}"
    );
    if d.subset.is_none() {
        assert_eq!(
            clusters, backing,
            "{what}: every backing cluster is an endpoint"
        );
    }
    for ep in d.priorities.iter().flat_map(|p| &p.endpoints) {
        if ep.via.is_some() {
            let gw = e
                .gateways
                .iter()
                .flat_map(|g| g.addresses.iter().map(move |a| (g, a)))
                .find(|(g, a)| g.cluster == ep.cluster && a.address == ep.address)
                .unwrap_or_else(|| {
                    panic!("{what}: no gateway of explain answers at {}", ep.address)
                });
            assert_eq!(gw.1.locality, ep.locality, "{what}: gateway locality");
        }
    }
    let outlier = e
        .applied_policies
        .iter()
        .any(|p| p.kind == "OutlierDetectionPolicy" && p.ports.contains(&port));
    assert_eq!(d.outlier_detection, outlier, "{what}: outlier detection");
    let failover = e
        .applied_policies
        .iter()
        .any(|p| p.kind == "FailoverPolicy" && p.ports.contains(&port));
    match d.locality_lb {
        "distribute" => assert!(failover, "{what}: distribute without a FailoverPolicy"),
        "off" => assert!(
            !outlier,
            "{what}: outlier detection but no locality failover"
        ),
        _ => assert!(outlier, "{what}: priorities without outlier detection"),
    }
}

/// `--fail` of the client's own cluster: the next priority serves where outlier detection
/// ejects; without it every endpoint stays at priority 0, and the share of the client's own
/// endpoints fails.
fn drill(loaded: &Loaded, q: &Question, before: &Answer, what: &str) -> Drill {
    let d = &before.destinations[0];
    let own: Vec<u32> = endpoints_in(d, &q.from.cluster);
    let others: Vec<u32> = d
        .priorities
        .iter()
        .filter(|p| {
            p.endpoints
                .iter()
                .any(|e| e.cluster != q.from.cluster && e.weight > 0)
        })
        .map(|p| p.priority)
        .collect();
    if own.is_empty() || others.is_empty() || d.subset.is_some() {
        return Drill::None;
    }
    let mut failed = q.clone();
    failed.fail = vec![FailTarget::Cluster(q.from.cluster.clone())];
    let after = trace::trace(loaded, &failed).unwrap();
    let ad = &after.destinations[0];
    // Without outlier detection the client's own endpoints keep their share, and it fails.
    let expected = if ad.locality_lb == "off" {
        Outcome::NoHealthyEndpoint
    } else {
        Outcome::Ok
    };
    assert_eq!(
        after.outcome,
        expected,
        "{what} --fail: {}",
        trace::human(&after)
    );
    let failing = ad.failing.iter().map(|f| f.cluster.as_str());
    assert!(
        failing.clone().all(|c| c == q.from.cluster)
            && (failing.count() > 0) == (expected != Outcome::Ok),
        "{what} --fail: {}",
        trace::human(&after)
    );
    if ad.locality_lb == "off" {
        let priorities: Vec<u32> = ad.priorities.iter().map(|p| p.priority).collect();
        assert_eq!(
            priorities,
            [0],
            "{what}: one priority without outlier detection"
        );
        assert_eq!(ad.serving, Some(0));
        Drill::Flat
    } else if ad.locality_lb != "distribute" {
        assert_eq!(own, [0], "{what}: the client's own cluster comes first");
        assert_eq!(
            ad.serving,
            others.first().copied(),
            "{what}: the next priority serves"
        );
        assert!(ad.serving > Some(0), "{what}");
        Drill::Moved
    } else {
        Drill::None
    }
}

/// What a drill showed.
#[derive(PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Drill {
    None,
    Flat,
    Moved,
}

fn endpoints_in(d: &DestinationJson, cluster: &str) -> Vec<u32> {
    d.priorities
        .iter()
        .filter(|p| p.endpoints.iter().any(|e| e.cluster == cluster))
        .map(|p| p.priority)
        .collect()
}

#[test]
fn every_client_reaches_every_host_and_agrees_with_explain() {
    let mut traced = 0;
    let mut drills = Vec::new();
    for input in INPUTS {
        let path = Path::new("testdata").join(input);
        let loaded = trace::load(&path, None).unwrap().unwrap();
        assert!(!loaded.has_errors(), "{input} has errors");
        let explained = vdc::explain::explain(&path, &[]).unwrap();
        for e in &explained.explanations {
            let vd = loaded
                .world
                .virtual_destinations
                .iter()
                .find(|v| {
                    v.meta.name == e.name
                        && v.meta.namespace == e.namespace
                        && v.meta.cluster == e.cluster
                })
                .unwrap();
            for host in &vd.hosts {
                for port in &e.ports {
                    for cluster in &e.client_clusters {
                        let what = format!("{input}: {cluster} → {}:{}", host.value, port.number);
                        let Some((namespace, labels)) = client_for(&loaded, cluster, &host.value)
                        else {
                            panic!("{what}: no ServiceEntry for the host in a client cluster");
                        };
                        let from = format!("{cluster}/{namespace}").parse().unwrap();
                        let mut q = Question::new(from, &format!("{}:{}", host.value, port.number))
                            .unwrap();
                        q.labels = labels;
                        let a = trace::trace(&loaded, &q).unwrap();
                        assert_eq!(a.outcome, Outcome::Ok, "{what}:\n{}", trace::human(&a));
                        assert_eq!(a.destinations[0].serving, Some(0), "{what}");
                        for d in &a.destinations {
                            agrees(e, d, port.number, &what);
                        }
                        drills.push(drill(&loaded, &q, &a, &what));
                        traced += 1;
                    }
                }
            }
        }
    }
    drills.sort();
    println!("{traced} traces, drills: {drills:?}");
    assert!(traced >= 25, "only {traced} traces");
    assert!(
        drills.iter().filter(|d| **d == Drill::Moved).count() >= 5,
        "{drills:?}"
    );
    assert!(drills.contains(&Drill::Flat), "{drills:?}");
}
