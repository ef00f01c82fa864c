//! Fields and enum values of earlier Gloo 2.x releases (2.0 to 2.5) that the 2.6 protos no
//! longer have: [`older`](super::older), written from each release's protos. Manifests written
//! for those releases still carry them: they are accepted with a warning that says so, and have
//! no effect on the output. What is below such a field is not checked (2.6 has no schema for it).

use super::older::{OLDER_FIELDS, OLDER_VALUES};
use super::{Message, enumeration};
use crate::load::node::{Key, Pos};
use crate::model::decode::{DecodeContext, Located};
use crate::rules::schema::untranslated_field;

/// What became of a field or value, and what to use instead.
struct Fate {
    said: String,
    help: &'static str,
}

const LAMBDA_2_2: (&str, &str) = (
    "is Gloo 2.2 configuration that Gloo 2.3 removed",
    "Gloo 2.3 and later route to AWS Lambda with `awsLambda` destinations",
);

const OLDER_KIND: (&str, &str) = (
    "is a resource kind of earlier Gloo 2.x releases that the Gloo 2.6 schema does not have",
    "vdc has no objects of this kind to import or export; the selector is left out",
);

/// The help of a field or value nothing more is known of.
const GENERIC_HELP: &str =
    "vdc reads the Gloo 2.6 schema; remove it once the mesh runs a release without it";

/// The fields and values whose fate is known better than "a later release dropped it":
/// (message or enum, field or value, what was said, the help).
const KNOWN: &[(&str, &str, (&str, &str))] = &[
    (
        "common.gloo.solo.io.DestinationReference",
        "function",
        LAMBDA_2_2,
    ),
    (
        "common.gloo.solo.io.DestinationKind",
        "CLOUD_PROVIDER",
        LAMBDA_2_2,
    ),
    (OBJECT_KIND, "CLOUD_PROVIDER", OLDER_KIND),
    (OBJECT_KIND, "API_SCHEMA", OLDER_KIND),
];

const OBJECT_KIND: &str = "admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind";

/// The fate of `name` (a field or value) of `owner` (a message or enum) that the releases
/// `releases` have.
fn fate(owner: &str, name: &str, what: &str, releases: &str) -> Fate {
    match KNOWN.iter().find(|(o, n, _)| *o == owner && *n == name) {
        Some((_, _, (said, help))) => Fate {
            said: (*said).to_owned(),
            help,
        },
        None => Fate {
            said: format!("is a {what} of Gloo {releases} that the Gloo 2.6 schema does not have"),
            help: GENERIC_HELP,
        },
    }
}

fn warn(cx: &mut DecodeContext, pos: Pos, path: &str, what: String, fate: &Fate) {
    let case = untranslated_field::Case::Legacy {
        path,
        what,
        said: &fate.said,
        help: fate.help,
    };
    cx.push(untranslated_field::diagnostic(cx.site(pos), case));
}

/// Whether `key` of `msg` is a field of an earlier release; if so, warns about it.
pub fn removed_field(cx: &mut DecodeContext, msg: &Message, key: &Key, path: &str) -> bool {
    let found = OLDER_FIELDS
        .iter()
        .find(|(m, f, _)| *m == msg.name && *f == key.name);
    if let Some((m, f, releases)) = found {
        let fate = fate(m, f, "field", releases);
        warn(cx, key.pos, path, format!("`{path}`"), &fate);
    }
    found.is_some()
}

/// Whether `value` is a value of enum `e` in an earlier release; if so, warns about it.
pub fn removed_value(
    cx: &mut DecodeContext,
    e: usize,
    value: &Located<String>,
    path: &str,
) -> bool {
    let name = enumeration(e).name;
    let found = OLDER_VALUES
        .iter()
        .find(|(n, v, _)| *n == name && *v == value.as_str());
    if let Some((n, v, releases)) = found {
        let fate = fate(n, v, "value", releases);
        let what = format!("`{path}: {}`", value.value);
        warn(cx, value.pos, path, what, &fate);
    }
    found.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fate written by hand explains an entry of the table written from the protos.
    #[test]
    fn every_known_fate_is_of_a_field_or_value_an_earlier_release_has() {
        for (owner, name, _) in KNOWN {
            let listed = OLDER_FIELDS.iter().any(|(m, f, _)| m == owner && f == name)
                || OLDER_VALUES.iter().any(|(e, v, _)| e == owner && v == name);
            assert!(listed, "{owner}.{name} is in no earlier release's table");
        }
    }
}
