//! The routing rules: one file per code, named by its slug.

/// What kind of object a route destination names: the routing rules about destinations phrase
/// their messages for either.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    VirtualDestination,
    ExternalService,
}

impl Target {
    /// The Gloo kind, as messages name it.
    pub fn kind(self) -> &'static str {
        match self {
            Target::VirtualDestination => "VirtualDestination",
            Target::ExternalService => "ExternalService",
        }
    }
}

pub mod auto_host_rewrite;
pub mod conflicting_matcher_conditions;
pub mod delegated_table_with_hosts;
pub mod delegation_cycle;
pub mod delegation_matches_nothing;
pub mod destination_not_seen_where_served;
pub mod destination_not_visible;
pub mod destination_port_required;
pub mod egress_gateway;
pub mod external_service_subset;
pub mod gateway_in_other_workspace;
pub mod gateway_selects_nothing;
pub mod gateway_server_conflict;
pub mod http_route_on_tcp_port;
pub mod invalid_matcher_name;
pub mod invalid_route_action;
pub mod invalid_route_host;
pub mod invalid_route_regex;
pub mod listener_port_not_on_gateway;
pub mod mesh_wildcard_host;
pub mod path_rewrite_on_regex_match;
pub mod remote_service_destination;
pub mod route_table_not_allowed;
pub mod route_table_not_imported;
pub mod route_table_without_hosts;
pub mod service_subset;
pub mod shadowed_tls_match;
pub mod subset_name_collision;
pub mod subset_not_served;
pub mod tcp_routes_share_listener;
pub mod tcp_tls_route_field;
pub mod tcp_tls_route_port_protocol;
pub mod tcp_tls_route_unroutable;
pub mod tls_routes_share_sni_host;
pub mod tls_termination_ports;
pub mod unknown_destination;
pub mod unknown_destination_port;
pub mod unknown_virtual_gateway;
pub mod workload_selector_selects_nothing;
