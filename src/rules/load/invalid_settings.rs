//! **VDC109 invalid-settings** (error): vdc.yaml has an unknown key or an invalid value.
//!
//! ## What it does
//!
//! A `vdc.yaml` that is not a mapping, holds a second YAML document, has a key vdc does not
//! know, or an invalid value. The
//! keys are `managementCluster` (a DNS label; default `mgmt`) and `istioApiVersion` (`v1`, the
//! default, or `v1beta1`).
//!
//! ## Why is this bad?
//!
//! Settings change the output. A misspelt key would otherwise be ignored and the default used
//! without a word.
//!
//! ## Example
//!
//! `vdc.yaml`:
//!
//! ```yaml
//! managmentCluster: mgmt
//! ```
//!
//! ## Fix
//!
//! Spell the key as documented: `managementCluster: mgmt`.
//!
//! Fixture: `testdata/check/invalid-settings/`. Long form: `docs/diagnostics.md#vdc109`.

use crate::diagnostic::{Code, Diagnostic, Site};

pub const CODE: Code = Code::InvalidSettings;

/// What is wrong in vdc.yaml.
pub enum Case<'a> {
    /// The file is not a mapping.
    NotAMapping,
    /// `ignore` is not a list.
    IgnoreNotAList,
    /// `ignore` names `code`, an error.
    IgnoresAnError { code: Code },
    /// `ignore` names no code.
    IgnoresNoCode,
    /// An `ignore` entry for one object lacks `code` or `object`, or its `object` is not
    /// `[Kind ]namespace/name`.
    IgnoreEntry,
    /// An `ignore` entry for one object has a key other than `code`, `object`, `cluster`.
    IgnoreEntryKey { key: String },
    /// `managementCluster` or `istioApiVersion` has an invalid value.
    InvalidValue { key: &'a str },
    /// An unknown key.
    UnknownSetting { key: &'a str },
    /// A second YAML document: vdc reads one.
    SecondDocument,
}

pub fn diagnostic(site: Site, case: Case) -> Diagnostic {
    let ignore = |message: String, help: &str| {
        Diagnostic::new_at(CODE, site.clone(), message)
            .field("ignore".to_owned())
            .help(help.to_owned())
    };
    match case {
        Case::NotAMapping => {
            Diagnostic::new_at(CODE, site.clone(), "vdc.yaml must be a mapping of settings")
        }
        Case::IgnoreNotAList => ignore(
            "`ignore` must be a list of diagnostic codes".into(),
            "write `ignore: [VDC413]`",
        ),
        Case::IgnoresAnError { code } => ignore(
            format!(
                "{} is an error, and errors cannot be ignored",
                code.as_str()
            ),
            "vdc generates nothing from input with errors; fix the input instead",
        ),
        Case::IgnoreEntry => ignore(
            "an `ignore` entry for one object needs `code` and `object`".into(),
            "write `- {code: VDC412, object: VirtualDestination bookinfo/reviews}`: the object as `[Kind ]namespace/name`, optionally with `cluster: NAME`",
        ),
        Case::IgnoreEntryKey { key } => ignore(
            format!("unknown key `{key}` in an `ignore` entry"),
            "an entry for one object has `code`, `object` and optionally `cluster`",
        ),
        Case::IgnoresNoCode => ignore(
            "not a diagnostic code of vdc".into(),
            "use a code such as `VDC413` or its name, such as `selector-matches-nothing` (docs/diagnostics.md)",
        ),
        Case::InvalidValue { key } => {
            Diagnostic::new_at(CODE, site.clone(), format!("`{key}` has an invalid value"))
                .field(key.to_owned())
                .help(if key == "managementCluster" {
                    "a cluster name is a DNS label: lower-case letters, digits and `-`"
                } else {
                    "use `v1` or `v1beta1`"
                })
        }
        Case::UnknownSetting { key } => Diagnostic::new_at(
            CODE,
            site.clone(),
            format!("unknown setting `{key}` in vdc.yaml"),
        )
        .field(key.to_owned())
        .help("vdc.yaml knows `managementCluster`, `istioApiVersion` and `ignore`"),
        Case::SecondDocument => Diagnostic::new_at(
            CODE,
            site.clone(),
            "vdc.yaml holds more than one YAML document; vdc reads settings from one",
        )
        .help("remove the `---` and merge the settings into the first document"),
    }
}
