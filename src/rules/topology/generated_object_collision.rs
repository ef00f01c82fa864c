//! **VDC509 generated-object-collision** (error): Two generated objects have one identity or one output path.
//!
//! ## What it does
//!
//! Two objects vdc would generate with the same cluster, kind, namespace and name, and so the
//! same file under `render --out`: for instance two VirtualDestinations whose hosts differ only by
//! `.` and `-` (`productpage.global`, `productpage-global`), which Gloo's name sanitizer maps to
//! one ServiceEntry name. The message names both sources.
//!
//! ## Why is this bad?
//!
//! One object would silently replace the other, in the cluster and in the `--out` tree, whose
//! `kustomization.yaml` would list the path twice (`kubectl kustomize` then fails). `check`,
//! `render` and `diff` all refuse the input, and nothing is written.
//!
//! ## Example
//!
//! `clusters/cluster1/gloo/productpage.yaml` holds two VirtualDestinations, one with host
//! `productpage.global`, the other (`productpage-dash`) with host `productpage-global`.
//!
//! `vdc check testdata/check/generated-object-collision` prints:
//!
//! ```text
//! error[VDC509]: ServiceEntry bookinfo-frontends/vd-productpage-global-bookinfo in cluster cluster1 would be generated twice, from VirtualDestination bookinfo-frontends/productpage in cluster cluster1 (clusters/cluster1/gloo/productpage.yaml:1) and from VirtualDestination bookinfo-frontends/productpage-dash in cluster cluster1 (clusters/cluster1/gloo/productpage.yaml:16); one would replace the other
//!   --> testdata/check/generated-object-collision/clusters/cluster1/gloo/productpage.yaml:16:1
//!    |
//! 16 | apiVersion: networking.gloo.solo.io/v2
//!    | ^^^^^^^^^^
//!    = object: ServiceEntry bookinfo-frontends/vd-productpage-global-bookinfo in cluster cluster1
//!    = help: rename one of the two sources (a host, or an object name) so that their generated names differ
//!    = see: vdc rule VDC509
//! ```
//!
//! ## Fix
//!
//! Rename one of the two sources so that their generated names differ: here, one of the hosts.
//!
//! Fixture: `testdata/check/generated-object-collision/`. Long form: `docs/diagnostics.md#vdc509`.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, ObjectRef};
use crate::model::World;
use crate::model::types::Meta;
use crate::translate::Output;

pub const CODE: Code = Code::GeneratedObjectCollision;

/// The Gloo object an output was generated from, by its `gloo.solo.io/parent_*` labels.
pub(super) fn parent(output: &Output) -> ObjectRef {
    let label = |key: &str| {
        output
            .object
            .metadata
            .labels
            .get(key)
            .map(|v| v.to_string())
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
pub(super) fn meta_of<'w>(world: &'w World, parent: &ObjectRef) -> Option<&'w Meta> {
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
