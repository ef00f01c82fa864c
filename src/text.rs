//! Text for people: phrasing shared by messages, and input text made safe to show.

use std::fmt::Write;

/// "cluster `a`", "clusters `a` and `b`", "clusters `a`, `b` and `c`": the clusters one
/// diagnostic speaks for.
pub fn clusters_phrase(clusters: &[&str]) -> String {
    let quoted: Vec<String> = clusters.iter().map(|c| format!("`{c}`")).collect();
    match &quoted[..] {
        [] => "no cluster".to_owned(),
        [one] => format!("cluster {one}"),
        [rest @ .., last] => format!("clusters {} and {last}", rest.join(", ")),
    }
}

/// A character that a terminal would act on rather than show: C0/C1 controls, DEL, and the
/// bidirectional overrides that make text read differently from what it is.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character escaped (`\u{1b}`), so names and values from the input
/// cannot move the cursor, erase a line or recolour the terminal.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_hostile(c) || c == '\t') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hostile(c) || c == '\t' {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out.into()
}
