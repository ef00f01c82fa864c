//! The grammar of DNS names: what Kubernetes requires of names and namespaces, and what a
//! VirtualDestination or RouteTable host may be.

/// RFC 1123 label: what Kubernetes requires of namespaces and of vdc's cluster names.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// RFC 1123 subdomain: what Kubernetes requires of most object names.
pub fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// An IPv4 or IPv6 address: what an endpoint's address or a hostname field may be instead of a
/// DNS name.
pub fn is_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// Why `host` is not a valid VirtualDestination host, or `None` when it is.
///
/// Labels are 1–63 of `[a-zA-Z0-9-]` not starting or ending with `-`, the whole at most 255,
/// the top-level label not all digits, no wildcard; a trailing dot is allowed.
pub fn host_problem(host: &str) -> Option<String> {
    if host.is_empty() {
        return Some("a host cannot be empty".into());
    }
    if host.contains('*') {
        return Some("a wildcard `*` is not allowed here".into());
    }
    if host.len() > 255 {
        return Some(format!(
            "the host is {} characters long; at most 255",
            host.len()
        ));
    }
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let labels: Vec<&str> = trimmed.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Some(
                "the host has an empty label (two dots in a row, or a leading dot)".into(),
            );
        }
        if label.len() > 63 {
            return Some(format!("the label `{label}` is longer than 63 characters"));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Some(format!(
                "the label `{label}` contains `{c}`; labels hold only letters, digits and `-`"
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("the label `{label}` starts or ends with `-`"));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some("the last label of a host cannot be all digits".into());
    }
    None
}

/// The valid host a malformed one was probably meant to be: characters a label cannot hold
/// (`_`, spaces, …) become `-`, and stray dots and dashes at label edges go. `None` when that
/// does not give a valid host, or gives the same one.
pub fn host_fix(host: &str) -> Option<String> {
    let labels: Vec<String> = host
        .split('.')
        .map(|label| {
            label
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
                .trim_matches('-')
                .to_owned()
        })
        .filter(|label| !label.is_empty())
        .collect();
    let fixed = labels.join(".");
    (fixed != host && host_problem(&fixed).is_none()).then_some(fixed)
}

/// A host of an Istio object as istiod reads it (`ResolveShortnameToFQDN`): a name without a
/// dot (or wildcard) is a Service of the object's `namespace` in a cluster of `domain`.
pub fn qualified(host: &str, namespace: &str, domain: &str) -> String {
    if host.contains('.') || host.contains('*') {
        host.to_ascii_lowercase()
    } else {
        format!("{host}.{namespace}.svc.{domain}").to_ascii_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn hosts() {
        assert_eq!(host_problem("productpage.global"), None);
        assert_eq!(host_problem("istio.io."), None);
        assert!(host_problem("my_app.global").unwrap().contains('_'));
        assert!(host_problem("*.global").is_some());
        assert!(host_problem("a.123").is_some());
        assert!(host_problem("-a.b").is_some());
    }
}
