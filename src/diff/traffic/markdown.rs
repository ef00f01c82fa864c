//! `diff --trace --format markdown`: a pull-request comment that says in words how the change
//! moves traffic, then, collapsed, each trace before and after.
//!
//! Every name (clusters, namespaces, hosts, objects, the reasons that quote them, and the
//! question as given on the command line) is written as the object diff's comment writes it:
//! inside `<code>` with every character but letters, digits, `-` and `/` as an HTML entity.
//! The traces themselves go in fences longer than any run of backticks inside them.

use super::super::markdown::code;
use super::{Phrase, Piece, TraceDiff, sentence};
use std::fmt::Write;

/// The comment for `diffs`, within about `limit` characters: the traces before and after are
/// left out, last first, when they would pass it (a note says so).
pub fn markdown(diffs: &[TraceDiff], limit: usize) -> String {
    let mut out = String::from("### vdc diff: traffic\n");
    let mut blocks = Vec::new();
    for d in diffs {
        let mut section = String::new();
        let _ = writeln!(
            section,
            "\n**{} → {}**: {}\n",
            code(&d.from),
            code(&d.to),
            d.verdict()
        );
        let several = d.several_destinations();
        for m in &d.moves {
            let _ = writeln!(section, "- {}", sentence(m, several, &phrase, &|n| code(n)));
        }
        let details = (!d.moves.is_empty()).then(|| traces(d));
        blocks.push((section, details));
    }
    let summaries: usize = blocks.iter().map(|(s, _)| s.len()).sum();
    let mut room = limit.saturating_sub(out.len() + summaries + NOTE.len());
    let mut left_out = false;
    for (section, details) in blocks {
        out.push_str(&section);
        if let Some(details) = details {
            if details.len() <= room {
                room -= details.len();
                out.push_str(&details);
            } else {
                left_out = true;
            }
        }
    }
    if left_out {
        out.push_str(NOTE);
    }
    out
}

const NOTE: &str = "\n> [!NOTE]\n> Some traces are left out to keep this comment short; \
                    `vdc trace` on each side prints them.\n";

/// Names escaped, vdc's own words as they are.
fn phrase(p: &Phrase) -> String {
    p.pieces()
        .iter()
        .map(|piece| match piece {
            Piece::Word(word) => word.clone(),
            Piece::Name(name) => code(name),
        })
        .collect()
}

/// Both traces, collapsed, each in a fence no line inside can close.
fn traces(d: &TraceDiff) -> String {
    let old = crate::trace::human(&d.old);
    let new = crate::trace::human(&d.new);
    let longest = [&old, &new]
        .iter()
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!(
        "\n<details>\n<summary>The trace before and after</summary>\n\nBefore:\n\n\
         {fence}text\n{old}{fence}\n\nAfter:\n\n{fence}text\n{new}{fence}\n\n</details>\n"
    )
}
