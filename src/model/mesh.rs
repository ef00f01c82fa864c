//! What vdc reads from a cluster's `istio` mesh ConfigMap (`data.mesh`, YAML in a string): the
//! trust domain, DNS capture, and the two settings a trace needs to see requests as the
//! cluster's sidecars do, path normalization and the mesh's locality load balancing.

use super::decode::DecodeContext;
use super::types::{Cluster, MeshLocality, PathNormalization};
use crate::load::node::{Node, Pos, Value};
use crate::rules::schema::invalid_value;
use std::collections::BTreeMap;

/// What vdc reads from an `istio` mesh ConfigMap's `data.mesh`.
pub(super) struct MeshData {
    /// The trust domain, when it sets one.
    pub trust_domain: Option<String>,
    /// Whether sidecars capture DNS (`defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE`,
    /// read by Istio as a Go boolean).
    pub dns_capture: bool,
    /// `pathNormalization.normalization`.
    pub path_normalization: PathNormalization,
    /// `localityLbSetting`, when it sets one.
    pub locality_lb: Option<MeshLocality>,
    /// Where `data.mesh` is.
    pub pos: Pos,
}

/// The [`MeshData`] of an `istio` mesh ConfigMap; `None` without a readable `mesh`, or with a
/// value istiod refuses (reported: istiod then keeps the mesh config it had, which no dump
/// shows).
pub(super) fn mesh_config(cx: &mut DecodeContext, doc: &Node) -> Option<MeshData> {
    let mut root = cx.fields(doc, "");
    let mesh = root.object("data", |d| d.string("mesh")).flatten()?;
    let pos = mesh.pos;
    let parsed = crate::load::parse_documents(&mesh.value).ok()?;
    let mesh = parsed.first()?;
    let trust_domain = mesh
        .get("trustDomain")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    if let Some(domain) = trust_domain.as_deref().filter(|d| !is_trust_domain(d)) {
        let case = invalid_value::Case::DumpValue {
            path: "data.mesh.trustDomain",
            value: domain,
            expected: "a SPIFFE trust domain (lower-case letters, digits, `.`, `-` and `_`)",
        };
        cx.push(invalid_value::diagnostic(cx.site(pos), case));
        return None;
    }
    let path_normalization = path_normalization(cx, mesh, pos)?;
    let locality_lb = match mesh.get("localityLbSetting").map(locality_lb).transpose() {
        Ok(setting) => setting,
        Err((path, problem)) => {
            let path = format!("data.mesh.localityLbSetting{path}");
            let problem = format!("{problem}; istiod refuses a mesh config that has it");
            let case = invalid_value::Case::Unreadable {
                path: &path,
                problem: &problem,
            };
            cx.push(invalid_value::diagnostic(cx.site(pos), case));
            return None;
        }
    };
    let dns_capture = mesh
        .get("defaultConfig")
        .and_then(|d| d.get("proxyMetadata"))
        .and_then(|m| m.get("ISTIO_META_DNS_CAPTURE"))
        .and_then(|v| v.as_str())
        .is_some_and(|v| matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True"));
    Some(MeshData {
        trust_domain,
        dns_capture,
        path_normalization,
        locality_lb,
        pos,
    })
}

/// Chooses the mesh ConfigMap of `c` vdc reads, whatever order they were read in: the one of
/// the revision most of its namespaces name in `istio.io/rev` (ties: the first revision by
/// name), as each istiod reads its own revision's `istio-<revision>`, unless as many
/// namespaces or more are injected by the default revision (`istio-injection: enabled`); else
/// `istio` (the default revision's); else the first by name.
pub(super) fn choose(c: &mut Cluster) {
    c.mesh_configs.sort_by(|a, b| a.name.cmp(&b.name));
    // "" stands for the default revision, which serves `istio-injection: enabled` namespaces.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for labels in c.namespaces.values() {
        match labels.get("istio.io/rev").filter(|r| !r.is_empty()) {
            Some(rev) => *counts.entry(rev).or_default() += 1,
            None if labels.get("istio-injection") == Some("enabled") => {
                *counts.entry("").or_default() += 1
            }
            None => {}
        }
    }
    // `max_by` keeps the last of equals: ties go to the first name by reversing the order, so
    // the default revision wins a tie.
    c.mesh_revision = counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .filter(|(rev, _)| !rev.is_empty())
        .map(|(rev, n)| (rev.to_owned(), n));
    let named = |name: &str| c.mesh_configs.iter().find(|m| m.name == name);
    let revisioned = c
        .mesh_revision
        .as_ref()
        .and_then(|(rev, _)| named(&format!("istio-{rev}")));
    let taken = revisioned
        .or_else(|| named("istio"))
        .or_else(|| c.mesh_configs.first())
        .cloned();
    c.trust_domain = taken.as_ref().and_then(|m| m.trust_domain.clone());
    c.mesh_config = taken;
}

