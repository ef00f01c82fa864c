//! `ignore:` in vdc.yaml: warnings and notes not to report, everywhere (a code or its name, as
//! ruff's `ignore`) or for one object only, as a `# noqa` silences one line:
//!
//! ```yaml
//! ignore:
//!   - VDC413                                   # everywhere
//!   - code: VDC412                             # only this object's finding
//!     object: VirtualDestination bookinfo/reviews   # [Kind ]namespace/name, or [Kind ]name
//!     cluster: cluster1                        # optional: only in this cluster
//! ```
//!
//! Errors are never ignored, in either form: vdc generates nothing from input with errors.

use super::Settings;
use super::node::{Node, Value};
use crate::diagnostic::{Code, Diagnostic, Diagnostics, Severity, Site};
use crate::rules::load::invalid_settings::{self, Case};
use std::sync::Arc;

/// One finding not to report: `code` on the object named, in `cluster` when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredFinding {
    pub code: Code,
    pub kind: Option<String>,
    pub namespace: String,
    pub name: String,
    pub cluster: Option<String>,
}

impl IgnoredFinding {
    /// Whether `d` is the finding this entry ignores. Never an error.
    pub fn covers(&self, d: &Diagnostic) -> bool {
        let Some(object) = &d.object else {
            return false;
        };
        d.code == self.code
            && self.code.severity() != Severity::Error
            && object.namespace == self.namespace
            && object.name == self.name
            && self.kind.as_ref().is_none_or(|k| *k == object.kind)
            && self.cluster.as_ref().is_none_or(|c| *c == object.cluster)
    }
}

/// Reads `ignore:` into `settings`, each invalid entry a VDC109.
pub(super) fn read_ignore(
    value: &Node,
    file: &Arc<str>,
    settings: &mut Settings,
    diags: &mut Diagnostics,
) {
    let invalid = |pos, case| invalid_settings::diagnostic(Site::at(file, pos), case);
    let Value::Seq(items) = &value.value else {
        diags.push(invalid(value.pos, Case::IgnoreNotAList));
        return;
    };
    for item in items {
        if let Value::Map(_) = item.value {
            match finding(item) {
                Ok(found) => settings.ignore_findings.push(found),
                Err(case) => diags.push(invalid(item.pos, case)),
            }
            continue;
        }
        match ignorable(item) {
            // Each code once: the list is checked against every diagnostic, and a list of
            // millions of repeats made that quadratic.
            Ok(code) if settings.ignore.contains(&code) => {}
            Ok(code) => settings.ignore.push(code),
            Err(case) => diags.push(invalid(item.pos, case)),
        }
    }
}

/// The warning or note `node` names, by code or by name.
fn ignorable(node: &Node) -> Result<Code, Case<'static>> {
    match node.as_str().and_then(Code::parse) {
        Some(code) if code.severity() == Severity::Error => Err(Case::IgnoresAnError { code }),
        Some(code) => Ok(code),
        None => Err(Case::IgnoresNoCode),
    }
}

/// `{code, object, cluster?}`: one object's finding.
fn finding(entry: &Node) -> Result<IgnoredFinding, Case<'static>> {
    let Value::Map(fields) = &entry.value else {
        return Err(Case::IgnoreEntry);
    };
    if let Some((key, _)) = fields
        .iter()
        .find(|(k, _)| !matches!(k.name.as_str(), "code" | "object" | "cluster"))
    {
        return Err(Case::IgnoreEntryKey {
            key: key.name.clone(),
        });
    }
    let code = ignorable(entry.get("code").ok_or(Case::IgnoreEntry)?)?;
    let object = entry
        .get("object")
        .and_then(Node::as_str)
        .ok_or(Case::IgnoreEntry)?;
    let (kind, qualified) = match object.trim().split_once(' ') {
        Some((kind, rest)) => (Some(kind.to_owned()), rest.trim()),
        None => (None, object.trim()),
    };
    let (namespace, name) = qualified.split_once('/').unwrap_or(("", qualified));
    let cluster = match entry.get("cluster") {
        None => None,
        Some(node) => Some(node.as_str().ok_or(Case::IgnoreEntry)?.to_owned()),
    };
    if name.is_empty() || name.contains('/') || qualified.contains(' ') {
        return Err(Case::IgnoreEntry);
    }
    Ok(IgnoredFinding {
        code,
        kind,
        namespace: namespace.to_owned(),
        name: name.to_owned(),
        cluster,
    })
}
