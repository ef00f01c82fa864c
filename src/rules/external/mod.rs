//! The external rules: one file per code, named by its slug.

pub mod external_hosts_and_addresses;
pub mod external_port_missing;
pub mod failover_on_external_service;
pub mod mixed_backend_tls;
pub mod no_tls_termination_port;
pub mod several_external_workloads;
pub mod unknown_connected_cluster;
