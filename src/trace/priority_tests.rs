//! Istio's own cases for `ApplyLocalityLoadBalancer` and `GetEffectiveLbSetting`, from
//! `pilot/pkg/networking/core/loadbalancer/loadbalancer_test.go` (istio/istio), each named
//! after the Istio test it comes from. The facts (inputs and the priorities and weights
//! expected) are Istio's; the tables are vdc's.

use super::*;
use crate::translate::istio::{Distribute, Failover, LocalityLbSetting};

fn at(locality: &str) -> Locality {
    let mut parts = locality.split('/').map(str::to_owned);
    Locality {
        region: parts.next().unwrap_or_default(),
        zone: parts.next().unwrap_or_default(),
        subzone: parts.next().unwrap_or_default(),
    }
}

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The client of every case: `region1/zone1/subzone1`.
fn client() -> Locality {
    at("region1/zone1/subzone1")
}

/// Localities with no endpoints and no weight, as Istio's fake clusters are built.
fn bare(localities: &[&str]) -> Vec<LocalityGroup> {
    localities
        .iter()
        .map(|l| LocalityGroup {
            locality: at(l),
            weight: None,
            priority: 0,
            endpoints: Vec::new(),
        })
        .collect()
}

/// `buildFakeCluster`.
fn fake_cluster() -> Vec<LocalityGroup> {
    bare(&[
        "region1/zone1/subzone1",
        "region1/zone1/subzone1",
        "region1/zone1/subzone2",
        "region1/zone1/subzone3",
        "region1/zone2",
        "region2",
        "region3",
    ])
}

fn failover_to_region2() -> LocalityLbSetting {
    LocalityLbSetting {
        failover: vec![Failover {
            from: "region1".into(),
            to: "region2".into(),
        }],
        ..Default::default()
    }
}

fn priorities(groups: &[LocalityGroup]) -> Vec<u32> {
    groups.iter().map(|g| g.priority).collect()
}

fn run(groups: Vec<LocalityGroup>, setting: Option<&LocalityLbSetting>) -> Vec<LocalityGroup> {
    apply(groups, &client(), &Labels::new(), setting, true)
}

#[test]
fn istio_apply_locality_setting_distribute_between_subzones() {
    // TestApplyLocalitySetting/Distribute/"distribution between subzones"
    let setting = LocalityLbSetting {
        distribute: vec![Distribute {
            from: "region1/zone1/subzone1".into(),
            to: [
                ("region1/zone1/subzone1".to_owned(), 80),
                ("region1/zone1/subzone2".to_owned(), 15),
                ("region1/zone1/subzone3".to_owned(), 5),
            ]
            .into(),
        }],
        ..Default::default()
    };
    let out = run(fake_cluster(), Some(&setting));
    let weights: Vec<u32> = out.iter().map(|g| g.weight.unwrap_or(0)).collect();
    assert_eq!(weights, [40, 40, 15, 5, 0, 0, 0]);
}

#[test]
fn istio_apply_locality_setting_failover_all_priorities() {
    // TestApplyLocalitySetting/"Failover: all priorities"
    let out = run(fake_cluster(), Some(&failover_to_region2()));
    assert_eq!(priorities(&out), [0, 0, 1, 1, 2, 3, 4]);
}

#[test]
fn istio_apply_locality_setting_failover_priorities_with_gaps() {
    // TestApplyLocalitySetting/"Failover: priorities with gaps" (`buildSmallCluster`)
    let small = bare(&[
        "region1/zone1/subzone2",
        "region2/zone1/subzone2",
        "region2/zone1/subzone2",
    ]);
    let out = run(small, Some(&failover_to_region2()));
    assert_eq!(priorities(&out), [0, 1, 1]);
}

#[test]
fn istio_apply_locality_setting_failover_with_nil_localities() {
    // TestApplyLocalitySetting/"Failover: priorities with some nil localities"
    let small = bare(&["region1/zone1/subzone2", "", "region2/zone1/subzone2"]);
    let out = run(small, Some(&failover_to_region2()));
    assert_eq!(priorities(&out), [0, 2, 1]);
}

#[test]
fn istio_apply_locality_setting_failover_with_locality_lb_disabled() {
    // TestApplyLocalitySetting/"Failover: with locality lb disabled": a disabled setting is
    // no setting at all.
    let disabled = LocalityLbSetting {
        enabled: Some(false),
        ..Default::default()
    };
    let small = bare(&["region1/zone1/subzone2", "", "region2/zone1/subzone2"]);
    let out = run(small, effective_setting(None, Some(&disabled)));
    assert_eq!(priorities(&out), [0, 0, 0]);
}

/// An endpoint of Istio's wrapped endpoints: its address (as the id's name) and labels.
struct Ep(&'static str, &'static [(&'static str, &'static str)]);

