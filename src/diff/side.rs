//! One side of a diff: an INPUT folder compiled in memory, or a rendered output folder read back.

use super::canonical;
use crate::Compilation;
use crate::load::node::Node;
use anyhow::{Context, Result, anyhow, bail, ensure};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapEntry;
use std::fmt;
use std::path::{Path, PathBuf};

/// How objects are matched across sides: Kubernetes' own identity. The API group stands in for
/// `apiVersion` so that moving from `v1beta1` to `v1` reads as a change of the same object, which
/// is how a cluster (and Argo CD) sees it, not as a removal plus an addition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Identity {
    pub cluster: String,
    pub namespace: String,
    pub kind: String,
    pub name: String,
    pub group: String,
}

impl fmt::Display for Identity {
    /// `<cluster>/<namespace>/<Kind>/<name>`; cluster-scoped objects have no namespace part.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}/", self.cluster)?;
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        write!(f, "{}/{}", self.kind, self.name)
    }
}

/// One object of a side: its full `apiVersion` (reported) and its canonical text (compared).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub api_version: String,
    pub text: String,
}

pub type Objects = BTreeMap<Identity, Object>;

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
    if !path.join(MANIFEST).is_file() && path.join("clusters").is_dir() {
        from_input(path)
    } else {
        from_rendered(path).map(Side::Objects)
    }
}

fn from_input(path: &Path) -> Result<Side> {
    let c = crate::compile(path)?;
    if c.has_errors() {
        return Ok(Side::Invalid(Box::new(c)));
    }
    let objects: Vec<(Identity, Object)> = c
        .outputs
        .par_iter()
        .map(|o| {
            let value = serde_json::to_value(&o.object).context("converting an object")?;
            object(o.cluster.clone(), &value)?
                .ok_or_else(|| anyhow!("a generated object has no apiVersion, kind or name"))
        })
        .collect::<Result<_>>()?;
    Ok(Side::Objects(objects.into_iter().collect()))
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
    let parsed: Vec<(PathBuf, Vec<(Identity, Object)>)> = crate::load::on_parse_threads(|| {
        files
            .into_par_iter()
            .map(|file| {
                let objects = read_file(root, &file)?;
                Ok((file, objects))
            })
            .collect::<Result<_>>()
    })??;
    let mut objects = Objects::new();
    let mut origin: BTreeMap<Identity, PathBuf> = BTreeMap::new();
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

fn read_file(root: &Path, file: &Path) -> Result<Vec<(Identity, Object)>> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut parts = rel.components();
    let cluster = match (parts.next(), parts.next()) {
        (Some(cluster), Some(_)) => cluster.as_os_str().to_string_lossy().into_owned(),
        _ => bail!(
            "{}: a rendered folder holds one folder per cluster, and this file is outside them",
            file.display()
        ),
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
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
fn collect(cluster: &str, node: &Node, out: &mut Vec<(Identity, Object)>) -> Result<()> {
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
fn object(cluster: String, value: &serde_json::Value) -> Result<Option<(Identity, Object)>> {
    let field = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    let api_version = field(value.get("apiVersion"));
    let kind = field(value.get("kind"));
    let metadata = value.get("metadata");
    let name = field(metadata.and_then(|m| m.get("name")));
    let (Some(api_version), Some(kind), Some(name)) = (api_version, kind, name) else {
        return Ok(None);
    };
    let identity = Identity {
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
    Ok(Some((identity, Object { api_version, text })))
}
