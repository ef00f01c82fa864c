//! The topology rules: one file per code, named by its slug.

pub mod default_trust_domain;
pub mod dns_capture_off;
pub mod east_west_gateway_overlap;
pub mod generated_object_collision;
pub mod mesh_configs_disagree;
pub mod mixed_gateway_locality;
pub mod mixed_locality;
pub mod multi_zone_cluster;
pub mod no_east_west_gateway;
pub mod no_locality;
pub mod shadowed_virtual_service;
pub mod stale_output;
pub mod user_object_conflict;
