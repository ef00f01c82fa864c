//! A trace as a person reads it at a glance: who asks what, the route taken, each destination
//! with its priorities as a short ordered list, then the outcome.

use super::{Answer, DestinationJson, EndpointJson, RuleId};
use std::fmt::Write;

pub fn human(a: &Answer) -> String {
    let mut out = String::new();
    let from = &a.from;
    let who = match &from.workload {
        Some(w) => format!("{}/{}/{w}", from.cluster, from.namespace),
        None => format!("{}/{}", from.cluster, from.namespace),
    };
    let to = match a.to.port {
        Some(p) => format!("{}:{p}", a.to.host),
        None => a.to.host.clone(),
    };
    let _ = writeln!(out, "{who} → {to}");
    let labels: Vec<String> = from
        .labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let labels = if labels.is_empty() {
        "none".into()
    } else {
        labels.join(",")
    };
    let locality = if from.locality.is_empty() {
        "unknown"
    } else {
        &from.locality
    };
    let _ = writeln!(out, "  client    labels {labels} · locality {locality}");
    if let Some(normalized) = &a.to.normalized_path {
        let _ = writeln!(
            out,
            "  path      {} is matched as {normalized} (Envoy normalizes it first)",
            a.to.path
        );
    }
    let _ = writeln!(out, "  route     {}", route_line(a));
    for action in &a.route.actions {
        let _ = writeln!(out, "            {action}");
    }
    if let Some(fault) = &a.route.fault {
        let _ = writeln!(out, "  fault     {}", fault.words());
    }
    if let Some(retries) = &a.route.retries {
        let _ = writeln!(out, "  retries   {}", super::retries_words(retries));
    }
    for d in &a.destinations {
        out.push('\n');
        destination(&mut out, d, a.destinations.len() > 1);
    }
    out.push('\n');
    let _ = write!(out, "outcome   {}", a.outcome.as_str());
    if let Some(f) = &a.fault {
        let _ = write!(
            out,
            " ({}): {} {} in {}: {}",
            f.response.unwrap_or(a.outcome.envoy()),
            f.kind,
            f.object.as_deref().unwrap_or("(none)"),
            f.cluster,
            f.reason
        );
    }
    out.push('\n');
    for note in &a.notes {
        let _ = writeln!(out, "note      {note}");
    }
    out
}

fn route_line(a: &Answer) -> String {
    match (&a.route.virtual_service, &a.route.rule) {
        (None, _) => "no VirtualService: straight to the host".into(),
        (Some(vs), Some(RuleId::Name(n))) => format!("VirtualService {vs}, rule {n}"),
        (Some(vs), Some(RuleId::Index(i))) => format!("VirtualService {vs}, rule #{i}"),
        (Some(vs), None) => format!("VirtualService {vs}: no rule matches"),
    }
}

