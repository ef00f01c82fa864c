//! The vd rules: one file per code, named by its slug.

pub mod backing_service_without_selector;
pub mod backing_without_workloads;
pub mod duplicate_host;
pub mod duplicate_port;
pub mod host_conflict;
pub mod host_is_service_fqdn;
pub mod invalid_host;
pub mod invalid_protocol;
pub mod missing_target_port;
pub mod no_backend;
pub mod no_hosts;
pub mod no_ports;
pub mod nothing_to_serve;
pub mod port_out_of_range;
pub mod selector_matches_nothing;
pub mod several_backing_services;
pub mod target_port_differs;
pub mod target_port_without_backing;
pub mod unresolved_target_port;
pub mod vip_collision;
