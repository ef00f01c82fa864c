//! How many diagnostics a run keeps and shows. A file of four million bad documents made four
//! million diagnostics (2.8 GiB for 23 MiB of input); nobody reads past the first hundred of
//! one kind, and the report must stay as bounded as the memory.
//!
//! - Per file: at most [`MAX_PER_FILE`] diagnostics of one code are kept (those first in the
//!   report's order), and one note of the same code stands for the rest: how many, from where.
//!   The note has the code's severity, so the exit status is what it would be with all of them,
//!   and `ignore:` of the code silences it too.
//! - Per run: at most [`MAX_PER_RUN`] are shown ([`limit_run`]); one note a code says how many
//!   more there were.
//!
//! - Each: at most [`MAX_TEXT`] bytes of each of its texts.
//!
//! Which diagnostics are kept does not depend on the order they were found in (files are read
//! in parallel): the kept ones are the first in a total order of diagnostics, so every run of
//! an input reports the same ones.

use super::{Code, Diagnostic, ObjectRef, full_cmp};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The diagnostics of one code kept for one file (or for the run's diagnostics of no file).
pub const MAX_PER_FILE: usize = 100;
/// The diagnostics a report shows.
pub const MAX_PER_RUN: usize = 10_000;

/// A file (`None`: no file) and a code: what [`MAX_PER_FILE`] counts.
type Key = (Option<Arc<str>>, Code);

/// Diagnostics by file and code, each group held to [`MAX_PER_FILE`].
#[derive(Debug, Clone, Default)]
pub(super) struct Buckets {
    buckets: HashMap<Key, Bucket>,
    /// The number the next diagnostic gets: the order they were found in, which the report
    /// keeps between diagnostics that sort alike.
    next: u64,
}

#[derive(Debug, Clone, Default)]
struct Bucket {
    items: Vec<(u64, Diagnostic)>,
    omitted: Option<Omitted>,
}

/// What the diagnostics a bucket no longer holds had in common, to say so in one note.
#[derive(Debug, Clone)]
struct Omitted {
    count: usize,
    /// The first of them in the report's order: where the note stands.
    first: Diagnostic,
    object: Common<ObjectRef>,
    cluster: Common<String>,
}

/// One value all share (`Same(None)`: none of them has one), or several.
#[derive(Debug, Clone, PartialEq)]
enum Common<T> {
    Same(Option<T>),
    Mixed,
}

impl<T: PartialEq> Common<T> {
    fn join(self, other: Common<T>) -> Common<T> {
        match (self, other) {
            (Common::Same(a), Common::Same(b)) if a == b => Common::Same(a),
            _ => Common::Mixed,
        }
    }

    fn value(self) -> Option<T> {
        match self {
            Common::Same(value) => value,
            Common::Mixed => None,
        }
    }
}

impl Omitted {
    fn of(d: Diagnostic) -> Self {
        Omitted {
            count: d.omitted.max(1),
            object: Common::Same(d.object.clone()),
            cluster: Common::Same(d.cluster_name().map(str::to_owned)),
            first: d,
        }
    }

    fn join(self, other: Omitted) -> Omitted {
        let first_is_ours = full_cmp(&self.first, &other.first).is_le();
        Omitted {
            count: self.count.saturating_add(other.count),
            object: self.object.join(other.object),
            cluster: self.cluster.join(other.cluster),
            first: if first_is_ours {
                self.first
            } else {
                other.first
            },
        }
    }
}

fn join(a: Option<Omitted>, b: Option<Omitted>) -> Option<Omitted> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.join(b)),
        (a, b) => a.or(b),
    }
}

impl Bucket {
    /// Keeps the `keep` first diagnostics in the report's order; the rest join the omitted.
    fn trim(&mut self, keep: usize) {
        if self.items.len() <= keep {
            return;
        }
        self.items
            .select_nth_unstable_by(keep, |a, b| full_cmp(&a.1, &b.1));
        for (_, d) in self.items.drain(keep..) {
            self.omitted = join(self.omitted.take(), Some(Omitted::of(d)));
        }
    }

    fn add(&mut self, seq: u64, d: Diagnostic) {
        self.items.push((seq, d));
        // Trimmed in batches, so each diagnostic costs O(1) on average.
        if self.items.len() >= 2 * MAX_PER_FILE {
            self.trim(MAX_PER_FILE);
        }
    }
}

impl Buckets {
    pub(super) fn push(&mut self, d: Diagnostic) {
        let seq = self.next;
        self.next += 1;
        let key = (d.span.as_ref().map(|s| s.file.clone()), d.code);
        self.buckets.entry(key).or_default().add(seq, d);
    }

