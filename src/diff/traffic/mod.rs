//! `vdc diff OLD NEW --trace FROM TO`: one trace question asked of both sides, and what moved
//! between the two answers — the route, each destination's rule, TLS and priorities, which
//! priority serves, the outcome. Both answers come from [`crate::trace::trace`]; this module
//! only compares them.

mod human;
mod markdown;
mod priorities;

pub use human::human;
pub use markdown::markdown;

use crate::trace::{Answer, DestinationJson, RuleId};
use serde::Serialize;

/// One question asked of both sides, as `--format json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct TraceDiff {
    /// The client as the command line gives it: `CLUSTER/NAMESPACE[/WORKLOAD]`.
    pub from: String,
    /// The host as the command line gives it: `HOST[:PORT]`.
    pub to: String,
    /// What moved from the old answer to the new one; empty when they agree.
    pub moves: Vec<Move>,
    pub old: Answer,
    pub new: Answer,
}

/// What a [`Move`] is about.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum What {
    ClientLabels,
    ClientLocality,
    Route,
    RouteActions,
    /// The rule's fault injection: delays and aborts the sidecar makes itself.
    Fault,
    /// The rule's retries (Istio's default policy when the rule sets none).
    Retries,
    /// A weighted destination of the route appears (`old` null) or goes (`new` null).
    Destination,
    Subset,
    Weight,
    Service,
    DestinationRule,
    /// The TLS mode the sidecar originates.
    Tls,
    Sni,
    SubjectAltNames,
    LocalityLb,
    Priority,
    Serving,
    Outcome,
}

/// One thing that differs between the answers, each side in words (`null`: none on that side).
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub what: What,
    /// `HOST:PORT`, and ` subset S`, of the destination it is about; null for the client, the
    /// route and the outcome.
    pub destination: Option<String>,
    /// The priority, for `what: priority`.
    pub priority: Option<u32>,
    pub old: Option<Phrase>,
    pub new: Option<Phrase>,
}

/// A side's value in words: vdc's own words between names that come from the input or the
/// command line. They are kept apart so that markdown can escape every name, and only names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Phrase(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Word(String),
    Name(String),
}

impl Phrase {
    pub fn word(mut self, word: impl Into<String>) -> Phrase {
        self.0.push(Piece::Word(word.into()));
        self
    }

    pub fn name(mut self, name: impl Into<String>) -> Phrase {
        self.0.push(Piece::Name(name.into()));
        self
    }

    /// `name`, or `word` when `name` is empty.
    fn name_or(self, name: &str, word: &str) -> Phrase {
        if name.is_empty() {
            self.word(word)
        } else {
            self.name(name)
        }
    }

    /// `names` separated by `separator`.
    fn names<'a>(mut self, names: impl IntoIterator<Item = &'a str>, separator: &str) -> Phrase {
        for (i, name) in names.into_iter().enumerate() {
            if i > 0 {
                self = self.word(separator);
            }
            self = self.name(name);
        }
        self
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.0
    }

    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Word(s) | Piece::Name(s) => s.as_str(),
            })
            .collect()
    }
}

impl Serialize for Phrase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// What moved from `old` to `new`, the answers to the question from `from` to `to`.
pub fn compare(from: &str, to: &str, old: Answer, new: Answer) -> TraceDiff {
    let mut moves = Moves::default();
    client(&old, &new, &mut moves);
    route(&old, &new, &mut moves);
    destinations(&old, &new, &mut moves);
    moves.push(
        What::Outcome,
        None,
        Some(outcome(&old)),
        Some(outcome(&new)),
    );
    TraceDiff {
        from: from.to_owned(),
        to: to.to_owned(),
        moves: moves.0,
        old,
        new,
    }
}

#[derive(Default)]
struct Moves(Vec<Move>);

impl Moves {
    /// Records a move when the sides' words differ.
    fn push(
        &mut self,
        what: What,
        destination: Option<&str>,
        old: Option<Phrase>,
        new: Option<Phrase>,
    ) {
        if old != new {
            self.0.push(Move {
                what,
                destination: destination.map(str::to_owned),
                priority: None,
                old,
                new,
            });
        }
    }
}

fn client(old: &Answer, new: &Answer, moves: &mut Moves) {
    let labels = |a: &Answer| {
        let pairs: Vec<String> = a
            .from
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        Phrase::default().name_or(&pairs.join(","), "none")
    };
    moves.push(
        What::ClientLabels,
        None,
        Some(labels(old)),
        Some(labels(new)),
    );
    let locality = |a: &Answer| Phrase::default().name_or(&a.from.locality, "unknown");
    moves.push(
        What::ClientLocality,
        None,
        Some(locality(old)),
        Some(locality(new)),
    );
}

