//! `vdc snapshot` against a fake `kubectl` on PATH that serves recorded answers: the testdata
//! dumps, grouped by resource as `kubectl get RESOURCE -A -o json` would print them, with the
//! fields a live cluster adds (managedFields, annotations, status, volumes, images). The snapshot
//! of an input must render byte for byte what the input itself renders.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;

use common::vdc;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use vdc::load::node::{Node, Value as NodeValue};

fn to_json(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Int(i) => json!(*i as i64),
        NodeValue::Float(f) => json!(*f),
        NodeValue::Str(s) => Value::String(s.clone()),
        NodeValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        NodeValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// Every object of a file, Lists unwrapped.
fn objects(path: &Path) -> Vec<Value> {
    let text = fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    for doc in vdc::load::parse_documents(&text).unwrap() {
        let value = to_json(&doc);
        match value.get("items") {
            Some(Value::Array(items)) => out.extend(items.iter().cloned()),
            _ if value.is_object() => out.push(value),
            _ => {}
        }
    }
    out
}

/// kubectl's resource name for a kind vdc reads as cluster state or Gloo config.
fn resource(object: &Value) -> Option<&'static str> {
    let group = object["apiVersion"]
        .as_str()?
        .rsplit_once('/')
        .map_or("", |(g, _)| g);
    Some(match (group, object["kind"].as_str()?) {
        ("", "Namespace") => "namespaces",
        ("", "Node") => "nodes",
        ("", "Service") => "services",
        ("", "Pod") => "pods",
        ("", "ConfigMap") => "configmaps",
        ("apps", "Deployment") => "deployments.apps",
        ("apps", "StatefulSet") => "statefulsets.apps",
        ("apps", "DaemonSet") => "daemonsets.apps",
        ("apps", "ReplicaSet") => "replicasets.apps",
        ("networking.istio.io", kind) => match kind {
            "ServiceEntry" => "serviceentries.networking.istio.io",
            "DestinationRule" => "destinationrules.networking.istio.io",
            "VirtualService" => "virtualservices.networking.istio.io",
            "Gateway" => "gateways.networking.istio.io",
            "WorkloadEntry" => "workloadentries.networking.istio.io",
            _ => return None,
        },
        (g, kind) if g.ends_with(".solo.io") => {
            let plural = match kind {
                "WorkspaceSettings" => "workspacesettings".to_owned(),
                "FailoverPolicy" => "failoverpolicies".to_owned(),
                "OutlierDetectionPolicy" => "outlierdetectionpolicies".to_owned(),
                k => format!("{}s", k.to_lowercase()),
            };
            Box::leak(format!("{plural}.{g}").into_boxed_str())
        }
        _ => return None,
    })
}

