//! Synthetic mesh generator: writes a vdc INPUT directory of any size.
//!
//! ```text
//! cargo run --release --example synth -- --clusters 10 --services 500 --vds 500 /tmp/mesh-m
//! cargo run --release --example synth -- --clusters 100 --services 1000 --vds 2000 \
//!     --workspaces 10 /tmp/mesh-l
//! ```
//!
//! Layout (valid by construction: `vdc check OUT` reports no errors):
//! - `vdc.yaml`, `gloo/clusters.yaml` (KubernetesClusters labelled `ws: ws-i`),
//!   `gloo/workspaces.yaml` (`ws-0..ws-(W-1)` over equal groups of clusters, plus `gateways`);
//! - `clusters/cluster-NNN/state.{yaml,json}`: one `kind: List` per cluster, as `kubectl get
//!   -o yaml|json` prints it: Namespaces, Nodes, the `istio` mesh ConfigMap, S Services
//!   `svc-NNNN` with a Deployment each, east-west and ingress gateways. The first
//!   ceil(F × C) clusters are written as JSON;
//! - `clusters/<first cluster of ws-i>/gloo/ws-i.yaml`: WorkspaceSettings, V/W
//!   VirtualDestinations (each backed in 3 of its workspace's clusters, as a real service runs
//!   in a few clusters, not in all), a FailoverPolicy, an OutlierDetectionPolicy, a
//!   ConnectionPolicy and a LoadBalancerPolicy (on the VDs labelled `failover`), a RouteTable
//!   whose routes carry labels, and the route policies that select them: a RetryTimeoutPolicy
//!   (routes labelled `resilience`), a FaultInjectionPolicy (the first route) and a
//!   CORSPolicy (the whole RouteTable, by its labels);
//! - `clusters/cluster-000/gloo/gateways.yaml`: the `gateways` WorkspaceSettings and the
//!   `north-south-gw` VirtualGateway.
//!
//! Deterministic: the same arguments give the same bytes (splitmix64 seeded by `--seed`, one
//! stream per cluster so clusters are written in parallel). Addresses are fake and only written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use clap::Parser;

#[derive(Parser, Debug)]
#[command(about = "Write a synthetic mesh in vdc's input format")]
struct Args {
    /// Number of workload clusters (cluster-000, cluster-001, ...).
    #[arg(long)]
    clusters: usize,
    /// Services (each with a Deployment) per cluster, named identically in every cluster.
    #[arg(long)]
    services: usize,
    /// VirtualDestinations in total, split evenly over the workspaces.
    #[arg(long)]
    vds: usize,
    /// Application workspaces ws-0..ws-(W-1); clusters are split into W equal groups.
    #[arg(long, default_value_t = 1)]
    workspaces: usize,
    /// Fraction of clusters (the first ones) whose state dump is written as JSON.
    #[arg(long, default_value_t = 0.3)]
    json_fraction: f64,
    /// PRNG seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory; must not exist or be empty.
    out: PathBuf,
}

// ---------------------------------------------------------------------------------------------
// PRNG

/// The splitmix64 generator's next number from `state`: tiny, fast and the same everywhere, so
/// the same arguments give the same mesh (and the mutation test the same mutants).
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        splitmix64(&mut self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn uid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            8 + (b >> 62),
            (b >> 48) & 0xfff,
            b & 0xffff_ffff_ffff
        )
    }
    /// A creation time in 2024, as Kubernetes prints it.
    fn timestamp(&mut self) -> String {
        format!(
            "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            1 + self.below(12),
            1 + self.below(28),
            self.below(24),
            self.below(60),
            self.below(60)
        )
    }
}

// ---------------------------------------------------------------------------------------------
// A tiny document tree, written as kubectl-style YAML or JSON.

type Str = Cow<'static, str>;

enum V {
    S(Str),
    I(i64),
    B(bool),
    M(Vec<(Str, V)>),
    L(Vec<V>),
}

impl From<&'static str> for V {
    fn from(s: &'static str) -> V {
        V::S(Cow::Borrowed(s))
    }
}
impl From<String> for V {
    fn from(s: String) -> V {
        V::S(Cow::Owned(s))
    }
}
impl From<&String> for V {
    fn from(s: &String) -> V {
        V::S(Cow::Owned(s.clone()))
    }
}
impl From<bool> for V {
    fn from(b: bool) -> V {
        V::B(b)
    }
}

fn int(n: i64) -> V {
    V::I(n)
}

macro_rules! map {
    ($($k:expr => $v:expr),* $(,)?) => { V::M(vec![$((Str::from($k), V::from($v))),*]) };
}
macro_rules! list {
    ($($v:expr),* $(,)?) => { V::L(vec![$(V::from($v)),*]) };
}
impl From<Vec<V>> for V {
    fn from(v: Vec<V>) -> V {
        V::L(v)
    }
}

/// Plain YAML scalar only for strings no YAML 1.1 or 1.2 reader could take for anything else.
fn yaml_plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '/') {
        return false;
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
    {
        return false;
    }
    !matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
    )
}

