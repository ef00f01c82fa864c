//! The schema rules: one file per code, named by its slug.

pub mod invalid_name;
pub mod invalid_value;
pub mod missing_field;
pub mod unknown_field;
pub mod untranslated_field;
pub mod untranslated_kind;
pub mod wrong_type;
