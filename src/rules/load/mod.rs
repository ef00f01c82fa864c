//! The load rules: one file per code, named by its slug.

pub mod cluster_state_outside_clusters;
pub mod duplicate_object;
pub mod empty_file;
pub mod invalid_cluster_name;
pub mod invalid_name_skipped;
pub mod invalid_settings;
pub mod not_a_kubernetes_object;
pub mod not_an_input;
pub mod symlink_escape;
pub mod unreadable_file;
pub mod yaml11_boolean;
pub mod yaml_syntax;
