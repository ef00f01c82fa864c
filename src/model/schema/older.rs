// @generated from the solo-apis protos of Gloo 2.0, 2.1, 2.2, 2.3, 2.4, 2.5 by tests/gloo_schema.rs; do not edit.
// Regenerate with `VDC_OLDER_PROTOS=DIR UPDATE_GENERATED=1 cargo test --test gloo_schema`
// (DIR from `scripts/older-protos`).

/// (message, field, the releases that have it): fields of earlier Gloo 2.x releases that
/// the 2.6 protos lack.
pub static OLDER_FIELDS: &[(&str, &str, &str)] = &[
    ("common.gloo.solo.io.DestinationReference", "function", "2.2"),
    ("common.gloo.solo.io.LambdaOptions", "unwrapAsAlb", "2.2"),
    ("common.gloo.solo.io.LambdaOptions", "unwrapAsApiGateway", "2.2"),
    ("networking.gloo.solo.io.ExternalWorkloadSpec.IdentitySelector", "joinTokenSpiffeId", "2.4"),
    ("networking.gloo.solo.io.GraphQLAction", "executableSchema", "2.1"),
    ("networking.gloo.solo.io.GraphQLAction", "stitchedSchemaRef", "2.1"),
];

/// (enum, value, the releases that have it): enum values of earlier Gloo 2.x releases
/// that the 2.6 protos lack.
pub static OLDER_VALUES: &[(&str, &str, &str)] = &[
    ("admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind", "API_SCHEMA", "2.1"),
    ("admin.gloo.solo.io.WorkspaceSettingsSpec.WorkspaceObjectSelector.TypedObjectSelector.ObjectKind", "CLOUD_PROVIDER", "2.2"),
    ("common.gloo.solo.io.DestinationKind", "CLOUD_PROVIDER", "2.2"),
];
