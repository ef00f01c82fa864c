//! Diagnostics as text: human (rustc/ruff style, with the source line) and JSON.

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::{Reread, SourceFile};
pub use crate::text::escape_controls;
use crate::text::is_hostile;
use owo_colors::{OwoColorize, Style};
use std::cell::RefCell;
use std::fmt::Write;
use std::sync::Arc;

/// A file of the input as the user can open it from where vdc ran: INPUT joined with the
/// file's path inside it (`deploy/mesh/clusters/c1/vd.yaml`), like rustc's and ruff's paths.
pub fn display_path(input: &str, file: &str) -> String {
    let input = input.trim_end_matches('/');
    match (input, file) {
        ("" | ".", "") => ".".to_owned(),
        ("" | ".", _) => file.to_owned(),
        (_, "") => input.to_owned(),
        _ => format!("{input}/{file}"),
    }
}

/// How many columns the caret underlines: the token that starts where it points (a key, a
/// scalar, a quoted string, a flow collection), at least one.
fn token_width(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return 1;
    };
    let end = match first {
        '"' | '\'' => {
            let mut escaped = false;
            chars
                .find(|&(_, c)| {
                    let close = c == first && !escaped;
                    escaped = first == '"' && c == '\\' && !escaped;
                    close
                })
                .map_or(rest.len(), |(i, c)| i + c.len_utf8())
        }
        '{' | '[' => {
            let mut depth = 0usize;
            rest.char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' | '[' => depth += 1,
                        '}' | ']' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth == 0
                })
                .map_or(rest.len(), |(i, c)| i + c.len_utf8())
        }
        _ => {
            let bytes = rest.as_bytes();
            let stop = (0..bytes.len()).find(|&i| match bytes[i] {
                b',' | b']' | b'}' => true,
                b':' => bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t'),
                b'#' => i > 0 && matches!(bytes[i - 1], b' ' | b'\t'),
                _ => false,
            });
            rest[..stop.unwrap_or(rest.len())].trim_end().len()
        }
    };
    rest[..end].chars().count().max(1)
}

/// The input's files, for quoting their lines. Files whose text was let go of after decoding
/// are read back when a line of theirs is quoted (see [`SourceFile::reread`]); diagnostics come
/// sorted by file, so keeping the last file read back reads each file once.
pub struct Sources<'a> {
    files: &'a [Arc<SourceFile>],
    reread: RefCell<Option<(Arc<str>, Reread)>>,
}

/// What a diagnostic can show of its line.
enum Quote {
    Line(String),
    /// The file changed (or went away) after vdc read it: its line would not be the one meant.
    Changed,
    Nothing,
}

impl<'a> Sources<'a> {
    pub fn new(files: &'a [Arc<SourceFile>]) -> Self {
        Sources {
            files,
            reread: RefCell::new(None),
        }
    }

    fn line(&self, file: &str, line: u32) -> Quote {
        let Ok(i) = self.files.binary_search_by(|s| (*s.path).cmp(file)) else {
            return Quote::Nothing;
        };
        if line == 0 {
            return Quote::Nothing;
        }
        let source = &self.files[i];
        if !source.is_on_disk() {
            return quote(source.line_within(line, MAX_QUOTED_LINE));
        }
        let mut reread = self.reread.borrow_mut();
        if reread.as_ref().is_none_or(|(path, _)| path != &source.path) {
            *reread = Some((source.path.clone(), source.reread()));
        }
        match reread.as_ref().map(|(_, r)| r) {
            Some(Reread::Same(text)) => quote(text.line_within(line, MAX_QUOTED_LINE)),
            _ => Quote::Changed,
        }
    }
}

