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

/// "1 cluster", "2 clusters": a count with its noun, plural unless it is one.
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// `ADDRESS:PORT` as a URL writes it: an IPv6 address in brackets (`[2600:1f18::10]:15443`), so
/// the port cannot be read as the address's last group.
pub fn address_port(address: &str, port: impl std::fmt::Display) -> String {
    if address.contains(':') {
        format!("[{address}]:{port}")
    } else {
        format!("{address}:{port}")
    }
}

/// A character that a terminal would act on rather than show: C0/C1 controls, DEL, and the
/// bidirectional overrides that make text read differently from what it is.
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character escaped, so names and values from the input cannot move
/// the cursor, erase a line or recolour the terminal: a newline, carriage return or tab as the
/// YAML or JSON string that holds it would write it (`\n`, `\r`, `\t`), any other by its code
/// point (`\u{1b}`).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_hostile(c) || c == '\t') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_hostile(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// What to add when `wanted` names none of `known`: the name it is likely a typo of, then some
/// of the names there are, at most a dozen, so a fleet of 2,000 clusters stays one line:
/// "(did you mean `cluster1`? it has cluster1, cluster2)", "(it has a, b, …, and 1988 more)".
pub fn unknown_name_hint(wanted: &str, known: &[impl AsRef<str>]) -> String {
    const SHOWN: usize = 12;
    let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    let some = match known.len() {
        0 => "none".to_owned(),
        n if n <= SHOWN => known.join(", "),
        n => format!("{}, and {} more", known[..SHOWN].join(", "), n - SHOWN),
    };
    match closest(wanted, &known) {
        Some(near) => format!("(did you mean `{near}`? it has {some})"),
        None => format!("(it has {some})"),
    }
}

/// The known name closest to a misspelt one, when it is close enough to be a typo: at most one
/// edit (a transposition counts as one) for every three characters of the shorter name, case,
/// `_` and `-` aside (`VirtualDestination` → `VIRTUAL_DESTINATION`, `lables` → `labels`). A name
/// that merely holds another is not a typo of it: `OPTIONAL_MUTUAL` is another TLS mode than
/// `MUTUAL`, and suggesting it would change what the user asked for.
pub fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let normal = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let key = normal(key);
    known
        .iter()
        .filter_map(|k| {
            let candidate = normal(k);
            let distance = edit_distance(&key, &candidate);
            let allowed = (key.len().min(candidate.len()) / 3).max(1);
            (distance <= allowed).then_some((distance, *k))
        })
        .min()
        .map(|(_, k)| k)
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours, each one edit.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost)
                .min(d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newline_reads_as_the_yaml_string_would_write_it() {
        assert_eq!(
            escape_controls("productpage.global\n"),
            "productpage.global\\n"
        );
        assert_eq!(escape_controls("a\r\tb"), "a\\r\\tb");
        assert_eq!(escape_controls("evil\u{1b}[2K"), "evil\\u{1b}[2K");
        assert_eq!(escape_controls("plain"), "plain");
    }

    #[test]
    fn an_ipv6_address_is_bracketed_before_its_port() {
        assert_eq!(
            address_port("2600:1f18::10", 15443),
            "[2600:1f18::10]:15443"
        );
        assert_eq!(address_port("10.0.0.1", 80), "10.0.0.1:80");
        assert_eq!(
            address_port("gw.example.com", 15443),
            "gw.example.com:15443"
        );
    }

    #[test]
    fn a_count_of_one_is_singular() {
        assert_eq!(counted(1, "cluster"), "1 cluster");
        assert_eq!(counted(0, "cluster"), "0 clusters");
        assert_eq!(counted(2, "object"), "2 objects");
    }

    #[test]
    fn suggests_the_nearest_known_name() {
        assert_eq!(closest("host", &["hosts", "ports"]), Some("hosts"));
        assert_eq!(closest("prots", &["hosts", "ports"]), Some("ports"));
        assert_eq!(closest("zzzzzz", &["hosts", "ports"]), None);
        assert_eq!(closest("lables", &["labels", "name"]), Some("labels"));
        // Another API's name, or another value, is not a typo.
        let tls = ["secretName", "verifySubjectAltName", "mode"];
        assert_eq!(closest("subjectAltNames", &tls), None);
        let modes = ["SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];
        assert_eq!(closest("OPTIONAL_MUTUAL", &modes), None);
        assert_eq!(closest("ISTIO_MUTAUL", &modes), Some("ISTIO_MUTUAL"));
        assert_eq!(closest("TCP", &["TLS", "HTTP"]), None);
    }

    #[test]
    fn an_unknown_name_gets_the_likely_one_and_at_most_a_dozen_others() {
        let few = ["eu-west-1", "us-east-1"];
        assert_eq!(
            unknown_name_hint("eu-wset-1", &few),
            "(did you mean `eu-west-1`? it has eu-west-1, us-east-1)"
        );
        assert_eq!(
            unknown_name_hint("ap-south-2", &few),
            "(it has eu-west-1, us-east-1)"
        );
        assert_eq!(unknown_name_hint("a", &[] as &[&str]), "(it has none)");
        let fleet: Vec<String> = (0..2000).map(|i| format!("cluster-{i:04}")).collect();
        let fleet: Vec<&str> = fleet.iter().map(String::as_str).collect();
        let hint = unknown_name_hint("prod", &fleet);
        assert!(
            hint.starts_with("(it has cluster-0000, cluster-0001, "),
            "{hint}"
        );
        assert!(hint.ends_with("cluster-0011, and 1988 more)"), "{hint}");
        let exactly_a_dozen = &fleet[..12];
        assert!(unknown_name_hint("prod", exactly_a_dozen).ends_with("cluster-0011)"));
    }
}
