//! One side of a diff: an INPUT folder compiled in memory, or a rendered output folder read back.

use super::canonical;
use crate::Compilation;
use crate::load::node::Node;
use anyhow::{Context, Result, anyhow, bail, ensure};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapEntry;
use std::fmt;
use std::path::{Path, PathBuf};

/// How objects are matched across sides: Kubernetes' own identity. The API group stands in for
/// `apiVersion` so that moving from `v1beta1` to `v1` reads as a change of the same object, which
/// is how a cluster (and Argo CD) sees it, not as a removal plus an addition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    pub cluster: String,
    pub namespace: String,
    pub kind: String,
    pub name: String,
    pub group: String,
}

impl fmt::Display for ObjectId {
    /// `<cluster>/<namespace>/<Kind>/<name>`; cluster-scoped objects have no namespace part.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/", self.cluster)?;
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        write!(f, "{}/{}", self.kind, self.name)
    }
}

impl ObjectId {
    /// The file `render --out` writes the object to, below the output folder:
    /// `<cluster>/<namespace>/<kind>-<name>.yaml` (no namespace part for a cluster-scoped one).
    pub fn file(&self) -> String {
        let kind = self.kind.to_lowercase();
        if self.namespace.is_empty() {
            format!("{}/{kind}-{}.yaml", self.cluster, self.name)
        } else {
            format!(
                "{}/{}/{kind}-{}.yaml",
                self.cluster, self.namespace, self.name
            )
        }
    }
}

/// One object of a side: its full `apiVersion` (reported), the Gloo object it was generated from
/// (reported; from its provenance labels) and its body (compared).
#[derive(Debug, Clone)]
pub struct Object {
    pub api_version: String,
    pub origin: Option<Origin>,
    body: Body,
}

/// The Gloo object an Istio object was generated from, as the `gloo.solo.io/parent_*` labels vdc
/// writes name it. Read from a rendered side, these are whatever the folder holds: untrusted text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// The cluster the Gloo object is defined in.
    pub cluster: String,
}

impl Origin {
    /// From an object's labels; `None` without `parent_kind` and `parent_name`.
    fn from_labels<'a>(label: impl Fn(&str) -> Option<&'a str>) -> Option<Origin> {
        let get = |key: &str| label(&format!("gloo.solo.io/parent_{key}")).map(str::to_owned);
        Some(Origin {
            kind: get("kind")?,
            name: get("name")?,
            namespace: get("namespace").unwrap_or_default(),
            cluster: get("cluster").unwrap_or_default(),
        })
    }
}

#[derive(Debug, Clone)]
enum Body {
    /// Generated from an INPUT side in this run: compared as a value, and given text only when
    /// it differs, since rendering every object of a large mesh costs more than comparing it.
    Generated(Box<crate::translate::istio::Object>),
    /// Read back from a rendered folder, already in canonical text.
    Canonical(String),
}

impl Object {
    /// The canonical text the object is compared and shown in.
    pub fn text(&self) -> Cow<'_, str> {
        match &self.body {
            Body::Canonical(text) => Cow::Borrowed(text),
            Body::Generated(object) => Cow::Owned(
                serde_json::to_value(object)
                    .map_err(anyhow::Error::from)
                    .and_then(|value| canonical::to_text(&value))
                    .unwrap_or_else(|err| format!("# vdc could not render this object: {err}\n")),
            ),
        }
    }

    /// Whether the two sides hold the same object: equal values, or else equal canonical text.
    pub fn same_as(&self, other: &Object) -> bool {
        if let (Body::Generated(a), Body::Generated(b)) = (&self.body, &other.body)
            && a == b
        {
            return true;
        }
        self.text() == other.text()
    }
}

pub type Objects = BTreeMap<ObjectId, Object>;

/// The file `render --out` records what it wrote in (see `emit`): its presence marks a rendered
/// folder.
const MANIFEST: &str = ".vdc-manifest";

pub enum Side {
    Objects(Objects),
    /// An INPUT folder with error-level diagnostics: there is nothing meaningful to compare.
    Invalid(Box<Compilation>),
}

/// Reads `path` as a diff side. `Err` when it cannot be read or is not a rendered folder vdc can
/// make sense of; [`Side::Invalid`] when it is an INPUT folder that does not validate.
///
/// A folder with `.vdc-manifest` is rendered output (even if a cluster is named `clusters`);
/// otherwise one with a `clusters/` folder is INPUT; anything else is a plain folder of YAML per
/// cluster, such as output written by hand or by another tool.
pub fn load(path: &Path) -> Result<Side> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    ensure!(
        meta.is_dir(),
        "{} is not a folder: diff compares INPUT folders and rendered output folders",
        path.display()
    );
    if is_input(path) {
        from_input(path)
    } else {
        from_rendered(path).map(Side::Objects)
    }
}

/// Both sides at once: two INPUT folders are compiled together, sharing the parse of every file
/// they have in common; anything else is read side by side.
pub fn load_pair(old: &Path, new: &Path) -> (Result<Side>, Result<Side>) {
    if is_input(old) && is_input(new) {
        match crate::compile_pair(old, new) {
            Ok((a, b)) => (Ok(from_compilation(a)), Ok(from_compilation(b))),
            Err(err) => {
                let again = anyhow!("{err:#}");
                (Err(err), Err(again))
            }
        }
    } else {
        rayon::join(|| load(old), || load(new))
    }
}

/// Whether `path` is an INPUT folder (has `clusters/`, is not rendered output): how `diff` reads it.
pub fn is_input(path: &Path) -> bool {
    path.is_dir() && !path.join(MANIFEST).is_file() && path.join("clusters").is_dir()
}

