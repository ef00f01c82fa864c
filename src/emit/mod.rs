//! `emit`: objects → Kubernetes-safe YAML (or JSON), as one stream or as a tree of files.
//!
//! Every string that YAML 1.1 or 1.2 could read as something else (`yes`, `on`, `1.0`, `12:30`,
//! …) is quoted, so what Kubernetes reads is what vdc meant. Everything vdc writes as YAML goes
//! through its own writer ([`yaml`]), which quotes as serde-saphyr does, only faster.

mod build;
mod manifest;
mod packed;
#[cfg(all(test, unix))]
mod race_tests;
mod spare;
#[cfg(all(test, unix))]
mod spare_tests;
mod stat_cache;
mod swap;
mod tree;
#[cfg(all(test, unix))]
mod tree_tests;
pub mod yaml;

use crate::translate::Output;
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::io::Write;

pub use packed::{Packed, PackedFiles};
pub use swap::{Lock, refuse_cache_dir, refuse_out_dir};

/// Takes the lock vdc holds on a folder while it writes there (`.NAME.vdc/lock` beside it),
/// or fails at once when another run holds it: `render --out` takes it on DIR, `snapshot` on
/// INPUT. `.` or `..` names no folder to lock beside: the folder it leads to does, so the
/// lock is the one taken when that folder is named by its own name.
pub fn lock_folder(dir: &std::path::Path) -> Result<Lock> {
    let resolved;
    let dir = if dir.file_name().is_none() && dir.exists() {
        resolved = (dir.canonicalize()).with_context(|| format!("resolving {}", dir.display()))?;
        resolved.as_path()
    } else {
        dir
    };
    swap::lock(&swap::Place::open(dir)?)
}
pub use tree::{WriteSummary, read_manifest, write_tree};

/// The format objects are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }
}

/// One object as text in `format`, ending in a newline.
pub fn render_object(output: &Output, format: Format) -> Result<String> {
    let mut text = match format {
        Format::Yaml => yaml::to_string(&output.object).context("serialising YAML")?,
        Format::Json => serde_json::to_string_pretty(&output.object).context("serialising JSON")?,
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// The path of an object below the output folder: `<cluster>/<namespace>/<kind>-<name>.<ext>`.
/// Every part is a validated DNS name, so no path can leave the folder.
pub fn relative_path(output: &Output, format: Format) -> String {
    let m = &output.object.metadata;
    let kind = output.object.kind.to_lowercase();
    object_path([&output.cluster, &m.namespace, &kind, &m.name], format)
}

/// The one layout of an object's path, from its cluster, namespace, lower-case kind and name.
fn object_path([cluster, namespace, kind, name]: [&str; 4], format: Format) -> String {
    format!("{cluster}/{namespace}/{kind}-{name}.{}", format.extension())
}

/// One part of an output path, checked to be a DNS name: the model refuses every input name
/// that is not one, and this makes sure no path can ever be built from anything else.
struct PathPart<'a>(&'a str);

impl<'a> PathPart<'a> {
    fn new(part: &'a str, label: bool, what: &str) -> Result<Self> {
        let ok = if label {
            crate::dns::is_dns_label(part)
        } else {
            crate::dns::is_dns_subdomain(part)
        };
        anyhow::ensure!(
            ok,
            "internal error: a generated object's {what} `{}` is not a DNS name; refusing to build a path from it",
            part.escape_debug()
        );
        Ok(PathPart(part))
    }
}

/// [`relative_path`], built only from [`PathPart`]s: what `--out` writes to.
fn checked_path(output: &Output, format: Format) -> Result<String> {
    let m = &output.object.metadata;
    let cluster = PathPart::new(&output.cluster, true, "cluster")?;
    let namespace = PathPart::new(&m.namespace, true, "namespace")?;
    let kind = output.object.kind.to_lowercase();
    let kind = PathPart::new(&kind, true, "kind")?;
    let name = PathPart::new(&m.name, false, "name")?;
    let parts = [cluster.0, namespace.0, kind.0, name.0];
    Ok(object_path(parts, format))
}

/// One cluster's files of the `--out` tree, sorted by path: its objects and its
/// `kustomization.yaml`; `outputs` are all of that cluster's, and nothing else. A cluster at a
/// time, so that a fleet's output is never in memory whole as text (`render` holds it packed,
/// [`PackedFiles`], until every cluster is checked). Objects are serialised in parallel: they
/// are independent, and this is most of emit's work.
pub fn cluster_files(outputs: &[&Output], format: Format) -> Result<Vec<(String, String)>> {
    let Some(first) = outputs.first() else {
        return Ok(Vec::new());
    };
    let cluster = PathPart::new(&first.cluster, true, "cluster")?.0;
    anyhow::ensure!(
        outputs.iter().all(|o| o.cluster == cluster),
        "internal error: one cluster's files were asked for with objects of another cluster"
    );
    let mut files: Vec<(String, String)> = outputs
        .par_iter()
        .map(|output| {
            Ok((
                checked_path(output, format)?,
                render_object(output, format)?,
            ))
        })
        .collect::<Result<_>>()?;
    let prefix = format!("{cluster}/");
    let mut resources: Vec<String> = files
        .iter()
        .map(|(path, _)| path.strip_prefix(&prefix).unwrap_or(path).to_owned())
        .collect();
    resources.sort();
    files.push((
        format!("{cluster}/kustomization.yaml"),
        kustomization(&resources)?,
    ));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn kustomization(resources: &[String]) -> Result<String> {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Kustomization<'a> {
        api_version: &'static str,
        kind: &'static str,
        resources: &'a [String],
    }
    yaml::to_string(&Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        resources,
    })
    .context("serialising kustomization.yaml")
}

/// Objects rendered at once by [`write_stream`]: enough to keep every core busy, few enough that
/// the stream never holds the whole output in memory.
const STREAM_CHUNK: usize = 1024;

/// Objects of a YAML stream written one after the other into one string, on one thread: few
/// enough that a chunk still spreads over every core.
const STREAM_RUN: usize = 32;

/// One document of a YAML stream appended to `text`: `---`, the `# Source:` line, the object.
fn append_document(output: &Output, text: &mut String) -> Result<()> {
    text.push_str("---\n# Source: ");
    text.push_str(&relative_path(output, Format::Yaml));
    text.push('\n');
    yaml::append_to(&output.object, text).context("serialising YAML")?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(())
}

/// One stream for stdout: YAML documents each preceded by `# Source: <cluster>/<path>` (helm's
/// convention), or a JSON `List`. YAML is rendered a chunk at a time, in parallel, and written
/// as it is ready.
pub fn write_stream(outputs: &[&Output], format: Format, out: &mut impl Write) -> Result<()> {
    match format {
        Format::Yaml => {
            for chunk in outputs.chunks(STREAM_CHUNK) {
                let texts: Vec<String> = chunk
                    .par_chunks(STREAM_RUN)
                    .map(|run| {
                        let mut text = String::with_capacity(2048 * run.len());
                        for output in run {
                            append_document(output, &mut text)?;
                        }
                        Ok(text)
                    })
                    .collect::<Result<_>>()?;
                for text in texts {
                    out.write_all(text.as_bytes())?;
                }
            }
        }
        Format::Json => {
            let items: Vec<_> = outputs.iter().map(|o| &o.object).collect();
            let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
            serde_json::to_writer_pretty(&mut *out, &list)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}
