//! `emit`: objects → Kubernetes-safe YAML (or JSON), as one stream or as a tree of files.
//!
//! serde-saphyr quotes every string that YAML 1.1 or 1.2 could read as something else (`yes`,
//! `on`, `1.0`, `12:30`, …), so what Kubernetes reads is what vdc meant.

mod tree;

use crate::translate::Output;
use anyhow::{Context, Result};
use std::collections::BTreeMap;

pub use tree::{WriteSummary, write_tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
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
        Format::Yaml => serde_saphyr::to_string(&output.object).context("serialising YAML")?,
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
    format!(
        "{}/{}/{}-{}.{}",
        output.cluster,
        m.namespace,
        output.object.kind.to_lowercase(),
        m.name,
        format.extension()
    )
}

/// The whole `--out` tree: path → contents, including a `kustomization.yaml` per cluster.
pub fn files(outputs: &[Output], format: Format) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let mut per_cluster: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for output in outputs {
        let path = relative_path(output, format);
        let in_cluster = path
            .strip_prefix(&format!("{}/", output.cluster))
            .unwrap_or(&path)
            .to_owned();
        per_cluster
            .entry(&output.cluster)
            .or_default()
            .push(in_cluster);
        files.insert(path, render_object(output, format)?);
    }
    for (cluster, mut resources) in per_cluster {
        resources.sort();
        files.insert(
            format!("{cluster}/kustomization.yaml"),
            kustomization(&resources)?,
        );
    }
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
    let mut text = serde_saphyr::to_string(&Kustomization {
        api_version: "kustomize.config.k8s.io/v1beta1",
        kind: "Kustomization",
        resources,
    })
    .context("serialising kustomization.yaml")?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// One stream for stdout: YAML documents each preceded by `# Source: <cluster>/<path>` (helm's
/// convention), or a JSON `List`.
pub fn stream(outputs: &[Output], format: Format) -> Result<String> {
    match format {
        Format::Yaml => {
            let mut out = String::new();
            for output in outputs {
                out.push_str("---\n# Source: ");
                out.push_str(&relative_path(output, format));
                out.push('\n');
                out.push_str(&render_object(output, format)?);
            }
            Ok(out)
        }
        Format::Json => {
            let items: Vec<_> = outputs.iter().map(|o| &o.object).collect();
            let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items});
            let mut text = serde_json::to_string_pretty(&list)?;
            text.push('\n');
            Ok(text)
        }
    }
}
