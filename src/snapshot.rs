//! `vdc snapshot`: INPUT's cluster state read from live clusters with kubectl.
//!
//! For each context, every kind vdc reads (§2) is fetched with `kubectl get … -o json`, each
//! object trimmed to the fields vdc reads, and the lot written as one `kubectl get -o json`-style
//! `List` to `INPUT/clusters/<name>/state.json`: small, stable in a diff, and fast to parse. With
//! `--gloo`, the Gloo kinds are read from every context too: each cluster's config goes beside its
//! state (`INPUT/clusters/<name>/gloo/config.json`), since Gloo config applied to a workload
//! cluster belongs to that cluster, and a management context that is no workload cluster writes
//! `INPUT/gloo/config.json`. Everything is fetched before anything is written, and then every file
//! is written or none is ([`write`]). kubectl is trusted with nothing: each call has a deadline,
//! and its output is parsed as it streams in, capped ([`kubectl`]).

mod kubectl;
mod write;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A kind to fetch: kubectl's resource name, whether a cluster may lack it (a CRD that is not
/// installed), and the `-n` namespace it is read from (all namespaces when `None`).
struct Resource {
    name: std::borrow::Cow<'static, str>,
    optional: bool,
    namespace: Option<&'static str>,
}

const fn core(name: &'static str) -> Resource {
    Resource {
        name: std::borrow::Cow::Borrowed(name),
        optional: false,
        namespace: None,
    }
}

const fn crd(name: &'static str) -> Resource {
    Resource {
        name: std::borrow::Cow::Borrowed(name),
        optional: true,
        namespace: None,
    }
}

/// The cluster-state kinds vdc reads, in the order they are written.
const STATE: &[Resource] = &[
    core("namespaces"),
    core("nodes"),
    core("services"),
    core("pods"),
    core("deployments.apps"),
    core("statefulsets.apps"),
    core("daemonsets.apps"),
    core("replicasets.apps"),
    // Only istio-system's `istio` / `istio-<revision>` ConfigMaps are read (the trust domain).
    Resource {
        name: std::borrow::Cow::Borrowed("configmaps"),
        optional: false,
        namespace: Some("istio-system"),
    },
    crd("serviceentries.networking.istio.io"),
    crd("destinationrules.networking.istio.io"),
    crd("virtualservices.networking.istio.io"),
    crd("gateways.networking.istio.io"),
    // A VM's live endpoints (what an ExternalWorkload's addresses and locality are checked by).
    crd("workloadentries.networking.istio.io"),
];

/// The Gloo kinds vdc reads (translated or not), as the management cluster holds them.
fn gloo_resources() -> Vec<Resource> {
    crate::model::GlooKind::ALL
        .iter()
        .map(|kind| Resource {
            name: kind.resource().into(),
            optional: true,
            namespace: None,
        })
        .collect()
}

/// What to snapshot: `(context, cluster name)` pairs, whether to read Gloo config from them, and
/// a management context that is none of them to read Gloo config from as well.
pub struct Request {
    pub clusters: Vec<(String, String)>,
    pub gloo: bool,
    pub management_context: Option<String>,
    /// How long one kubectl call may take before it is killed and the snapshot fails.
    pub timeout: Duration,
}

/// What a snapshot wrote, and how many VirtualDestinations its Gloo config holds (a snapshot
/// without any renders nothing).
pub struct Snapshot {
    pub written: Vec<Written>,
    pub virtual_destinations: usize,
}

/// One file written: where, and how many objects it holds.
pub struct Written {
    pub path: PathBuf,
    pub context: String,
    pub objects: usize,
}

/// `kubectl`, found on PATH.
pub fn find_kubectl() -> Result<PathBuf> {
    kubectl::find().context(
        "kubectl not found on PATH: vdc snapshot reads each cluster with kubectl. Install it, \
             or write the dumps with kubectl elsewhere (docs/input-format.md shows the commands)",
    )
}

