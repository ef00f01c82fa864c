//! Times the two phases of `vdc trace` on one INPUT: loading it (reading, decoding, resolving
//! and translating, as `render` does) and answering one question on the loaded input, which
//! can answer any number of them. Medians of several rounds, for docs/performance.md.
//!
//! ```text
//! cargo run --release --example trace_timing -- INPUT FROM TO [ROUNDS] [--fail TARGET]...
//! cargo run --release --example trace_timing -- /tmp/mesh-l cluster-000/ns-000 vd-0000.ws-0.mesh 5
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::disallowed_methods
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};
use vdc::trace::{self, Question};

// The allocator the vdc binary uses, so that loading costs what it costs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Questions answered per round: one answer takes little time, so several are timed.
const ANSWERS: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, from, to, rest @ ..] = args.as_slice() else {
        eprintln!("usage: trace_timing INPUT FROM TO [ROUNDS] [--fail TARGET]...");
        std::process::exit(2);
    };
    let rounds: usize = rest
        .first()
        .filter(|r| !r.starts_with("--"))
        .map_or(3, |r| r.parse().expect("ROUNDS is a number"));
    let mut question = Question::new(from.parse().unwrap(), to).unwrap();
    let mut fails = rest.iter().skip_while(|a| *a != "--fail");
    while let (Some(_), Some(target)) = (fails.next(), fails.next()) {
        question.fail.push(target.parse().unwrap());
    }
    let (mut loads, mut answers) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let started = Instant::now();
        let loaded = trace::load(&PathBuf::from(input), None).unwrap().unwrap();
        loads.push(started.elapsed());
        assert!(!loaded.has_errors(), "{input} has errors");
        let mut outcome = None;
        for _ in 0..ANSWERS {
            let started = Instant::now();
            let answer = trace::trace(&loaded, &question).unwrap();
            answers.push(started.elapsed());
            outcome = Some(answer.outcome.as_str());
        }
        eprintln!(
            "round {}: load {:.3} s, outcome {}",
            round + 1,
            loads[round].as_secs_f64(),
            outcome.unwrap_or("?")
        );
        // Freed outside the timed phases (the binary leaves it to the operating system).
        drop(loaded);
    }
    println!(
        "load: median {} over {rounds} rounds ({})",
        seconds(median(&mut loads)),
        spread(&loads)
    );
    println!(
        "one answer: median {} over {} ({})",
        seconds(median(&mut answers)),
        answers.len(),
        spread(&answers)
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn spread(times: &[Duration]) -> String {
    let min = times.iter().min().copied().unwrap_or_default();
    let max = times.iter().max().copied().unwrap_or_default();
    format!("{}–{}", seconds(min), seconds(max))
}

fn seconds(d: Duration) -> String {
    if d < Duration::from_millis(10) {
        format!("{:.2} ms", d.as_secs_f64() * 1000.0)
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}