fn from_input(path: &Path) -> Result<Side> {
    Ok(from_compilation(crate::compile(path)?))
}

fn from_compilation(c: Compilation) -> Side {
    if c.has_errors() {
        return Side::Invalid(Box::new(c));
    }
    let objects = c.outputs.into_iter().map(|o| {
        let m = &o.object.metadata;
        let identity = ObjectId {
            cluster: o.cluster,
            namespace: m.namespace.clone(),
            kind: o.object.kind.to_owned(),
            name: m.name.clone(),
            group: o
                .object
                .api_version
                .rsplit_once('/')
                .map_or("", |(group, _)| group)
                .to_owned(),
        };
        let labels = &o.object.metadata.labels;
        let object = Object {
            api_version: o.object.api_version.to_string(),
            origin: Origin::from_labels(|key| labels.get(key).map(String::as_str)),
            body: Body::Generated(Box::new(o.object)),
        };
        (identity, object)
    });
    Side::Objects(objects.collect())
}

/// Every `*.yaml`, `*.yml` and `*.json` below `root` (hidden files and folders skipped, like the
/// manifest), read in parallel; `kustomization.yaml` files are skipped by their kind.
fn from_rendered(root: &Path) -> Result<Objects> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| format!("listing {}", root.display()))?;
        let is_yaml = matches!(
            entry.path().extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if entry.file_type().is_file() && is_yaml {
            files.push(entry.into_path());
        }
    }
    let parsed: Vec<(PathBuf, Vec<(ObjectId, Object)>)> = files
        .into_par_iter()
        .map(|file| {
            let objects = read_file(root, &file)?;
            Ok((file, objects))
        })
        .collect::<Result<_>>()?;
    let mut objects = Objects::new();
    let mut origin: BTreeMap<ObjectId, PathBuf> = BTreeMap::new();
    for (file, found) in parsed {
        for (identity, object) in found {
            match objects.entry(identity.clone()) {
                MapEntry::Occupied(_) => bail!(
                    "{identity} is defined twice: in {} and in {}",
                    origin[&identity].display(),
                    file.display()
                ),
                MapEntry::Vacant(slot) => {
                    slot.insert(object);
                    origin.insert(identity, file.clone());
                }
            }
        }
    }
    Ok(objects)
}

fn read_file(root: &Path, file: &Path) -> Result<Vec<(ObjectId, Object)>> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut parts = rel.components();
    let cluster = match (parts.next(), parts.next()) {
        (Some(cluster), Some(_)) => cluster.as_os_str().to_string_lossy().into_owned(),
        _ => bail!(
            "{}: a rendered folder holds one folder per cluster, and this file is outside them",
            file.display()
        ),
    };
    // Only a regular file, within the cap input files have: a FIFO or a huge file put in a
    // rendered folder is refused, not waited on or read whole.
    let bytes = crate::fsio::read_capped(file, 512 * 1024 * 1024, false)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("cannot read {}: it is not UTF-8", file.display()))?;
    let nodes = crate::load::parse_documents(&text).map_err(|e| {
        anyhow!(
            "{}:{}:{}: invalid YAML: {}",
            file.display(),
            e.pos.line,
            e.pos.column,
            e.message
        )
    })?;
    let mut out = Vec::new();
    for node in &nodes {
        collect(&cluster, node, &mut out)
            .with_context(|| format!("{}:{}", file.display(), node.pos.line))?;
    }
    Ok(out)
}

/// The objects in one document: itself, or the items of a `List`. Kustomizations and empty
/// documents are not objects vdc writes, so they are not compared.
fn collect(cluster: &str, node: &Node, out: &mut Vec<(ObjectId, Object)>) -> Result<()> {
    if node.value == crate::load::node::Value::Null {
        return Ok(());
    }
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or_default();
    if kind == "Kustomization" {
        return Ok(());
    }
    if kind.ends_with("List")
        && let Some(crate::load::node::Value::Seq(items)) = node.get("items").map(|i| &i.value)
    {
        for item in items {
            collect(cluster, item, out)?;
        }
        return Ok(());
    }
    match object(cluster.to_owned(), &canonical::from_node(node))? {
        Some(found) => {
            out.push(found);
            Ok(())
        }
        None => bail!(
            "this document is not a Kubernetes object: it needs apiVersion, kind and metadata.name"
        ),
    }
}

/// The identity and canonical text of one object; `None` when it lacks apiVersion, kind or name.
fn object(cluster: String, value: &serde_json::Value) -> Result<Option<(ObjectId, Object)>> {
    let field = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    let api_version = field(value.get("apiVersion"));
    let kind = field(value.get("kind"));
    let metadata = value.get("metadata");
    let name = field(metadata.and_then(|m| m.get("name")));
    let (Some(api_version), Some(kind), Some(name)) = (api_version, kind, name) else {
        return Ok(None);
    };
    let identity = ObjectId {
        cluster,
        namespace: field(metadata.and_then(|m| m.get("namespace"))).unwrap_or_default(),
        group: api_version
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
            .to_owned(),
        kind,
        name,
    };
    let text = canonical::to_text(value)?;
    let labels = metadata.and_then(|m| m.get("labels"));
    let origin =
        Origin::from_labels(|key| labels.and_then(|l| l.get(key)).and_then(|v| v.as_str()));
    Ok(Some((
        identity,
        Object {
            api_version,
            origin,
            body: Body::Canonical(text),
        },
    )))
}