/// Fetches everything `request` names with `kubectl`, then writes it below `input`.
pub fn snapshot(kubectl: &Path, input: &Path, request: &Request) -> Result<Snapshot> {
    let mut files = Vec::new();
    for (context, name) in &request.clusters {
        let items = fetch(kubectl, context, STATE, trim_state, request.timeout)?;
        let folder = input.join("clusters").join(name);
        files.push((folder.join("state.json"), context.clone(), items));
        if request.gloo {
            let items = fetch(
                kubectl,
                context,
                &gloo_resources(),
                trim_gloo,
                request.timeout,
            )?;
            let path = folder.join("gloo/config.json");
            // Most workload clusters hold no Gloo config: no file then, unless an earlier
            // snapshot wrote one that must not keep objects the cluster no longer has.
            if !items.is_empty() || path.exists() {
                files.push((path, context.clone(), items));
            }
        }
    }
    if let Some(context) = &request.management_context {
        let items = fetch(
            kubectl,
            context,
            &gloo_resources(),
            trim_gloo,
            request.timeout,
        )?;
        files.push((input.join("gloo/config.json"), context.clone(), items));
    }
    let virtual_destinations = files
        .iter()
        .flat_map(|(_, _, items)| items)
        .filter(|item| item["kind"] == crate::model::GlooKind::VirtualDestination.name())
        .count();
    let mut texts = Vec::new();
    let mut written = Vec::new();
    for (path, context, items) in files {
        written.push(Written {
            objects: items.len(),
            path,
            context,
        });
        texts.push(list_text(items)?);
    }
    let to_write = written
        .iter()
        .zip(texts)
        .map(|(w, text)| {
            let relative = w.path.strip_prefix(input).unwrap_or(&w.path);
            write::File { relative, text }
        })
        .collect();
    write::write_all(input, to_write)?;
    Ok(Snapshot {
        written,
        virtual_destinations,
    })
}

/// Every object of `resources` in `context`, trimmed by `trim` (`None`: not one vdc reads), in
/// the order of `resources`, then by namespace and name.
fn fetch(
    kubectl: &Path,
    context: &str,
    resources: &[Resource],
    trim: fn(&Value) -> Option<Value>,
    timeout: Duration,
) -> Result<Vec<Value>> {
    let mut all = Vec::new();
    for resource in resources {
        let mut items = get(kubectl, context, resource, trim, timeout)?;
        items.sort_by_cached_key(|item| {
            let field = |k: &str| item["metadata"][k].as_str().unwrap_or_default().to_owned();
            (field("namespace"), field("name"))
        });
        all.extend(items);
    }
    Ok(all)
}

/// `kubectl --context CTX get RESOURCE (-A | -n NS) -o json`: the List's items, each trimmed
/// as it is read, so only what vdc keeps is ever held.
fn get(
    kubectl: &Path,
    context: &str,
    resource: &Resource,
    trim: fn(&Value) -> Option<Value>,
    timeout: Duration,
) -> Result<Vec<Value>> {
    let mut args = vec!["--context", context, "get", &resource.name];
    match resource.namespace {
        Some(ns) => args.extend(["-n", ns]),
        None => args.push("-A"),
    };
    args.extend(["-o", "json"]);
    let call = || format!("kubectl --context {context} get {}", resource.name);
    let mut items = Vec::new();
    let ran = kubectl::list(kubectl, &args, timeout, &mut |item| {
        items.extend(trim(&item));
    })
    .with_context(|| format!("{} -o json", call()))?;
    match ran {
        Ok(()) => Ok(items),
        Err(kubectl::Failure::Exited(stderr)) => {
            if resource.optional && stderr.contains("the server doesn't have a resource type") {
                return Ok(Vec::new());
            }
            bail!(
                "{}: {}",
                call(),
                crate::text::escape_controls(stderr.trim())
            )
        }
        Err(kubectl::Failure::TimedOut(limit)) => bail!(
            "{} did not finish within {} s and was stopped; nothing was written (a slower cluster needs a longer --timeout)",
            call(),
            limit.as_secs()
        ),
    }
}

/// `fields` of `from` that it has, copied into a new object.
fn pick(from: &Value, fields: &[&str]) -> Map<String, Value> {
    fields
        .iter()
        .filter_map(|f| from.get(*f).map(|v| ((*f).to_owned(), v.clone())))
        .collect()
}

