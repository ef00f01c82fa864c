//! A VirtualGateway listener's `allowedRouteTables`: which RouteTables, and which of their hosts,
//! the listener serves.

use crate::model::routing_types::*;
use crate::model::selector::Candidate;
use std::collections::BTreeSet;

/// Per listener of `vg`, in order, the hosts of `rt` (in workspace `rt_ws`) that the listener
/// admits: every host when it has no `allowedRouteTables`, else those some entry admits.
pub(super) fn admitted_hosts(
    vg: &VirtualGateway,
    rt: &RouteTable,
    rt_ws: &str,
) -> Vec<BTreeSet<String>> {
    vg.listeners
        .iter()
        .map(|listener| {
            let hosts = rt.hosts.iter().map(|h| &h.value);
            if listener.allowed_route_tables.is_empty() {
                return hosts.cloned().collect();
            }
            let filters = &listener.allowed_route_tables;
            hosts
                .filter(|host| filters.iter().any(|f| admits(f, vg, rt, rt_ws, host)))
                .cloned()
                .collect()
        })
        .collect()
}

/// An entry admits a RouteTable host when the table is in the entry's namespace (`.`: the
/// VirtualGateway's), its selector (if any) picks the table, and its `host` covers the host.
fn admits(
    filter: &RouteTableFilter,
    vg: &VirtualGateway,
    rt: &RouteTable,
    rt_ws: &str,
    host: &str,
) -> bool {
    let namespace_ok = match filter.namespace.as_deref() {
        None => true,
        Some(".") => rt.meta.namespace == vg.meta.namespace,
        Some(namespace) => rt.meta.namespace == namespace,
    };
    let selected =
        (filter.selector.as_ref()).is_none_or(|s| s.matches(&Candidate::of(&rt.meta, Some(rt_ws))));
    namespace_ok && selected && covers(&filter.host, host)
}

/// Whether an `allowedRouteTables` host covers a RouteTable host: `*` covers every host,
/// `*.example.com` the hosts (and wildcards) below `example.com`, any other only itself, all
/// without regard to case. A RouteTable host wider than the entry (`*` under `*.example.com`)
/// is not covered: the listener's owner did not allow it.
pub(super) fn covers(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some("") => true,
        Some(suffix) => {
            suffix.starts_with('.')
                && host.len() > suffix.len()
                && host
                    .to_ascii_lowercase()
                    .ends_with(&suffix.to_ascii_lowercase())
        }
        None => pattern.eq_ignore_ascii_case(host),
    }
}

/// How a listener's `allowedRouteTables` reads in a message: each host, with the namespace
/// and selector it requires (`` `*.example.com` to RouteTables in workspace bookinfo ``).
pub(super) fn describe(listener: &Listener) -> String {
    let entries: Vec<String> = (listener.allowed_route_tables.iter())
        .map(|f| {
            let host = match &f.namespace {
                Some(ns) => format!("`{ns}/{}`", f.host),
                None => format!("`{}`", f.host),
            };
            let Some(s) = &f.selector else { return host };
            let mut parts: Vec<String> = (s.labels.iter())
                .map(|(k, v)| format!("labelled {k}={v}"))
                .collect();
            let named = [
                ("named", &s.name),
                ("in namespace", &s.namespace),
                ("in cluster", &s.cluster),
                ("in workspace", &s.workspace),
            ];
            for (phrase, value) in named {
                if let Some(value) = value {
                    parts.push(format!("{phrase} {value}"));
                }
            }
            if parts.is_empty() {
                host
            } else {
                format!("{host} to RouteTables {}", parts.join(" "))
            }
        })
        .collect();
    entries.join(", ")
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn a_wildcard_entry_covers_the_hosts_below_it_and_no_wider_one() {
        assert!(covers("*", "anything.example.com"));
        assert!(covers("*", "*"));
        assert!(covers("*.example.com", "bookinfo.example.com"));
        assert!(covers("*.example.com", "*.api.example.com"));
        assert!(covers("*.Example.com", "BOOKINFO.example.com"));
        assert!(!covers("*.example.com", "example.com"));
        assert!(!covers("*.example.com", "*"));
        assert!(!covers("*.example.com", "bookinfo.example.org"));
        assert!(covers("bookinfo.example.com", "bookinfo.example.com"));
        assert!(!covers("bookinfo.example.com", "*.example.com"));
    }
}
