//! Name grammar, Gloo's name sanitiser and the VirtualDestination VIP hash.

pub use crate::dns::{host_fix, host_problem, is_dns_label, is_dns_subdomain};
pub use crate::text::clusters_phrase;
use md5::{Digest, Md5};
use std::net::Ipv4Addr;

/// Gloo's `SanitizeNameV2`: a Kubernetes-safe object name for any string.
///
/// `* / . : _` and space become `-`; `[ ] " '` and newlines are dropped; a result longer than 63
/// characters becomes its first 31 characters, `-`, and the md5 of the whole, cut to 63; then
/// everything is lower-cased.
pub fn sanitize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '*' | '/' | '.' | ':' | '_' | ' ' => out.push('-'),
            '[' | ']' | '"' | '\'' | '\n' => {}
            c => out.push(c),
        }
    }
    if out.len() > 63 {
        let digest = Md5::digest(out.as_bytes());
        let hex = hex(&digest);
        let prefix: String = out.chars().take(31).collect();
        out = format!("{prefix}-{hex}").chars().take(63).collect();
    }
    out.to_lowercase()
}

/// `bytes` in lower-case hexadecimal, as digests are written.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// FNV-1 32-bit (multiply, then xor) over `parts` concatenated without separators.
fn fnv1_32(parts: &[&str]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for part in parts {
        for byte in part.bytes() {
            hash = hash.wrapping_mul(0x0100_0193);
            hash ^= u32::from(byte);
        }
    }
    hash
}

/// The VIP of a VirtualDestination: `fnv1_32("VirtualDestination" ‖ name ‖ namespace ‖ cluster
/// ‖ suffix)`, little-endian bytes, first byte OR 0xF0 (so it lies in 240.0.0.0/4). `suffix` is
/// empty unless an earlier VIP collided (`#1`, `#2`, …).
pub fn vip(name: &str, namespace: &str, cluster: &str, suffix: &str) -> Ipv4Addr {
    let [a, b, c, d] =
        fnv1_32(&["VirtualDestination", name, namespace, cluster, suffix]).to_le_bytes();
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
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn host_fix_suggests_the_dns_name_meant() {
        assert_eq!(
            host_fix("product_page.global").as_deref(),
            Some("product-page.global")
        );
        assert_eq!(host_fix("my app..mesh.").as_deref(), Some("my-app.mesh"));
        assert_eq!(host_fix("productpage.global"), None);
        assert_eq!(host_fix("_.123"), None);
    }

    #[test]
    fn vip_of_seed_003_productpage() {
        assert_eq!(
            vip("productpage", "bookinfo-frontends", "cluster1", ""),
            Ipv4Addr::new(254, 154, 115, 171)
        );
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
    fn hosts() {
        assert_eq!(host_problem("productpage.global"), None);
        assert_eq!(host_problem("istio.io."), None);
        assert!(host_problem("my_app.global").unwrap().contains('_'));
        assert!(host_problem("*.global").is_some());
        assert!(host_problem("a.123").is_some());
        assert!(host_problem("-a.b").is_some());
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
