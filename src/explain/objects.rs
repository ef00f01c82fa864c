//! `vdc explain --object`: why one object vdc writes exists: the Gloo object it comes from (its
//! provenance labels, looked up in the input for file and line), why it is in its cluster, and
//! for a VirtualDestination's object the `vdc explain` that says the rest.

use super::why::{self, Parent, label};
use crate::emit::{Format, relative_path};
use crate::model::World;
use crate::model::types::Meta;
use crate::resolve::Resolved;
use crate::translate::Output;
use anyhow::{Result, bail};
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// What `explain` is asked about: VirtualDestinations, or generated objects.
#[derive(Debug, Clone, Copy)]
pub enum Asked<'a> {
    /// VDs as [`super::explain`] names them (all when empty).
    Vds(&'a [String]),
    /// Generated objects, as `CLUSTER/KIND/NAMESPACE/NAME` or the path `render` writes them to;
    /// one that names no object is an `Err` listing the nearest ones.
    Objects(&'a [String]),
}

/// One generated object, explained.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectExplanation {
    pub cluster: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Where `render --out` writes it, and the `# Source:` line of `render`'s stream.
    pub path: String,
    /// The workspace of the namespace it lands in (its `context.mesh.gloo.solo.io/workspace`).
    pub workspace: Option<String>,
    /// The Gloo objects it comes from; the first is the one its `gloo.solo.io/parent_*` labels
    /// name.
    pub parents: Vec<Parent>,
    /// Why it is in this cluster, one sentence each.
    pub reasons: Vec<String>,
    /// For a VirtualDestination's object, the VD as `vdc explain` takes it.
    pub virtual_destination: Option<String>,
    /// For a VirtualDestination's object, the command that explains the VD.
    pub explain_command: Option<String>,
}

/// How a REF names an object: `CLUSTER/KIND/NAMESPACE/NAME`, or its path as `render` writes it.
fn names(want: &str, o: &Output) -> bool {
    if is_path(want) {
        let want = want.strip_prefix("./").unwrap_or(want);
        return [Format::Yaml, Format::Json]
            .into_iter()
            .any(|f| relative_path(o, f) == want);
    }
    let m = &o.object.metadata;
    match want.split('/').collect::<Vec<_>>()[..] {
        [cluster, kind, namespace, name] => {
            cluster == o.cluster
                && kind.eq_ignore_ascii_case(o.object.kind)
                && namespace == m.namespace
                && name == m.name
        }
        _ => false,
    }
}

fn is_path(want: &str) -> bool {
    want.ends_with(".yaml") || want.ends_with(".json")
}

/// `o` named in the form of `want`.
fn name_like(want: &str, o: &Output) -> String {
    if is_path(want) {
        let format = if want.ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        };
        return relative_path(o, format);
    }
    let m = &o.object.metadata;
    format!("{}/{}/{}/{}", o.cluster, o.object.kind, m.namespace, m.name)
}

/// `Err` naming `want` and the objects nearest to it: those of its cluster, and of those the
/// ones of its kind, when there are any.
fn unknown(want: &str, outputs: &[Output], input: &Path) -> anyhow::Error {
    let cluster = want.split('/').next().unwrap_or_default();
    // The kind a REF names: its second part, or the start of a path's file name.
    let part = want.split('/').nth(if is_path(want) { 2 } else { 1 });
    let part = part.unwrap_or_default().to_lowercase();
    let of_kind = |o: &Output| {
        let kind = o.object.kind.to_lowercase();
        part == kind || (is_path(want) && part.starts_with(&format!("{kind}-")))
    };
    let same_cluster: Vec<&Output> = outputs.iter().filter(|o| o.cluster == cluster).collect();
    if same_cluster.is_empty() && !outputs.is_empty() {
        // A cluster vdc writes nothing for: name the clusters, not every object of each.
        let mut clusters: Vec<&str> = outputs.iter().map(|o| o.cluster.as_str()).collect();
        clusters.sort_unstable();
        clusters.dedup();
        return anyhow::anyhow!(
            "vdc writes no object `{want}` for {}: it writes nothing for a cluster `{cluster}` {}",
            input.display(),
            crate::text::unknown_name_hint(cluster, &clusters)
        );
    }
    let pool: Vec<&Output> = if same_cluster.is_empty() {
        outputs.iter().collect()
    } else {
        same_cluster
    };
    let same_kind: Vec<&Output> = pool.iter().copied().filter(|o| of_kind(o)).collect();
    let near = if same_kind.is_empty() {
        pool
    } else {
        same_kind
    };
    let mut known: Vec<String> = near.iter().map(|o| name_like(want, o)).collect();
    known.sort();
    known.dedup();
    anyhow::anyhow!(
        "vdc writes no object `{want}` for {} {}",
        input.display(),
        crate::text::unknown_name_hint(want, &known)
    )
}

