//! Diagnostics as text: human (rustc/ruff style, with the source line) and JSON.

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceFile;
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;
use std::sync::Arc;

pub struct Sources<'a>(pub &'a [Arc<SourceFile>]);

impl Sources<'_> {
    fn line(&self, file: &str, line: u32) -> Option<&str> {
        let i = self.0.binary_search_by(|s| (*s.path).cmp(file)).ok()?;
        self.0[i].line(line)
    }
}

fn style(severity: Severity, color: bool) -> Style {
    if !color {
        return Style::new();
    }
    match severity {
        Severity::Error => Style::new().red().bold(),
        Severity::Warning => Style::new().yellow().bold(),
        Severity::Info => Style::new().cyan().bold(),
    }
}

/// One diagnostic, rustc style:
///
/// ```text
/// error[VDC407]: `my_app.global` is not a valid host: …
///   --> clusters/c1/vd.yaml:7:5
///    |
///  7 |   - my_app.global
///    |     ^
///    = object: VirtualDestination ns/name in cluster c1
///    = field: spec.hosts[0]
///    = help: …
/// ```
pub fn human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let sev = style(d.severity(), color);
    let dim = if color {
        Style::new().blue().bold()
    } else {
        Style::new()
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        format!("{}[{}]", d.severity(), d.code).style(sev),
        d.message.style(if color {
            Style::new().bold()
        } else {
            Style::new()
        })
    );
    let gutter_width = d.span.as_ref().map_or(1, |s| s.pos.line.to_string().len());
    let pad = " ".repeat(gutter_width);
    if let Some(span) = &d.span {
        let _ = if span.pos.line > 0 {
            writeln!(
                out,
                "{pad}{} {}:{}:{}",
                "-->".style(dim),
                span.file,
                span.pos.line,
                span.pos.column
            )
        } else {
            writeln!(out, "{pad}{} {}", "-->".style(dim), span.file)
        };
        if let Some(text) = sources.line(&span.file, span.pos.line) {
            let caret_at = text
                .chars()
                .take(span.pos.column.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
            let _ = writeln!(out, "{pad} {}", "|".style(dim));
            let _ = writeln!(
                out,
                "{} {} {text}",
                span.pos.line.style(dim),
                "|".style(dim)
            );
            let _ = writeln!(out, "{pad} {} {caret_at}{}", "|".style(dim), "^".style(sev));
        }
    }
    if let Some(object) = &d.object {
        let _ = writeln!(out, "{pad} {} object: {object}", "=".style(dim));
    }
    if let Some(field) = &d.field {
        let _ = writeln!(out, "{pad} {} field: {field}", "=".style(dim));
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {} help: {help}", "=".style(dim));
    }
    out
}

/// The one-line summary after the diagnostics.
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |s| diags.iter().filter(|d| d.severity() == s).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "note")
    )
}

/// The JSON record of one diagnostic; the same fields as the human form.
pub fn json_value(d: &Diagnostic) -> serde_json::Value {
    let object = d.object.as_ref();
    serde_json::json!({
        "code": d.code.as_str(),
        "name": d.code.slug(),
        "severity": d.severity(),
        "message": d.message,
        "file": d.span.as_ref().map(|s| s.file.to_string()),
        "line": d.span.as_ref().map(|s| s.pos.line).filter(|l| *l > 0),
        "column": d.span.as_ref().map(|s| s.pos.column).filter(|c| *c > 0),
        "cluster": object.map(|o| o.cluster.clone()).filter(|c| !c.is_empty()),
        "object": object.map(|o| serde_json::json!({"kind": o.kind, "namespace": o.namespace, "name": o.name})),
        "field": d.field,
        "help": d.help,
    })
}

/// Where the rule pages live, for SARIF `helpUri`.
const DOCS_URL: &str = "docs/diagnostics.md";

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A SARIF 2.1.0 log, as GitHub code scanning reads it: every rule in `tool.driver.rules`, one
/// result per diagnostic with a physical location relative to the repository root
/// (`%SRCROOT%`), which is the INPUT folder's path `input_prefix` below.
pub fn sarif(diags: &[Diagnostic], input_prefix: &str) -> serde_json::Value {
    use crate::diagnostic::Code;
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.as_str(),
                "name": c.slug(),
                "shortDescription": {"text": c.summary()},
                "helpUri": format!("{DOCS_URL}#{}", c.as_str().to_lowercase()),
                "defaultConfiguration": {"level": sarif_level(c.severity())},
            })
        })
        .collect();
    let prefix = input_prefix.trim_end_matches('/');
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let file = d.span.as_ref().map_or("", |s| &s.file);
            let uri = match (prefix.is_empty() || prefix == ".", file.is_empty()) {
                (true, true) => ".".to_owned(),
                (true, false) => file.to_owned(),
                (false, true) => prefix.to_owned(),
                (false, false) => format!("{prefix}/{file}"),
            };
            let mut location = serde_json::json!({
                "physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
            });
            if let Some(span) = d.span.as_ref().filter(|s| s.pos.line > 0) {
                location["physicalLocation"]["region"] =
                    serde_json::json!({"startLine": span.pos.line, "startColumn": span.pos.column.max(1)});
            }
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = serde_json::json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": Code::ALL.iter().position(|c| *c == d.code),
                "level": sarif_level(d.severity()),
                "message": {"text": text},
                "locations": [location],
            });
            if let Some(object) = &d.object {
                result["properties"] = serde_json::json!({
                    "cluster": object.cluster,
                    "object": {"kind": object.kind, "namespace": object.namespace, "name": object.name},
                    "field": d.field,
                });
            }
            result
        })
        .collect();
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vdc",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/vdc",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
