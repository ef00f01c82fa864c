//! `diff --trace` for a person: per question a headline, then one line per move, such as
//! `priority 1 was cluster2 (us-east-1, …), now cluster3 (us-central-1, …)`, with every
//! control character escaped.

use super::{Phrase, TraceDiff, sentence};
use crate::text::escape_controls;
use std::fmt::Write;

pub fn human(diffs: &[TraceDiff]) -> String {
    let mut out = String::new();
    for (i, d) in diffs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let headline = format!("{} → {}: {}", d.from, d.to, d.verdict());
        let _ = writeln!(out, "{}", escape_controls(&headline));
        let several = d.several_destinations();
        for m in &d.moves {
            let line = sentence(m, several, &Phrase::text, &str::to_owned);
            // Names from the input may hold control characters; none reaches the terminal.
            let _ = writeln!(out, "  {}", escape_controls(&line));
        }
    }
    out
}
