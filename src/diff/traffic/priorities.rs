//! A destination's priorities before and after: each priority as the clusters and localities it
//! sends to, with their weights, and which priority serves.

use super::{Move, Moves, Phrase, What};
use crate::trace::{DestinationJson, EndpointJson, PriorityJson};
use std::collections::BTreeMap;

/// The endpoints of one priority that share a cluster, a locality, a way there (straight or
/// through an east-west gateway) and a state (up, or taken down by `--fail`, and then ejected
/// or not).
#[derive(Debug, PartialEq, Eq)]
struct Group<'a> {
    cluster: &'a str,
    locality: &'a str,
    gateway: bool,
    down: bool,
    /// Outlier detection took it out of the load-balancing set.
    ejected: bool,
    /// The locality's load-balancing weight.
    weight: u32,
    /// `ADDRESS:PORT` of each endpoint.
    endpoints: Vec<String>,
}

/// The groups of a priority, in the order the trace lists their first endpoints.
fn groups(endpoints: &[EndpointJson]) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    for e in endpoints {
        let target = crate::text::address_port(&e.address, e.port);
        let same = |g: &&mut Group| {
            g.cluster == e.cluster
                && g.locality == e.locality
                && g.gateway == e.via.is_some()
                && g.down == e.down
                && g.ejected == e.ejected
        };
        match out.iter_mut().find(same) {
            Some(g) => {
                g.weight = g.weight.max(e.weight);
                g.endpoints.push(target);
            }
            None => out.push(Group {
                cluster: &e.cluster,
                locality: &e.locality,
                gateway: e.via.is_some(),
                down: e.down,
                ejected: e.ejected,
                weight: e.weight,
                endpoints: vec![target],
            }),
        }
    }
    out
}

/// `cluster2 (us-east-1, via east-west gateway, weight 1)`; `detailed` names each endpoint
/// rather than counting them, for when the counts alone read the same on both sides.
fn describe(groups: &[Group], detailed: bool, outlier_detection: bool) -> Phrase {
    let mut phrase = Phrase::default();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            phrase = phrase.word(" and ");
        }
        phrase = phrase
            .name_or(g.cluster, "no cluster")
            .word(" (")
            .name_or(g.locality, "no locality");
        if g.gateway {
            phrase = phrase.word(", via east-west gateway");
        }
        if detailed {
            phrase = phrase
                .word(", ")
                .names(g.endpoints.iter().map(String::as_str), ", ");
        } else if g.endpoints.len() > 1 {
            phrase = phrase.word(format!(", {} endpoints", g.endpoints.len()));
        }
        phrase = phrase.word(format!(", weight {}", g.weight));
        if g.down {
            phrase = phrase.word(match outlier_detection && g.ejected {
                true => ", ejected",
                false => ", down, not ejected",
            });
        }
        phrase = phrase.word(")");
    }
    phrase
}

/// One move per priority whose groups differ, then one when another priority serves.
pub(super) fn compare(o: &DestinationJson, n: &DestinationJson, key: &str, moves: &mut Moves) {
    let (old, new) = (by_number(o), by_number(n));
    let numbers: std::collections::BTreeSet<u32> = old.keys().chain(new.keys()).copied().collect();
    for number in numbers {
        let (before, after) = (old.get(&number), new.get(&number));
        if before == after {
            continue;
        }
        let words = |detailed: bool| {
            (
                before.map(|g| describe(g, detailed, o.outlier_detection)),
                after.map(|g| describe(g, detailed, n.outlier_detection)),
            )
        };
        let (mut a, mut b) = words(false);
        if a == b {
            (a, b) = words(true);
        }
        moves.0.push(Move {
            what: What::Priority,
            destination: Some(key.to_owned()),
            priority: Some(number),
            old: a,
            new: b,
        });
    }
    if o.serving != n.serving {
        moves.0.push(Move {
            what: What::Serving,
            destination: Some(key.to_owned()),
            priority: None,
            old: serving(o),
            new: serving(n),
        });
    }
}

fn by_number(d: &DestinationJson) -> BTreeMap<u32, Vec<Group<'_>>> {
    d.priorities
        .iter()
        .map(|p: &PriorityJson| (p.priority, groups(&p.endpoints)))
        .collect()
}

/// `priority 1 (cluster2)`: the serving priority and the clusters it sends to; `None` when no
/// priority serves.
fn serving(d: &DestinationJson) -> Option<Phrase> {
    let number = d.serving?;
    let mut clusters: Vec<&str> = Vec::new();
    let serving = d.priorities.iter().filter(|p| p.priority == number);
    for e in serving.flat_map(|p| &p.endpoints) {
        if !e.ejected && e.weight > 0 && !clusters.contains(&e.cluster.as_str()) {
            clusters.push(&e.cluster);
        }
    }
    let phrase = Phrase::default().word(format!("priority {number}"));
    Some(match clusters.is_empty() {
        true => phrase,
        false => phrase.word(" (").names(clusters, ", ").word(")"),
    })
}
