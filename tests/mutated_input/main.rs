//! §7: a few thousand mutations of the testdata manifests go through load, model, validation,
//! translation and emit. Files are truncated (on a character and in the middle of one), lines
//! deleted, duplicated, swapped and re-indented, scalars swapped for other types, random bytes
//! inserted and keys misspelt. No mutant may panic or hang, an error must mean no output, every
//! diagnostic must point into the input, and a mutant that is invalid by construction must earn
//! its diagnostic (code, file and line).
//!
//! Mutants are compiled from memory: the mutated file is parsed and decoded
//! ([`vdc::load::parse_source`], [`vdc::model::decode`]) and joins the fixture's other files,
//! decoded once, in [`vdc::compile_loaded`]. Reading and parsing every file of a fixture again
//! for each mutant would not fit a debug `cargo test`. A sample, and every mutant of `vdc.yaml`,
//! also goes through [`vdc::compile`] on a copy of the fixture on disk, which must agree to the
//! diagnostic.
//!
//! Every mutant comes from its index alone (a fixed seed and splitmix64), so a failure is
//! reproduced with `VDC_MUTANT=<index> cargo test --test mutated_input -- --nocapture`, and
//! `VDC_MUTANTS=<count>` runs more of them than the default.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

#[allow(dead_code)]
#[path = "../../examples/synth.rs"]
mod synth;

mod fixtures;
mod mutations;

use fixtures::{Fixture, load_fixture};
use mutations::{Expect, Mutant, make_mutant};

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use vdc::Compilation;
use vdc::load::Loaded;

const FIXTURES: [&str; 4] = ["bookinfo", "routing-policies", "multi-vd", "client-only"];
const SEED: u64 = 0x5eed_0007_d0c5_u64;
const MUTANTS: usize = 2500;
/// One mutant in this many also runs through `vdc::compile` on disk.
const ON_DISK_EVERY: usize = 250;
/// Per mille of mutants that hit a large cluster-state dump rather than Gloo config; parsing a
/// dump costs twenty times a Gloo file in a debug build.
const STATE_PER_MILLE: u64 = 25;
/// Per mille of mutants that hit `vdc.yaml` (always compiled on disk).
const SETTINGS_PER_MILLE: u64 = 2;
/// A mutant running longer than this is a hang: the run is aborted, naming it.
const HANG: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Running and checking

/// Compiles the fixture from memory, with file `mutated` (if any) replaced by `bytes`.
fn compile_in_memory(fx: &Fixture, mutated: Option<usize>, bytes: &[u8]) -> Compilation {
    let mut loaded = Loaded {
        settings: fx.settings.clone(),
        clusters: fx.clusters.clone(),
        ..Loaded::default()
    };
    for (i, f) in fx.files.iter().enumerate() {
        if Some(i) == mutated {
            loaded.add(
                vdc::load::parse_source(&f.rel, bytes.to_vec())
                    .decode(&fx.settings, vdc::model::decode),
            );
        } else {
            loaded.add(f.decoded.clone());
        }
    }
    vdc::compile_loaded(loaded)
}

/// A copy of a fixture on disk that one mutated file at a time is written into.
struct DiskCopy {
    dir: tempfile::TempDir,
}

