//! `vdc diff --format markdown`: a pull-request comment. A per-cluster table of counts, then one
//! collapsed `<details>` block per changed object with its unified diff, cut at a size that fits
//! a comment, with a note saying what was left out.

use super::{Change, ChangeKind, summary};
use std::fmt::Write;

/// The comment for `changes`, within `limit` characters (given at least a few hundred): objects
/// whose diff would pass the limit are listed by file only, after a note that the output was
/// cut, and as many of them as fit.
pub fn markdown(changes: &[Change], limit: usize) -> String {
    let mut out = String::from("### vdc diff\n\n");
    if changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    out.push_str("| Cluster | Add | Change | Remove |\n|---|---:|---:|---:|\n");
    for (cluster, [add, change, remove]) in summary(changes) {
        let _ = writeln!(out, "| `{cluster}` | {add} | {change} | {remove} |");
    }
    // Room kept for the note and the last line of the list, so the whole stays within `limit`.
    const RESERVE: usize = 400;
    let budget = limit.saturating_sub(RESERVE);
    let mut left_out: Vec<&Change> = Vec::new();
    for change in changes {
        let Some(diff) = change.diff.as_deref() else {
            continue;
        };
        let block = details(change, diff);
        if left_out.is_empty() && out.len() + block.len() <= budget {
            out.push_str(&block);
        } else {
            left_out.push(change);
        }
    }
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "\n> [!NOTE]\n> Cut at {limit} characters: {} more changed objects are not shown here. `vdc diff` prints them all.\n",
            left_out.len()
        );
        for (i, change) in left_out.iter().enumerate() {
            let line = format!("- `{}` ({})\n", change.file, verb(change.change));
            if out.len() + line.len() > budget {
                let _ = writeln!(out, "- … and {} more", left_out.len() - i);
                break;
            }
            out.push_str(&line);
        }
    }
    out
}

fn verb(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Add => "added",
        ChangeKind::Change => "changed",
        ChangeKind::Remove => "removed",
    }
}

/// One object: its file and change as the summary, its diff in a fence longer than any run of
/// backticks inside it.
fn details(change: &Change, diff: &str) -> String {
    let longest = diff.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!(
        "\n<details>\n<summary><code>{}</code> ({})</summary>\n\n{fence}diff\n{}{}{fence}\n\n</details>\n",
        change.file,
        verb(change.change),
        diff,
        if diff.ends_with('\n') { "" } else { "\n" },
    )
}
