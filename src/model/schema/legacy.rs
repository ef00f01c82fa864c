//! Fields and enum values of earlier Gloo 2.x releases that the 2.6 protos no longer have.
//! Manifests written for those releases still carry them: they are accepted with a warning
//! that says so, and have no effect on the output.

use super::{Message, enumeration};
use crate::load::node::{Key, Pos};
use crate::model::decode::{DecodeContext, Located};
use crate::rules::schema::untranslated_field;

/// What became of a field or value, and what to use instead.
struct Fate {
    said: &'static str,
    help: &'static str,
}

const LAMBDA_2_2: Fate = Fate {
    said: "is Gloo 2.2 configuration that Gloo 2.3 removed",
    help: "Gloo 2.3 and later route to AWS Lambda with `awsLambda` destinations",
};

const OLDER_KIND: Fate = Fate {
    said: "is a resource kind of earlier Gloo 2.x releases that the Gloo 2.6 schema does not have",
    help: "vdc has no objects of this kind to import or export; the selector is left out",
};

/// (message, field): 2.2's Lambda destinations, `destinations[].function`.
const REMOVED_FIELDS: &[(&str, &str, Fate)] = &[(
    "common.gloo.solo.io.DestinationReference",
    "function",
    LAMBDA_2_2,
)];

const OBJECT_KIND: &str = "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind";

/// (enum, value): 2.2's `kind: CLOUD_PROVIDER` destinations; the workspace resource kinds of
/// the same era.
const REMOVED_VALUES: &[(&str, &str, Fate)] = &[
    (
        "common.gloo.solo.io.DestinationKind",
        "CLOUD_PROVIDER",
        LAMBDA_2_2,
    ),
    (OBJECT_KIND, "CLOUD_PROVIDER", OLDER_KIND),
    (OBJECT_KIND, "API_SCHEMA", OLDER_KIND),
];

fn warn(cx: &mut DecodeContext, pos: Pos, path: &str, what: String, fate: &Fate) {
    let case = untranslated_field::Case::Legacy {
        path,
        what,
        said: fate.said,
        help: fate.help,
    };
    cx.push(untranslated_field::diagnostic(cx.site(pos), case));
}

/// Whether `key` of `msg` is a removed field; if so, warns about it.
pub fn removed_field(cx: &mut DecodeContext, msg: &Message, key: &Key, path: &str) -> bool {
    let fate = REMOVED_FIELDS
        .iter()
        .find(|(m, f, _)| *m == msg.name && *f == key.name);
    if let Some((_, _, fate)) = fate {
        warn(cx, key.pos, path, format!("`{path}`"), fate);
    }
    fate.is_some()
}

/// Whether `value` is a removed value of enum `e`; if so, warns about it.
pub fn removed_value(
    cx: &mut DecodeContext,
    e: usize,
    value: &Located<String>,
    path: &str,
) -> bool {
    let name = enumeration(e).name;
    let fate = REMOVED_VALUES
        .iter()
        .find(|(n, v, _)| *n == name && *v == value.as_str());
    if let Some((_, _, fate)) = fate {
        warn(
            cx,
            value.pos,
            path,
            format!("`{path}: {}`", value.value),
            fate,
        );
    }
    fate.is_some()
}
