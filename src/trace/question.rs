//! A trace question as the command line gives it, parsed and checked for shape.

use super::Labels;
use crate::model::types::Locality;
use anyhow::{Context, Result, bail, ensure};
use std::collections::BTreeMap;

/// The client: `CLUSTER/NAMESPACE[/WORKLOAD]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct From {
    pub cluster: String,
    pub namespace: String,
    pub workload: Option<String>,
}

impl std::str::FromStr for From {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<From> {
        let parts: Vec<&str> = s.split('/').collect();
        let nonempty = parts.iter().all(|p| !p.is_empty());
        match parts.as_slice() {
            [cluster, namespace] if nonempty => Ok(From {
                cluster: (*cluster).to_owned(),
                namespace: (*namespace).to_owned(),
                workload: None,
            }),
            [cluster, namespace, workload] if nonempty => Ok(From {
                cluster: (*cluster).to_owned(),
                namespace: (*namespace).to_owned(),
                workload: Some((*workload).to_owned()),
            }),
            _ => bail!("--from {s}: expected CLUSTER/NAMESPACE or CLUSTER/NAMESPACE/WORKLOAD"),
        }
    }
}

/// What `--fail` ejects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailTarget {
    Cluster(String),
    Region(String),
    Zone { region: String, zone: String },
    Address(String),
}

impl std::str::FromStr for FailTarget {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> Result<FailTarget> {
        let expected = "expected cluster:NAME, region:REGION, zone:REGION/ZONE or address:IP";
        let Some((kind, value)) = s.split_once(':') else {
            bail!("--fail {s}: {expected}");
        };
        ensure!(!value.is_empty(), "--fail {s}: {expected}");
        Ok(match kind {
            "cluster" => FailTarget::Cluster(value.to_owned()),
            "region" => FailTarget::Region(value.to_owned()),
            "zone" => match value.split_once('/') {
                Some((region, zone)) if !region.is_empty() && !zone.is_empty() => {
                    FailTarget::Zone {
                        region: region.to_owned(),
                        zone: zone.to_owned(),
                    }
                }
                _ => bail!("--fail {s}: a zone is REGION/ZONE"),
            },
            "address" => FailTarget::Address(value.to_owned()),
            _ => bail!("--fail {s}: {expected}"),
        })
    }
}

impl std::fmt::Display for FailTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            FailTarget::Cluster(c) => write!(f, "cluster:{c}"),
            FailTarget::Region(r) => write!(f, "region:{r}"),
            FailTarget::Zone { region, zone } => write!(f, "zone:{region}/{zone}"),
            FailTarget::Address(a) => write!(f, "address:{a}"),
        }
    }
}

/// Everything a trace is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub from: From,
    pub host: String,
    pub port: Option<u32>,
    /// The request path, with its query string if any.
    pub path: String,
    /// Lower-case names.
    pub headers: BTreeMap<String, String>,
    /// Replaces the workload's labels.
    pub labels: Option<Labels>,
    /// Replaces the workload's locality.
    pub locality: Option<Locality>,
    pub fail: Vec<FailTarget>,
}

impl Question {
    /// A question with no request details: path `/`, no headers, no overrides, nothing failed.
    pub fn new(from: From, to: &str) -> Result<Question> {
        let (host, port) = parse_to(to)?;
        Ok(Question {
            from,
            host,
            port,
            path: "/".into(),
            headers: BTreeMap::new(),
            labels: None,
            locality: None,
            fail: Vec::new(),
        })
    }
}

/// `HOST[:PORT]`.
pub fn parse_to(s: &str) -> Result<(String, Option<u32>)> {
    let (host, port) = match s.rsplit_once(':') {
        Some((host, port)) => {
            let port: u32 = port
                .parse()
                .ok()
                .filter(|p| (1..=65535).contains(p))
                .with_context(|| format!("--to {s}: the port must be a number from 1 to 65535"))?;
            (host, Some(port))
        }
        None => (s, None),
    };
    ensure!(!host.is_empty(), "--to {s}: expected HOST or HOST:PORT");
    Ok((host.to_ascii_lowercase(), port))
}

/// `k=v,k2=v2`.
pub fn parse_labels(s: &str) -> Result<Labels> {
    let mut out = Labels::new();
    for pair in s.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            bail!("--labels {s}: expected KEY=VALUE[,KEY=VALUE…]");
        };
        out.insert(k.trim().to_owned(), v.trim().to_owned());
    }
    Ok(out)
}

/// `NAME=VALUE` or `NAME: VALUE`; the name lower-cased, as HTTP/2 carries it.
pub fn parse_header(s: &str) -> Result<(String, String)> {
    // The first separator splits, so a value may hold either character.
    let split = s.find([':', '=']).map(|at| (&s[..at], &s[at + 1..]));
    let Some((name, value)) = split else {
        bail!("--header {s}: expected NAME=VALUE or 'NAME: VALUE'");
    };
    ensure!(!name.trim().is_empty(), "--header {s}: the name is empty");
    Ok((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
}

/// `REGION[/ZONE[/SUBZONE]]`.
pub fn parse_locality(s: &str) -> Result<Locality> {
    let parts: Vec<&str> = s.split('/').collect();
    ensure!(
        parts.len() <= 3 && !parts[0].is_empty(),
        "--locality {s}: expected REGION[/ZONE[/SUBZONE]]"
    );
    let part = |i: usize| parts.get(i).map_or(String::new(), |p| (*p).to_owned());
    Ok(Locality {
        region: part(0),
        zone: part(1),
        subzone: part(2),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_are_checked() {
        let from: From = "c1/ns/app".parse().unwrap();
        assert_eq!(from.workload.as_deref(), Some("app"));
        assert!("c1".parse::<From>().is_err());
        assert!("c1//x".parse::<From>().is_err());
        assert_eq!(
            parse_to("Reviews.Global:8080").unwrap(),
            ("reviews.global".into(), Some(8080))
        );
        assert!(parse_to("x:99999").is_err());
        assert_eq!(
            "zone:us-east-1/a".parse::<FailTarget>().unwrap(),
            FailTarget::Zone {
                region: "us-east-1".into(),
                zone: "a".into()
            }
        );
        assert!("zone:us-east-1".parse::<FailTarget>().is_err());
        assert!("pod:x".parse::<FailTarget>().is_err());
        assert_eq!(
            parse_header("X-User: jason").unwrap(),
            ("x-user".into(), "jason".into())
        );
        assert_eq!(parse_header("end-user=a:b").unwrap().1, "a:b");
        assert_eq!(parse_locality("r/z").unwrap().zone, "z");
        assert!(parse_locality("a/b/c/d").is_err());
        assert_eq!(parse_labels("app=x,version=v1").unwrap().len(), 2);
    }
}