fn destination(out: &mut String, d: &DestinationJson, weighted: bool) {
    let mut head = match d.port {
        Some(p) => format!("→ {}:{p}", d.host),
        None => format!("→ {}", d.host),
    };
    if let Some(s) = &d.subset {
        let _ = write!(head, " subset {s}");
    }
    if weighted {
        let _ = write!(head, " · weight {}", d.weight);
    }
    let _ = writeln!(out, "{head}");
    if let Some(s) = &d.service {
        let _ = writeln!(out, "  service   {s}");
    }
    if d.tls.mode.is_empty() {
        // The trace stopped before the DestinationRule: the outcome says why.
        return;
    }
    let rule = d.destination_rule.as_deref().unwrap_or("none");
    let _ = writeln!(out, "  rule      DestinationRule {rule}");
    let mut tls = d.tls.mode.clone();
    if let Some(sni) = &d.tls.sni {
        let _ = write!(tls, " · sni {sni}");
    }
    if !d.tls.subject_alt_names.is_empty() {
        let _ = write!(tls, " · SANs {}", d.tls.subject_alt_names.join(", "));
    }
    let _ = writeln!(out, "  tls       {tls}");
    let od = if d.outlier_detection { "on" } else { "off" };
    let _ = writeln!(
        out,
        "  locality  {} (outlier detection {od})",
        d.locality_lb
    );
    priorities(out, d);
    for left in &d.left_out {
        let at = crate::text::address_port(&left.address, left.port);
        let (kind, object) = &left.object;
        let what = object
            .as_ref()
            .map_or(kind.clone(), |o| format!("{kind} {o}"));
        let _ = writeln!(
            out,
            "  left out  {at} ({what}, network {}): no mTLS, so istiod sends no gateway endpoint for it",
            left.network
        );
    }
    if !d.failing.is_empty() {
        let share: f64 = d.failing.iter().map(|f| f.share).sum();
        let each: Vec<String> = (d.failing.iter())
            .map(|f| {
                let at = crate::text::address_port(&f.address, f.port);
                format!("{at} {}% ({})", super::round_share(f.share), f.why)
            })
            .collect();
        let share = super::round_share(share);
        let _ = writeln!(
            out,
            "  failing   {share}% of the requests: {}",
            each.join(", ")
        );
    }
}

/// One line per endpoint, grouped by priority, the serving priority marked.
fn priorities(out: &mut String, d: &DestinationJson) {
    if d.priorities.is_empty() {
        let _ = writeln!(out, "  endpoints none");
        return;
    }
    let rows: Vec<(u32, &EndpointJson, String)> = d
        .priorities
        .iter()
        .flat_map(|p| p.endpoints.iter().map(move |e| (p.priority, e, target(e))))
        .collect();
    let width =
        |f: &dyn Fn(&(u32, &EndpointJson, String)) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let (wl, wc, wt) = (
        width(&|r| r.1.locality.len().max(1)),
        width(&|r| r.1.cluster.len()),
        width(&|r| r.2.chars().count()),
    );
    let _ = writeln!(out, "  priorities");
    for (priority, e, target) in &rows {
        // Without outlier detection, or past its share of the hosts, a failed endpoint stays.
        let mark = if e.down && (!e.ejected || !d.outlier_detection) {
            "  down, not ejected"
        } else if e.ejected {
            "  ejected"
        } else if Some(*priority) == d.serving && e.weight > 0 && e.refused {
            "  ← picked, but the gateway has no such port: refused"
        } else if Some(*priority) == d.serving && e.weight > 0 && e.unreachable {
            "  ← picked, but on another network with no gateway: unreachable"
        } else if Some(*priority) == d.serving && e.weight > 0 && e.dead_end {
            "  ← picked, but no Gateway server there takes the host: reset"
        } else if Some(*priority) == d.serving && e.weight > 0 {
            "  ← serving"
        } else {
            ""
        };
        let pad = wt - target.chars().count();
        let _ = writeln!(
            out,
            "    {priority}  {:wl$}  {:wc$}  {target}{:pad$}  weight {}{mark}",
            if e.locality.is_empty() {
                "-"
            } else {
                &e.locality
            },
            e.cluster,
            "",
            e.weight
        );
    }
}

/// Where an endpoint leads: the pod, or the gateway and the pods behind it.
fn target(e: &EndpointJson) -> String {
    let mut at = crate::text::address_port(&e.address, e.port);
    if e.hostname {
        at.push_str(" (DNS name, not resolved)");
    }
    if e.via.is_none() {
        return at;
    }
    let behind = match e.pods.as_slice() {
        [] => "(no pods seen)".to_owned(),
        [a] => a.clone(),
        [a, b] => format!("{a}, {b}"),
        [a, rest @ ..] => format!("{a} and {} more", rest.len()),
    };
    let how = if e.terminates {
        " (terminates mTLS)"
    } else {
        ""
    };
    format!("{at} via east-west gateway{how} → {behind}")
}