/// apiVersion, kind, and the metadata vdc reads: name, namespace, labels, and with `created` the
/// creation time (the oldest of conflicting Services, or of Gloo policies, wins).
fn object_head(item: &Value, created: bool) -> Map<String, Value> {
    let mut out = pick(item, &["apiVersion", "kind"]);
    let mut meta_fields = vec!["name", "namespace", "labels"];
    if created {
        meta_fields.push("creationTimestamp");
    }
    out.insert(
        "metadata".into(),
        pick(&item["metadata"], &meta_fields).into(),
    );
    out
}

/// A pod spec: service account, node and container ports, nothing else.
fn trim_pod_spec(spec: &Value) -> Value {
    let mut out = pick(spec, &["serviceAccountName", "serviceAccount", "nodeName"]);
    for list in ["containers", "initContainers"] {
        let Some(Value::Array(containers)) = spec.get(list) else {
            continue;
        };
        let with_ports: Vec<Value> = containers
            .iter()
            .filter_map(|c| {
                c.get("ports")
                    .filter(|p| p.as_array().is_some_and(|p| !p.is_empty()))
            })
            .map(|ports| {
                let ports: Vec<Value> = ports
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| Value::Object(pick(p, &["name", "containerPort"])))
                    .collect();
                json!({ "ports": ports })
            })
            .collect();
        if !with_ports.is_empty() {
            out.insert(list.into(), with_ports.into());
        }
    }
    out.into()
}

fn trim_service_spec(spec: &Value) -> Value {
    let mut out = pick(spec, &["type", "selector", "externalIPs"]);
    if let Some(Value::Array(ports)) = spec.get("ports") {
        let fields = ["name", "port", "targetPort", "protocol", "appProtocol"];
        let ports: Vec<Value> = ports.iter().map(|p| pick(p, &fields).into()).collect();
        out.insert("ports".into(), ports.into());
    }
    out.into()
}

/// One cluster-state object as vdc reads it; `None` for a ConfigMap that is not Istio's.
fn trim_state(item: &Value) -> Option<Value> {
    let mut out = object_head(item, item["kind"] == "Service");
    let spec = &item["spec"];
    let kind = item["kind"].as_str().unwrap_or_default();
    match kind {
        "Namespace" | "Node" => {}
        "Service" => {
            out.insert("spec".into(), trim_service_spec(spec));
            let ingress = &item["status"]["loadBalancer"]["ingress"];
            if let Value::Array(ingress) = ingress {
                let ingress: Vec<Value> = ingress
                    .iter()
                    .map(|i| pick(i, &["ip", "hostname"]).into())
                    .collect();
                out.insert(
                    "status".into(),
                    json!({"loadBalancer": {"ingress": ingress}}),
                );
            }
        }
        "Pod" => {
            out.insert("spec".into(), trim_pod_spec(spec));
        }
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            let template = &spec["template"];
            let labels = pick(&template["metadata"], &["labels"]);
            let pod = trim_pod_spec(&template["spec"]);
            out.insert(
                "spec".into(),
                json!({"template": {"metadata": labels, "spec": pod}}),
            );
        }
        "ConfigMap" => {
            let name = item["metadata"]["name"].as_str().unwrap_or_default();
            if name != "istio" && !name.starts_with("istio-") {
                return None;
            }
            out.insert("data".into(), pick(&item["data"], &["mesh"]).into());
        }
        "WorkloadEntry" => {
            let fields = ["address", "labels", "serviceAccount", "locality", "network"];
            out.insert("spec".into(), pick(spec, &fields).into());
        }
        _ => {
            out.insert("spec".into(), pick(spec, &["hosts", "host"]).into());
        }
    }
    Some(out.into())
}

/// A Gloo object: its spec whole (vdc checks every field of it), without status or the
/// metadata the cluster adds.
fn trim_gloo(item: &Value) -> Option<Value> {
    let mut out = object_head(item, true);
    if let Some(spec) = item.get("spec") {
        out.insert("spec".into(), spec.clone());
    }
    Some(out.into())
}

/// `items` as the text of a `kubectl get -o json` List.
fn list_text(items: Vec<Value>) -> Result<String> {
    let list = json!({
        "apiVersion": "v1",
        "kind": "List",
        "metadata": {"resourceVersion": ""},
        "items": items,
    });
    let mut text = serde_json::to_string_pretty(&list)?;
    text.push('\n');
    Ok(text)
}