const N1C1: &[(&str, &str)] = &[
    ("topology.istio.io/network", "n1"),
    ("topology.istio.io/cluster", "c1"),
];
const KEY_N2C2: &[(&str, &str)] = &[
    ("key", "value"),
    ("topology.istio.io/network", "n2"),
    ("topology.istio.io/cluster", "c2"),
];
const KEY_N1C3: &[(&str, &str)] = &[
    ("key", "value"),
    ("topology.istio.io/network", "n1"),
    ("topology.istio.io/cluster", "c3"),
];
const KEY_N2C4: &[(&str, &str)] = &[
    ("key", "value"),
    ("topology.istio.io/network", "n2"),
    ("topology.istio.io/cluster", "c4"),
];
const KEY_N1C1: &[(&str, &str)] = &[
    ("key", "value"),
    ("topology.istio.io/network", "n1"),
    ("topology.istio.io/cluster", "c1"),
];
const N2C2: &[(&str, &str)] = &[
    ("topology.istio.io/network", "n2"),
    ("topology.istio.io/cluster", "c2"),
];
const KEY_N1C6: &[(&str, &str)] = &[
    ("key", "value"),
    ("topology.istio.io/network", "n1"),
    ("topology.istio.io/cluster", "c6"),
];

/// Groups of endpoints with labels, each endpoint of weight 1.
fn wrapped(groups: &[(&str, &[Ep])]) -> (Vec<LocalityGroup>, Vec<&'static str>) {
    let mut names = Vec::new();
    let out = groups
        .iter()
        .map(|(locality, eps)| LocalityGroup {
            locality: at(locality),
            weight: Some(eps.len() as u32),
            priority: 0,
            endpoints: eps
                .iter()
                .map(|Ep(name, l)| {
                    names.push(*name);
                    LbEndpoint {
                        id: names.len() - 1,
                        labels: labels(l),
                        weight: 1,
                    }
                })
                .collect(),
        })
        .collect();
    (out, names)
}

/// `buildWrappedLocalityLbEndpoints` (on `buildSmallClusterForFailOverPriority`).
fn wrapped_small() -> (Vec<LocalityGroup>, Vec<&'static str>) {
    wrapped(&[
        (
            "region1/zone1/subzone1",
            &[Ep("1.1.1.1", N1C1), Ep("2.2.2.2", KEY_N2C2)],
        ),
        (
            "region2/zone2/subzone2",
            &[Ep("3.3.3.3", KEY_N1C3), Ep("4.4.4.4", KEY_N2C4)],
        ),
        (
            "region3/zone3/subzone3",
            &[Ep("1.2.3.4", KEY_N1C1), Ep("2.3.4.5", KEY_N2C2)],
        ),
    ])
}

/// `buildWrappedLocalityLbEndpointsForFailoverPriorityWithFailover`.
fn wrapped_six() -> (Vec<LocalityGroup>, Vec<&'static str>) {
    wrapped(&[
        ("region1/zone1/subzone1", &[Ep("1.1.1.1", N1C1)]),
        ("region1/zone2/subzone2", &[Ep("2.2.2.2", KEY_N2C2)]),
        ("region2/zone2/subzone2", &[Ep("3.3.3.3", KEY_N1C3)]),
        ("region3/zone3/subzone3", &[Ep("4.4.4.4", KEY_N2C4)]),
        ("region2/zone2/subzone2", &[Ep("5.5.5.5", N2C2)]),
        ("region3/zone3/subzone3", &[Ep("6.6.6.6", KEY_N1C6)]),
    ])
}

/// Each resulting group as (its endpoints' addresses, priority, weight).
fn summary(out: &[LocalityGroup], names: &[&str]) -> Vec<(String, u32, u32)> {
    out.iter()
        .map(|g| {
            let eps: Vec<&str> = g.endpoints.iter().map(|e| names[e.id]).collect();
            (eps.join(","), g.priority, g.weight.unwrap_or(0))
        })
        .collect()
}

/// One of Istio's `FailoverPriority` cases: a setting with `failover_priority` (and, with
/// `failover`, failover from region1 to region2) applied for a proxy labelled `proxy` to the
/// groups `endpoints` builds; `want` is each resulting group as (its endpoints' addresses,
/// priority, weight).
struct PriorityCase {
    failover_priority: &'static [&'static str],
    failover: bool,
    proxy: &'static [(&'static str, &'static str)],
    endpoints: fn() -> (Vec<LocalityGroup>, Vec<&'static str>),
    want: &'static [(&'static str, u32, u32)],
}

