//! A RouteTable route's destinations (`forwardTo.destinations[]`, `defaultDestination`) and
//! Gloo's `ObjectReference`, read alike by every kind of route and by route policies.

use super::decode::Fields;
use super::gloo::{DESTINATION_KIND, port_selector};
use super::routing_types::*;
use crate::rules::schema::missing_field;

/// Gloo's `ObjectReference`: a name, with the namespace and cluster it may name.
pub(super) fn object_reference(f: &mut Fields) -> ObjectReference {
    ObjectReference {
        pos: f.pos,
        name: f
            .required_string("name")
            .map(|n| n.value)
            .unwrap_or_default(),
        namespace: f.string("namespace").map(|n| n.value),
        cluster: f.string("cluster").map(|n| n.value),
    }
}

/// A destination's `ref`. A destination without one is another kind of destination (an AWS
/// Lambda, warned about as a field vdc does not translate) and is left out; one with none at
/// all is missing its `ref`.
fn destination_ref(d: &mut Fields) -> Option<ObjectReference> {
    if let Some(reference) = d.object("ref", object_reference) {
        return Some(reference);
    }
    if d.peek("awsLambda").is_none() && d.peek("function").is_none() {
        let path = d.path("ref");
        let case = missing_field::Case::Required { path: &path };
        let site = d.cx.site(d.pos);
        d.cx.push(missing_field::diagnostic(site, case));
    }
    None
}

/// One destination of a `forwardTo` (or the `defaultDestination`).
pub(super) fn destination(d: &mut Fields, from_default: bool) -> Option<RouteDestination> {
    let pos = d.pos;
    let reference = destination_ref(d)?;
    let kind = d.enum_value("kind", DESTINATION_KIND, "SERVICE")?;
    let port = d.object("port", port_selector).flatten();
    let subset = d.string_map("subset");
    let weight = d.uint("weight", 0, 100).map(|w| w.value);
    Some(RouteDestination {
        reference,
        kind,
        port,
        subset,
        weight,
        from_default,
        pos,
    })
}