fn quote(line: Option<&str>) -> Quote {
    line.map_or(Quote::Nothing, |l| Quote::Line(l.to_owned()))
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
///  --> mesh/clusters/c1/vd.yaml:7:5
///   |
/// 7 |   - my_app.global
///   |     ^^^^^^^^^^^^^
///   = object: VirtualDestination ns/name in cluster c1
///   = field: spec.hosts[0]
///   = help: …
///   = see: vdc rule VDC407
/// ```
pub fn human(d: &Diagnostic, input: &str, sources: &Sources, color: bool) -> String {
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
        escape_controls(&d.message).style(if color {
            Style::new().bold()
        } else {
            Style::new()
        })
    );
    let gutter_width = d.span.as_ref().map_or(1, |s| s.pos.line.to_string().len());
    let pad = " ".repeat(gutter_width);
    if let Some(span) = &d.span {
        let path = escape_controls(&display_path(input, &span.file)).into_owned();
        let _ = if span.pos.line > 0 {
            writeln!(
                out,
                "{pad}{} {path}:{}:{}",
                "-->".style(dim),
                span.pos.line,
                span.pos.column
            )
        } else {
            writeln!(out, "{pad}{} {path}", "-->".style(dim))
        };
        match sources.line(&span.file, span.pos.line) {
            Quote::Line(text) => quote_source_line(&mut out, &text, span.pos, &pad, (dim, sev)),
            Quote::Changed => {
                let _ = writeln!(
                    out,
                    "{pad} {} note: the file changed after vdc read it, so its line is not shown",
                    "=".style(dim)
                );
            }
            Quote::Nothing => {}
        }
    }
    if let Some(object) = &d.object {
        let object = escape_controls(&object.to_string()).into_owned();
        let _ = writeln!(out, "{pad} {} object: {object}", "=".style(dim));
    }
    if let Some(field) = &d.field {
        let _ = writeln!(
            out,
            "{pad} {} field: {}",
            "=".style(dim),
            escape_controls(field)
        );
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "{pad} {} help: {}",
            "=".style(dim),
            escape_controls(help)
        );
    }
    let _ = writeln!(out, "{pad} {} see: vdc rule {}", "=".style(dim), d.code);
    out
}

/// The source line at `pos`, under a gutter of `pad`, with carets under the token at its
/// column. A line too long to read on a terminal (a one-line JSON dump) is not quoted:
/// finding the column in it would cost the whole line for every diagnostic on it.
fn quote_source_line(
    out: &mut String,
    text: &str,
    pos: crate::span::Pos,
    pad: &str,
    (dim, sev): (Style, Style),
) {
    let text = &*quoted_line(text);
    let before = pos.column.saturating_sub(1) as usize;
    let caret_at = text
        .chars()
        .take(before)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect::<String>();
    let rest: String = text.chars().skip(before).collect();
    let carets = "^".repeat(token_width(&rest));
    let _ = writeln!(out, "{pad} {}", "|".style(dim));
    let _ = writeln!(out, "{} {} {text}", pos.line.style(dim), "|".style(dim));
    let _ = writeln!(
        out,
        "{pad} {} {caret_at}{}",
        "|".style(dim),
        carets.style(sev)
    );
}

/// Source lines longer than this are not quoted.
const MAX_QUOTED_LINE: usize = 1024;

/// A quoted source line: each control character shown as `�`, one column for one, so the
/// caret below still points at the right character. Tabs stay tabs.
fn quoted_line(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return text.into();
    }
    text.chars()
        .map(|c| if is_hostile(c) { '\u{fffd}' } else { c })
        .collect::<String>()
        .into()
}

/// The one-line summary after the diagnostics: how many were found, a note that stands for
/// diagnostics not shown counting as those.
pub fn summary(diags: &[Diagnostic]) -> String {
    let found = |d: &Diagnostic| d.omitted.max(1);
    let count = |s| {
        (diags.iter())
            .filter(|d| d.severity() == s)
            .map(found)
            .sum::<usize>()
    };
    let plural = crate::text::counted;
    let mut line = format!(
        "{}, {}, {}",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "note")
    );
    let hidden: usize = diags.iter().map(|d| d.omitted).sum();
    if hidden > 0 {
        let _ = write!(line, " ({hidden} not shown)");
    }
    line
}

/// The JSON record of one diagnostic; the same fields as the human form, `file` the same path.
pub fn json_value(d: &Diagnostic, input: &str) -> serde_json::Value {
    let object = d.object.as_ref();
    let mut record = serde_json::json!({
        "code": d.code.as_str(),
        "name": d.code.slug(),
        "severity": d.severity(),
        "message": d.message,
        "file": d.span.as_ref().map(|s| display_path(input, &s.file)),
        "line": d.span.as_ref().map(|s| s.pos.line).filter(|l| *l > 0),
        "column": d.span.as_ref().map(|s| s.pos.column).filter(|c| *c > 0),
        "cluster": d.cluster_name(),
        "object": object.map(|o| serde_json::json!({"kind": o.kind, "namespace": o.namespace, "name": o.name})),
        "field": d.field,
        "help": d.help,
    });
    if d.omitted > 0 {
        // A note standing for diagnostics not shown: how many.
        record["omitted"] = d.omitted.into();
    }
    record
}

