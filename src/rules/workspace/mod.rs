//! The workspace rules: one file per code, named by its slug.

pub mod config_not_read;
pub mod duplicate_workspace_settings;
pub mod global_workspace_settings;
pub mod implicit_global_workspace;
pub mod namespace_in_two_workspaces;
pub mod object_in_no_workspace;
pub mod unknown_cluster;
