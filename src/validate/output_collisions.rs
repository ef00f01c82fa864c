//! **VDC509 generated-object-collision.**
//!
//! What: two objects vdc generates with the same (cluster, kind, namespace, name), and so the
//! same output path: `productpage.global` and `productpage-global` are different hosts whose
//! sanitized names are one.
//!
//! Why: one would silently replace the other (in the `--out` tree, and when applied), and
//! `kustomization.yaml` would list the path twice, which `kubectl kustomize` refuses. Fix:
//! rename one of the two sources so their generated names differ.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::model::World;
use crate::model::types::Meta;
use crate::translate::Output;

/// The Gloo object an output was generated from, by its `gloo.solo.io/parent_*` labels.
fn parent(output: &Output) -> ObjectRef {
    let label = |key: &str| {
        output
            .object
            .metadata
            .labels
            .get(key)
            .cloned()
            .unwrap_or_default()
    };
    ObjectRef {
        cluster: label("gloo.solo.io/parent_cluster"),
        kind: label("gloo.solo.io/parent_kind"),
        namespace: label("gloo.solo.io/parent_namespace"),
        name: label("gloo.solo.io/parent_name"),
    }
}

/// Where the parent is defined, when the world has it.
fn meta_of<'w>(world: &'w World, parent: &ObjectRef) -> Option<&'w Meta> {
    let is = |m: &Meta| {
        m.name == parent.name
            && m.namespace == parent.namespace
            && (parent.cluster.is_empty() || m.cluster == parent.cluster)
    };
    match parent.kind.as_str() {
        "VirtualDestination" => world
            .virtual_destinations
            .iter()
            .map(|vd| &vd.meta)
            .find(|m| is(m)),
        "RouteTable" => world.route_tables.iter().map(|r| &r.meta).find(|m| is(m)),
        "VirtualGateway" => world
            .virtual_gateways
            .iter()
            .map(|g| &g.meta)
            .find(|m| is(m)),
        _ => None,
    }
}

fn described(world: &World, parent: &ObjectRef) -> String {
    match meta_of(world, parent) {
        Some(m) => format!("{parent} ({}:{})", m.file, m.pos.line),
        None if parent.kind.is_empty() => "an object of vdc's own".to_owned(),
        None => parent.to_string(),
    }
}

/// `outputs` are sorted by [`Output::key`], so two with one identity are neighbours.
pub fn check(world: &World, outputs: &[Output]) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for pair in outputs.windows(2) {
        let (first, second) = (&pair[0], &pair[1]);
        if first.key() != second.key() {
            continue;
        }
        let (a, b) = (parent(first), parent(second));
        let object = ObjectRef {
            cluster: first.cluster.clone(),
            kind: first.object.kind.to_owned(),
            namespace: first.object.metadata.namespace.clone(),
            name: first.object.metadata.name.clone(),
        };
        let mut d = Diagnostic::new(
            Code::GeneratedObjectCollision,
            format!(
                "{object} would be generated twice, from {} and from {}; one would replace the other",
                described(world, &a),
                described(world, &b)
            ),
        )
        .object(object)
        .help("rename one of the two sources (a host, or an object name) so that their generated names differ");
        if let Some(m) = meta_of(world, &b).or_else(|| meta_of(world, &a)) {
            d = d.at(&m.file, m.pos);
        }
        diags.push(d);
    }
    diags
}