    pub(super) fn extend(&mut self, other: Buckets) {
        let offset = self.next;
        self.next = self.next.saturating_add(other.next);
        for (key, theirs) in other.buckets {
            let ours = self.buckets.entry(key).or_default();
            ours.omitted = join(ours.omitted.take(), theirs.omitted);
            for (seq, d) in theirs.items {
                ours.add(offset + seq, d);
            }
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.buckets.values().all(|b| b.items.is_empty())
    }

    /// Every diagnostic kept, in the order found; and the notes of those omitted.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        let mut all: Vec<&(u64, Diagnostic)> =
            self.buckets.values().flat_map(|b| &b.items).collect();
        all.sort_unstable_by_key(|(seq, _)| *seq);
        all.into_iter().map(|(_, d)| d)
    }

    /// How many were found of each severity, the omitted included.
    pub(super) fn omitted(&self) -> impl Iterator<Item = (Code, usize)> + '_ {
        self.buckets
            .iter()
            .filter_map(|((_, code), b)| Some((*code, b.omitted.as_ref()?.count)))
    }

    pub(super) fn retain(&mut self, keep: impl Fn(&Diagnostic) -> bool) {
        for bucket in self.buckets.values_mut() {
            bucket.items.retain(|(_, d)| keep(d));
        }
    }

    /// The diagnostics kept, [`MAX_PER_FILE`] of a code at most, in the order found, each
    /// group's note after them.
    pub(super) fn into_vec(self) -> Vec<Diagnostic> {
        let mut all = Vec::new();
        let mut notes = Vec::new();
        for ((file, code), mut bucket) in self.buckets {
            bucket.trim(MAX_PER_FILE);
            all.extend(bucket.items);
            if let Some(omitted) = bucket.omitted {
                notes.push(file_note(code, file.is_some(), omitted));
            }
        }
        all.sort_unstable_by_key(|(seq, _)| *seq);
        notes.sort_by(full_cmp);
        all.into_iter().map(|(_, d)| d).chain(notes).collect()
    }
}

/// The note that stands for the diagnostics of `code` a file (or the run, with no file) did
/// not keep.
fn file_note(code: Code, in_a_file: bool, omitted: Omitted) -> Diagnostic {
    let message = if in_a_file {
        format!(
            "{} more {code} diagnostics in this file, from here on, are not shown: vdc reports at most {MAX_PER_FILE} of one code a file",
            omitted.count
        )
    } else {
        format!(
            "{} more {code} diagnostics are not shown: vdc reports at most {MAX_PER_FILE} of one code outside files",
            omitted.count
        )
    };
    let mut note = Diagnostic::new(code, message);
    note.span = omitted.first.span;
    note.object = omitted.object.value();
    note.cluster = omitted.cluster.value();
    note.omitted = omitted.count;
    note
}

/// The diagnostics a report shows: the first [`MAX_PER_RUN`] of `sorted`, and for the rest one
/// note a code saying how many there were (each of the code's severity, so the report fails
/// the run exactly when the whole list would).
pub fn limit_run(sorted: &[Diagnostic]) -> std::borrow::Cow<'_, [Diagnostic]> {
    if sorted.len() <= MAX_PER_RUN {
        return sorted.into();
    }
    let (shown, rest) = sorted.split_at(MAX_PER_RUN);
    let mut hidden: BTreeMap<Code, (usize, Common<String>)> = BTreeMap::new();
    for d in rest {
        let cluster = Common::Same(d.cluster_name().map(str::to_owned));
        let entry = hidden.entry(d.code).or_insert((0, cluster.clone()));
        entry.0 = entry.0.saturating_add(d.omitted.max(1));
        entry.1 = std::mem::replace(&mut entry.1, Common::Mixed).join(cluster);
    }
    let notes = hidden.into_iter().map(|(code, (count, cluster))| {
        let mut note = Diagnostic::new(
            code,
            format!(
                "{count} more {code} diagnostics are not shown: vdc shows at most {MAX_PER_RUN} diagnostics in a run"
            ),
        );
        note.cluster = cluster.value();
        note.omitted = count;
        note
    });
    shown
        .iter()
        .cloned()
        .chain(notes)
        .collect::<Vec<_>>()
        .into()
}

/// The longest text a diagnostic holds in one of its parts; values quoted from the input can be
/// megabytes long.
const MAX_TEXT: usize = 2048;

/// `text`, its middle cut out (and the cut said) when it is longer than [`MAX_TEXT`].
pub(super) fn bounded(text: String) -> String {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let floor = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let head = floor(MAX_TEXT / 2);
    let tail = floor(text.len() - MAX_TEXT / 4);
    format!(
        "{} … ({} bytes not shown) … {}",
        &text[..head],
        tail - head,
        &text[tail..]
    )
}

pub(super) fn bounded_object(object: ObjectRef) -> ObjectRef {
    ObjectRef {
        cluster: bounded(object.cluster),
        kind: bounded(object.kind),
        namespace: bounded(object.namespace),
        name: bounded(object.name),
    }
}