/// One GitHub Actions workflow command per diagnostic (`::error file=…,line=…,col=…,title=…::…`),
/// which GitHub shows as an annotation on the file and line, for repositories without code
/// scanning. Info-level diagnostics become notices.
pub fn github(d: &Diagnostic, input: &str) -> String {
    let level = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut properties = Vec::new();
    if let Some(span) = d.span.as_ref() {
        properties.push(format!(
            "file={}",
            github_property(&display_path(input, &span.file))
        ));
        if span.pos.line > 0 {
            properties.push(format!("line={}", span.pos.line));
        }
        if span.pos.column > 0 {
            properties.push(format!("col={}", span.pos.column));
        }
    }
    let title = format!("{} {}", d.code.as_str(), d.code.slug());
    properties.push(format!("title={}", github_property(&title)));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{level} {}::{}",
        properties.join(","),
        github_data(&message)
    )
}

/// A workflow command's message: `%`, CR and LF escaped.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as its message, and `:` and `,` escaped too.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The rule pages, one section per code, shipped inside the binary so that SARIF carries each
/// rule's documentation (GitHub shows it as the alert's help).
const RULE_PAGES: &str = include_str!("../docs/diagnostics.md");

/// The page of `code` in docs/diagnostics.md: from its heading to the next rule's anchor. What
/// SARIF carries as a rule's help and `vdc rule CODE` prints.
pub fn rule_page(code: crate::diagnostic::Code) -> &'static str {
    let heading = format!("\n## {} {}\n", code.as_str(), code.slug());
    let Some(start) = RULE_PAGES.find(&heading) else {
        return code.summary();
    };
    let body = &RULE_PAGES[start + 1..];
    let end = body[heading.len()..]
        .find("\n<a id=\"")
        .map_or(body.len(), |i| heading.len() + i);
    body[..end].trim_end()
}

