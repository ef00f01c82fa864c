//! Hints for a selector that matches nothing: the label value (or key) it was probably meant
//! to name, taken from the Services of the input.

use super::World;
use super::types::ObjectSelector;

const GENERIC: &str =
    "check the selector's labels against the Services' metadata labels (not their pod selectors)";

/// The help of VDC413: for the first label of `selectors` that no Service has, the closest
/// label (value, or else key) that Services do have, with one Service that has it.
pub(crate) fn selector_help(world: &World, selectors: &[ObjectSelector]) -> String {
    let services: Vec<_> = world
        .clusters
        .values()
        .flat_map(|c| c.services.iter())
        .collect();
    for selector in selectors {
        for (key, value) in &selector.labels {
            let has = |s: &&&super::types::Service| s.meta.labels.get(key) == Some(value);
            if services.iter().any(|s| has(&s)) {
                continue;
            }
            let values: Vec<&str> = services
                .iter()
                .filter_map(|s| s.meta.labels.get(key).map(String::as_str))
                .collect();
            let (label, near) = match super::schema::check::closest(value, &values) {
                Some(v) => (format!("{key}: {v}"), Some((key.as_str(), v))),
                None => {
                    let keys: Vec<&str> = services
                        .iter()
                        .flat_map(|s| s.meta.labels.keys().map(String::as_str))
                        .collect();
                    match super::schema::check::closest(key, &keys) {
                        Some(k) => (format!("{k}: …"), None),
                        None => continue,
                    }
                }
            };
            let example = near
                .and_then(|(k, v)| {
                    services
                        .iter()
                        .find(|s| s.meta.labels.get(k).map(String::as_str) == Some(v))
                })
                .map(|s| {
                    format!(
                        " (Service {}/{} in cluster `{}` has it)",
                        s.meta.namespace, s.meta.name, s.meta.cluster
                    )
                })
                .unwrap_or_default();
            return format!(
                "no Service has the label `{key}: {value}`; did you mean `{label}`?{example}"
            );
        }
    }
    GENERIC.to_owned()
}
