//! What Gloo derives from object names and how it matches them: the Kubernetes-safe name of a
//! generated object, the VIP a VirtualDestination's name hashes to, and the `*` globs of
//! cluster and namespace selectors.

use crate::hash::{fnv1_32, hex};
use md5::{Digest, Md5};
use std::net::Ipv4Addr;

/// A port's name when it has none of its own: `<lower protocol>-<number>`, such as `http-9080`
/// (ServiceEntry and WorkloadGroup ports, Gateway servers).
pub fn port(protocol: &str, number: u32) -> String {
    format!("{}-{number}", protocol.to_lowercase())
}

/// Labels as part of a name: `<key>-<value>` pairs in key order, joined by `-` (subset and
/// WorkloadEntry names).
pub fn label_pairs<K: std::fmt::Display, V: std::fmt::Display>(
    labels: impl IntoIterator<Item = (K, V)>,
) -> String {
    let pairs: Vec<String> = labels
        .into_iter()
        .map(|(k, v)| format!("{k}-{v}"))
        .collect();
    pairs.join("-")
}

/// Gloo's `SanitizeNameV2`: a Kubernetes-safe object name for any string.
///
/// `* / . : _` and space become `-`; `[ ] " '` and newlines are dropped; a result longer than 63
/// characters becomes its first 31 characters, `-`, and the md5 of the whole, cut to 63; then
/// everything is lower-cased.
pub fn sanitize(name: &str) -> String {
    // Most names are ASCII and short (never hashed): mapped and lowered in one pass, into one
    // allocation.
    if name.is_ascii() && name.len() <= 63 {
        let mut out = String::with_capacity(name.len());
        out.extend(
            name.chars()
                .filter_map(replaced)
                .map(|c| c.to_ascii_lowercase()),
        );
        return out;
    }
    sanitize_any(name)
}

/// What Gloo's sanitizer makes of one character: `-` for a separator, nothing for a bracket,
/// a quote or a line break, the character itself otherwise.
fn replaced(c: char) -> Option<char> {
    match c {
        '*' | '/' | '.' | ':' | '_' | ' ' => Some('-'),
        '[' | ']' | '"' | '\'' | '\n' => None,
        c => Some(c),
    }
}

/// [`sanitize`] for any name: one that may need hashing, or is not ASCII.
fn sanitize_any(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    out.extend(name.chars().filter_map(replaced));
    if out.len() > 63 {
        let digest = Md5::digest(out.as_bytes());
        let hex = hex(&digest);
        let prefix: String = out.chars().take(31).collect();
        out = format!("{prefix}-{hex}").chars().take(63).collect();
    }
    out.to_lowercase()
}

/// The VIP of an object of kind `kind` (a VirtualDestination): `fnv1_32(kind ‖ name ‖ namespace
/// ‖ cluster ‖ suffix)`, little-endian bytes, first byte OR 0xF0 (so it lies in 240.0.0.0/4).
/// `suffix` is empty unless an earlier VIP collided (`#1`, `#2`, …).
pub fn vip(kind: &str, name: &str, namespace: &str, cluster: &str, suffix: &str) -> Ipv4Addr {
    let [a, b, c, d] = fnv1_32(&[kind, name, namespace, cluster, suffix]).to_le_bytes();
    Ipv4Addr::new(a | 0xF0, b, c, d)
}

/// Shell-style glob with `*` only, as Gloo matches cluster and namespace names.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_sanitizes_as_the_general_rule_does() {
        let bytes = b"aZ09-*/.:_ []\"'\nQx";
        // Every short string over those bytes, as a base-19 count, plus a few of each length.
        for n in 0..19usize.pow(3) {
            let mut name = String::new();
            let mut k = n;
            for _ in 0..3 {
                name.push(bytes[k % bytes.len()] as char);
                k /= bytes.len();
            }
            assert_eq!(sanitize(&name), sanitize_any(&name), "{name:?}");
        }
        for len in [0, 1, 62, 63, 64, 70] {
            let name: String = "Ab.C_d:E*f/".chars().cycle().take(len).collect();
            assert_eq!(sanitize(&name), sanitize_any(&name), "{name:?}");
        }
    }

    #[test]
    fn sanitize_keeps_short_names_and_hashes_long_ones() {
        assert_eq!(
            sanitize("vd-productpage.global-bookinfo"),
            "vd-productpage-global-bookinfo"
        );
        let long = sanitize(
            "productpage.global-virtual-dest-productpage-bookinfo-frontends-cluster1-bookinfo",
        );
        assert_eq!(long.len(), 63);
        assert!(
            long.starts_with("productpage-global-virtual-dest-"),
            "{long}"
        );
        assert_eq!(sanitize("A_b[c]\"d'"), "a-bcd");
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", "cluster1"));
        assert!(glob_match("bookinfo-*", "bookinfo-frontends"));
        assert!(!glob_match("bookinfo-*", "istio-gateways"));
        assert!(glob_match("c*1", "cluster1"));
        assert!(!glob_match("cluster", "cluster1"));
    }
}