/// Every code, one line each: code, severity, name, what it catches (`vdc rule` without a code).
pub fn rule_index() -> String {
    let mut out = String::new();
    for code in crate::diagnostic::Code::ALL {
        let _ = writeln!(
            out,
            "{}  {:<7}  {:<36}  {}",
            code.as_str(),
            code.severity().to_string(),
            code.slug(),
            code.summary()
        );
    }
    out
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF `uri`: percent-encoded, `/`-separated; absolute paths as `file://` URIs.
fn path_uri(path: &str) -> String {
    let mut out = String::new();
    // On Windows `\` separates folders; elsewhere it is a character of the file's name.
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let mut rest = path.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    if rest.starts_with('/') {
        out.push_str("file://");
    }
    for b in rest.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() { ".".to_owned() } else { out }
}

/// A SARIF 2.1.0 log, as GitHub code scanning reads it: every rule in `tool.driver.rules` with
/// its documentation, one result per diagnostic located at `input` joined with the file: a path
/// from the repository root (`%SRCROOT%`) when `input` is relative (the caller names INPUT from
/// that root), a `file://` URI when it is absolute. Columns count Unicode code points.
pub fn sarif(diags: &[Diagnostic], input: &str) -> serde_json::Value {
    use crate::diagnostic::Code;
    let rules: Vec<_> = Code::ALL
        .iter()
        .map(|c| {
            let page = rule_page(*c);
            serde_json::json!({
                "id": c.as_str(),
                "name": c.slug(),
                "shortDescription": {"text": c.summary()},
                "help": {"text": page, "markdown": page},
                "defaultConfiguration": {"level": sarif_level(c.severity())},
            })
        })
        .collect();
    let results: Vec<_> = diags.iter().map(|d| sarif_result(d, input)).collect();
    let mut driver = serde_json::json!({
        "name": "vdc",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    if let Some(uri) = information_uri(env!("CARGO_PKG_REPOSITORY")) {
        driver["informationUri"] = uri.into();
    }
    serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// One diagnostic as a SARIF result (see [`sarif`]).
fn sarif_result(d: &Diagnostic, input: &str) -> serde_json::Value {
    use crate::diagnostic::Code;
    let file = d.span.as_ref().map_or("", |s| &s.file);
    let mut uri = path_uri(&display_path(input, file));
    if file.is_empty() && !uri.ends_with('/') {
        // No file: the INPUT folder, written as a folder.
        uri.push('/');
    }
    let mut artifact = serde_json::json!({"uri": uri});
    if !uri.starts_with("file://") {
        artifact["uriBaseId"] = "%SRCROOT%".into();
    }
    let mut location = serde_json::json!({"physicalLocation": {"artifactLocation": artifact}});
    if let Some(span) = d.span.as_ref() {
        // A problem with the file as a whole (no line) is shown on its first line.
        let mut region = serde_json::json!({"startLine": span.pos.line.max(1)});
        if span.pos.line > 0 && span.pos.column > 0 {
            region["startColumn"] = span.pos.column.into();
        }
        location["physicalLocation"]["region"] = region;
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
    } else if let Some(cluster) = d.cluster_name() {
        result["properties"] = serde_json::json!({"cluster": cluster});
    }
    if d.omitted > 0 {
        result["properties"]["omitted"] = d.omitted.into();
    }
    result
}

/// Where the diagnostics are documented: docs/diagnostics.md in the repository Cargo.toml's
/// `repository` names, or nothing (SARIF makes it optional) when it names none, rather than a
/// page that does not exist.
fn information_uri(repository: &str) -> Option<String> {
    let repository = repository.trim_end_matches('/');
    (!repository.is_empty()).then(|| format!("{repository}/blob/main/docs/diagnostics.md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_commands_escape_what_would_end_them() {
        assert_eq!(github_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn information_uri_is_the_diagnostics_page_of_the_repository() {
        assert_eq!(
            information_uri("https://github.com/o/vdc/").as_deref(),
            Some("https://github.com/o/vdc/blob/main/docs/diagnostics.md")
        );
        assert_eq!(information_uri(""), None);
    }

    #[test]
    fn the_caret_underlines_the_token_it_points_at() {
        assert_eq!(token_width("hots:"), 4);
        assert_eq!(token_width("hosts: [a]"), 5);
        assert_eq!(token_width("70000"), 5);
        assert_eq!(token_width("70000  # too big"), 5);
        assert_eq!(token_width("product_page.global"), 19);
        assert_eq!(token_width("http://x:80/a, next"), 13);
        assert_eq!(token_width("\"hosts\": [\"a\"],"), 7);
        assert_eq!(token_width("'it''s': 1"), 4);
        assert_eq!(token_width("{number: 9080}, x"), 14);
        assert_eq!(token_width("a#b c"), 5);
        assert_eq!(token_width(""), 1);
    }

    #[test]
    fn sarif_uris_are_encoded_and_absolute_paths_are_file_uris() {
        assert_eq!(
            path_uri("mesh/clusters/c1/a.yaml"),
            "mesh/clusters/c1/a.yaml"
        );
        assert_eq!(path_uri("./mesh/a b.yaml"), "mesh/a%20b.yaml");
        assert_eq!(path_uri("/tmp/in/a#1.yaml"), "file:///tmp/in/a%231.yaml");
        assert_eq!(path_uri("."), ".");
    }

    #[test]
    fn every_rule_has_its_page() {
        for code in crate::diagnostic::Code::ALL {
            let page = rule_page(*code);
            assert!(
                page.starts_with(&format!("## {} {}", code.as_str(), code.slug())),
                "{page}"
            );
            assert!(
                page.contains("### Fix") && !page.contains("<a id="),
                "{page}"
            );
        }
    }

    #[test]
    fn paths_are_shown_from_where_vdc_ran() {
        assert_eq!(
            display_path("deploy/mesh/", "clusters/c1/a.yaml"),
            "deploy/mesh/clusters/c1/a.yaml"
        );
        assert_eq!(
            display_path(".", "clusters/c1/a.yaml"),
            "clusters/c1/a.yaml"
        );
        assert_eq!(display_path("/abs/in", "vdc.yaml"), "/abs/in/vdc.yaml");
        assert_eq!(display_path("in", ""), "in");
    }
}
