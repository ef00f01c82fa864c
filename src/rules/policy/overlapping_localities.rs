//! **VDC613 overlapping-localities** (error): A weighted FailoverPolicy whose localities overlap; Istio refuses the DestinationRule.
//!
//! ## What it does
//!
//! A FailoverPolicy with weights (written as Istio `distribute`) where one locality takes in
//! another: two targets of one mapping such as `us-west-1` and `us-west-1/us-west-1a`, or a
//! mapping whose `from` lies inside (or is) the `from` of an earlier mapping. Targets of weight 0
//! are not written, so they are not compared.
//!
//! ## Why is this bad?
//!
//! Istio's webhook (`validateLocalities`) refuses a `distribute` whose localities overlap ("locality
//! us-west-1/us-west-1a/* overlap with previous specified ones"), and with it the whole
//! DestinationRule, TLS settings and SANs included. For `from` it compares the entries in order: a
//! narrower `from` after a wider one is refused, a narrower one first is accepted (Istio uses the
//! first `from` that matches the client). For `to`, a map, the order is Go's map iteration order,
//! so an overlap is accepted or refused at random: vdc refuses any.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!         zone: us-west-1a
//!       to:
//!       - region: us-west-1
//!         zone: us-west-1a
//!         weight: 80
//!       - region: us-west-1
//!         weight: 15
//!       - region: us-east-1
//!         weight: 5
//!     - from:
//!         region: us-east-1
//!       to:
//!       - region: us-east-1
//!         weight: 100
//!     - from:
//!         region: us-east-1
//!         zone: us-east-1b
//!       to:
//!       - region: us-west-1
//!         weight: 100
//! ```
//!
//! ## Fix
//!
//! Name localities that do not overlap: instead of a region beside one of its zones, list the
//! region's other zones by name. For `from`, put the mapping of the narrower locality first, or
//! merge the two mappings.
//!
//! Fixture: `testdata/check/overlapping-localities/`. Long form: `docs/diagnostics.md#vdc613`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::model::policy::LocalityMapping;
use crate::model::types::LocalitySpec;
use crate::resolve::weights::complete_weights;

pub const CODE: Code = Code::OverlappingLocalities;

/// The `distribute` localities of each weighted FailoverPolicy, as Istio's `validateLocalities`
/// compares them: each mapping's `to` in any order (a Go map), the `from`s in order.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, failover) in world.failover_policies() {
        if !failover.weighted() {
            continue;
        }
        for (i, m) in failover.mappings.iter().enumerate() {
            if let Some((outer, inner)) = overlapping_targets(m) {
                let case = Case::To {
                    mapping: i,
                    outer,
                    inner,
                };
                diags.push(diagnostic(policy.meta.site(m.pos), case));
            }
            let earlier = failover.mappings[..i]
                .iter()
                .position(|e| e.from.takes_in(&m.from));
            if let Some(earlier) = earlier {
                let case = Case::From {
                    mapping: i,
                    earlier,
                    outer: &failover.mappings[earlier].from,
                    inner: &m.from,
                };
                diags.push(diagnostic(policy.meta.site(m.pos), case));
            }
        }
    }
}

/// The first two targets of `m` written to `distribute` (weight above 0) of which one takes in
/// the other without being the same locality (those add up into one key): the wider first.
fn overlapping_targets(m: &LocalityMapping) -> Option<(&LocalitySpec, &LocalitySpec)> {
    let weights: Vec<Option<u32>> =
        m.to.iter()
            .map(|t| t.weight.as_ref().map(|w| w.value))
            .collect();
    // Weights that cannot sum to 100 are VDC603's.
    let completed = complete_weights(&weights);
    if completed.problem.is_some() {
        return None;
    }
    let written: Vec<&LocalitySpec> =
        m.to.iter()
            .zip(completed.completed)
            .filter(|(_, weight)| *weight > 0)
            .map(|(t, _)| &t.locality)
            .collect();
    for (k, b) in written.iter().enumerate() {
        for a in &written[..k] {
            if a.parts() == b.parts() {
                continue;
            }
            if a.takes_in(b) {
                return Some((a, b));
            }
            if b.takes_in(a) {
                return Some((b, a));
            }
        }
    }
    None
}

