//! `vdc diff`'s human form, as terraform plan and helm-diff show a change: counts per cluster,
//! then each changed object named `Kind namespace/name`, with the clusters it changes in and the
//! Gloo object it comes from, and its hunks once however many clusters share them.

use super::group::{Group, groups};
use super::{Change, ChangeKind, Origin, summary};
use crate::text::escape_controls;
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;

/// The human form of `changes`, coloured when `color`.
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
            escape_controls(cluster).style(paint(Style::new().bold())),
            format!("+ {add}").style(paint(Style::new().green())),
            format!("~ {change}").style(paint(Style::new().yellow())),
            format!("- {remove}").style(paint(Style::new().red())),
        );
    }
    for group in groups(changes) {
        let Some(hunks) = group.hunks() else {
            continue;
        };
        out.push('\n');
        let (marker, style) = marker(group.first().change);
        let _ = writeln!(
            out,
            "{} {}",
            marker.style(paint(style.bold())),
            heading(&group).style(paint(Style::new().bold()))
        );
        if let Some(origin) = &group.first().origin {
            let _ = writeln!(out, "  from {}", origin_name(origin));
        }
        for line in hunks.lines() {
            let style = match line.as_bytes().first() {
                Some(b'@') => Style::new().cyan(),
                Some(b'+') => Style::new().green(),
                Some(b'-') => Style::new().red(),
                _ => Style::new(),
            };
            let _ = writeln!(out, "{}", line.style(paint(style)));
        }
    }
    out
}

/// `+`, `~` or `-` and its colour, as in the counts.
fn marker(kind: ChangeKind) -> (&'static str, Style) {
    match kind {
        ChangeKind::Add => ("+", Style::new().green()),
        ChangeKind::Change => ("~", Style::new().yellow()),
        ChangeKind::Remove => ("-", Style::new().red()),
    }
}

/// `Kind namespace/name in c1, c2`: the object, and the clusters it changes in.
fn heading(group: &Group) -> String {
    let change = group.first();
    let clusters: Vec<&str> = group.clusters().collect();
    escape_controls(&format!(
        "{} {} in {}",
        change.kind,
        qualified(&change.namespace, &change.name),
        clusters.join(", ")
    ))
    .into_owned()
}

/// `VirtualDestination namespace/name (cluster1)`: a Gloo object and the cluster it is defined in.
fn origin_name(origin: &Origin) -> String {
    let mut text = format!(
        "{} {}",
        origin.kind,
        qualified(&origin.namespace, &origin.name)
    );
    if !origin.cluster.is_empty() {
        let _ = write!(text, " ({})", origin.cluster);
    }
    escape_controls(&text).into_owned()
}

/// `namespace/name`, or `name` for a cluster-scoped object.
pub fn qualified(namespace: &str, name: &str) -> String {
    if namespace.is_empty() {
        name.to_owned()
    } else {
        format!("{namespace}/{name}")
    }
}
