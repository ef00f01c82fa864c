//! For a selector that matches nothing: the label value (or key) it was probably meant to name,
//! taken from the Services of the input.

use super::World;
use super::types::{Meta, ObjectSelector};

/// A label a selector names that no Service has, and the closest one Services do have.
pub struct LabelHint<'w> {
    pub key: &'w str,
    pub value: &'w str,
    /// `key: value` of the closest value of that key, or `key: …` of the closest key.
    pub closest: String,
    /// A Service that has the closest label, when a value (not only a key) was close.
    pub example: Option<&'w Meta>,
}

/// For the first label of `selectors` that no Service has, the closest label (value, or else
/// key) that Services do have, with one Service that has it.
pub(crate) fn closest_label<'w>(
    world: &'w World,
    selectors: &'w [ObjectSelector],
) -> Option<LabelHint<'w>> {
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
                .filter_map(|s| s.meta.labels.get(key))
                .collect();
            let (closest, near) = match crate::text::closest(value, &values) {
                Some(v) => (format!("{key}: {v}"), Some((key, v))),
                None => {
                    let keys: Vec<&str> =
                        services.iter().flat_map(|s| s.meta.labels.keys()).collect();
                    match crate::text::closest(key, &keys) {
                        Some(k) => (format!("{k}: …"), None),
                        None => continue,
                    }
                }
            };
            let example = near
                .and_then(|(k, v)| services.iter().find(|s| s.meta.labels.get(k) == Some(v)))
                .map(|s| &s.meta);
            return Some(LabelHint {
                key,
                value,
                closest,
                example,
            });
        }
    }
    None
}
