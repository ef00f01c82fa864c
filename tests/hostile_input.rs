//! §7: hostile and broken input — alias bombs, deep nesting, huge scalars, binary and Latin-1
//! files, empty files and cluster folders, null or mistyped objects, numbers out of range — each
//! earns a diagnostic with its code and place, never a panic, an abort or a hang (a hang would
//! keep these tests from finishing).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

mod common;
use common::copy_tree;
use std::path::Path;
use vdc::Compilation;
use vdc::diagnostic::{Diagnostic, Severity};

const VD_FILE: &str = "clusters/cluster1/gloo/bookinfo.yaml";

/// testdata/bookinfo copied to a temporary folder, with `files` written over it.
fn bookinfo_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new("testdata/bookinfo");
    copy_tree(from, dir.path());
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

fn compile(dir: &tempfile::TempDir) -> Compilation {
    let c = vdc::compile(dir.path()).expect("a readable folder compiles");
    if c.has_errors() {
        assert!(c.outputs.is_empty(), "an error must mean no output");
    }
    c
}

/// The diagnostic with `code` in `file`; fails the test, listing all of them, when there is none.
fn find<'c>(c: &'c Compilation, code: &str, file: &str) -> &'c Diagnostic {
    c.diagnostics
        .iter()
        .find(|d| d.code.as_str() == code && d.span.as_ref().is_some_and(|s| &*s.file == file))
        .unwrap_or_else(|| {
            panic!(
                "no {code} in {file}; found:\n{}",
                c.diagnostics
                    .iter()
                    .map(|d| format!("{} {:?} {}", d.code, d.span, d.message))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
}

fn line(d: &Diagnostic) -> u32 {
    d.span.as_ref().unwrap().pos.line
}

/// The bookinfo VirtualDestination document with its `spec` (from `spec:` on) replaced.
fn vd_with_spec(spec: &str) -> String {
    let original = std::fs::read_to_string(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
    let at = original.rfind("spec:").unwrap();
    format!("{}{spec}", &original[..at])
}

/// The line of the last `spec:` in the bookinfo VD file (the VirtualDestination's).
fn vd_spec_line() -> u32 {
    let original = std::fs::read_to_string(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
    1 + original[..original.rfind("spec:").unwrap()]
        .matches('\n')
        .count() as u32
}

#[test]
fn an_alias_bomb_in_a_small_file_is_refused_at_its_line() {
    // Billion laughs: ten levels of nine aliases each; every laugh a kilobyte.
    let mut bomb = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: laughs\n  namespace: default\ndata:\n  l0: &l0 [{}]\n",
        vec![format!("\"{}\"", "ha".repeat(500)); 9].join(", ")
    );
    for level in 1..10 {
        let refs = vec![format!("*l{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("  l{level}: &l{level} [{refs}]\n"));
    }
    assert!(bomb.len() < 16 * 1024, "the bomb itself is small");
    let dir = bookinfo_with(&[("clusters/cluster1/laughs.yaml", bomb.as_bytes())]);
    let c = compile(&dir);
    let d = find(&c, "VDC101", "clusters/cluster1/laughs.yaml");
    assert!(d.message.contains("alias bomb"), "{}", d.message);
    assert!((7..=16).contains(&line(d)), "at an alias: {d:?}");
}

#[test]
fn nesting_ten_thousand_deep_is_refused_without_overflowing_the_stack() {
    let depth = 10_000;
    let block: String = (0..depth)
        .map(|i| format!("{}k:\n", " ".repeat(i)))
        .collect();
    let flow = format!("a: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let json = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let dir = bookinfo_with(&[
        ("clusters/cluster1/block.yaml", block.as_bytes()),
        ("clusters/cluster1/flow.yaml", flow.as_bytes()),
        ("clusters/cluster1/deep.json", json.as_bytes()),
    ]);
    let c = compile(&dir);
    // Refused where the nesting passes the limit: the block document nests a level a line.
    let limit = vdc::load::node::MAX_DEPTH as u32;
    assert_eq!(
        line(find(&c, "VDC101", "clusters/cluster1/block.yaml")),
        limit
    );
    assert_eq!(line(find(&c, "VDC101", "clusters/cluster1/flow.yaml")), 1);
    assert_eq!(line(find(&c, "VDC101", "clusters/cluster1/deep.json")), 1);
}

#[test]
fn deep_nesting_within_the_limit_is_read_by_both_readers() {
    // Just inside the nesting limit: read as usual, by the JSON reader for the `.json` file and by
    // the YAML parser for the `.yaml` one, and walked by the model without trouble.
    let depth = vdc::load::node::MAX_DEPTH - 8;
    let deep = format!("{}1{}", "{\"a\": ".repeat(depth), "}".repeat(depth));
    let object = format!(
        "{{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {{\"name\": \"deep\", \"namespace\": \"default\"}}, \"deep\": {deep}}}"
    );
    let dir = bookinfo_with(&[
        ("clusters/cluster1/deep.json", object.as_bytes()),
        (
            "clusters/cluster1/deep.yaml",
            object
                .replace("\"deep\", \"namespace", "\"deep-yaml\", \"namespace")
                .as_bytes(),
        ),
    ]);
    let c = compile(&dir);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    assert!(!c.outputs.is_empty());
}

#[test]
fn a_huge_scalar_is_read_and_judged_like_any_other() {
    // A megabyte-long host: read (the budgets scale with the file), then refused as a host.
    let host = format!("{}.global", "a".repeat(1 << 20));
    let spec = format!(
        "spec:\n  hosts:\n  - {host}\n  services:\n  - labels:\n      app: productpage\n  ports:\n  - number: 9080\n    protocol: HTTP\n"
    );
    let dir = bookinfo_with(&[(VD_FILE, vd_with_spec(&spec).as_bytes())]);
    let c = compile(&dir);
    assert_eq!(line(find(&c, "VDC407", VD_FILE)), vd_spec_line() + 2);
}

#[test]
fn a_binary_file_is_named_at_its_first_nul_byte() {
    let blob = b"apiVersion: v1\nkind: ConfigMap\n\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe";
    let dir = bookinfo_with(&[("clusters/cluster1/blob.yaml", blob)]);
    let c = compile(&dir);
    let d = find(&c, "VDC103", "clusters/cluster1/blob.yaml");
    assert!(d.message.contains("binary"), "{}", d.message);
    assert_eq!(
        d.span.as_ref().unwrap().pos,
        vdc::load::node::Pos::new(3, 8)
    );
}

#[test]
fn a_latin1_file_is_named_at_its_first_invalid_byte() {
    let latin1 = b"# Owners:\n#   the productpage team\n# Caf\xe9 team\napiVersion: v1\n";
    let dir = bookinfo_with(&[("clusters/cluster1/gloo/notes.yaml", latin1)]);
    let c = compile(&dir);
    let d = find(&c, "VDC103", "clusters/cluster1/gloo/notes.yaml");
    assert!(d.message.contains("not UTF-8"), "{}", d.message);
    assert_eq!(
        d.span.as_ref().unwrap().pos,
        vdc::load::node::Pos::new(3, 6)
    );
}

#[test]
fn an_empty_file_is_a_warning_at_its_first_line() {
    let dir = bookinfo_with(&[
        ("gloo/empty.yaml", b""),
        ("clusters/cluster2/blank.json", b"\n\n"),
    ]);
    let c = compile(&dir);
    assert_eq!(line(find(&c, "VDC108", "gloo/empty.yaml")), 1);
    assert_eq!(line(find(&c, "VDC108", "clusters/cluster2/blank.json")), 1);
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
}

#[test]
fn an_empty_cluster_folder_is_a_warning_that_names_the_folder() {
    let dir = bookinfo_with(&[]);
    std::fs::create_dir_all(dir.path().join("clusters/c3")).unwrap();
    // A folder that holds only a hidden file holds no input file either.
    std::fs::create_dir_all(dir.path().join("clusters/c4")).unwrap();
    std::fs::write(dir.path().join("clusters/c4/.keep"), b"").unwrap();
    let c = compile(&dir);
    for cluster in ["c3", "c4"] {
        let d = find(&c, "VDC108", &format!("clusters/{cluster}"));
        // A folder has no lines: the location is the folder itself.
        assert_eq!(line(d), 0);
        assert!(
            d.message.contains(&format!("cluster `{cluster}`")),
            "{}",
            d.message
        );
        assert_eq!(d.severity(), Severity::Warning);
    }
    assert!(c.clusters.contains(&"c3".to_owned()));
    // A cluster folder whose file is empty gets the file's warning, not the folder's.
    let dir = bookinfo_with(&[("clusters/c3/state.yaml", b"")]);
    let c = compile(&dir);
    assert_eq!(line(find(&c, "VDC108", "clusters/c3/state.yaml")), 1);
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.span.as_ref().is_none_or(|s| &*s.file != "clusters/c3"))
    );
}

#[test]
fn a_null_spec_reports_what_it_lacks_at_spec() {
    let dir = bookinfo_with(&[(VD_FILE, vd_with_spec("spec: null\n").as_bytes())]);
    let c = compile(&dir);
    assert_eq!(line(find(&c, "VDC401", VD_FILE)), vd_spec_line());
    assert_eq!(line(find(&c, "VDC406", VD_FILE)), vd_spec_line());
}

#[test]
fn a_spec_that_is_a_list_or_a_number_is_the_wrong_type() {
    for spec in ["spec: []\n", "spec: 42\n", "spec: '{}'\n"] {
        let dir = bookinfo_with(&[(VD_FILE, vd_with_spec(spec).as_bytes())]);
        let c = compile(&dir);
        let d = find(&c, "VDC202", VD_FILE);
        assert_eq!(line(d), vd_spec_line(), "{spec}");
        assert_eq!(d.field.as_deref(), Some("spec"));
    }
}

#[test]
fn null_metadata_is_not_an_object() {
    let original = std::fs::read_to_string(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
    let vd_start = original.rfind("metadata:").unwrap();
    let spec_start = original.rfind("spec:").unwrap();
    let text = format!(
        "{}metadata: null\n{}",
        &original[..vd_start],
        &original[spec_start..]
    );
    let dir = bookinfo_with(&[(VD_FILE, text.as_bytes())]);
    let c = compile(&dir);
    let metadata_line = 1 + original[..vd_start].matches('\n').count() as u32;
    assert_eq!(line(find(&c, "VDC102", VD_FILE)), metadata_line);
}

#[test]
fn port_numbers_out_of_range_are_named_as_written() {
    let port_line = {
        let original =
            std::fs::read_to_string(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
        1 + original[..original.find("number: 9080").unwrap()]
            .matches('\n')
            .count() as u32
    };
    let cases = [
        // Beyond u64: the reader hands it over as a float; still an integer out of range.
        ("99999999999999999999", "VDC402"),
        // Beyond i128 and u128.
        ("123456789012345678901234567890123456789012", "VDC402"),
        ("-123456789012345678901234567890123456789012", "VDC402"),
        ("-1", "VDC402"),
        ("0", "VDC402"),
        ("65536", "VDC402"),
        ("4294967297", "VDC402"),
        ("80.5", "VDC202"),
        ("'9080'", "VDC202"),
        // Not a finite number: a number where an integer belongs, at the number; the rest of
        // the file is still read.
        ("1e400", "VDC202"),
        (".inf", "VDC202"),
        ("-.inf", "VDC202"),
    ];
    for (number, code) in cases {
        let original =
            std::fs::read_to_string(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
        let text = original.replace("number: 9080", &format!("number: {number}"));
        let dir = bookinfo_with(&[(VD_FILE, text.as_bytes())]);
        let c = compile(&dir);
        let d = find(&c, code, VD_FILE);
        assert_eq!(line(d), port_line, "{number}");
        if code == "VDC402" {
            assert!(d.message.contains(number), "{number}: {}", d.message);
        }
    }
}

#[test]
fn other_numbers_out_of_range_are_invalid_values() {
    let file = "clusters/cluster1/gloo/policies.yaml";
    let original = std::fs::read_to_string(Path::new("testdata/bookinfo").join(file)).unwrap();
    for number in ["99999999999999999999", "-1", "2147483648"] {
        let text = original.replace(
            "consecutiveErrors: 2",
            &format!("consecutiveErrors: {number}"),
        );
        let dir = bookinfo_with(&[(file, text.as_bytes())]);
        let c = compile(&dir);
        let d = find(&c, "VDC207", file);
        assert!(d.message.contains(number), "{}", d.message);
        assert_eq!(d.field.as_deref(), Some("spec.config.consecutiveErrors"));
    }
}

#[test]
fn an_empty_apply_to_destinations_entry_is_reported_at_the_entry() {
    // Found by the mutated-input test (`tests/mutated_input.rs`): the selector of a `-` entry
    // defaulted to line 0.
    let file = "clusters/cluster1/gloo/policies.yaml";
    let original = std::fs::read_to_string(Path::new("testdata/bookinfo").join(file)).unwrap();
    let cut = original.rfind("  - kind: VIRTUAL_DESTINATION").unwrap();
    let text = format!("{}  -\n", &original[..cut]);
    let dir = bookinfo_with(&[(file, text.as_bytes())]);
    let c = compile(&dir);
    let d = find(&c, "VDC207", file);
    // The `-` is the last line.
    assert_eq!(line(d), text.matches('\n').count() as u32);
}

/// `text` as UTF-16, little-endian, behind its byte-order mark: what PowerShell 5 writes for
/// `kubectl get -o yaml > file`.
fn utf16_le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// UTF-16 with a byte-order mark reads as its text, as YAML 1.2 and kubectl's go-yaml read it:
/// the same output for a cluster's state (JSON) and Gloo config (YAML), and a problem in such
/// a file is quoted from its line.
#[test]
fn utf16_files_with_a_byte_order_mark_read_as_their_text() {
    let original = |rel: &str| std::fs::read_to_string(Path::new("testdata/bookinfo").join(rel));
    let state = "clusters/cluster2/state.json";
    let dir = bookinfo_with(&[
        (state, &utf16_le(&original(state).unwrap())),
        (VD_FILE, &utf16_le(&original(VD_FILE).unwrap())),
    ]);
    let render = |dir: &Path| {
        let out = common::vdc().args(["render"]).arg(dir).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    assert!(render(dir.path()) == render(Path::new("testdata/bookinfo")));

    let broken = vd_with_spec("spec:\n  hosts:\n  - not a host\n");
    let dir = bookinfo_with(&[(VD_FILE, &utf16_le(&broken))]);
    let out = common::vdc()
        .args(["check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report.contains(&format!("{VD_FILE}:{}", vd_spec_line() + 2)),
        "{report}"
    );
    assert!(
        report.contains("  - not a host"),
        "the line is quoted: {report}"
    );
}

/// Two file names that differ only in bytes that are not UTF-8 would read as one name (each
/// byte as U+FFFD), and a diagnostic in one quoted the other's line: each such file is VDC103,
/// named with its bytes escaped.
#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_refused_by_their_bytes() {
    use std::os::unix::ffi::OsStrExt;
    let vd = std::fs::read(Path::new("testdata/bookinfo").join(VD_FILE)).unwrap();
    let dir = bookinfo_with(&[]);
    for byte in [0xfe_u8, 0xff] {
        let name = [b'x', byte, b'.', b'y', b'a', b'm', b'l'];
        let name = std::ffi::OsStr::from_bytes(&name);
        std::fs::write(dir.path().join("gloo").join(name), &vd).unwrap();
    }
    let c = compile(&dir);
    for file in ["gloo/x\\xfe.yaml", "gloo/x\\xff.yaml"] {
        let d = find(&c, "VDC103", file);
        assert_eq!(d.severity(), Severity::Error);
        assert!(d.message.contains("not UTF-8"), "{}", d.message);
    }
    assert!(
        c.diagnostics
            .iter()
            .all(|d| d.span.as_ref().is_none_or(|s| !s.file.contains('\u{FFFD}'))),
        "no file is read under a name that is not its own"
    );
}
