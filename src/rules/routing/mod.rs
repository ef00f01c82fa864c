//! The routing rules: one file per code, named by its slug.

pub mod delegation_not_translated;
pub mod destination_not_visible;
pub mod destination_port_required;
pub mod gateway_selects_nothing;
pub mod invalid_route_host;
pub mod route_table_without_hosts;
pub mod subset_not_served;
pub mod unknown_destination;
pub mod unknown_destination_port;
pub mod unknown_virtual_gateway;
