//! `vdc diff`: which objects in which clusters a change adds, changes or removes.
//!
//! Objects are matched by identity ([`ObjectId`]), never by file or position, and both sides go
//! through one canonical writer ([`canonical`]) first, so only real changes show.

mod canonical;
mod markdown;
mod side;

use owo_colors::{OwoColorize, Style};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

pub use markdown::markdown;
pub use side::{Object, ObjectId, Objects, Side, is_input, load, load_pair};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// Unified diff, headed `--- a/<file>` / `+++ b/<file>` (`/dev/null` for the side that
    /// lacks the object). `None` with `--stat`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// Every difference between `old` and `new`, in (cluster, namespace, kind, name) order, each with
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
    pairs.sort_by_key(|(id, _, _)| *id);
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
        diff,
    }
}

/// Per cluster with at least one change: how many objects are added, changed and removed.
pub fn summary(changes: &[Change]) -> BTreeMap<&str, [usize; 3]> {
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for c in changes {
        // Indexed by declaration order: add, change, remove.
        counts.entry(&c.cluster).or_default()[c.change as usize] += 1;
    }
    counts
}

/// The human form: terraform-style counts per cluster, then each object's unified diff.
pub fn human(changes: &[Change], color: bool) -> String {
    let paint = |style: Style| if color { style } else { Style::new() };
    if changes.is_empty() {
        return "No changes.\n".to_owned();
    }
    let mut out = String::new();
    for (cluster, [add, change, remove]) in summary(changes) {
        let _ = writeln!(
            out,
            "{}: {} to add, {} to change, {} to remove",
            crate::text::escape_controls(cluster).style(paint(Style::new().bold())),
            format!("+ {add}").style(paint(Style::new().green())),
            format!("~ {change}").style(paint(Style::new().yellow())),
            format!("- {remove}").style(paint(Style::new().red())),
        );
    }
    for diff in changes.iter().filter_map(|c| c.diff.as_deref()) {
        out.push('\n');
        for (i, line) in diff.lines().enumerate() {
            let style = match line.as_bytes().first() {
                _ if i < 2 => Style::new().bold(),
                Some(b'@') => Style::new().cyan(),
                Some(b'+') => Style::new().green(),
                Some(b'-') => Style::new().red(),
                _ => Style::new(),
            };
            let line = crate::text::escape_controls(line);
            let _ = writeln!(out, "{}", line.style(paint(style)));
        }
    }
    out
}
