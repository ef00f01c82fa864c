//! Which of the endpoints `--fail` takes down outlier detection ejects: Envoy ejects a host only
//! while the cluster stays within its `max_ejection_percent`, so past that share a failed
//! endpoint stays in the load-balancing set and keeps its traffic.

use super::PriorityJson;

/// Envoy's default `max_ejection_percent`. istiod writes a DestinationRule's
/// `maxEjectionPercent` into the cluster only when it is above 0 (`applyOutlierDetection`), so
/// 0 leaves Envoy's default.
const ENVOY_DEFAULT_MAX_EJECTION_PERCENT: u32 = 10;

/// The share of an Envoy cluster's hosts outlier detection may eject, for a DestinationRule's
/// `maxEjectionPercent`.
pub fn max_ejection_percent(configured: u32) -> u32 {
    match configured {
        0 => ENVOY_DEFAULT_MAX_EJECTION_PERCENT,
        percent => percent.min(100),
    }
}

/// The hosts of the Envoy cluster: the endpoints Istio sends it. A locality `distribute` gives
/// no weight has its endpoints removed (`applyLocalityWeights`), so it counts for nothing.
pub fn hosts(priorities: &[PriorityJson]) -> usize {
    priorities
        .iter()
        .flat_map(|p| &p.endpoints)
        .filter(|e| e.weight > 0)
        .count()
}

/// Ejects the endpoints that are `down`, as `DetectorImpl::ejectHost` does: one more ejection
/// only while (ejected + 1) / hosts ≤ `max_percent` %, counted over the whole cluster, every
/// priority together. The endpoints that take traffic fail first, so they go first: by
/// priority, then in the listed order. Returns how many stay down but not ejected.
pub fn eject(priorities: &mut [PriorityJson], max_percent: u32) -> usize {
    let hosts = hosts(priorities);
    let mut ejected = 0;
    let mut kept = 0;
    for e in priorities.iter_mut().flat_map(|p| &mut p.endpoints) {
        if !e.down || e.weight == 0 {
            continue;
        }
        e.ejected = 100 * (ejected + 1) <= max_percent as usize * hosts;
        if e.ejected {
            ejected += 1;
        } else {
            kept += 1;
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::EndpointJson;

    fn endpoint(down: bool, weight: u32) -> EndpointJson {
        EndpointJson {
            address: "a".into(),
            port: 1,
            locality: String::new(),
            weight,
            cluster: "c".into(),
            via: None,
            ejected: down,
            hostname: false,
            down,
            pods: Vec::new(),
            terminates: false,
            dead_end: false,
            refused: false,
            unreachable: false,
            index: 0,
        }
    }

    fn ejected(priorities: &[PriorityJson]) -> Vec<bool> {
        priorities
            .iter()
            .flat_map(|p| &p.endpoints)
            .map(|e| e.ejected)
            .collect()
    }

    #[test]
    fn no_more_than_the_share_is_ejected() {
        // Two of three hosts down, 50 %: the first ejection is 33 %, a second would be 67 %.
        let mut ps = vec![
            PriorityJson {
                priority: 0,
                endpoints: vec![endpoint(true, 2), endpoint(true, 2)],
            },
            PriorityJson {
                priority: 1,
                endpoints: vec![endpoint(false, 1)],
            },
        ];
        assert_eq!(eject(&mut ps.clone(), 50), 1);
        eject(&mut ps, 50);
        assert_eq!(ejected(&ps), [true, false, false]);
        // At exactly the share the host goes: 2 of 4 is 50 %.
        ps[1].endpoints.push(endpoint(false, 1));
        for e in &mut ps[0].endpoints {
            e.ejected = true;
        }
        assert_eq!(eject(&mut ps, 50), 0);
        assert_eq!(ejected(&ps), [true, true, false, false]);
        assert_eq!(eject(&mut ps, 100), 0);
        // Envoy's default 10 % ejects nothing of four hosts.
        assert_eq!(eject(&mut ps, max_ejection_percent(0)), 2);
        assert_eq!(ejected(&ps), [false, false, false, false]);
    }

    #[test]
    fn a_locality_distribute_drops_is_not_a_host() {
        let mut ps = vec![PriorityJson {
            priority: 0,
            endpoints: vec![endpoint(true, 1), endpoint(false, 1), endpoint(true, 0)],
        }];
        assert_eq!(hosts(&ps), 2);
        assert_eq!(eject(&mut ps, 50), 0);
        assert_eq!(ejected(&ps), [true, false, true]);
        assert_eq!(max_ejection_percent(250), 100);
    }
}