fn route(old: &Answer, new: &Answer, moves: &mut Moves) {
    let route = |a: &Answer| {
        let Some(vs) = &a.route.virtual_service else {
            return Phrase::default().word("no VirtualService");
        };
        let phrase = Phrase::default().word("VirtualService ").name(vs);
        match &a.route.rule {
            Some(RuleId::Name(rule)) => phrase.word(", rule ").name(rule),
            Some(RuleId::Index(i)) => phrase.word(format!(", rule #{i}")),
            None => phrase.word(", no rule matches"),
        }
    };
    moves.push(What::Route, None, Some(route(old)), Some(route(new)));
    let actions = |a: &Answer| {
        let actions = a.route.actions.iter().map(String::as_str);
        match a.route.actions.is_empty() {
            true => Phrase::default().word("none"),
            false => Phrase::default().names(actions, "; "),
        }
    };
    moves.push(
        What::RouteActions,
        None,
        Some(actions(old)),
        Some(actions(new)),
    );
    let fault = |a: &Answer| match &a.route.fault {
        Some(fault) => Phrase::default().word(fault.words()),
        None => Phrase::default().word("none"),
    };
    moves.push(What::Fault, None, Some(fault(old)), Some(fault(new)));
    let retries = |a: &Answer| match &a.route.retries {
        Some(retries) => Phrase::default().word(crate::trace::retries_words(retries)),
        None => Phrase::default().word("Istio's default"),
    };
    moves.push(What::Retries, None, Some(retries(old)), Some(retries(new)));
}

/// `HOST:PORT[ subset S]`: how a destination is matched across the sides and named.
fn destination_key(d: &DestinationJson) -> String {
    let mut key = d.host.clone();
    if let Some(port) = d.port {
        key.push_str(&format!(":{port}"));
    }
    if let Some(subset) = &d.subset {
        key.push_str(&format!(" subset {subset}"));
    }
    key
}

/// Each new destination is compared with the old one it continues ([`pairs`]); the others
/// were added (in the new side's order) or removed (in the old side's).
fn destinations(old: &Answer, new: &Answer, moves: &mut Moves) {
    let pairs = pairs(&old.destinations, &new.destinations);
    let weighted = old.destinations.len() > 1 || new.destinations.len() > 1;
    for (d, pair) in new.destinations.iter().zip(&pairs) {
        let key = destination_key(d);
        match pair {
            Some(o) => destination(&old.destinations[*o], d, &key, weighted, moves),
            None => moves.push(What::Destination, Some(&key), None, Some(weight(d))),
        }
    }
    for (o, d) in old.destinations.iter().enumerate() {
        if !pairs.contains(&Some(o)) {
            let key = destination_key(d);
            moves.push(What::Destination, Some(&key), Some(weight(d)), None);
        }
    }
}

/// For each new destination, the old one it continues: the first unpaired one with the same
/// host, port and subset, else (the route changed its subset) with the same host and port.
fn pairs(old: &[DestinationJson], new: &[DestinationJson]) -> Vec<Option<usize>> {
    let same_subset: fn(&DestinationJson, &DestinationJson) -> bool =
        |a, b| a.host == b.host && a.port == b.port && a.subset == b.subset;
    let same_port: fn(&DestinationJson, &DestinationJson) -> bool =
        |a, b| a.host == b.host && a.port == b.port;
    let mut taken = vec![false; old.len()];
    let mut pairs = vec![None; new.len()];
    for continues in [same_subset, same_port] {
        for (d, pair) in new.iter().zip(pairs.iter_mut()) {
            if pair.is_some() {
                continue;
            }
            *pair = (0..old.len()).find(|&o| !taken[o] && continues(&old[o], d));
            if let Some(o) = *pair {
                taken[o] = true;
            }
        }
    }
    pairs
}

fn weight(d: &DestinationJson) -> Phrase {
    Phrase::default().word(format!("weight {}", d.weight))
}

fn destination(
    o: &DestinationJson,
    n: &DestinationJson,
    key: &str,
    weighted: bool,
    moves: &mut Moves,
) {
    let at = Some(key);
    let subset =
        |d: &DestinationJson| Phrase::default().name_or(d.subset.as_deref().unwrap_or(""), "none");
    moves.push(What::Subset, at, Some(subset(o)), Some(subset(n)));
    if weighted {
        moves.push(What::Weight, at, Some(weight(o)), Some(weight(n)));
    }
    let service =
        |d: &DestinationJson| Phrase::default().name_or(d.service.as_deref().unwrap_or(""), "none");
    moves.push(What::Service, at, Some(service(o)), Some(service(n)));
    let rule = |d: &DestinationJson| {
        Phrase::default().name_or(d.destination_rule.as_deref().unwrap_or(""), "none")
    };
    moves.push(What::DestinationRule, at, Some(rule(o)), Some(rule(n)));
    tls(o, n, at, moves);
    let lb = |d: &DestinationJson| {
        let od = if d.outlier_detection { "on" } else { "off" };
        Phrase::default().word(format!("{} (outlier detection {od})", d.locality_lb))
    };
    moves.push(What::LocalityLb, at, Some(lb(o)), Some(lb(n)));
    priorities::compare(o, n, key, moves);
}