/// What a live cluster adds to an object, none of which vdc reads.
fn with_live_fields(mut object: Value) -> Value {
    let meta = object["metadata"].as_object_mut().unwrap();
    meta.insert("uid".into(), json!("0b7e6c9a-1f1e-4a53-9a55-6c1d2f0c0001"));
    meta.insert("resourceVersion".into(), json!("123456"));
    meta.insert(
        "managedFields".into(),
        json!([{"manager": "kubectl", "operation": "Update", "fieldsV1": {"f:metadata": {}}}]),
    );
    meta.insert(
        "annotations".into(),
        json!({"kubectl.kubernetes.io/last-applied-configuration": "{\"secret\":\"x\"}"}),
    );
    let kind = object["kind"].as_str().unwrap_or_default().to_owned();
    let pod_spec = match kind.as_str() {
        "Pod" => object.get_mut("spec"),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            object.pointer_mut("/spec/template/spec")
        }
        _ => None,
    };
    if let Some(Value::Object(spec)) = pod_spec {
        spec.insert(
            "volumes".into(),
            json!([{"name": "token", "secret": {"secretName": "t"}}]),
        );
        if let Some(Value::Array(containers)) = spec.get_mut("containers") {
            for c in containers.iter_mut() {
                c["image"] = json!("docker.io/istio/examples-bookinfo:1.20");
                c["env"] =
                    json!([{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db"}}}]);
            }
            containers.push(json!({"name": "sidecar", "image": "istio/proxyv2"}));
        }
    }
    if kind == "Pod" {
        object["status"] = json!({"phase": "Running", "podIP": "10.0.0.9"});
    }
    object
}

/// A testdata input split the way `vdc snapshot` sees it: the recorded kubectl answers per
/// context (`ctx-<cluster>` for everything below `clusters/<cluster>/`, its Gloo config included,
/// and `ctx-mgmt` for the Gloo config outside `clusters/`), and a copy of the input without them.
struct Recorded {
    answers: PathBuf,
    input: PathBuf,
    clusters: Vec<String>,
}

fn record(original: &Path, tmp: &Path) -> Recorded {
    let input = tmp.join("input");
    common::copy_tree(original, &input);
    let mut answers: BTreeMap<(String, &str), Vec<Value>> = BTreeMap::new();
    let mut clusters = Vec::new();
    for entry in walkdir::WalkDir::new(&input).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        let rel = path
            .strip_prefix(&input)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let is_data = rel.ends_with(".yaml") || rel.ends_with(".json");
        if !path.is_file() || !is_data || rel == "vdc.yaml" {
            continue;
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let context = match parts.as_slice() {
            ["clusters", cluster, _, ..] => format!("ctx-{cluster}"),
            _ => "ctx-mgmt".to_owned(),
        };
        let mut rest = Vec::new();
        for object in objects(&path) {
            match resource(&object) {
                Some(r) => answers
                    .entry((context.clone(), r))
                    .or_default()
                    .push(with_live_fields(object)),
                None => rest.push(object),
            }
        }
        fs::remove_file(&path).unwrap();
        if !rest.is_empty() {
            let list = json!({"apiVersion": "v1", "kind": "List", "items": rest});
            fs::write(path.with_extension("rest.json"), list.to_string()).unwrap();
        }
        if let ["clusters", cluster, _, ..] = parts.as_slice()
            && !clusters.contains(&cluster.to_string())
        {
            clusters.push(cluster.to_string());
        }
    }
    let dir = tmp.join("answers");
    for ((context, resource), mut items) in answers {
        if resource == "configmaps" {
            // Asked for with -n istio-system: kubectl would answer with that namespace alone,
            // including ConfigMaps vdc does not read.
            items.retain(|i| i["metadata"]["namespace"] == "istio-system");
            items.push(json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "kube-root-ca.crt", "namespace": "istio-system"},
                "data": {"ca.crt": "-----BEGIN CERTIFICATE-----"}}));
        }
        let list = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items});
        fs::create_dir_all(dir.join(&context)).unwrap();
        fs::write(
            dir.join(&context).join(format!("{resource}.json")),
            list.to_string(),
        )
        .unwrap();
    }
    // Core kinds a cluster has none of still answer with an empty List; a missing CRD errors.
    for cluster in &clusters {
        for core in ["namespaces", "nodes", "services", "pods", "configmaps"]
            .into_iter()
            .chain(
                ["deployments", "statefulsets", "daemonsets", "replicasets"]
                    .map(|r| Box::leak(format!("{r}.apps").into_boxed_str()) as &str),
            )
        {
            let file = dir.join(format!("ctx-{cluster}/{core}.json"));
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            if !file.exists() {
                fs::write(file, r#"{"apiVersion":"v1","kind":"List","items":[]}"#).unwrap();
            }
        }
    }
    Recorded {
        answers: dir,
        input,
        clusters,
    }
}

/// A `kubectl` that logs its arguments and prints the recorded answer for
/// `--context CTX get RESOURCE`, or fails as kubectl does for an unknown resource type.
fn fake_kubectl(tmp: &Path, answers: &Path) -> (PathBuf, PathBuf) {
    let bin = tmp.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let log = tmp.join("kubectl.log");
    let script = format!(
        r#"#!/bin/sh
echo "$*" >> '{log}'
ctx=; res=
while [ $# -gt 0 ]; do
  case "$1" in
    --context) ctx=$2; shift 2 ;;
    get) res=$2; shift 2 ;;
    *) shift ;;
  esac
done
f='{answers}'/"$ctx/$res.json"
if [ -f "$f" ]; then cat "$f"; exit 0; fi
echo "error: the server doesn't have a resource type \"$res\"" >&2
exit 1
"#,
        log = log.display(),
        answers = answers.display()
    );
    let path = bin.join("kubectl");
    fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
    (bin, log)
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

