//! The memory a syntax tree really takes, counted by the allocator, against what the readers
//! count as they build it (`vdc::load::tree_cost`) and the budget they hold it to: dumps as
//! `kubectl` writes them fit at any size, trees far larger than their text do not.
//!
//! The dumps are shaped as `kubectl get configmaps,services -A -o yaml` (and `-o json`) print
//! them (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_get/).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use vdc::load::tree_cost::{TREE_FACTOR, heap, tree_cost};

/// Counts the heap memory live on each thread, as [`heap`] models a block, so a test measures
/// only what its own thread holds.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|live| live.set(live.get() + delta));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(heap(layout.size()) as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(heap(layout.size()) as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(heap(new_size) as isize - heap(layout.size()) as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The trees of `text` read as the file `rel`, with the memory they really hold and the
/// memory the readers counted.
fn measure(rel: &str, text: &str) -> (usize, usize) {
    let before = LIVE.with(Cell::get);
    let nodes = vdc::load::parse_file_text(rel, text).expect("parses");
    let real = (LIVE.with(Cell::get) - before) as usize;
    (real, tree_cost(&nodes))
}

fn config_maps_yaml(n: usize) -> String {
    let mut text = String::from("apiVersion: v1\nitems:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- apiVersion: v1\n  data:\n    k: v\n  kind: ConfigMap\n  metadata:\n    name: cm-{i}\n    namespace: default\n"
        ));
    }
    text.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    text
}

fn config_map_json(i: usize) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "data": {"k": "v"},
        "kind": "ConfigMap",
        "metadata": {"name": format!("cm-{i}"), "namespace": "default"},
    })
}

fn list_json(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

fn services_yaml(n: usize) -> String {
    let mut text = String::from("apiVersion: v1\nitems:\n");
    for i in 0..n {
        text.push_str(&format!(
            r#"- apiVersion: v1
  kind: Service
  metadata:
    creationTimestamp: "2026-11-01T10:00:00Z"
    labels:
      app: reviews
      service: reviews
    name: reviews-{i}
    namespace: bookinfo
    resourceVersion: "{i}"
    uid: 7f1e2d3c-{i:08x}-4b5a-8c9d-0e1f2a3b4c5d
  spec:
    clusterIP: 10.96.{}.{}
    clusterIPs:
    - 10.96.{}.{}
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
      port: 9080
      protocol: TCP
      targetPort: 9080
    selector:
      app: reviews
    sessionAffinity: None
    type: ClusterIP
  status:
    loadBalancer: {{}}
"#,
            i / 256 % 256,
            i % 256,
            i / 256 % 256,
            i % 256
        ));
    }
    text.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    text
}

/// How many times its text a tree takes, as the readers count it; the count checked against
/// the allocator's (within 10%: the readers leave out what a vector's growth costs while it is
/// built, and the allocator's own bookkeeping).
fn ratio(rel: &str, text: &str) -> f64 {
    let (real, counted) = measure(rel, text);
    let ratio = counted as f64 / text.len() as f64;
    eprintln!(
        "{rel}: {} bytes, counted {counted} ({ratio:.2} x), allocated {real} ({:.2} x)",
        text.len(),
        real as f64 / text.len() as f64
    );
    let error = (counted as f64 - real as f64).abs() / real as f64;
    assert!(error < 0.10, "{rel}: counted {counted}, allocated {real}");
    ratio
}

/// Whether the readers build the trees of `text` within the budget's factor, its slack aside.
fn fits_the_factor(rel: &str, text: &str) -> bool {
    let budget = text.len() * TREE_FACTOR;
    vdc::load::parse_file_text_within(rel, text, budget).is_ok()
}

/// Every shape of dump `kubectl` writes fits the budget's factor, with no help from its slack:
/// a YAML List of small ConfigMaps (9.9 x, the costliest shape there is: each short key and
/// value a slot and a heap block of its own) was refused at 85 MB as "an alias bomb?".
#[test]
fn kubectl_dumps_fit_the_tree_budget_at_any_size() {
    let n = 20_000;
    let maps: Vec<_> = (0..n).map(config_map_json).collect();
    let shapes = [
        ("clusters/c1/cms.yaml", config_maps_yaml(n)),
        (
            "clusters/c1/cms.json",
            serde_json::to_string_pretty(&list_json(maps.clone())).unwrap(),
        ),
        (
            "clusters/c1/cms-compact.json",
            serde_json::to_string(&list_json(maps)).unwrap(),
        ),
        ("clusters/c1/services.yaml", services_yaml(n / 10)),
    ];
    for (rel, text) in shapes {
        let ratio = ratio(rel, &text);
        assert!(ratio < TREE_FACTOR as f64 * 0.9, "{rel}: {ratio:.2} x");
        assert!(fits_the_factor(rel, &text), "{rel}");
    }
}

/// What is not a dump: millions of tiny collections, scalars or anchors, far more tree than
/// text. The anchors' table counts too: `- &aN 1` took 1.7 GiB for 218 MiB.
#[test]
fn trees_far_larger_than_their_text_are_refused() {
    let nested = format!("[{}[]]", "[[]],".repeat(100_000));
    let anchors: String = (0..50_000).map(|i| format!("- &a{i} 1\n")).collect();
    let scalars = format!("[{}1]", "1,".repeat(200_000));
    for (rel, text) in [
        ("gloo/nested.yaml", &nested),
        ("gloo/nested.json", &nested),
        ("gloo/anchors.yaml", &anchors),
        ("gloo/scalars.json", &scalars),
    ] {
        assert!(!fits_the_factor(rel, text), "{rel}");
    }
}