/// The TLS mode, and unless a side stopped before its DestinationRule, the SNI and SANs.
fn tls(o: &DestinationJson, n: &DestinationJson, at: Option<&str>, moves: &mut Moves) {
    // An empty mode: the trace stopped before the DestinationRule, and the outcome says why.
    let mode = |d: &DestinationJson| Phrase::default().name_or(&d.tls.mode, "not reached");
    moves.push(What::Tls, at, Some(mode(o)), Some(mode(n)));
    if o.tls.mode.is_empty() || n.tls.mode.is_empty() {
        return;
    }
    let sni =
        |d: &DestinationJson| Phrase::default().name_or(d.tls.sni.as_deref().unwrap_or(""), "none");
    moves.push(What::Sni, at, Some(sni(o)), Some(sni(n)));
    let sans = |d: &DestinationJson| match d.tls.subject_alt_names.is_empty() {
        true => Phrase::default().word("none"),
        false => Phrase::default().names(d.tls.subject_alt_names.iter().map(String::as_str), ", "),
    };
    moves.push(What::SubjectAltNames, at, Some(sans(o)), Some(sans(n)));
}

/// `ok`, or the failure with Envoy's code and the object at fault.
fn outcome(a: &Answer) -> Phrase {
    let phrase = Phrase::default().word(a.outcome.as_str());
    let Some(fault) = &a.fault else {
        return phrase;
    };
    phrase
        .word(format!(" ({}): ", a.outcome.envoy()))
        .name(&fault.kind)
        .word(" ")
        .name(fault.object.as_deref().unwrap_or("(none)"))
        .word(" in ")
        .name(&fault.cluster)
        .word(": ")
        .name(&fault.reason)
}

impl What {
    /// What the move's sentence begins with.
    fn label(self) -> &'static str {
        match self {
            What::ClientLabels => "client labels",
            What::ClientLocality => "client locality",
            What::Route => "route",
            What::RouteActions => "route actions",
            What::Fault => "fault injection",
            What::Retries => "retries",
            What::Destination => "destination",
            What::Subset => "subset",
            What::Weight => "weight",
            What::Service => "service",
            What::DestinationRule => "DestinationRule",
            What::Tls => "TLS mode",
            What::Sni => "SNI",
            What::SubjectAltNames => "SANs",
            What::LocalityLb => "locality load balancing",
            What::Priority => "priority",
            What::Serving => "serving",
            What::Outcome => "outcome",
        }
    }
}

/// A move in words, `priority 1 was cluster2 (…), now cluster3 (…)`, its phrases written by
/// `phrase` and the destination it is about by `name`; the destination leads the sentence when
/// the answers have several (`several`).
fn sentence(
    m: &Move,
    several: bool,
    phrase: &dyn Fn(&Phrase) -> String,
    name: &dyn Fn(&str) -> String,
) -> String {
    let side = |p: &Option<Phrase>| p.as_ref().map_or_else(|| "none".to_owned(), phrase);
    let destination = m.destination.as_deref().map(name);
    if m.what == What::Destination {
        let destination = destination.unwrap_or_default();
        return match (&m.old, &m.new) {
            (None, Some(new)) => format!("destination {destination} added ({})", phrase(new)),
            (Some(old), _) => format!("destination {destination} removed (was {})", phrase(old)),
            (None, None) => format!("destination {destination}"),
        };
    }
    let mut out = match destination {
        Some(d) if several => format!("{d}: "),
        _ => String::new(),
    };
    out.push_str(m.what.label());
    if let Some(number) = m.priority {
        out.push_str(&format!(" {number}"));
    }
    out.push_str(&format!(" was {}, now {}", side(&m.old), side(&m.new)));
    out
}

impl TraceDiff {
    /// Whether the answers have more than one destination between them, so that each move
    /// names the destination it is about.
    fn several_destinations(&self) -> bool {
        self.old.destinations.len() > 1 || self.new.destinations.len() > 1
    }

    /// `unchanged (ok)` or `2 changes`.
    fn verdict(&self) -> String {
        match self.moves.len() {
            0 => format!("unchanged ({})", self.new.outcome.as_str()),
            1 => "1 change".to_owned(),
            n => format!("{n} changes"),
        }
    }
}