fn render(input: &Path) -> Vec<u8> {
    let out = vdc().args(["render"]).arg(input).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[cfg(unix)]
#[test]
fn a_snapshot_renders_exactly_what_the_dump_it_came_from_renders() {
    for name in ["bookinfo", "multi-vd", "client-only", "routing-policies"] {
        let original = Path::new("testdata").join(name);
        let tmp = tempfile::tempdir().unwrap();
        let rec = record(&original, tmp.path());
        let (bin, log) = fake_kubectl(tmp.path(), &rec.answers);
        let mut cmd = vdc();
        cmd.env("PATH", path_with(&bin)).arg("snapshot");
        for cluster in &rec.clusters {
            cmd.args(["--context", &format!("ctx-{cluster}"), "--as", cluster]);
        }
        cmd.args(["--gloo", "--gloo-context", "ctx-mgmt"])
            .arg(&rec.input);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        assert_eq!(render(&rec.input), render(&original), "{name}");

        // The arguments kubectl got: every kind vdc reads, by context, nothing else.
        let log = fs::read_to_string(&log).unwrap();
        for cluster in &rec.clusters {
            for line in [
                format!("--context ctx-{cluster} get services -A -o json"),
                format!("--context ctx-{cluster} get pods -A -o json"),
                format!("--context ctx-{cluster} get deployments.apps -A -o json"),
                format!("--context ctx-{cluster} get configmaps -n istio-system -o json"),
                format!(
                    "--context ctx-{cluster} get serviceentries.networking.istio.io -A -o json"
                ),
                format!(
                    "--context ctx-{cluster} get workloadentries.networking.istio.io -A -o json"
                ),
            ] {
                assert!(log.lines().any(|l| l == line), "{name}: {line} in\n{log}");
            }
        }
        // Gloo config from every context: a workload cluster's as well as the management one's.
        for context in rec
            .clusters
            .iter()
            .map(|c| format!("ctx-{c}"))
            .chain(["ctx-mgmt".into()])
        {
            let line = format!(
                "--context {context} get virtualdestinations.networking.gloo.solo.io -A -o json"
            );
            assert!(log.lines().any(|l| l == line), "{name}: {line} in\n{log}");
        }
        assert!(!log.contains("secret"), "{log}");
        let gloo = vdc::model::GlooKind::ALL.len();
        assert_eq!(
            log.lines().count(),
            rec.clusters.len() * (14 + gloo) + gloo,
            "{log}"
        );

        // What it wrote: kubectl-style Lists of trimmed objects.
        for cluster in &rec.clusters {
            let file = rec.input.join(format!("clusters/{cluster}/state.json"));
            let text = fs::read_to_string(&file).unwrap();
            let list: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (&list["apiVersion"], &list["kind"]),
                (&json!("v1"), &json!("List"))
            );
            assert!(!list["items"].as_array().unwrap().is_empty());
            for dropped in [
                "managedFields",
                "annotations",
                "uid",
                "volumes",
                "image",
                "podIP",
                "kube-root-ca",
            ] {
                assert!(
                    !text.contains(dropped),
                    "{name}: {dropped} in {}",
                    file.display()
                );
            }
        }
        let gloo = fs::read_to_string(rec.input.join("gloo/config.json")).unwrap();
        assert!(!gloo.contains("managedFields") && gloo.contains("\"kind\": \"List\""));
        // A cluster's Gloo config lands beside its state, and only where it has some.
        for cluster in &rec.clusters {
            let file = rec
                .input
                .join(format!("clusters/{cluster}/gloo/config.json"));
            let has_config = original.join(format!("clusters/{cluster}/gloo")).exists();
            assert_eq!(file.exists(), has_config, "{name}: {}", file.display());
        }
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("warning"),
            "{name}"
        );
    }
}

/// A VM's live WorkloadEntry is cluster state: the snapshot fetches it, keeping the fields vdc
/// reads (address, labels, service account, locality, network).
#[cfg(unix)]
#[test]
fn a_snapshot_keeps_the_vm_workload_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let original = tmp.path().join("original");
    common::copy_tree(Path::new("testdata/bookinfo"), &original);
    let entry = r#"---
apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: {name: vm-1, namespace: bookinfo-frontends}
spec:
  address: 10.1.2.3
  labels: {app: inventory}
  serviceAccount: inventory
  locality: us-west-1/us-west-1a
  network: vm-net
  ports: {http: 8080}
"#;
    fs::write(original.join("clusters/cluster1/vm.yaml"), entry).unwrap();
    let rec = record(&original, tmp.path());
    let (bin, _) = fake_kubectl(tmp.path(), &rec.answers);
    let out = vdc()
        .env("PATH", path_with(&bin))
        .args(["snapshot", "--context", "ctx-cluster1", "--as", "cluster1"])
        .arg(&rec.input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let state = rec.input.join("clusters/cluster1/state.json");
    let list: Value = serde_json::from_str(&fs::read_to_string(state).unwrap()).unwrap();
    let entries: Vec<&Value> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "WorkloadEntry")
        .collect();
    assert_eq!(entries.len(), 1, "{list:#}");
    assert_eq!(
        entries[0]["spec"],
        json!({"address": "10.1.2.3", "labels": {"app": "inventory"},
            "serviceAccount": "inventory", "locality": "us-west-1/us-west-1a",
            "network": "vm-net"})
    );
}

/// testdata/bookinfo keeps its VirtualDestinations on cluster1: the snapshot that reads the Gloo
/// kinds of the management context alone finds none of them and says so.
#[cfg(unix)]
#[test]
fn a_snapshot_without_any_virtual_destination_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = record(Path::new("testdata/bookinfo"), tmp.path());
    let (bin, _) = fake_kubectl(tmp.path(), &rec.answers);
    let out = vdc()
        .env("PATH", path_with(&bin))
        .args(["snapshot", "--context", "ctx-cluster2", "--as", "cluster2"])
        .args(["--gloo", "--gloo-context", "ctx-mgmt"])
        .arg(&rec.input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("vdc: warning: no context holds a VirtualDestination"),
        "{stderr}"
    );
    assert!(!rec.input.join("clusters/cluster2/gloo").exists());
}

/// A management context that is also a workload cluster is read once, as that cluster.
#[cfg(unix)]
#[test]
fn a_gloo_context_that_is_also_a_cluster_is_read_once() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = record(Path::new("testdata/bookinfo"), tmp.path());
    let (bin, log) = fake_kubectl(tmp.path(), &rec.answers);
    let out = vdc()
        .env("PATH", path_with(&bin))
        .args(["snapshot", "--context", "ctx-cluster1", "--as", "cluster1"])
        .args(["--gloo", "--gloo-context", "ctx-cluster1"])
        .arg(&rec.input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = fs::read_to_string(log).unwrap();
    let gloo = vdc::model::GlooKind::ALL.len();
    assert_eq!(log.lines().count(), 14 + gloo, "{log}");
    assert!(
        rec.input
            .join("clusters/cluster1/gloo/config.json")
            .exists()
    );
    assert!(!rec.input.join("gloo/config.json").exists());
}

#[cfg(unix)]
#[test]
fn a_failing_kubectl_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let rec = record(Path::new("testdata/bookinfo"), tmp.path());
    let (bin, _) = fake_kubectl(tmp.path(), &rec.answers);
    let out = vdc()
        .env("PATH", path_with(&bin))
        .args(["snapshot", "--context", "ctx-cluster1", "--as", "cluster1"])
        .args(["--context", "no-such-context", "--as", "cluster9"])
        .arg(&rec.input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("kubectl --context no-such-context get namespaces"),
        "{stderr}"
    );
    assert!(!rec.input.join("clusters/cluster1/state.json").exists());
}

#[test]
fn without_kubectl_on_path_it_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let out = vdc()
        .env("PATH", tmp.path())
        .args(["snapshot", "--context", "kind-c1"])
        .arg(tmp.path().join("input"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("kubectl not found on PATH"), "{stderr}");
    assert!(!tmp.path().join("input").exists());
}

#[test]
fn a_context_name_that_is_no_cluster_name_needs_as() {
    let tmp = tempfile::tempdir().unwrap();
    let out = vdc()
        .args([
            "snapshot",
            "--context",
            "arn:aws:eks:eu-west-1:1:cluster/prod",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as NAME"));
}
