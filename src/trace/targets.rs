//! What `--fail` can name: the input's clusters, the regions and zones of its nodes and
//! endpoints, and its endpoints' addresses. A target that names none of them takes nothing
//! down, and a drill that fails nothing answers `ok`, so a typo is refused before anything is
//! traced.

use super::Loaded;
use super::endpoints::{EXTERNAL, parse_locality};
use super::question::FailTarget;
use crate::model::types::Locality;
use crate::text::unknown_name_hint;
use crate::translate::istio::Spec;
use anyhow::{Result, bail};
use std::collections::BTreeSet;

/// The names of one kind of target, over every input given.
#[derive(Default)]
struct Known {
    clusters: BTreeSet<String>,
    regions: BTreeSet<String>,
    /// `REGION/ZONE`.
    zones: BTreeSet<String>,
    addresses: BTreeSet<String>,
}

impl Known {
    fn add_locality(&mut self, l: &Locality) {
        if l.region.is_empty() {
            return;
        }
        self.regions.insert(l.region.clone());
        if !l.zone.is_empty() {
            self.zones.insert(format!("{}/{}", l.region, l.zone));
        }
    }

    fn add(&mut self, loaded: &Loaded) {
        // Endpoints outside every cluster: ExternalEndpoints, and hosts outside the mesh.
        if !loaded.world.external.endpoints.is_empty() {
            self.clusters.insert(EXTERNAL.into());
        }
        for (name, cluster) in &loaded.world.clusters {
            self.clusters.insert(name.clone());
            for node in &cluster.nodes {
                self.add_locality(&node.locality);
            }
            for live in &cluster.workload_entries {
                self.add_locality(&parse_locality(&live.locality));
                self.addresses.insert(live.address.clone());
            }
            // A pod's endpoint is shown, and failed, as `namespace/name`; a controller whose
            // pods are in the dump is no endpoint, and failing it would fail nothing.
            for w in (cluster.workloads.iter()).filter(|w| cluster.stands_for_itself(w)) {
                self.addresses
                    .insert(format!("{}/{}", w.meta.namespace, w.meta.name));
            }
        }
        for output in &loaded.outputs {
            let entries = match &output.object.spec {
                Spec::WorkloadEntry(we) => std::slice::from_ref(we),
                Spec::ServiceEntry(se) => {
                    if se.location == "MESH_EXTERNAL" {
                        self.clusters.insert(EXTERNAL.into());
                    }
                    // A DNS ServiceEntry without endpoints has its host as its one address.
                    self.addresses.extend(se.hosts.iter().cloned());
                    &se.endpoints[..]
                }
                _ => continue,
            };
            for we in entries {
                self.add_locality(&parse_locality(&we.locality));
                self.addresses.insert(we.address.clone());
            }
        }
    }
}

/// `Err` naming the first `--fail` target that names nothing in any of `inputs` (both sides,
/// for `diff --trace`), with the name it is likely a typo of.
pub fn check_fail_targets(inputs: &[&Loaded], fail: &[FailTarget]) -> Result<()> {
    if fail.is_empty() {
        return Ok(());
    }
    let mut known = Known::default();
    for loaded in inputs {
        known.add(loaded);
    }
    for target in fail {
        let (wanted, names, what) = match target {
            FailTarget::Cluster(c) => (c.clone(), &known.clusters, "no cluster of that name"),
            FailTarget::Region(r) => (
                r.clone(),
                &known.regions,
                "no node or endpoint in that region",
            ),
            FailTarget::Zone { region, zone } => (
                format!("{region}/{zone}"),
                &known.zones,
                "no node or endpoint in that zone",
            ),
            FailTarget::Address(a) => (a.clone(), &known.addresses, "no endpoint at that address"),
        };
        if !names.contains(&wanted) {
            let names: Vec<&String> = names.iter().collect();
            bail!(
                "--fail {target}: the input has {what} {}",
                unknown_name_hint(&wanted, &names)
            );
        }
    }
    Ok(())
}