/// Double-quoted string, valid both as JSON and as YAML.
fn write_quoted(out: &mut impl Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\t' => Some(b"\\t"),
            b'\r' => Some(b"\\r"),
            0..=0x1f | 0x7f => None,
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        match esc {
            Some(e) => out.write_all(e)?,
            None => write!(out, "\\u{:04x}", b)?,
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

fn indent(out: &mut impl Write, n: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

/// A scalar after `key: ` or `- `; block strings are indented at `ind + 2`.
fn yaml_scalar(out: &mut impl Write, v: &V, ind: usize) -> io::Result<()> {
    match v {
        V::S(s) => {
            let literal = s.contains('\n')
                && !s.starts_with([' ', '\t', '\n'])
                && !s.ends_with("\n\n")
                && !s.contains('\r');
            if literal {
                let body = s.strip_suffix('\n');
                out.write_all(if body.is_some() { b"|\n" } else { b"|-\n" })?;
                for line in body.unwrap_or(s).split('\n') {
                    if !line.is_empty() {
                        indent(out, ind + 2)?;
                        out.write_all(line.as_bytes())?;
                    }
                    out.write_all(b"\n")?;
                }
                return Ok(());
            }
            if yaml_plain_ok(s) {
                out.write_all(s.as_bytes())?;
            } else {
                write_quoted(out, s)?;
            }
        }
        V::I(n) => write!(out, "{n}")?,
        V::B(b) => write!(out, "{b}")?,
        V::M(m) if m.is_empty() => out.write_all(b"{}")?,
        V::L(l) if l.is_empty() => out.write_all(b"[]")?,
        V::M(_) | V::L(_) => unreachable!("collections are not scalars"),
    }
    out.write_all(b"\n")
}

fn yaml_map(
    out: &mut impl Write,
    m: &[(Str, V)],
    ind: usize,
    inline_first: bool,
) -> io::Result<()> {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !inline_first {
            indent(out, ind)?;
        }
        if yaml_plain_ok(k) {
            out.write_all(k.as_bytes())?;
        } else {
            write_quoted(out, k)?;
        }
        match v {
            V::M(inner) if !inner.is_empty() => {
                out.write_all(b":\n")?;
                yaml_map(out, inner, ind + 2, false)?;
            }
            V::L(items) if !items.is_empty() => {
                out.write_all(b":\n")?;
                yaml_list(out, items, ind)?;
            }
            _ => {
                out.write_all(b": ")?;
                yaml_scalar(out, v, ind)?;
            }
        }
    }
    Ok(())
}

fn yaml_list(out: &mut impl Write, items: &[V], ind: usize) -> io::Result<()> {
    for item in items {
        indent(out, ind)?;
        match item {
            V::M(m) if !m.is_empty() => {
                out.write_all(b"- ")?;
                yaml_map(out, m, ind + 2, true)?;
            }
            V::L(l) if !l.is_empty() => {
                out.write_all(b"-\n")?;
                yaml_list(out, l, ind + 2)?;
            }
            _ => {
                out.write_all(b"- ")?;
                yaml_scalar(out, item, ind)?;
            }
        }
    }
    Ok(())
}

/// One YAML document (a non-empty map) at the top level.
fn yaml_doc(out: &mut impl Write, v: &V) -> io::Result<()> {
    match v {
        V::M(m) => yaml_map(out, m, 0, false),
        _ => unreachable!("documents are maps"),
    }
}

/// Pretty JSON (2-space indentation, `"key": value`), as the repo's testdata dumps are written.
fn json(out: &mut impl Write, v: &V, ind: usize) -> io::Result<()> {
    match v {
        V::S(s) => write_quoted(out, s),
        V::I(n) => write!(out, "{n}"),
        V::B(b) => write!(out, "{b}"),
        V::M(m) if m.is_empty() => out.write_all(b"{}"),
        V::L(l) if l.is_empty() => out.write_all(b"[]"),
        V::M(m) => {
            out.write_all(b"{\n")?;
            for (i, (k, v)) in m.iter().enumerate() {
                indent(out, ind + 2)?;
                write_quoted(out, k)?;
                out.write_all(b": ")?;
                json(out, v, ind + 2)?;
                out.write_all(if i + 1 < m.len() { b",\n" } else { b"\n" })?;
            }
            indent(out, ind)?;
            out.write_all(b"}")
        }
        V::L(l) => {
            out.write_all(b"[\n")?;
            for (i, v) in l.iter().enumerate() {
                indent(out, ind + 2)?;
                json(out, v, ind + 2)?;
                out.write_all(if i + 1 < l.len() { b",\n" } else { b"\n" })?;
            }
            indent(out, ind)?;
            out.write_all(b"]")
        }
    }
}

/// Streams the items of one `kind: List` in kubectl's YAML or JSON shape.
struct ListWriter<W: Write> {
    out: W,
    json: bool,
    items: usize,
}

impl<W: Write> ListWriter<W> {
    fn new(mut out: W, json: bool) -> io::Result<Self> {
        if json {
            out.write_all(b"{\n  \"apiVersion\": \"v1\",\n  \"items\": [")?;
        } else {
            out.write_all(b"apiVersion: v1\nitems:\n")?;
        }
        Ok(ListWriter {
            out,
            json,
            items: 0,
        })
    }

    fn item(&mut self, v: &V) -> io::Result<()> {
        if self.json {
            self.out
                .write_all(if self.items == 0 { b"\n" } else { b",\n" })?;
            indent(&mut self.out, 4)?;
            json(&mut self.out, v, 4)?;
        } else {
            let V::M(m) = v else {
                unreachable!("items are maps")
            };
            self.out.write_all(b"- ")?;
            yaml_map(&mut self.out, m, 2, true)?;
        }
        self.items += 1;
        Ok(())
    }

    fn finish(mut self) -> io::Result<(W, usize)> {
        if self.json {
            self.out.write_all(if self.items == 0 {
                b"],\n"
            } else {
                b"\n  ],\n"
            })?;
            self.out.write_all(
                b"  \"kind\": \"List\",\n  \"metadata\": {\n    \"resourceVersion\": \"\"\n  }\n}\n",
            )?;
        } else {
            self.out
                .write_all(b"kind: List\nmetadata:\n  resourceVersion: \"\"\n")?;
        }
        Ok((self.out, self.items))
    }
}

// ---------------------------------------------------------------------------------------------
// The mesh

struct Plan {
    clusters: usize,
    services: usize,
    vds: usize,
    workspaces: usize,
    json_clusters: usize,
    seed: u64,
    app_namespaces: usize,
}

impl Plan {
    fn cluster(&self, c: usize) -> String {
        format!("cluster-{c:03}")
    }
    fn service(&self, s: usize) -> String {
        format!("svc-{s:04}")
    }
    fn vd(&self, j: usize) -> String {
        format!("vd-{j:04}")
    }
    /// Workspace of cluster `c`: W contiguous, equal (±1) groups.
    fn workspace_of(&self, c: usize) -> usize {
        c * self.workspaces / self.clusters
    }
    /// First cluster of workspace `w`.
    fn first_cluster(&self, w: usize) -> usize {
        (w * self.clusters).div_ceil(self.workspaces)
    }
    /// The clusters that back VirtualDestination `j` of workspace `w`: a real service runs in a
    /// few clusters, not all of them, so each VD picks [`BACKING_CLUSTERS`] of its workspace's,
    /// rotating with `j`.
    fn backing_clusters(&self, w: usize, j: usize) -> impl Iterator<Item = usize> {
        let first = self.first_cluster(w);
        let size = self.first_cluster(w + 1) - first;
        (0..BACKING_CLUSTERS.min(size)).map(move |k| first + (j + k) % size)
    }
    /// Global VD indices owned by workspace `w`.
    fn vds_of(&self, w: usize) -> std::ops::Range<usize> {
        w * self.vds / self.workspaces..(w + 1) * self.vds / self.workspaces
    }
    fn namespace_of(&self, s: usize) -> String {
        format!("app-{}", s % self.app_namespaces)
    }
}

#[derive(Default, Clone, Copy)]
struct Totals {
    files: usize,
    documents: usize,
    bytes: u64,
}

impl Totals {
    fn add(&mut self, o: Totals) {
        self.files += o.files;
        self.documents += o.documents;
        self.bytes += o.bytes;
    }
}

fn create(path: &Path) -> io::Result<BufWriter<File>> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    Ok(BufWriter::with_capacity(1 << 20, File::create(path)?))
}

fn finish_file(out: BufWriter<File>, path: &Path, documents: usize) -> io::Result<Totals> {
    let file = out.into_inner().map_err(|e| e.into_error())?;
    drop(file);
    Ok(Totals {
        files: 1,
        documents,
        bytes: fs::metadata(path)?.len(),
    })
}

/// Writes a multi-document YAML file.
fn write_yaml_docs(path: &Path, docs: &[V]) -> io::Result<Totals> {
    let mut out = create(path)?;
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.write_all(b"---\n")?;
        }
        yaml_doc(&mut out, d)?;
    }
    finish_file(out, path, docs.len())
}