impl PriorityCase {
    /// The runner of every case.
    fn check(self) {
        let Self {
            failover_priority,
            failover,
            proxy,
            endpoints,
            want,
        } = self;
        let mut setting = if failover {
            failover_to_region2()
        } else {
            LocalityLbSetting::default()
        };
        setting.failover_priority = failover_priority.iter().map(|s| s.to_string()).collect();
        let (groups, names) = endpoints();
        let out = apply(groups, &client(), &labels(proxy), Some(&setting), true);
        let want: Vec<(String, u32, u32)> = want
            .iter()
            .map(|(e, p, w)| (e.to_string(), *p, *w))
            .collect();
        assert_eq!(summary(&out, &names), want);
    }
}

/// [`wrapped_six`] with `region` and `zone` labels on each endpoint, from its locality.
fn wrapped_six_with_locality_labels() -> (Vec<LocalityGroup>, Vec<&'static str>) {
    let (mut groups, names) = wrapped_six();
    for g in &mut groups {
        for e in &mut g.endpoints {
            e.labels.insert("region".into(), g.locality.region.clone());
            e.labels.insert("zone".into(), g.locality.zone.clone());
        }
    }
    (groups, names)
}

const NETWORK: &str = "topology.istio.io/network";
const CLUSTER: &str = "topology.istio.io/cluster";
const NETWORK_CLUSTER: &[&str] = &[NETWORK, CLUSTER];

/// [`wrapped_small`] when no endpoint is set apart: its localities, all at priority 0.
const SMALL_AS_BUILT: &[(&str, u32, u32)] = &[
    ("1.1.1.1,2.2.2.2", 0, 2),
    ("3.3.3.3,4.4.4.4", 0, 2),
    ("1.2.3.4,2.3.4.5", 0, 2),
];

/// [`wrapped_small`] when the endpoints of network n1 come first in each locality.
const SMALL_N1_FIRST: &[(&str, u32, u32)] = &[
    ("1.1.1.1", 0, 1),
    ("2.2.2.2", 1, 1),
    ("3.3.3.3", 0, 1),
    ("4.4.4.4", 1, 1),
    ("1.2.3.4", 0, 1),
    ("2.3.4.5", 1, 1),
];

/// A `#[test]` a row, named after its case, so that a failure names the Istio case.
macro_rules! priority_cases {
    ($($name:ident: $case:expr;)*) => {
        $(
            #[test]
            fn $name() {
                $case.check();
            }
        )*
    };
}

priority_cases! {
    // TestApplyLocalitySetting/FailoverPriority/"match none label"
    istio_failover_priority_match_none_label: PriorityCase {
        failover_priority: NETWORK_CLUSTER,
        failover: false,
        proxy: &[(NETWORK, "test"), (CLUSTER, "test")],
        endpoints: wrapped_small,
        want: SMALL_AS_BUILT,
    };

    // TestApplyLocalitySetting/FailoverPriority/"match network label"
    istio_failover_priority_match_network_label: PriorityCase {
        failover_priority: NETWORK_CLUSTER,
        failover: false,
        proxy: &[(NETWORK, "n1"), (CLUSTER, "test")],
        endpoints: wrapped_small,
        want: SMALL_N1_FIRST,
    };

    // TestApplyLocalitySetting/FailoverPriority/"not match the first n label" (Istio asserts
    // priorities and weights; the endpoints are what the algorithm puts there)
    istio_failover_priority_not_match_the_first_n_label: PriorityCase {
        failover_priority: NETWORK_CLUSTER,
        failover: false,
        proxy: &[(NETWORK, "test"), (CLUSTER, "c1")],
        endpoints: wrapped_small,
        want: &[
            ("1.1.1.1", 0, 1),
            ("2.2.2.2", 1, 1),
            ("3.3.3.3,4.4.4.4", 1, 2),
            ("1.2.3.4", 0, 1),
            ("2.3.4.5", 1, 1),
        ],
    };

    // TestApplyLocalitySetting/FailoverPriority/"match all labels"
    istio_failover_priority_match_all_labels: PriorityCase {
        failover_priority: &["key", NETWORK, CLUSTER],
        failover: false,
        proxy: &[("key", "value"), (NETWORK, "n2"), (CLUSTER, "c2")],
        endpoints: wrapped_small,
        want: &[
            ("2.2.2.2", 0, 1),
            ("1.1.1.1", 3, 1),
            ("4.4.4.4", 1, 1),
            ("3.3.3.3", 2, 1),
            ("2.3.4.5", 0, 1),
            ("1.2.3.4", 2, 1),
        ],
    };

    // TestApplyLocalitySetting/FailoverPriority/"priority assignment as per the overridden value"
    istio_failover_priority_overridden_value: PriorityCase {
        failover_priority: &["topology.istio.io/network=n1"],
        failover: false,
        proxy: &[(NETWORK, "n2"), (CLUSTER, "test")],
        endpoints: wrapped_small,
        want: SMALL_N1_FIRST,
    };

    // TestApplyLocalitySetting/FailoverPriority/"no endpoints with overridden value"
    istio_failover_priority_no_endpoints_with_overridden_value: PriorityCase {
        failover_priority: &["topology.istio.io/network=n3"],
        failover: false,
        proxy: &[(NETWORK, "n1"), (CLUSTER, "test")],
        endpoints: wrapped_small,
        want: SMALL_AS_BUILT,
    };

    // TestApplyLocalitySetting/"FailoverPriority including locality": the endpoints carry
    // `region` and `zone` labels from their localities.
    istio_failover_priority_including_locality: PriorityCase {
        failover_priority: &[NETWORK, "region", "zone"],
        failover: false,
        proxy: &[(NETWORK, "n1"), ("region", "region2"), ("zone", "zone2")],
        endpoints: wrapped_six_with_locality_labels,
        want: &[
            ("1.1.1.1", 1, 1),
            ("2.2.2.2", 3, 1),
            ("3.3.3.3", 0, 1),
            ("4.4.4.4", 3, 1),
            ("5.5.5.5", 2, 1),
            ("6.6.6.6", 1, 1),
        ],
    };

    // TestApplyLocalitySetting/"FailoverPriority with Failover"/"match all labels"
    istio_failover_priority_with_failover_match_all_labels: PriorityCase {
        failover_priority: NETWORK_CLUSTER,
        failover: true,
        proxy: &[(NETWORK, "n2"), (CLUSTER, "c2")],
        endpoints: wrapped_six,
        want: &[
            ("1.1.1.1", 3, 1),
            ("2.2.2.2", 0, 1),
            ("3.3.3.3", 4, 1),
            ("4.4.4.4", 2, 1),
            ("5.5.5.5", 1, 1),
            ("6.6.6.6", 5, 1),
        ],
    };
}

