//! The virtual IP of each VirtualDestination: stable across runs and additions.

use super::resolved::*;
use crate::diagnostic::Diagnostics;
use crate::names;
use crate::rules::vd::vip_collision;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// VIPs in (namespace, name, cluster) order; a VIP already taken in a cluster the VD reaches
/// re-hashes with `#1`, `#2`, … so adding a VD never moves an older one's address.
pub(super) fn assign_vips(vds: &mut [ResolvedVd], diags: &mut Diagnostics) {
    let mut taken: HashMap<String, HashMap<Ipv4Addr, String>> = HashMap::new();
    for r in vds.iter_mut() {
        let m = &r.vd.meta;
        let clusters: Vec<String> = r.placements.keys().cloned().collect();
        let mut attempt = 0u32;
        let vip = loop {
            let suffix = if attempt == 0 {
                String::new()
            } else {
                format!("#{attempt}")
            };
            let candidate = names::vip(&m.kind, &m.name, &m.namespace, &m.cluster, &suffix);
            let holder = clusters
                .iter()
                .find_map(|c| taken.get(c).and_then(|t| t.get(&candidate)));
            if candidate != Ipv4Addr::BROADCAST && holder.is_none() {
                break candidate;
            }
            if candidate == Ipv4Addr::BROADCAST {
                let case = vip_collision::Case::Broadcast { vd: &m.name };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            if let Some(holder) = holder {
                let case = vip_collision::Case::Taken {
                    vd: &m.name,
                    vip: candidate,
                    holder,
                };
                diags.push(vip_collision::diagnostic(m.site(m.pos), case));
            }
            attempt += 1;
        };
        for c in clusters {
            taken
                .entry(c)
                .or_default()
                .insert(vip, format!("{}/{}", m.namespace, m.name));
        }
        r.vip = vip;
    }
}

#[cfg(test)]
mod tests {
    use crate::model::GlooKind;
    use std::net::Ipv4Addr;

    #[test]
    fn vip_of_seed_003_productpage() {
        let kind = GlooKind::VirtualDestination.name();
        assert_eq!(
            crate::names::vip(kind, "productpage", "bookinfo-frontends", "cluster1", ""),
            Ipv4Addr::new(254, 154, 115, 171)
        );
    }
}