/// A SPIFFE trust domain name: lower-case letters, digits, `.`, `-` and `_`.
fn is_trust_domain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}

/// The mesh config's `pathNormalization.normalization` (Istio's default when unset); `None`,
/// with a diagnostic, when it names none.
fn path_normalization(cx: &mut DecodeContext, mesh: &Node, pos: Pos) -> Option<PathNormalization> {
    let Some(value) = mesh
        .get("pathNormalization")
        .and_then(|p| p.get("normalization"))
    else {
        return Some(PathNormalization::default());
    };
    let name = match &value.value {
        Value::Str(s) => s.clone(),
        Value::Int(n) => n.to_string(),
        Value::Null => return Some(PathNormalization::default()),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) => "a list".to_owned(),
        Value::Map(_) => "a mapping".to_owned(),
    };
    if let Some(found) = PathNormalization::named(&name) {
        return Some(found);
    }
    let case = invalid_value::Case::NotAnEnumValue {
        path: "data.mesh.pathNormalization.normalization",
        value: &name,
        help: format!(
            "istiod refuses a mesh config with such a value and keeps the one it had; use one of {}",
            PathNormalization::NAMES
                .map(|n| format!("`{n}`"))
                .join(", ")
        ),
    };
    cx.push(invalid_value::diagnostic(cx.site(pos), case));
    None
}

/// Where in `localityLbSetting` a value is unreadable (`.failover[0].to`), and why.
type Unreadable = (String, String);

/// `localityLbSetting` as protobuf JSON reads it into Istio's `LocalityLoadBalancerSetting`:
/// unknown fields are ignored (istiod reads mesh config leniently), a field of the wrong type
/// is refused. A null setting or field is unset.
fn locality_lb(node: &Node) -> Result<MeshLocality, Unreadable> {
    let mut setting = MeshLocality::default();
    if matches!(node.value, Value::Null) {
        return Ok(setting);
    }
    map_of(node, "")?;
    if let Some(enabled) = node.get("enabled").filter(|n| !is_null(n)) {
        match enabled.value {
            Value::Bool(b) => setting.enabled = Some(b),
            _ => return Err(wrong(".enabled", "a boolean", enabled)),
        }
    }
    for (i, rule) in list(node, "distribute")?.iter().enumerate() {
        let at = format!(".distribute[{i}]");
        map_of(rule, &at)?;
        let from = text(rule, "from", &at)?;
        let mut to = BTreeMap::new();
        if let Some(weights) = rule.get("to").filter(|n| !is_null(n)) {
            let Value::Map(entries) = &weights.value else {
                return Err(wrong(&format!("{at}.to"), "a mapping", weights));
            };
            for (key, weight) in entries {
                let Value::Int(n) = weight.value else {
                    return Err(wrong(
                        &format!("{at}.to.{}", key.name),
                        "an integer",
                        weight,
                    ));
                };
                let n = u32::try_from(n).map_err(|_| {
                    (
                        format!("{at}.to.{}", key.name),
                        format!("{n} is not a uint32"),
                    )
                })?;
                to.insert(key.name.clone(), n);
            }
        }
        setting.distribute.push((from, to));
    }
    for (i, rule) in list(node, "failover")?.iter().enumerate() {
        let at = format!(".failover[{i}]");
        map_of(rule, &at)?;
        setting
            .failover
            .push((text(rule, "from", &at)?, text(rule, "to", &at)?));
    }
    for (i, label) in list(node, "failoverPriority")?.iter().enumerate() {
        match &label.value {
            Value::Str(s) => setting.failover_priority.push(s.clone()),
            _ => return Err(wrong(&format!(".failoverPriority[{i}]"), "a string", label)),
        }
    }
    Ok(setting)
}

