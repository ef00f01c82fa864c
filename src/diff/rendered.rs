//! A rendered output folder as a diff side: its files are listed once, by cluster, and each
//! cluster's are read back only when that cluster is compared, so a diff holds one cluster's
//! objects, not the folder's.

use super::canonical;
use super::side::{Object, ObjectId, Objects, Origin};
use crate::load::node::Node;
use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapEntry;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The files of a rendered folder, by cluster (the folder below the root they are in).
pub struct Rendered {
    root: PathBuf,
    files: BTreeMap<String, Vec<PathBuf>>,
    /// For a folder vdc wrote: the SHA-256 of each file its manifest lists, by path.
    manifest: Option<BTreeMap<PathBuf, String>>,
    /// The files of the manifest found missing or changed, as they are read.
    by_hand: Mutex<Vec<HandEdit>>,
}

/// A file vdc wrote that is no longer as it wrote it: what `render --out` would make of the
/// folder differs from it, though its objects may not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HandEdit {
    pub file: PathBuf,
    pub missing: bool,
}

impl Rendered {
    /// The files below `root`, in name order: for a folder vdc wrote, those its manifest lists
    /// (the user's own files beside them are not vdc's to compare: `render --out` keeps them);
    /// otherwise every `*.yaml`, `*.yml` and `*.json` (hidden files and folders skipped, like
    /// the manifest). `Err` for one outside the cluster folders, or a damaged manifest.
    pub fn list(root: &Path) -> Result<Rendered> {
        if let Some(manifest) = crate::emit::read_manifest(root)? {
            let manifest: BTreeMap<PathBuf, String> = manifest
                .into_iter()
                .map(|(file, hash)| (root.join(file), hash))
                .collect();
            let mut files: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
            for file in manifest.keys() {
                files
                    .entry(cluster_of(root, file)?)
                    .or_default()
                    .push(file.clone());
            }
            return Ok(Rendered {
                root: root.to_owned(),
                files,
                manifest: Some(manifest),
                by_hand: Mutex::default(),
            });
        }
        let mut files: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
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
            if !(entry.file_type().is_file() && is_yaml) {
                continue;
            }
            let file = entry.into_path();
            files
                .entry(cluster_of(root, &file)?)
                .or_default()
                .push(file);
        }
        Ok(Rendered {
            root: root.to_owned(),
            files,
            manifest: None,
            by_hand: Mutex::default(),
        })
    }

    /// The files vdc wrote that were found missing or changed, of the clusters compared so far,
    /// in name order.
    pub fn hand_edits(&self) -> Vec<HandEdit> {
        let mut found = self.by_hand.lock().map(|f| f.clone()).unwrap_or_default();
        found.sort();
        found
    }

    /// The folder, as it was given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The clusters with at least one file, in name order.
    pub fn clusters(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The objects in `cluster`'s files, read in parallel; kustomizations are skipped by their
    /// kind. `Err` for a file that cannot be read or parsed, or an object defined twice.
    pub fn objects(&self, cluster: &str) -> Result<Objects> {
        let Some(files) = self.files.get(cluster) else {
            return Ok(Objects::new());
        };
        let parsed: Vec<(&PathBuf, Vec<(ObjectId, Object)>)> = files
            .par_iter()
            .filter_map(|file| match self.read_back(file) {
                Ok(Some(bytes)) => Some(read_file(cluster, file, bytes).map(|found| (file, found))),
                Ok(None) => None,
                Err(err) => Some(Err(err)),
            })
            .collect::<Result<_>>()?;
        let mut objects = Objects::new();
        let mut origin: BTreeMap<ObjectId, &PathBuf> = BTreeMap::new();
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
                        origin.insert(identity, file);
                    }
                }
            }
        }
        Ok(objects)
    }
}

impl Rendered {
    /// The bytes of `file`, noting a file of vdc's that is missing (`None`) or changed since it
    /// was written.
    fn read_back(&self, file: &Path) -> Result<Option<Vec<u8>>> {
        let listed = self.manifest.as_ref().and_then(|m| m.get(file));
        if listed.is_some() && std::fs::symlink_metadata(file).is_err() {
            self.note(file, true);
            return Ok(None);
        }
        // Only a regular file, within the cap input files have: a FIFO or a huge file put in a
        // rendered folder is refused, not waited on or read whole.
        let bytes = crate::fsio::read_capped(file, 512 * 1024 * 1024, false)
            .with_context(|| format!("cannot read {}", file.display()))?;
        if listed.is_some_and(|hash| *hash != crate::hash::hex(&Sha256::digest(&bytes))) {
            self.note(file, false);
        }
        Ok(Some(bytes))
    }

    fn note(&self, file: &Path, missing: bool) {
        if let Ok(mut found) = self.by_hand.lock() {
            found.push(HandEdit {
                file: file.strip_prefix(&self.root).unwrap_or(file).to_owned(),
                missing,
            });
        }
    }
}

/// The cluster `file` below `root` is of: the folder below `root` it is in.
fn cluster_of(root: &Path, file: &Path) -> Result<String> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let mut parts = rel.components();
    match (parts.next(), parts.next()) {
        (Some(cluster), Some(_)) => Ok(cluster.as_os_str().to_string_lossy().into_owned()),
        _ => bail!(
            "{}: a rendered folder holds one folder per cluster, and this file is outside them",
            file.display()
        ),
    }
}

/// The objects of one file of `cluster`, read as `bytes`.
fn read_file(cluster: &str, file: &Path, bytes: Vec<u8>) -> Result<Vec<(ObjectId, Object)>> {
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
        collect(cluster, node, &mut out)
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
        Object::canonical(api_version, origin, text),
    )))
}