/// Every object `refs` name, in the order first named, each once; `Err` for a REF that names
/// none.
pub(super) fn explain_objects(
    resolved: &Resolved,
    outputs: &[Output],
    refs: &[String],
    input: &Path,
) -> Result<Vec<ObjectExplanation>> {
    let mut chosen: Vec<&Output> = Vec::new();
    for want in refs {
        let found: Vec<&Output> = outputs.iter().filter(|o| names(want, o)).collect();
        if found.is_empty() {
            return Err(unknown(want, outputs, input));
        }
        for o in found {
            if !chosen.iter().any(|c| std::ptr::eq(*c, o)) {
                chosen.push(o);
            }
        }
    }
    chosen
        .into_iter()
        .map(|o| object_explanation(resolved, o, input))
        .collect()
}

fn object_explanation(resolved: &Resolved, o: &Output, input: &Path) -> Result<ObjectExplanation> {
    let m = &o.object.metadata;
    let Some(parent) = parent_meta(resolved.world, o) else {
        bail!(
            "internal error: {} {}/{} in {} names no Gloo object of the input",
            o.object.kind,
            m.namespace,
            m.name,
            o.cluster
        );
    };
    let why = why::why(resolved, o, parent);
    let virtual_destination = why.vd.map(|vd| vd_argument(resolved.world, vd));
    Ok(ObjectExplanation {
        cluster: o.cluster.clone(),
        kind: o.object.kind.to_owned(),
        namespace: m.namespace.clone(),
        name: m.name.clone(),
        path: relative_path(o, Format::Yaml),
        workspace: label(o, "context.mesh.gloo.solo.io/workspace").map(str::to_owned),
        parents: why.parents,
        reasons: why.reasons,
        explain_command: virtual_destination
            .as_ref()
            .map(|vd| format!("vdc explain {} {vd}", input.display())),
        virtual_destination,
    })
}

/// `NAMESPACE/NAME` of a VD, or `CLUSTER/NAMESPACE/NAME` when another cluster's config defines
/// one of that name too.
fn vd_argument(world: &World, vd: &Meta) -> String {
    let twins = world
        .virtual_destinations
        .iter()
        .filter(|v| v.meta.namespace == vd.namespace && v.meta.name == vd.name)
        .count();
    if twins > 1 {
        format!("{}/{}/{}", vd.cluster, vd.namespace, vd.name)
    } else {
        format!("{}/{}", vd.namespace, vd.name)
    }
}

/// The Gloo object the provenance labels of `o` name.
fn parent_meta<'w>(world: &'w World, o: &Output) -> Option<&'w Meta> {
    let kind = label(o, "gloo.solo.io/parent_kind")?;
    let cluster = label(o, "gloo.solo.io/parent_cluster")?;
    let namespace = label(o, "gloo.solo.io/parent_namespace")?;
    let name = label(o, "gloo.solo.io/parent_name")?;
    let x = &world.external;
    std::iter::empty()
        .chain(world.virtual_destinations.iter().map(|v| &v.meta))
        .chain(world.route_tables.iter().map(|v| &v.meta))
        .chain(world.virtual_gateways.iter().map(|v| &v.meta))
        .chain(x.services.iter().map(|v| &v.meta))
        .chain(x.workloads.iter().map(|v| &v.meta))
        .find(|m| {
            m.kind == kind && m.cluster == cluster && m.namespace == namespace && m.name == name
        })
}

/// The human form: one block per object.
pub fn human(objects: &[ObjectExplanation]) -> String {
    let mut out = String::new();
    for (i, e) in objects.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut block = String::new();
        let _ = writeln!(
            block,
            "{} {}/{} (cluster {})",
            e.kind, e.namespace, e.name, e.cluster
        );
        let _ = writeln!(block, "  path:      {}", e.path);
        let _ = writeln!(
            block,
            "  workspace: {}",
            e.workspace.as_deref().unwrap_or("(none)")
        );
        let _ = writeln!(block, "  from:");
        for p in &e.parents {
            let place = match (&p.file, p.line) {
                (Some(file), Some(line)) => format!(" at {file}:{line}"),
                (Some(file), None) => format!(" in {file}"),
                _ => String::new(),
            };
            let _ = writeln!(
                block,
                "    {} {}/{} (cluster {}){place}",
                p.kind, p.namespace, p.name, p.cluster
            );
        }
        let _ = writeln!(block, "  why here:");
        for r in &e.reasons {
            let _ = writeln!(block, "    - {r}");
        }
        if let Some(command) = &e.explain_command {
            let _ = writeln!(block, "  more:      {command}");
        }
        for line in block.lines() {
            let _ = writeln!(out, "{}", crate::text::escape_controls(line));
        }
    }
    out
}