fn is_null(node: &Node) -> bool {
    matches!(node.value, Value::Null)
}

fn wrong(path: &str, expected: &str, found: &Node) -> Unreadable {
    (
        path.to_owned(),
        format!("expected {expected}, found {}", found.type_name()),
    )
}

fn map_of(node: &Node, at: &str) -> Result<(), Unreadable> {
    match node.value {
        Value::Map(_) => Ok(()),
        _ => Err(wrong(at, "a mapping", node)),
    }
}

/// The list at `key` (empty when unset or null).
fn list<'n>(node: &'n Node, key: &str) -> Result<&'n [Node], Unreadable> {
    let Some(value) = node.get(key) else {
        return Ok(&[]);
    };
    match &value.value {
        Value::Null => Ok(&[]),
        Value::Seq(items) => Ok(items),
        _ => Err(wrong(&format!(".{key}"), "a list", value)),
    }
}

/// The string at `key` (empty when unset or null, as protobuf leaves it).
fn text(node: &Node, key: &str, at: &str) -> Result<String, Unreadable> {
    let Some(value) = node.get(key) else {
        return Ok(String::new());
    };
    match &value.value {
        Value::Null => Ok(String::new()),
        Value::Str(s) => Ok(s.clone()),
        _ => Err(wrong(&format!("{at}.{key}"), "a string", value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labels::Labels;
    use crate::model::types::MeshConfig;

    fn mesh(name: &str) -> MeshConfig {
        MeshConfig {
            name: name.into(),
            file: "state.yaml".into(),
            pos: Pos::default(),
            trust_domain: Some(name.into()),
            dns_capture: false,
            path_normalization: PathNormalization::default(),
            locality_lb: None,
        }
    }

    /// The ConfigMap `choose` takes, given the ConfigMaps in the order read and the namespaces'
    /// `istio.io/rev` labels (`injected`: `istio-injection: enabled` instead).
    fn taken(configs: &[&str], revs: &[&str]) -> String {
        let mut c = Cluster {
            mesh_configs: configs.iter().map(|n| mesh(n)).collect(),
            ..Cluster::default()
        };
        for (i, rev) in revs.iter().enumerate() {
            let label = match *rev {
                "injected" => ("istio-injection", "enabled"),
                rev => ("istio.io/rev", rev),
            };
            let labels: Labels = [label].into_iter().collect();
            c.namespaces.insert(format!("ns{i}"), labels);
        }
        choose(&mut c);
        assert_eq!(
            c.trust_domain.as_deref(),
            c.mesh_config.as_ref().map(|m| &*m.name)
        );
        c.mesh_config.map(|m| m.name).unwrap_or_default()
    }

    #[test]
    fn the_revision_most_namespaces_name_wins_in_any_order() {
        let both = ["istio-1-21", "istio-1-20", "istio"];
        let revs = ["1-20", "1-21", "1-20"];
        assert_eq!(taken(&both, &revs), "istio-1-20");
        let reversed = ["istio", "istio-1-20", "istio-1-21"];
        assert_eq!(taken(&reversed, &revs), "istio-1-20");
        // A tie goes to the first revision by name.
        assert_eq!(taken(&both, &["1-21", "1-20"]), "istio-1-20");
    }

    #[test]
    fn namespaces_injected_by_the_default_revision_count_for_istio() {
        // Three namespaces on the default revision outvote one canary namespace.
        let configs = ["istio-canary", "istio"];
        let revs = ["injected", "injected", "canary", "injected"];
        assert_eq!(taken(&configs, &revs), "istio");
        assert_eq!(
            taken(&configs, &["canary", "canary", "injected"]),
            "istio-canary"
        );
        // A tie goes to the default revision.
        assert_eq!(taken(&configs, &["canary", "injected"]), "istio");
    }

    #[test]
    fn without_a_revision_istio_then_the_first_by_name() {
        assert_eq!(taken(&["istio-1-21", "istio"], &[]), "istio");
        assert_eq!(taken(&["istio-1-21", "istio"], &["canary"]), "istio");
        assert_eq!(taken(&["istio-1-21", "istio-1-20"], &[]), "istio-1-20");
        assert_eq!(taken(&[], &["1-20"]), "");
    }
}
