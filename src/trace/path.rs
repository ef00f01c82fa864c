//! The request path as a sidecar's routes see it. istiod configures every sidecar's HTTP
//! connection manager from the mesh config's `pathNormalization` (`BASE` unless it says
//! otherwise), and Envoy rewrites the path before any route is matched, in this order
//! (istio.io, "Authorization Policy Normalization"; Envoy's `normalize_path`, `merge_slashes`
//! and `path_with_escaped_slashes_action`):
//!
//! 1. `DECODE_AND_MERGE_SLASHES` only: `%2F` and `%5C` are decoded to `/` and `\`.
//! 2. `BASE` and stricter: percent-encoded unreserved characters (letters, digits, `-`, `.`,
//!    `_`, `~`) are decoded, once; backslashes become slashes; RFC 3986's dot segments are
//!    removed (`PathUtil::canonicalPath`): `/static/../admin` is matched as `/admin`.
//! 3. `MERGE_SLASHES` and stricter: runs of slashes are merged.
//!
//! `NONE` leaves the path as sent.

use crate::model::types::PathNormalization;

/// `path` (no query string) as a sidecar whose mesh config says `how` matches it.
pub fn normalize(path: &str, how: PathNormalization) -> String {
    let path = match how {
        PathNormalization::None => return path.to_owned(),
        PathNormalization::DecodeAndMergeSlashes => decode(path, |c| matches!(c, b'/' | b'\\')),
        PathNormalization::Base | PathNormalization::MergeSlashes => path.to_owned(),
    };
    let canonical = canonical(&path);
    match how {
        PathNormalization::MergeSlashes | PathNormalization::DecodeAndMergeSlashes => {
            merge_slashes(&canonical)
        }
        PathNormalization::None | PathNormalization::Base => canonical,
    }
}

/// Envoy's `normalize_path`: unreserved characters decoded, backslashes made slashes, dot
/// segments removed.
fn canonical(path: &str) -> String {
    let decoded = decode(path, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
    });
    remove_dot_segments(&decoded.replace('\\', "/"))
}

/// `path` with each `%XX` whose byte `decodes` takes replaced by that byte, in one pass: what
/// a decoding produces is never decoded again (`%252e` stays `%252e`).
fn decode(path: &str, decodes: impl Fn(u8) -> bool) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .filter(|&c| c.is_ascii() && decodes(c));
        match escaped {
            Some(c) => {
                out.push(char::from(c));
                i += 3;
            }
            None => {
                // A `%` not decoded starts no multi-byte character: copy up to the next `%`.
                let next = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == b'%')
                    .map_or(bytes.len(), |p| i + 1 + p);
                out.push_str(&path[i..next]);
                i = next;
            }
        }
    }
    out
}

/// `path` with its dot segments removed, as RFC 3986's `remove_dot_segments`.
fn remove_dot_segments(path: &str) -> String {
    let Some(rest) = path.strip_prefix('/') else {
        return path.to_owned();
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." => {}
            ".." => {
                out.pop();
            }
            _ => {
                out.push(segment);
                continue;
            }
        }
        // A dot segment at the end leaves the path ending in `/`: `/a/b/..` is `/a/`.
        if last {
            out.push("");
        }
    }
    format!("/{}", out.join("/"))
}

/// `path` with each run of slashes made one.
fn merge_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c != '/' || !out.ends_with('/') {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use crate::model::types::PathNormalization::{self, *};

    fn base(path: &str) -> String {
        normalize(path, PathNormalization::default())
    }

    #[test]
    fn dot_segments_go_as_rfc_3986_says() {
        // RFC 3986 §5.2.4's own examples, and the case a route guarding /admin must see.
        assert_eq!(base("/a/b/c/./../../g"), "/a/g");
        assert_eq!(base("/static/../admin"), "/admin");
        assert_eq!(base("/a/b/.."), "/a/");
        assert_eq!(base("/a/./b/."), "/a/b/");
        assert_eq!(base("/../../x"), "/x");
        assert_eq!(base("/.."), "/");
        assert_eq!(base("/"), "/");
        // Encoded dots are dots; a segment that only starts with dots is a name.
        assert_eq!(base("/static/%2E%2e/admin"), "/admin");
        assert_eq!(base("/static/.%2E/admin"), "/admin");
        assert_eq!(base("/a/..b/.c"), "/a/..b/.c");
        // BASE merges no slashes.
        assert_eq!(base("/a//b/../c"), "/a//c");
        assert_eq!(base("//admin"), "//admin");
    }

    /// Istio's normalization page: what BASE decodes, and what it leaves for
    /// DECODE_AND_MERGE_SLASHES.
    #[test]
    fn base_decodes_unreserved_characters_once_and_turns_backslashes() {
        assert_eq!(base("/%61%62%63/%2D%5f%7E%30"), "/abc/-_~0");
        assert_eq!(base("/some\\data"), "/some/data");
        assert_eq!(base("\\da"), "/da");
        assert_eq!(base("/static\\..\\admin"), "/admin");
        // Slashes, backslashes and anything reserved stay encoded; nothing is decoded twice.
        assert_eq!(base("/some%2fdata%5Cx%20y"), "/some%2fdata%5Cx%20y");
        assert_eq!(base("/a%252e%2"), "/a%252e%2");
        assert_eq!(base("/é%41"), "/éA");
    }

    #[test]
    fn each_mode_does_what_istio_documents() {
        let path = "/public/./data//abc/%2e%2E/x%2Fy%5cz";
        assert_eq!(normalize(path, None), path);
        assert_eq!(normalize(path, Base), "/public/data//x%2Fy%5cz");
        assert_eq!(normalize(path, MergeSlashes), "/public/data/x%2Fy%5cz");
        assert_eq!(normalize(path, DecodeAndMergeSlashes), "/public/data/x/y/z");
        // Istio's own examples.
        assert_eq!(normalize("/a//b", MergeSlashes), "/a/b");
        assert_eq!(normalize("/a%2fb", DecodeAndMergeSlashes), "/a/b");
        assert_eq!(
            normalize("/some//data///abc", MergeSlashes),
            "/some/data/abc"
        );
        // Slashes are merged after the dot segments are removed, as Envoy orders them.
        assert_eq!(normalize("/a//../b", MergeSlashes), "/a/b");
        // A decoded slash makes a dot segment that is then removed.
        assert_eq!(normalize("/a/..%2fadmin", DecodeAndMergeSlashes), "/admin");
        assert_eq!(normalize("/a/..%2fadmin", MergeSlashes), "/a/..%2fadmin");
    }
}