#[test]
fn istio_failover_needs_outlier_detection() {
    // ApplyToCluster/buildLocalityLbEndpoints: without outlier detection (enableFailover
    // false) failover leaves every locality at priority 0; `distribute` still applies.
    let out = apply(
        fake_cluster(),
        &client(),
        &Labels::new(),
        Some(&failover_to_region2()),
        false,
    );
    assert_eq!(priorities(&out), [0; 7]);
    assert_eq!(mode(Some(&failover_to_region2()), false), Mode::Off);
    let distribute = LocalityLbSetting {
        distribute: vec![Distribute {
            from: "*".into(),
            to: [("region1/*".to_owned(), 100)].into(),
        }],
        ..Default::default()
    };
    assert_eq!(mode(Some(&distribute), false), Mode::Distribute);
}

fn enabled(on: Option<bool>) -> LocalityLbSetting {
    LocalityLbSetting {
        enabled: on,
        ..Default::default()
    }
}

#[test]
fn istio_get_effective_lb_setting() {
    // TestGetEffectiveLbSetting, its locality cases (vdc writes no zone-aware settings and
    // reads no Service trafficDistribution).
    let dr_failover = failover_to_region2();
    let (mesh_on, mesh_off) = (enabled(Some(true)), enabled(Some(false)));
    let (dr_on, dr_off, empty) = (enabled(Some(true)), enabled(Some(false)), enabled(None));
    // "all disabled"
    assert_eq!(effective_setting(None, None), None);
    // "mesh locality only"
    assert_eq!(effective_setting(Some(&empty), None), Some(&empty));
    // "dr locality only", "dr locality only override"
    assert_eq!(effective_setting(None, Some(&empty)), Some(&empty));
    assert_eq!(effective_setting(None, Some(&dr_on)), Some(&dr_on));
    // "dr locality wins over mesh locality"
    assert_eq!(
        effective_setting(Some(&empty), Some(&dr_failover)),
        Some(&dr_failover)
    );
    // "mesh locality disabled"
    assert_eq!(effective_setting(Some(&mesh_off), None), None);
    // "dr locality disabled overrides mesh locality enabled"
    assert_eq!(effective_setting(Some(&mesh_on), Some(&dr_off)), None);
    // "dr locality enabled overrides mesh locality disabled"
    assert_eq!(
        effective_setting(Some(&mesh_off), Some(&dr_on)),
        Some(&dr_on)
    );
}

#[test]
fn localities_are_grouped_sorted_and_weighed() {
    let ep = |id, weight| LbEndpoint {
        id,
        labels: Labels::new(),
        weight,
    };
    let groups = group_by_locality(vec![
        (at("us-west-1"), ep(0, 1)),
        (at("us-east-1"), ep(1, 3)),
        (at("us-west-1"), ep(2, 2)),
    ]);
    let got: Vec<(String, Option<u32>, usize)> = groups
        .iter()
        .map(|g| (g.locality.istio(), g.weight, g.endpoints.len()))
        .collect();
    assert_eq!(
        got,
        [
            ("us-east-1".to_owned(), Some(3), 1),
            ("us-west-1".to_owned(), Some(3), 2)
        ]
    );
}