impl DiskCopy {
    fn new(fx: &Fixture) -> Self {
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&fx.dir) {
            let entry = entry.unwrap();
            let to = dir.path().join(entry.path().strip_prefix(&fx.dir).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        DiskCopy { dir }
    }

    /// Compiles the copy with `rel` replaced by `bytes`, then puts the file back.
    fn compile_with(&self, rel: &str, bytes: &[u8], original: &[u8]) -> Compilation {
        let path = self.dir.path().join(rel);
        std::fs::write(&path, bytes).unwrap();
        let compiled = vdc::compile(self.dir.path());
        std::fs::write(&path, original).unwrap();
        compiled.expect("a readable folder always compiles")
    }
}

fn check(m: &Mutant, fx: &Fixture, rel: &str, c: &Compilation) -> Result<(), String> {
    if c.has_errors() && !c.outputs.is_empty() {
        return Err("error-level diagnostics, yet outputs were generated".into());
    }
    let line_count = 1 + m.bytes.iter().filter(|b| **b == b'\n').count() as u32;
    for d in &c.diagnostics {
        let Some(span) = &d.span else {
            // About the input or a cluster as a whole, not a place in a file: the implicit
            // workspace, a cluster's locality and its trust domain.
            if ["VDC302", "VDC502", "VDC503", "VDC504", "VDC508"].contains(&d.code.as_str()) {
                continue;
            }
            return Err(format!("{} has no location: {}", d.code, d.message));
        };
        if span.pos.line == 0 {
            return Err(format!("{} has no line: {}", d.code, d.message));
        }
        if &*span.file == rel && span.pos.line > line_count {
            return Err(format!(
                "{} points at line {}, but the file has {line_count}: {}",
                d.code, span.pos.line, d.message
            ));
        }
    }
    let in_file = |code: &'static str| {
        c.diagnostics
            .iter()
            .filter(move |d| d.code.as_str() == code)
            .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == rel))
    };
    match &m.expect {
        Expect::Nothing => {}
        Expect::Diagnostic { code } => {
            if in_file(code).next().is_none() {
                return Err(format!("expected {code} in {rel}"));
            }
        }
        Expect::Error { code, lines } => {
            if !c.has_errors() {
                return Err("an invalid input earned no error".into());
            }
            let located: Vec<_> = match code {
                Some(code) => in_file(code).collect(),
                None => c
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity() == vdc::diagnostic::Severity::Error)
                    .filter(|d| d.span.as_ref().is_some_and(|s| &*s.file == rel))
                    .collect(),
            };
            if code.is_some() && located.is_empty() {
                return Err(format!("expected {} in {rel}", code.unwrap()));
            }
            if !lines.is_empty()
                && !located
                    .iter()
                    .any(|d| lines.contains(&d.span.as_ref().unwrap().pos.line))
            {
                return Err(format!(
                    "expected {} on line {lines:?} of {rel}",
                    code.unwrap_or("an error")
                ));
            }
        }
    }
    // Output that differs from the fixture's goes through the writers (the same output again
    // would only test them again on the same objects).
    if !c.has_errors() && c.outputs != fx.outputs {
        check_emit(c)?;
    }
    Ok(())
}

/// Valid mutants go through the YAML and JSON writers, and what they write reads back.
fn check_emit(c: &Compilation) -> Result<(), String> {
    let outputs: Vec<_> = c.outputs.iter().collect();
    for cluster in outputs.chunk_by(|a, b| a.cluster == b.cluster) {
        let files = vdc::emit::cluster_files(cluster, vdc::emit::Format::Yaml)
            .map_err(|e| format!("emit: {e:#}"))?;
        for (path, text) in &files {
            vdc::load::parse_documents(text)
                .map_err(|e| format!("emitted {path} does not read back: {}", e.message))?;
        }
    }
    let mut json = Vec::new();
    vdc::emit::write_stream(&outputs, vdc::emit::Format::Json, &mut json)
        .map_err(|e| format!("emit: {e:#}"))?;
    serde_json::from_slice::<serde_json::Value>(&json)
        .map_err(|e| format!("the JSON stream does not read back: {e}"))?;
    Ok(())
}

fn summary(c: &Compilation) -> Vec<String> {
    c.diagnostics
        .iter()
        .map(|d| {
            let at = d
                .span
                .as_ref()
                .map(|s| format!("{}:{}:{}", s.file, s.pos.line, s.pos.column))
                .unwrap_or_default();
            format!("{} {at} {}", d.code, d.message)
        })
        .collect()
}

/// Runs one mutant; `Err` describes what went wrong.
fn run_mutant(
    fixtures: &[Fixture],
    disk: &mut BTreeMap<usize, DiskCopy>,
    m: &Mutant,
) -> Result<(), String> {
    let fx = &fixtures[m.fixture];
    let on_disk = m.file.is_none() || m.index.is_multiple_of(ON_DISK_EVERY);
    let (rel, original) = match m.file {
        Some(i) => (fx.files[i].rel.as_str(), fx.files[i].bytes.as_slice()),
        None => ("vdc.yaml", fx.settings_file.as_slice()),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let from_disk = on_disk.then(|| {
            disk.entry(m.fixture)
                .or_insert_with(|| DiskCopy::new(fx))
                .compile_with(rel, &m.bytes, original)
        });
        let in_memory = m.file.map(|i| compile_in_memory(fx, Some(i), &m.bytes));
        (from_disk, in_memory)
    }));
    let (from_disk, in_memory) = outcome.map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        format!("PANIC: {message}")
    })?;
    if let (Some(a), Some(b)) = (&from_disk, &in_memory)
        && (a.diagnostics != b.diagnostics || a.outputs != b.outputs)
    {
        return Err(format!(
            "compile on disk and in memory disagree:\n  disk:   {:?}\n  memory: {:?}",
            summary(a),
            summary(b)
        ));
    }
    let compiled = in_memory.or(from_disk).unwrap();
    check(m, fx, rel, &compiled)
        .map_err(|e| format!("{e}\n  diagnostics: {:#?}", summary(&compiled)))
}

