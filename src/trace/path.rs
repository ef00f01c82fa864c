//! The request path as a sidecar's routes see it. istiod turns Envoy's `normalize_path` on for
//! every HTTP connection manager it builds (`listener_builder.go`, with the mesh's default
//! `pathNormalization` of `BASE`), so Envoy applies RFC 3986 normalization
//! (`PathUtil::canonicalPath`) before any route is matched: `/static/../admin` is matched as
//! `/admin`. `BASE` merges no slashes and decodes no other escapes.

/// `path` (no query string) with its dot segments removed, as RFC 3986's
/// `remove_dot_segments`. Envoy's canonicalizer also reads `%2e` as a dot in such a segment.
pub fn normalize(path: &str) -> String {
    let Some(rest) = path.strip_prefix('/') else {
        return path.to_owned();
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match dots(segment) {
            Some(1) => {}
            Some(_) => {
                out.pop();
            }
            None => {
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

/// 1 for a `.` segment, 2 for `..`, each dot possibly written `%2e` or `%2E`.
fn dots(segment: &str) -> Option<usize> {
    let lower = segment.to_ascii_lowercase();
    match lower.replace("%2e", ".").as_str() {
        "." if lower.len() <= 3 => Some(1),
        ".." if lower.len() <= 6 => Some(2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn dot_segments_go_as_rfc_3986_says() {
        // RFC 3986 §5.2.4's own examples, and the case a route guarding /admin must see.
        assert_eq!(normalize("/a/b/c/./../../g"), "/a/g");
        assert_eq!(normalize("/static/../admin"), "/admin");
        assert_eq!(normalize("/a/b/.."), "/a/");
        assert_eq!(normalize("/a/./b/."), "/a/b/");
        assert_eq!(normalize("/../../x"), "/x");
        assert_eq!(normalize("/.."), "/");
        assert_eq!(normalize("/"), "/");
        // Encoded dots are dots; a segment that only starts with dots is a name.
        assert_eq!(normalize("/static/%2E%2e/admin"), "/admin");
        assert_eq!(normalize("/static/.%2E/admin"), "/admin");
        assert_eq!(normalize("/a/..b/.c"), "/a/..b/.c");
        // BASE merges no slashes.
        assert_eq!(normalize("/a//b/../c"), "/a//c");
        assert_eq!(normalize("//admin"), "//admin");
    }
}