/// The two places localities of a `distribute` can overlap.
pub enum Case<'a> {
    /// Two targets of mapping `mapping`: `outer` takes in `inner`.
    To {
        mapping: usize,
        outer: &'a LocalitySpec,
        inner: &'a LocalitySpec,
    },
    /// The `from` of mapping `mapping` (`inner`) lies inside the `from` of the earlier mapping
    /// `earlier` (`outer`), or is the same.
    From {
        mapping: usize,
        earlier: usize,
        outer: &'a LocalitySpec,
        inner: &'a LocalitySpec,
    },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::To {
            mapping,
            outer,
            inner,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!(
                "the targets `{}` and `{}` overlap: the first takes in the second, and Istio's webhook refuses the whole DestinationRule for overlapping `distribute` localities",
                outer.path(),
                inner.path()
            ),
        )
        .field(format!("spec.config.localityMappings[{mapping}].to"))
        .help(format!(
            "name localities that do not overlap: list the other zones of `{}` by name instead of the whole of it",
            outer.path()
        )),
        Case::From {
            mapping,
            earlier,
            outer,
            inner,
        } => {
            let relation = if outer.parts() == inner.parts() {
                "is the same locality as"
            } else {
                "lies inside"
            };
            Diagnostic::new_at(
                CODE,
                site,
                format!(
                    "`from: {}` {relation} `{}`, the `from` of mapping {earlier}: Istio's webhook refuses the whole DestinationRule for a `distribute` from that overlaps an earlier one",
                    inner.path(),
                    outer.path()
                ),
            )
            .field(format!("spec.config.localityMappings[{mapping}].from"))
            .help("put the mapping of the narrower locality first (Istio uses the first `from` that matches the client), or merge the two mappings")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::Pos;
    use crate::model::decode::Located;
    use crate::model::policy::LocalityTarget;

    fn target(path: &str, weight: u32) -> LocalityTarget {
        let mut parts = path.split('/').map(String::from);
        LocalityTarget {
            locality: LocalitySpec {
                region: parts.next().unwrap_or_default(),
                zone: parts.next(),
                sub_zone: parts.next(),
            },
            weight: Some(Located {
                value: weight,
                pos: Pos::default(),
            }),
        }
    }

    fn overlap(to: &[(&str, u32)]) -> Option<(String, String)> {
        let m = LocalityMapping {
            from: LocalitySpec::default(),
            to: to.iter().map(|(p, w)| target(p, *w)).collect(),
            pos: Pos::default(),
        };
        overlapping_targets(&m).map(|(a, b)| (a.path(), b.path()))
    }

    #[test]
    fn a_region_takes_in_its_zones_in_either_order() {
        let wide = Some(("r".to_string(), "r/a".to_string()));
        assert_eq!(overlap(&[("r", 50), ("r/a", 50)]), wide);
        assert_eq!(overlap(&[("r/a", 50), ("r", 50)]), wide);
        let zone = Some(("r/a".to_string(), "r/a/x".to_string()));
        assert_eq!(overlap(&[("r/a/x", 50), ("r/a", 50)]), zone);
    }

    #[test]
    fn disjoint_same_and_unwritten_targets_do_not_overlap() {
        assert_eq!(overlap(&[("r/a", 50), ("r/b", 50)]), None);
        assert_eq!(overlap(&[("r/a/x", 50), ("r/a/y", 50)]), None);
        // The same locality twice adds up into one key.
        assert_eq!(overlap(&[("r", 50), ("r", 50)]), None);
        // A target of weight 0 is not written.
        assert_eq!(overlap(&[("r", 0), ("r/a", 100)]), None);
    }
}