struct Meta<'a> {
    rng: &'a mut Rng,
    rv: &'a mut u64,
}

impl Meta<'_> {
    fn resource_version(&mut self) -> String {
        *self.rv += 1 + self.rng.below(7);
        self.rv.to_string()
    }
}

fn namespace_obj(m: &mut Meta, name: &str, istio_injection: bool) -> V {
    let mut labels = vec![(
        Str::from("kubernetes.io/metadata.name"),
        V::from(name.to_owned()),
    )];
    if istio_injection {
        labels.insert(0, ("istio.io/rev".into(), "1-22".into()));
    }
    map! {
        "apiVersion" => "v1",
        "kind" => "Namespace",
        "metadata" => map! {
            "creationTimestamp" => m.rng.timestamp(),
            "labels" => V::M(labels),
            "name" => name.to_owned(),
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "spec" => map! { "finalizers" => list!["kubernetes"] },
        "status" => map! { "phase" => "Active" },
    }
}

fn node_obj(m: &mut Meta, cluster: &str, c: usize, n: usize) -> V {
    let region = format!("region-{}", c % 5);
    let zone = format!("{region}-{}", ["a", "b", "c"][n % 3]);
    let name = format!(
        "ip-10-{}-{}-{}.{region}.compute.internal",
        c / 250,
        c % 250,
        10 + n
    );
    let created = m.rng.timestamp();
    map! {
        "apiVersion" => "v1",
        "kind" => "Node",
        "metadata" => map! {
            "annotations" => map! {
                "node.alpha.kubernetes.io/ttl" => "0",
                "volumes.kubernetes.io/controller-managed-attach-detach" => "true",
            },
            "creationTimestamp" => created,
            "labels" => map! {
                "beta.kubernetes.io/arch" => "amd64",
                "beta.kubernetes.io/instance-type" => "m5.2xlarge",
                "beta.kubernetes.io/os" => "linux",
                "kubernetes.io/arch" => "amd64",
                "kubernetes.io/hostname" => name.clone(),
                "kubernetes.io/os" => "linux",
                "node.kubernetes.io/instance-type" => "m5.2xlarge",
                "synth.vdc.dev/cluster" => cluster.to_owned(),
                "topology.kubernetes.io/region" => region.clone(),
                "topology.kubernetes.io/zone" => zone,
            },
            "name" => name,
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "spec" => map! {
            "podCIDR" => format!("10.{}.{}.0/24", 100 + c / 250, n),
            "providerID" => format!("aws:///{region}/i-{:017x}", m.rng.next() >> 4),
        },
        "status" => map! {
            "capacity" => map! {
                "cpu" => "8",
                "memory" => "32329216Ki",
                "pods" => "110",
            },
            "nodeInfo" => map! {
                "architecture" => "amd64",
                "containerRuntimeVersion" => "containerd://1.7.11",
                "kernelVersion" => "6.1.72-96.166.amzn2023.x86_64",
                "kubeletVersion" => "v1.29.0",
                "operatingSystem" => "linux",
                "osImage" => "Amazon Linux 2023",
            },
        },
    }
}

fn mesh_configmap(m: &mut Meta, cluster: &str) -> V {
    map! {
        "apiVersion" => "v1",
        "kind" => "ConfigMap",
        "metadata" => map! {
            "creationTimestamp" => m.rng.timestamp(),
            "labels" => map! {
                "install.operator.istio.io/owning-resource" => "unknown",
                "istio.io/rev" => "1-22",
                "operator.istio.io/component" => "Pilot",
                "release" => "istio",
            },
            "name" => "istio",
            "namespace" => "istio-system",
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "data" => map! {
            // DNS capture on, as every multi-cluster install needs for VD hosts.
            "mesh" => format!(
                "defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"\n    ISTIO_META_DNS_CAPTURE: \"true\"\ntrustDomain: {cluster}\n"
            ),
            "meshNetworks" => "networks: {}",
        },
    }
}

struct SvcPort {
    name: &'static str,
    port: i64,
    target: i64,
}

fn label_map(labels: &[(&'static str, &str)]) -> V {
    V::M(
        labels
            .iter()
            .map(|(k, v)| (Str::from(*k), V::from((*v).to_owned())))
            .collect(),
    )
}

fn service_obj(
    m: &mut Meta,
    name: &str,
    ns: &str,
    labels: &[(&'static str, &str)],
    ports: &[SvcPort],
    load_balancer_ip: Option<String>,
) -> V {
    let c = m.rng.next();
    let cluster_ip = format!("172.20.{}.{}", (c >> 8) & 0xff, 1 + (c & 0xff) % 254);
    let lb = load_balancer_ip.is_some();
    let ports_v = V::L(
        ports
            .iter()
            .map(|p| {
                let mut e = vec![(Str::from("name"), V::from(p.name))];
                if lb {
                    e.push(("nodePort".into(), int(30000 + (m.rng.below(2767) as i64))));
                }
                e.push(("port".into(), int(p.port)));
                e.push(("protocol".into(), "TCP".into()));
                e.push(("targetPort".into(), int(p.target)));
                V::M(e)
            })
            .collect(),
    );
    let mut spec = vec![];
    spec.push(("clusterIP".into(), V::from(cluster_ip)));
    if lb {
        spec.push(("externalTrafficPolicy".into(), "Cluster".into()));
    }
    spec.push(("ports".into(), ports_v));
    spec.push(("selector".into(), label_map(labels)));
    spec.push((
        "type".into(),
        if lb { "LoadBalancer" } else { "ClusterIP" }.into(),
    ));
    let status = match load_balancer_ip {
        Some(ip) => map! { "loadBalancer" => map! { "ingress" => vec![map! { "ip" => ip }] } },
        None => map! { "loadBalancer" => map! {} },
    };
    map! {
        "apiVersion" => "v1",
        "kind" => "Service",
        "metadata" => map! {
            "creationTimestamp" => m.rng.timestamp(),
            "labels" => label_map(labels),
            "name" => name.to_owned(),
            "namespace" => ns.to_owned(),
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "spec" => V::M(spec),
        "status" => status,
    }
}

fn deployment_obj(
    m: &mut Meta,
    name: &str,
    ns: &str,
    labels: &[(&'static str, &str)],
    image: &str,
    ports: &[(&'static str, i64)],
) -> V {
    let mut label_json = String::from("{");
    for (i, (k, v)) in labels.iter().enumerate() {
        if i > 0 {
            label_json.push(',');
        }
        label_json.push_str(&format!("\"{k}\":\"{v}\""));
    }
    label_json.push('}');
    let replicas = 2 + m.rng.below(3) as i64;
    // What `kubectl apply` leaves behind (abridged): about 300 bytes.
    let last_applied = format!(
        "{{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{{\"name\":\"{name}\",\"namespace\":\"{ns}\"}},\"spec\":{{\"replicas\":{replicas},\
         \"selector\":{{\"matchLabels\":{label_json}}},\"template\":{{\"metadata\":{{\"labels\":\
         {label_json}}},\"spec\":{{\"containers\":[{{\"image\":\"{image}\",\"name\":\"{name}\"}}]}}}}}}}}\n",
    );
    map! {
        "apiVersion" => "apps/v1",
        "kind" => "Deployment",
        "metadata" => map! {
            "annotations" => map! {
                "deployment.kubernetes.io/revision" => "1",
                "kubectl.kubernetes.io/last-applied-configuration" => last_applied,
            },
            "creationTimestamp" => m.rng.timestamp(),
            "labels" => label_map(labels),
            "name" => name.to_owned(),
            "namespace" => ns.to_owned(),
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "spec" => map! {
            "replicas" => int(replicas),
            "selector" => map! { "matchLabels" => label_map(labels) },
            "template" => map! {
                "metadata" => map! { "labels" => label_map(labels) },
                "spec" => map! {
                    "containers" => vec![map! {
                        "image" => image.to_owned(),
                        "name" => name.to_owned(),
                        "ports" => V::L(ports.iter().map(|(n, p)| map! {
                            "containerPort" => int(*p),
                            "name" => *n,
                        }).collect()),
                    }],
                    "serviceAccountName" => name.to_owned(),
                },
            },
        },
        "status" => map! {
            "availableReplicas" => int(replicas),
            "replicas" => int(replicas),
        },
    }
}

/// A running gateway pod, so vdc knows which node (and so which zone) the gateway is in.
fn gateway_pod_obj(
    m: &mut Meta,
    deployment: &str,
    labels: &[(&'static str, &str)],
    node: &str,
    ports: &[(&'static str, i64)],
) -> V {
    let rs_hash = format!("{:010x}", m.rng.next() >> 24);
    let pod_suffix: String = (0..5)
        .map(|_| (b'a' + m.rng.below(26) as u8) as char)
        .collect();
    let mut label_list: Vec<(Str, V)> = labels
        .iter()
        .map(|(k, v)| (Str::from(*k), V::from((*v).to_owned())))
        .collect();
    label_list.push(("pod-template-hash".into(), V::from(rs_hash.clone())));
    let created = m.rng.timestamp();
    let ip = m.rng.next();
    map! {
        "apiVersion" => "v1",
        "kind" => "Pod",
        "metadata" => map! {
            "creationTimestamp" => created.clone(),
            "generateName" => format!("{deployment}-{rs_hash}-"),
            "labels" => V::M(label_list),
            "name" => format!("{deployment}-{rs_hash}-{pod_suffix}"),
            "namespace" => "istio-gateways",
            "ownerReferences" => vec![map! {
                "apiVersion" => "apps/v1",
                "blockOwnerDeletion" => true,
                "controller" => true,
                "kind" => "ReplicaSet",
                "name" => format!("{deployment}-{rs_hash}"),
                "uid" => m.rng.uid(),
            }],
            "resourceVersion" => m.resource_version(),
            "uid" => m.rng.uid(),
        },
        "spec" => map! {
            "containers" => vec![map! {
                "args" => list!["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local"],
                "image" => "docker.io/istio/proxyv2:1.22.3",
                "name" => "istio-proxy",
                "ports" => V::L(ports.iter().map(|(n, p)| map! {
                    "containerPort" => int(*p),
                    "name" => *n,
                    "protocol" => "TCP",
                }).collect()),
            }],
            "nodeName" => node.to_owned(),
            "serviceAccount" => deployment.to_owned(),
            "serviceAccountName" => deployment.to_owned(),
        },
        "status" => map! {
            "phase" => "Running",
            "podIP" => format!("10.{}.{}.{}", 100 + (ip & 0x3f), (ip >> 8) & 0xff, 2 + (ip >> 16) % 250),
            "startTime" => created,
        },
    }
}

fn node_name(c: usize, n: usize) -> String {
    format!(
        "ip-10-{}-{}-{}.region-{}.compute.internal",
        c / 250,
        c % 250,
        10 + n,
        c % 5
    )
}

fn write_cluster(plan: &Plan, root: &Path, c: usize) -> io::Result<Totals> {
    let cluster = plan.cluster(c);
    let json = c < plan.json_clusters;
    let dir = root.join("clusters").join(&cluster);
    let path = dir.join(if json { "state.json" } else { "state.yaml" });
    let mut rng = Rng::new(plan.seed, c as u64);
    let mut rv = 100_000 + rng.below(900_000);
    let mut m = Meta {
        rng: &mut rng,
        rv: &mut rv,
    };
    let mut list = ListWriter::new(create(&path)?, json)?;

    for k in 0..plan.app_namespaces {
        list.item(&namespace_obj(&mut m, &format!("app-{k}"), true))?;
    }
    list.item(&namespace_obj(&mut m, "istio-gateways", true))?;
    list.item(&namespace_obj(&mut m, "istio-system", false))?;
    for n in 0..3 {
        list.item(&node_obj(&mut m, &cluster, c, n))?;
    }
    list.item(&mesh_configmap(&mut m, &cluster))?;

    let ew_ip = format!("10.{}.{}.1", c / 250, c % 250);
    let ew_labels = [
        ("app", "istio-eastwestgateway"),
        ("istio", "eastwestgateway"),
    ];
    let in_labels = [("app", "istio-ingressgateway"), ("istio", "ingressgateway")];
    list.item(&service_obj(
        &mut m,
        "istio-eastwestgateway",
        "istio-gateways",
        &ew_labels,
        &[
            SvcPort {
                name: "tls",
                port: 15443,
                target: 15443,
            },
            SvcPort {
                name: "https",
                port: 16443,
                target: 16443,
            },
        ],
        Some(ew_ip),
    ))?;
    list.item(&service_obj(
        &mut m,
        "istio-ingressgateway",
        "istio-gateways",
        &in_labels,
        &[SvcPort {
            name: "http2",
            port: 80,
            target: 8080,
        }],
        None,
    ))?;
    for s in 0..plan.services {
        let name = plan.service(s);
        let ns = plan.namespace_of(s);
        list.item(&service_obj(
            &mut m,
            &name,
            &ns,
            &[("app", &name)],
            &[SvcPort {
                name: "http",
                port: 8080,
                target: 8080,
            }],
            None,
        ))?;
    }
    let proxy = "docker.io/istio/proxyv2:1.22.3";
    list.item(&deployment_obj(
        &mut m,
        "istio-eastwestgateway",
        "istio-gateways",
        &ew_labels,
        proxy,
        &[("status-port", 15021), ("tls", 15443), ("https", 16443)],
    ))?;
    list.item(&deployment_obj(
        &mut m,
        "istio-ingressgateway",
        "istio-gateways",
        &in_labels,
        proxy,
        &[("status-port", 15021), ("http2", 8080)],
    ))?;
    list.item(&gateway_pod_obj(
        &mut m,
        "istio-eastwestgateway",
        &ew_labels,
        &node_name(c, 0),
        &[("status-port", 15021), ("tls", 15443), ("https", 16443)],
    ))?;
    list.item(&gateway_pod_obj(
        &mut m,
        "istio-ingressgateway",
        &in_labels,
        &node_name(c, 1),
        &[("status-port", 15021), ("http2", 8080)],
    ))?;
    for s in 0..plan.services {
        let name = plan.service(s);
        let ns = plan.namespace_of(s);
        let image = format!(
            "registry.example.com/shop/{name}:1.{}.{}",
            m.rng.below(20),
            m.rng.below(10)
        );
        list.item(&deployment_obj(
            &mut m,
            &name,
            &ns,
            &[("app", &name)],
            &image,
            &[("http", 8080)],
        ))?;
    }
    let (out, items) = list.finish()?;
    finish_file(out, &path, items)
}

/// How many clusters back each VirtualDestination (fewer when its workspace has fewer).
const BACKING_CLUSTERS: usize = 3;

/// How many VirtualDestinations per workspace the ingress RouteTable routes to (and exports).
const ROUTED_VDS: usize = 5;

fn workspace_config(plan: &Plan, w: usize) -> Vec<V> {
    let ws = format!("ws-{w}");
    let home = plan.cluster(plan.first_cluster(w));
    let mut docs = vec![map! {
        "apiVersion" => "admin.gloo.solo.io/v2",
        "kind" => "WorkspaceSettings",
        "metadata" => map! { "name" => ws.clone(), "namespace" => "app-0" },
        "spec" => map! {
            "exportTo" => vec![map! {
                "workspaces" => vec![map! { "name" => "gateways" }],
                // Only the VirtualDestinations the ingress routes to leave their workspace.
                "resources" => vec![
                    map! { "kind" => "VIRTUAL_DESTINATION", "labels" => map! { "ingress" => "true" } },
                    map! { "kind" => "ROUTE_TABLE" },
                ],
            }],
            "importFrom" => vec![map! {
                "workspaces" => vec![map! { "name" => "gateways" }],
                "resources" => vec![map! { "kind" => "SERVICE" }],
            }],
        },
    }];
    let vds = plan.vds_of(w);
    for (k, j) in vds.clone().enumerate() {
        let name = plan.vd(j);
        let mut meta = vec![
            (Str::from("name"), V::from(name.clone())),
            ("namespace".into(), "app-0".into()),
        ];
        let mut labels = Vec::new();
        if k % 10 == 0 {
            labels.push((Str::from("failover"), V::from("true")));
        }
        if k < ROUTED_VDS {
            labels.push((Str::from("ingress"), V::from("true")));
        }
        if !labels.is_empty() {
            meta.push(("labels".into(), V::M(labels)));
        }
        docs.push(map! {
            "apiVersion" => "networking.gloo.solo.io/v2",
            "kind" => "VirtualDestination",
            "metadata" => V::M(meta),
            "spec" => map! {
                "hosts" => list![format!("{name}.{ws}.mesh.internal")],
                "services" => plan.backing_clusters(w, j).map(|c| map! {
                    "labels" => map! { "app" => plan.service(j % plan.services) },
                    "cluster" => plan.cluster(c),
                }).collect::<Vec<V>>(),
                "ports" => vec![map! { "number" => int(8080), "protocol" => "HTTP" }],
            },
        });
    }
    let apply = || {
        vec![map! {
            "kind" => "VIRTUAL_DESTINATION",
            "selector" => map! { "labels" => map! { "failover" => "true" } },
        }]
    };
    docs.push(map! {
        "apiVersion" => "resilience.policy.gloo.solo.io/v2",
        "kind" => "FailoverPolicy",
        "metadata" => map! { "name" => format!("failover-{ws}"), "namespace" => "app-0" },
        "spec" => map! {
            "applyToDestinations" => apply(),
            "config" => map! {},
        },
    });
    docs.push(map! {
        "apiVersion" => "resilience.policy.gloo.solo.io/v2",
        "kind" => "OutlierDetectionPolicy",
        "metadata" => map! { "name" => format!("outlier-detection-{ws}"), "namespace" => "app-0" },
        "spec" => map! {
            "applyToDestinations" => apply(),
            "config" => map! {
                "consecutiveErrors" => int(2),
                "interval" => "5s",
                "baseEjectionTime" => "30s",
                "maxEjectionPercent" => int(100),
            },
        },
    });
    docs.extend(destination_policies(&ws, apply));
    let routes: Vec<V> = vds
        .take(ROUTED_VDS)
        .enumerate()
        .map(|(k, j)| {
            let name = plan.vd(j);
            let mut labels = vec![(Str::from("resilience"), V::from("true"))];
            if k == 0 {
                labels.push((Str::from("fault"), V::from("true")));
            }
            map! {
                "name" => name.clone(),
                "labels" => V::M(labels),
                "matchers" => vec![map! { "uri" => map! { "prefix" => format!("/{name}") } }],
                "forwardTo" => map! {
                    "destinations" => vec![map! {
                        "ref" => map! {
                            "name" => name,
                            "namespace" => "app-0",
                            "cluster" => home.clone(),
                        },
                        "kind" => "VIRTUAL_DESTINATION",
                        "port" => map! { "number" => int(8080) },
                    }],
                },
            }
        })
        .collect();
    if !routes.is_empty() {
        docs.extend(route_policies(&ws));
        docs.push(map! {
            "apiVersion" => "networking.gloo.solo.io/v2",
            "kind" => "RouteTable",
            "metadata" => map! {
                "name" => format!("{ws}-routes"),
                "namespace" => "app-0",
                "labels" => map! { "cors" => "true" },
            },
            "spec" => map! {
                "hosts" => list!["*"],
                "virtualGateways" => vec![map! {
                    "name" => "north-south-gw",
                    "namespace" => "istio-gateways",
                    "cluster" => plan.cluster(0),
                }],
                "http" => routes,
            },
        });
    }
    docs
}

/// A ConnectionPolicy and a LoadBalancerPolicy on the destinations `apply` selects.
fn destination_policies(ws: &str, apply: impl Fn() -> Vec<V>) -> Vec<V> {
    vec![
        map! {
            "apiVersion" => "resilience.policy.gloo.solo.io/v2",
            "kind" => "ConnectionPolicy",
            "metadata" => map! { "name" => format!("connections-{ws}"), "namespace" => "app-0" },
            "spec" => map! {
                "applyToDestinations" => apply(),
                "config" => map! {
                    "tcp" => map! { "maxConnections" => int(1024), "connectTimeout" => "2s" },
                    "http" => map! {
                        "maxRequests" => int(1024),
                        "maxPendingRequests" => int(256),
                        "idleTimeout" => "1h",
                    },
                },
            },
        },
        map! {
            "apiVersion" => "trafficcontrol.policy.gloo.solo.io/v2",
            "kind" => "LoadBalancerPolicy",
            "metadata" => map! { "name" => format!("balancer-{ws}"), "namespace" => "app-0" },
            "spec" => map! {
                "applyToDestinations" => apply(),
                "config" => map! { "simple" => "LEAST_REQUEST", "warmupDurationSecs" => "30s" },
            },
        },
    ]
}

/// Route policies for the ingress RouteTable of `ws`: retries and a timeout on the routes
/// labelled `resilience`, a fault on the one labelled `fault`, CORS on the whole table.
fn route_policies(ws: &str) -> Vec<V> {
    let on =
        |key: &'static str| vec![map! { "route" => map! { "labels" => map! { key => "true" } } }];
    vec![
        map! {
            "apiVersion" => "resilience.policy.gloo.solo.io/v2",
            "kind" => "RetryTimeoutPolicy",
            "metadata" => map! { "name" => format!("retries-{ws}"), "namespace" => "app-0" },
            "spec" => map! {
                "applyToRoutes" => on("resilience"),
                "config" => map! {
                    "retries" => map! {
                        "attempts" => int(3),
                        "perTryTimeout" => "2s",
                        "retryOn" => "5xx,reset,connect-failure",
                    },
                    "requestTimeout" => "15s",
                },
            },
        },
        map! {
            "apiVersion" => "resilience.policy.gloo.solo.io/v2",
            "kind" => "FaultInjectionPolicy",
            "metadata" => map! { "name" => format!("fault-{ws}"), "namespace" => "app-0" },
            "spec" => map! {
                "applyToRoutes" => on("fault"),
                "config" => map! {
                    "delay" => map! { "fixedDelay" => "100ms", "percentage" => int(5) },
                },
            },
        },
        map! {
            "apiVersion" => "security.policy.gloo.solo.io/v2",
            "kind" => "CORSPolicy",
            "metadata" => map! { "name" => format!("cors-{ws}"), "namespace" => "app-0" },
            "spec" => map! {
                "applyToRoutes" => on("cors"),
                "config" => map! {
                    "allowOrigins" => vec![map! { "prefix" => "https://portal.example.com" }],
                    "allowMethods" => list!["GET", "POST"],
                    "maxAge" => "1h",
                },
            },
        },
    ]
}

fn gateways_config() -> Vec<V> {
    vec![
        map! {
            "apiVersion" => "admin.gloo.solo.io/v2",
            "kind" => "WorkspaceSettings",
            "metadata" => map! { "name" => "gateways", "namespace" => "istio-gateways" },
            "spec" => map! {
                "importFrom" => vec![map! {
                    "workspaces" => vec![map! {
                        "selector" => map! { "allow_ingress" => "true" },
                    }],
                    "resources" => vec![
                        map! { "kind" => "VIRTUAL_DESTINATION" },
                        map! { "kind" => "ROUTE_TABLE" },
                    ],
                }],
            },
        },
        map! {
            "apiVersion" => "networking.gloo.solo.io/v2",
            "kind" => "VirtualGateway",
            "metadata" => map! { "name" => "north-south-gw", "namespace" => "istio-gateways" },
            "spec" => map! {
                "workloads" => vec![map! {
                    "selector" => map! { "labels" => map! { "istio" => "ingressgateway" } },
                }],
                "listeners" => vec![map! {
                    "http" => map! {},
                    "port" => map! { "number" => int(80) },
                }],
            },
        },
    ]
}

fn run(args: Args) -> Result<Totals, String> {
    if args.clusters == 0 {
        return Err("--clusters must be at least 1".into());
    }
    if args.services == 0 {
        return Err("--services must be at least 1".into());
    }
    if args.workspaces == 0 || args.workspaces > args.clusters {
        return Err(format!(
            "--workspaces must be between 1 and --clusters ({})",
            args.clusters
        ));
    }
    if !(0.0..=1.0).contains(&args.json_fraction) {
        return Err("--json-fraction must be between 0 and 1".into());
    }
    let out = &args.out;
    if out.exists() {
        let mut entries = fs::read_dir(out).map_err(|e| format!("{}: {e}", out.display()))?;
        if entries.next().is_some() {
            return Err(format!("{} exists and is not empty", out.display()));
        }
    }
    let plan = Plan {
        clusters: args.clusters,
        services: args.services,
        vds: args.vds,
        workspaces: args.workspaces,
        json_clusters: ((args.json_fraction * args.clusters as f64) - 1e-9)
            .ceil()
            .max(0.0) as usize,
        seed: args.seed,
        app_namespaces: (args.services / 50).max(1),
    };
    let io_err = |p: &Path| {
        let p = p.display().to_string();
        move |e: io::Error| format!("{p}: {e}")
    };
    let mut totals = Totals::default();

    // Management-cluster config.
    let p = out.join("vdc.yaml");
    let mut f = create(&p).map_err(io_err(&p))?;
    f.write_all(b"managementCluster: mgmt\n")
        .map_err(io_err(&p))?;
    totals.add(finish_file(f, &p, 1).map_err(io_err(&p))?);

    let clusters: Vec<V> = (0..plan.clusters)
        .map(|c| {
            map! {
                "apiVersion" => "admin.gloo.solo.io/v2",
                "kind" => "KubernetesCluster",
                "metadata" => map! {
                    "name" => plan.cluster(c),
                    "namespace" => "gloo-mesh",
                    "labels" => map! { "ws" => format!("ws-{}", plan.workspace_of(c)) },
                },
                "spec" => map! { "clusterDomain" => "cluster.local" },
            }
        })
        .collect();
    let p = out.join("gloo/clusters.yaml");
    totals.add(write_yaml_docs(&p, &clusters).map_err(io_err(&p))?);

    let mut workspaces: Vec<V> = (0..plan.workspaces)
        .map(|w| {
            map! {
                "apiVersion" => "admin.gloo.solo.io/v2",
                "kind" => "Workspace",
                "metadata" => map! {
                    "name" => format!("ws-{w}"),
                    "namespace" => "gloo-mesh",
                    "labels" => map! { "allow_ingress" => "true" },
                },
                "spec" => map! {
                    "workloadClusters" => vec![map! {
                        "selector" => map! { "ws" => format!("ws-{w}") },
                        "namespaces" => vec![map! { "name" => "app-*" }],
                    }],
                },
            }
        })
        .collect();
    workspaces.push(map! {
        "apiVersion" => "admin.gloo.solo.io/v2",
        "kind" => "Workspace",
        "metadata" => map! {
            "name" => "gateways",
            "namespace" => "gloo-mesh",
            "labels" => map! { "allow_ingress" => "true" },
        },
        "spec" => map! {
            "workloadClusters" => vec![map! {
                "name" => "*",
                "namespaces" => vec![map! { "name" => "istio-gateways" }],
            }],
        },
    });
    let p = out.join("gloo/workspaces.yaml");
    totals.add(write_yaml_docs(&p, &workspaces).map_err(io_err(&p))?);

    // Gloo config applied to workload clusters.
    for w in 0..plan.workspaces {
        let p = out
            .join("clusters")
            .join(plan.cluster(plan.first_cluster(w)))
            .join(format!("gloo/ws-{w}.yaml"));
        totals.add(write_yaml_docs(&p, &workspace_config(&plan, w)).map_err(io_err(&p))?);
    }
    let p = out
        .join("clusters")
        .join(plan.cluster(0))
        .join("gloo/gateways.yaml");
    totals.add(write_yaml_docs(&p, &gateways_config()).map_err(io_err(&p))?);

    // Cluster state dumps, in parallel (each cluster has its own PRNG stream).
    let next = AtomicUsize::new(0);
    let result = Mutex::new(Ok(Totals::default()));
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(plan.clusters);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= plan.clusters {
                        break;
                    }
                    let r = write_cluster(&plan, out, c)
                        .map_err(|e| format!("{}: {e}", plan.cluster(c)));
                    let mut acc = result.lock().unwrap();
                    match (&mut *acc, r) {
                        (Ok(t), Ok(o)) => t.add(o),
                        (Ok(_), Err(e)) => *acc = Err(e),
                        (Err(_), _) => break,
                    }
                }
            });
        }
    });
    totals.add(result.into_inner().unwrap()?);
    Ok(totals)
}

/// What `main` does, from command-line style arguments (without the program name), for
/// `tests/synth_mesh.rs`, which includes this file as a module.
#[allow(dead_code)]
pub fn generate(args: &[&str]) -> Result<(), String> {
    let args = Args::try_parse_from(std::iter::once("synth").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    run(args).map(|_| ())
}

fn main() {
    let args = Args::parse();
    let out = args.out.clone();
    let start = Instant::now();
    match run(args) {
        Ok(t) => eprintln!(
            "synth: wrote {} files, {} documents, {:.1} MB to {} in {:.2}s",
            t.files,
            t.documents,
            t.bytes as f64 / 1e6,
            out.display(),
            start.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("synth: error: {e}");
            std::process::exit(2);
        }
    }
}
