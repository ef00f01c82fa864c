//! Which resolved objects generate objects in which cluster, so that one cluster's objects can
//! be generated, checked and dropped before the next: the objects a command holds are a few
//! clusters', not the fleet's (`render` keeps their text, packed, until all are checked).

use super::{ClientEndpoints, Output, external, objects_in, routing};
use crate::resolve::Resolved;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Per cluster, in name order, the indices of what generates objects there. It holds no
/// borrow of the resolution, so it can be kept beside it.
#[derive(Debug, Default)]
pub struct Plan {
    clusters: BTreeMap<String, Sources>,
    /// Per VD (by index into [`Resolved::vds`]), its endpoints in client-only clusters, made
    /// by the first cluster that needs them.
    client_endpoints: Vec<ClientEndpoints>,
}

/// What generates objects in one cluster: indices into [`Resolved::vds`] and into the
/// routing's gateways and virtual services. ExternalServices and ExternalWorkloads are few and
/// looked up per cluster.
#[derive(Debug, Default)]
struct Sources {
    vds: Vec<usize>,
    gateways: Vec<usize>,
    virtual_services: Vec<usize>,
    service_subsets: Vec<usize>,
}

/// The sources of `cluster`, added when it is not a cluster of the input (it always is today;
/// this keeps an object from being dropped if that ever changes).
fn at<'c>(clusters: &'c mut BTreeMap<String, Sources>, cluster: &str) -> &'c mut Sources {
    clusters.entry(cluster.to_owned()).or_default()
}

impl Plan {
    pub fn new(resolved: &Resolved) -> Plan {
        let mut clusters: BTreeMap<String, Sources> = resolved
            .world
            .clusters
            .keys()
            .map(|name| (name.clone(), Sources::default()))
            .collect();
        for (i, vd) in resolved.vds.iter().enumerate() {
            for cluster in vd.placements.keys() {
                at(&mut clusters, cluster).vds.push(i);
            }
        }
        for (i, gateway) in resolved.routing.gateways.iter().enumerate() {
            at(&mut clusters, &gateway.cluster).gateways.push(i);
        }
        for (i, vs) in resolved.routing.virtual_services.iter().enumerate() {
            at(&mut clusters, &vs.cluster).virtual_services.push(i);
        }
        for (i, rule) in resolved.routing.service_subsets.iter().enumerate() {
            at(&mut clusters, &rule.cluster).service_subsets.push(i);
        }
        let client_endpoints = resolved.vds.iter().map(|_| Default::default()).collect();
        Plan {
            clusters,
            client_endpoints,
        }
    }

    /// Every cluster that may get objects, in name order (some get none).
    pub fn clusters(&self) -> impl Iterator<Item = &str> {
        self.clusters.keys().map(String::as_str)
    }

    /// Every object of every cluster, sorted by [`Output::key`]: for the commands that look at
    /// the whole output at once. Commands that write it ask for one cluster at a time.
    pub fn all(&self, resolved: &Resolved) -> Vec<Output> {
        self.clusters()
            .flat_map(|cluster| self.objects(resolved, cluster))
            .collect()
    }

    /// The objects of `cluster`, sorted by [`Output::key`]. VirtualDestinations translate
    /// independently, so they are spread over every core; the stable sort makes the order the
    /// same whatever the threads did, and two objects with one identity keep the order of
    /// their sources (VirtualDestinations, external backends, then routing), which is how
    /// VDC509 names them.
    pub fn objects(&self, resolved: &Resolved, cluster: &str) -> Vec<Output> {
        let Some(sources) = self.clusters.get(cluster) else {
            return Vec::new();
        };
        let api_version = &resolved.world.settings.istio_api_version;
        let mut out: Vec<Output> = sources
            .vds
            .par_iter()
            .flat_map_iter(|&i| {
                let vd = &resolved.vds[i];
                objects_in(
                    resolved,
                    vd,
                    cluster,
                    &vd.placements[cluster],
                    api_version,
                    &self.client_endpoints[i],
                )
            })
            .collect();
        out.extend(external::outputs(resolved, api_version, cluster));
        let routing = &resolved.routing;
        out.extend(routing::outputs(
            sources.gateways.iter().map(|&i| &routing.gateways[i]),
            sources
                .virtual_services
                .iter()
                .map(|&i| &routing.virtual_services[i]),
            &resolved.workspaces,
            api_version,
        ));
        out.extend((sources.service_subsets.iter()).map(|&i| {
            routing::service_subsets(&routing.service_subsets[i], resolved, api_version)
        }));
        out.par_sort_by(|a, b| a.key().cmp(&b.key()));
        out
    }
}
