//! `vdc diff`: which objects in which clusters a change adds, changes or removes.
//!
//! Objects are matched by identity ([`ObjectId`]), never by file or position, and both sides go
//! through one canonical writer ([`canonical`]) first, so only real changes show. The sides are
//! compared one cluster at a time ([`compare_sides`]), so a diff holds one cluster's objects.

mod canonical;
mod group;
mod human;
mod markdown;
mod rendered;
mod side;
mod sides;
pub mod traffic;

use rayon::prelude::*;
use serde::Serialize;

pub use group::natural_cmp;
pub use human::human;
pub use markdown::markdown;
pub use rendered::{HandEdit, Rendered};
pub use side::{Object, ObjectId, Objects, Origin, held};
pub use sides::{Compared, Side, compare_sides, is_input, with_sides};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Add,
    Change,
    Remove,
}

/// One object that differs, as `--format json` prints it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub cluster: String,
    /// The new side's, or the old side's for a removal.
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The file `render --out` writes the object to: `<cluster>/<namespace>/<kind>-<name>.yaml`.
    pub file: String,
    pub change: ChangeKind,
    /// The Gloo object the Istio object was generated from (its `gloo.solo.io/parent_*` labels);
    /// absent for an object without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Unified diff, headed `--- a/<file>` / `+++ b/<file>` (`/dev/null` for the side that
    /// lacks the object). `None` with `--stat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Every difference between `old` and `new`, in (cluster, namespace, kind, name) order with
/// clusters in natural order (`c2` before `c10`), each with
/// a unified diff of `context` lines around changes (none when `with_diff` is false).
pub fn compare(old: &Objects, new: &Objects, context: usize, with_diff: bool) -> Vec<Change> {
    let mut pairs: Vec<(&ObjectId, Option<&Object>, Option<&Object>)> = old
        .par_iter()
        .filter_map(|(id, o)| match new.get(id) {
            Some(n) if n.same_as(o) => None,
            n => Some((id, Some(o), n)),
        })
        .collect();
    for (id, n) in new {
        if !old.contains_key(id) {
            pairs.push((id, None, Some(n)));
        }
    }
    pairs.sort_by(|(a, ..), (b, ..)| natural_cmp(&a.cluster, &b.cluster).then_with(|| a.cmp(b)));
    pairs
        .into_par_iter()
        .map(|(id, o, n)| change(id, o, n, context, with_diff))
        .collect()
}

fn change(
    id: &ObjectId,
    old: Option<&Object>,
    new: Option<&Object>,
    context: usize,
    with_diff: bool,
) -> Change {
    let kind = match (old, new) {
        (None, _) => ChangeKind::Add,
        (_, None) => ChangeKind::Remove,
        _ => ChangeKind::Change,
    };
    let file = id.file();
    let label = |side: &str, present: Option<&Object>| {
        present.map_or("/dev/null".to_owned(), |_| format!("{side}/{file}"))
    };
    let diff = with_diff.then(|| {
        let (a, b) = (old.map(Object::text), new.map(Object::text));
        let (a, b) = (a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""));
        similar::TextDiff::from_lines(a, b)
            .unified_diff()
            .context_radius(context)
            .header(&label("a", old), &label("b", new))
            .to_string()
    });
    Change {
        cluster: id.cluster.clone(),
        api_version: new
            .or(old)
            .map(|o| o.api_version.clone())
            .unwrap_or_default(),
        kind: id.kind.clone(),
        namespace: id.namespace.clone(),
        name: id.name.clone(),
        file,
        change: kind,
        origin: new.or(old).and_then(|o| o.origin.clone()),
        diff,
    }
}

/// Per cluster with at least one change, in natural order: how many objects are added, changed
/// and removed.
pub fn summary(changes: &[Change]) -> Vec<(&str, [usize; 3])> {
    let mut counts: Vec<(&str, [usize; 3])> = Vec::new();
    for c in changes {
        let i = match counts.iter().position(|(cluster, _)| *cluster == c.cluster) {
            Some(i) => i,
            None => {
                counts.push((&c.cluster, [0; 3]));
                counts.len() - 1
            }
        };
        // Indexed by declaration order: add, change, remove.
        counts[i].1[c.change as usize] += 1;
    }
    counts.sort_by(|(a, _), (b, _)| natural_cmp(a, b));
    counts
}
