//! Fields and enum values of Gloo 2.2 that Gloo 2.3 removed, so the 2.6 protos do not have
//! them. Manifests written for 2.2 still carry them: they are accepted with a warning that says
//! so, and have no effect on the output.

use super::{Message, enumeration};
use crate::diagnostic::Code;
use crate::load::node::Key;
use crate::model::decode::Cx;

/// (message, field): 2.2's Lambda destinations, `destinations[].function`.
const REMOVED_FIELDS: &[(&str, &str)] = &[("common.gloo.solo.io.DestinationReference", "function")];

/// (enum, value): 2.2's `kind: CLOUD_PROVIDER` destinations.
const REMOVED_VALUES: &[(&str, &str)] =
    &[("common.gloo.solo.io.DestinationKind", "CLOUD_PROVIDER")];

fn warn(cx: &mut Cx, pos: crate::load::node::Pos, path: &str, what: String) {
    cx.report_with_help(
        Code::UntranslatedField,
        pos,
        path,
        format!("{what} is Gloo 2.2 configuration that Gloo 2.3 removed; vdc accepts it, but it has no effect on the output"),
        "Gloo 2.3 and later route to AWS Lambda with `awsLambda` destinations",
    );
}

/// Whether `key` of `msg` is a removed field; if so, warns about it.
pub fn removed_field(cx: &mut Cx, msg: &Message, key: &Key, path: &str) -> bool {
    let removed = REMOVED_FIELDS.contains(&(msg.name, key.name.as_str()));
    if removed {
        warn(cx, key.pos, path, format!("`{path}`"));
    }
    removed
}

/// Whether `value` is a removed value of enum `e`; if so, warns about it.
pub fn removed_value(
    cx: &mut Cx,
    e: usize,
    value: &crate::model::decode::Located<String>,
    path: &str,
) -> bool {
    let removed = REMOVED_VALUES.contains(&(enumeration(e).name, value.as_str()));
    if removed {
        warn(cx, value.pos, path, format!("`{path}: {}`", value.value));
    }
    removed
}
