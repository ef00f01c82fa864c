//! `vdc explain`'s human form: one block per VirtualDestination.

use super::*;
use owo_colors::{OwoColorize, Style};

/// The human form: one block per VirtualDestination, in the order of the JSON fields.
pub fn human(explanations: &[Explanation], color: bool) -> String {
    let heading = if color {
        Style::new().bold()
    } else {
        Style::new()
    };
    let mut out = String::new();
    for (i, e) in explanations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut block = String::new();
        identity_and_reach(&mut block, e);
        backends(&mut block, e);
        gateways_policies_subsets(&mut block, e);
        external_and_status(&mut block, e);
        section(&mut block, "objects", &e.objects, |o| {
            format!("{}: {} {}/{}", o.cluster, o.kind, o.namespace, o.name)
        });
        // Values from dumps reach this text: no control character in them reaches the
        // terminal. The heading is styled after escaping, so vdc's own colour survives.
        let (first, rest) = block.split_once('\n').unwrap_or((&block, ""));
        let _ = writeln!(
            out,
            "{}",
            crate::text::escape_controls(first).style(heading)
        );
        for line in rest.lines() {
            let _ = writeln!(out, "{}", crate::text::escape_controls(line));
        }
    }
    out
}

/// The heading line, then who owns the VirtualDestination, where it is visible, its VIP and
/// ports, and which clusters are its clients and its backends.
fn identity_and_reach(out: &mut String, e: &Explanation) {
    let _ = writeln!(
        out,
        "VirtualDestination {}/{} (cluster {})",
        e.namespace, e.name, e.cluster
    );
    let _ = writeln!(out, "  owner workspace:  {}", e.owner_workspace);
    let _ = writeln!(out, "  visible in:       {}", list(&e.visible_workspaces));
    let _ = writeln!(out, "  VIP:              {}", e.vip);
    let ports: Vec<String> = e
        .ports
        .iter()
        .map(|p| match &p.target_port {
            TargetPort::Number(n) => format!("{}/{} → service port {n}", p.number, p.protocol),
            TargetPort::Name(n) => format!("{}/{} → service port `{n}`", p.number, p.protocol),
        })
        .collect();
    let _ = writeln!(out, "  ports:            {}", list(&ports));
    let _ = writeln!(out, "  client clusters:  {}", list(&e.client_clusters));
    let _ = writeln!(out, "  backing clusters: {}", list(&e.backing_clusters));
}

/// The backing services chosen and the ones passed over, with the reason.
fn backends(out: &mut String, e: &Explanation) {
    section(out, "backing services", &e.backing_services, |b| {
        let ports: Vec<String> = b.workload_ports.iter().map(u32::to_string).collect();
        format!(
            "{}: {}/{} (workload ports {}; identities {})",
            b.cluster,
            b.namespace,
            b.name,
            list(&ports),
            list(&b.identities)
        )
    });
    section(out, "passed over", &e.passed_over, |p| {
        format!("{}: {}/{} — {}", p.cluster, p.namespace, p.name, p.reason)
    });
}

/// The east-west gateways that reach the backends, the policies applied, and the subsets
/// RouteTables route to.
fn gateways_policies_subsets(out: &mut String, e: &Explanation) {
    section(out, "east-west gateways", &e.gateways, |g| {
        let addresses: Vec<String> = g
            .addresses
            .iter()
            .map(|a| format!("{}:{} ({})", a.address, a.port, a.locality))
            .collect();
        format!(
            "{}: {}/{} tls port {}, addresses {}",
            g.cluster,
            g.namespace,
            g.name,
            g.tls_port,
            list(&addresses)
        )
    });
    section(out, "applied policies", &e.applied_policies, |p| {
        let ports: Vec<String> = p.ports.iter().map(u32::to_string).collect();
        format!(
            "{} {}/{} (cluster {}) on ports {}, selected by {}",
            p.kind,
            p.namespace,
            p.name,
            p.cluster,
            list(&ports),
            p.selected_by
        )
    });
    section(out, "route policies", &e.route_policies, |r| {
        let policies: Vec<String> = (r.policies.iter())
            .map(|p| {
                format!(
                    "{} {}/{} (selected by {})",
                    p.kind, p.namespace, p.name, p.selected_by
                )
            })
            .collect();
        format!(
            "{}, carried in {}: {}",
            gloo_route(&r.source),
            list(&r.clusters),
            list(&policies)
        )
    });
    section(out, "routed by", &e.routed_by, |r| {
        let carriers: Vec<String> = (r.virtual_services.iter())
            .map(|o| format!("{}: {} {}/{}", o.cluster, o.kind, o.namespace, o.name))
            .collect();
        format!("{}, carried by {}", gloo_route(&r.source), list(&carriers))
    });
    section(out, "subsets", &e.subsets, subset_line);
}

/// A Gloo route as `vdc check` names it, with its RouteTable and, for a delegated route, the
/// root tables whose VirtualServices carry it.
fn gloo_route(g: &GlooRoute) -> String {
    let mut line = format!(
        "{} of RouteTable {} (cluster {})",
        g.shown(),
        g.route_table,
        g.route_table_cluster
    );
    if !g.delegated_from.is_empty() {
        let roots: Vec<String> = (g.delegated_from.iter())
            .map(|t| {
                format!(
                    "RouteTable {}/{} (cluster {})",
                    t.namespace, t.name, t.cluster
                )
            })
            .collect();
        let _ = write!(line, ", delegated from {}", list(&roots));
    }
    line
}

/// A subset's labels and the backing clusters that serve it, or that none does.
fn subset_line(sub: &Subset) -> String {
    let labels: Vec<String> = sub.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if sub.clusters.is_empty() {
        format!(
            "{} ({}): served by no backing cluster",
            sub.name,
            labels.join(", ")
        )
    } else {
        format!(
            "{} ({}): served from {}",
            sub.name,
            labels.join(", "),
            sub.clusters.join(", ")
        )
    }
}

/// The client mode, the external backends and Gloo's `VirtualDestinationStatus` counters.
fn external_and_status(out: &mut String, e: &Explanation) {
    let _ = writeln!(
        out,
        "  client mode:      {} (from {})",
        e.client_mode, e.client_mode_source
    );
    section(out, "external services", &e.external_services, |x| {
        format!(
            "{}: {}/{} (endpoints {})",
            x.cluster,
            x.namespace,
            x.name,
            list(&x.endpoints)
        )
    });
    section(out, "external workloads", &e.external_workloads, |x| {
        format!(
            "{}: {}/{} (identities {})",
            x.cluster,
            x.namespace,
            x.name,
            list(&x.identities)
        )
    });
    let policies: Vec<String> = e
        .status
        .num_applied_destination_policies
        .iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect();
    let _ = writeln!(out, "  status:");
    let _ = writeln!(
        out,
        "    numSelectedBackingServices:    {}",
        e.status.num_selected_backing_services
    );
    let _ = writeln!(
        out,
        "    numAppliedDestinationPolicies: {}",
        list(&policies)
    );
    let _ = writeln!(
        out,
        "    ownedByWorkspace:              {}",
        e.status.owned_by_workspace
    );
}

/// `items` joined with commas, or `none`.
fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// A titled list, one item a line, or `title: none`.
fn section<T>(out: &mut String, title: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        let _ = writeln!(out, "  {title}: none");
        return;
    }
    let _ = writeln!(out, "  {title}:");
    for item in items {
        let _ = writeln!(out, "    {}", line(item));
    }
}
