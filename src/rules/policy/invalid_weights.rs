//! **VDC603 invalid-weights** (error): Weights that do not sum to 100.
//!
//! ## What it does
//!
//! Weights that do not add up: in a FailoverPolicy locality mapping's `to` list, or across a
//! route's `forwardTo.destinations`. The weights may not exceed 100; without unweighted entries
//! they must be exactly 100; unweighted entries share what is left and need at least 1 each.
//!
//! ## Why is this bad?
//!
//! Istio requires `distribute` weights, and route weights, to sum to exactly 100 and refuses
//! the DestinationRule or VirtualService otherwise.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/policies.yaml`:
//!
//! ```yaml
//!   config:
//!     localityMappings:
//!     - from:
//!         region: us-west-1
//!       to:
//!       - region: us-east-1
//!         weight: 80
//!       - region: us-east-2
//!         weight: 30
//! ```
//!
//! ## Fix
//!
//! Make the weights sum to 100 (`80` and `20`), or leave some unweighted to share the rest.
//!
//! Fixture: `testdata/check/invalid-weights/`. Long form: `docs/diagnostics.md#vdc603`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Site};
use crate::model::World;
use crate::resolve::weights::{WeightProblem, complete_weights};

pub const CODE: Code = Code::InvalidWeights;

/// The weights of each FailoverPolicy locality mapping that gives any.
pub fn check(world: &World, diags: &mut Diagnostics) {
    for (policy, failover) in world.failover_policies() {
        for (i, m) in failover.mappings.iter().enumerate() {
            let given: Vec<Option<u32>> =
                m.to.iter()
                    .map(|t| t.weight.as_ref().map(|w| w.value))
                    .collect();
            if given.iter().all(Option::is_none) {
                continue;
            }
            if let Some(problem) = complete_weights(&given).problem {
                let case = Case::LocalityMapping {
                    index: i,
                    from_region: &m.from.region,
                    problem,
                };
                diags.push(diagnostic(policy.meta.site(m.pos), case));
            }
        }
    }
}

/// Why the weights of a locality mapping cannot sum to 100, as the message says it.
fn phrase(problem: WeightProblem) -> String {
    match problem {
        WeightProblem::Over100 { sum } => format!("the weights sum to {sum}, more than 100"),
        WeightProblem::NotExactly100 { sum } => {
            format!("the weights sum to {sum}; Istio needs exactly 100")
        }
        WeightProblem::TooLittleLeft { sum, unweighted } => format!(
            "the weights sum to {sum}, leaving {} for {unweighted} unweighted targets (at least 1 each)",
            100 - sum
        ),
    }
}

/// The two places weights must sum to 100.
pub enum Case<'a> {
    /// Entry `index` of a FailoverPolicy's `localityMappings`, from `from_region`.
    LocalityMapping {
        index: usize,
        from_region: &'a str,
        problem: WeightProblem,
    },
    /// Route `index` of a RouteTable's `spec.http`, named `name`.
    /// Route `index` of the RouteTable's `section` list (`http`, `tcp`, `tls`).
    Route {
        section: &'a str,
        index: usize,
        name: &'a str,
    },
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    match case {
        Case::LocalityMapping {
            index,
            from_region,
            problem,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!("locality mapping from `{from_region}`: {}", phrase(problem)),
        )
        .field(format!("spec.config.localityMappings[{index}].to"))
        .help("make the weights of each mapping's `to` list sum to 100 (unweighted targets share what is left)"),
        Case::Route {
            section,
            index,
            name,
        } => Diagnostic::new_at(
            CODE,
            site,
            format!("the destination weights of route `{name}` do not add up to 100"),
        )
        .field(format!("spec.{section}[{index}].forwardTo.destinations"))
        .help("make the weights sum to 100; unweighted destinations share what is left"),
    }
}