fn env_number(name: &str) -> Option<usize> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {value:?}")),
    )
}

/// What a run did: mutants per kind (and how many of them had to earn a diagnostic), time per
/// kind of file, the slowest mutant.
#[derive(Default)]
struct Stats {
    kinds: BTreeMap<&'static str, (usize, usize)>,
    classes: BTreeMap<String, (usize, Duration)>,
    slowest: (Duration, String),
}

impl Stats {
    fn record(&mut self, fixtures: &[Fixture], m: &Mutant, took: Duration, description: &str) {
        let kind = self.kinds.entry(m.kind).or_default();
        kind.0 += 1;
        kind.1 += usize::from(m.expect != Expect::Nothing);
        let mut class = match m.file {
            None => "vdc.yaml",
            Some(i) if fixtures[m.fixture].files[i].state => "cluster state",
            Some(_) => "gloo config",
        }
        .to_owned();
        if m.index.is_multiple_of(ON_DISK_EVERY) {
            class.push_str(" (also on disk)");
        }
        let class = self.classes.entry(class).or_default();
        class.0 += 1;
        class.1 += took;
        if took > self.slowest.0 {
            self.slowest = (took, description.to_owned());
        }
    }
}

#[test]
fn thousands_of_mutants_never_panic_and_invalid_ones_are_diagnosed() {
    let started = Instant::now();
    let fixtures: Vec<Fixture> = FIXTURES.iter().map(|f| load_fixture(f)).collect();
    let only = env_number("VDC_MUTANT");
    let indices: Vec<usize> = match only {
        Some(i) => vec![i],
        None => (0..env_number("VDC_MUTANTS").unwrap_or(MUTANTS)).collect(),
    };

    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let next = AtomicUsize::new(0);
    // What each worker is running, and since when, for the watchdog.
    let running: Mutex<Vec<Option<(Instant, String)>>> = Mutex::new(vec![None; workers]);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let stats: Mutex<Stats> = Mutex::new(Stats::default());

    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (fixtures, indices, next, running, failures, stats) =
                (&fixtures, &indices, &next, &running, &failures, &stats);
            scope.spawn(move || {
                let mut disk = BTreeMap::new();
                while let Some(&index) = indices.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let m = make_mutant(fixtures, index);
                    let description = m.describe(fixtures);
                    if only.is_some() {
                        println!("{description}");
                    }
                    let t = Instant::now();
                    running.lock().unwrap()[worker] = Some((t, description.clone()));
                    let result = run_mutant(fixtures, &mut disk, &m);
                    running.lock().unwrap()[worker] = None;
                    stats
                        .lock()
                        .unwrap()
                        .record(fixtures, &m, t.elapsed(), &description);
                    if let Err(e) = result {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{description}\n  {e}"));
                    }
                }
            });
        }
        // The watchdog: a mutant that runs for a minute is a hang. Name it before giving up,
        // writing past the test harness's output capture, which an abort would lose.
        scope.spawn(|| {
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let running = running.lock().unwrap();
                if next.load(Ordering::Relaxed) >= indices.len()
                    && running.iter().all(Option::is_none)
                {
                    break;
                }
                for (start, description) in running.iter().flatten() {
                    if start.elapsed() > HANG {
                        let _ = writeln!(
                            std::io::stderr(),
                            "HANG: {description} has run for {:?}",
                            start.elapsed()
                        );
                        std::process::abort();
                    }
                }
            }
        });
    });

    let stats = stats.into_inner().unwrap();
    println!(
        "{} mutants in {:?} on {workers} threads",
        indices.len(),
        started.elapsed()
    );
    for (kind, (n, required)) in &stats.kinds {
        println!("  {kind}: {n}, {required} of them must earn a diagnostic");
    }
    for (class, (n, took)) in &stats.classes {
        println!("  {class}: {n} in {took:?}");
    }
    println!("  slowest: {:?} for {}", stats.slowest.0, stats.slowest.1);
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} mutants failed:\n\n{}",
        failures.len(),
        indices.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}
