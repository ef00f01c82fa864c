//! Which shard of a fleet a cluster belongs to, for `render --shard I/N`: output per cluster
//! is independent once the fleet's facts are known, so N runs that each write the clusters of
//! one shard together write what one run writes.
//!
//! The assignment depends on the cluster's name alone, never on the other clusters: adding a
//! cluster to the fleet moves no other cluster to another shard, and every run of every version
//! of vdc puts a cluster in the same shard. It is the first 8 bytes of the SHA-256 of the name,
//! read as a big-endian integer, modulo N; shards are numbered from 1, as GitLab's
//! `CI_NODE_INDEX` is.

use sha2::{Digest, Sha256};
use std::fmt;

/// Shard `index` of `count`, `1 ≤ index ≤ count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Parses `I/N`, as `--shard` takes it.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or("expected I/N, such as 1/4: shard I of N, counted from 1")?;
        let number = |part: &str, what: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| format!("{what} `{part}` is not a whole number"))
        };
        let (index, count) = (number(index, "I")?, number(count, "N")?);
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "shard {index} of {count} does not exist: I runs from 1 to N, and N is at least 1"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether `cluster` is one of this shard's clusters.
    pub fn contains(&self, cluster: &str) -> bool {
        shard_of(cluster, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard (1 to `count`) of `cluster`.
pub fn shard_of(cluster: &str, count: u64) -> u64 {
    let digest = Sha256::digest(cluster.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first) % count.max(1) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_from_one_to_n() {
        assert_eq!(Shard::parse("1/4").map(|s| s.to_string()), Ok("1/4".into()));
        assert_eq!(Shard::parse("4/4").map(|s| s.to_string()), Ok("4/4".into()));
        for bad in ["0/4", "5/4", "1/0", "1", "a/2", "1/b", "-1/2", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_cluster_is_in_exactly_one_shard() {
        for count in 1..=7 {
            for i in 0..200 {
                let name = format!("cluster-{i}");
                let shards: Vec<u64> = (1..=count)
                    .filter(|index| {
                        Shard {
                            index: *index,
                            count,
                        }
                        .contains(&name)
                    })
                    .collect();
                assert_eq!(shards.len(), 1, "{name} in {count} shards: {shards:?}");
            }
        }
    }

    #[test]
    fn the_assignment_is_fixed() {
        // Published in docs/ci.md: changing it would move clusters between CI jobs.
        let got: Vec<u64> = ["cluster-1", "cluster-2", "mgmt", "east"]
            .iter()
            .map(|c| shard_of(c, 4))
            .collect();
        assert_eq!(got, vec![3, 4, 2, 3]);
    }
}
