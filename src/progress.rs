//! How far a long run has got, for the command line to show.
//!
//! The library never prints: its phases publish what they are doing here, in relaxed atomics
//! that cost nothing beside the work they count, and the CLI decides whether and how to draw it
//! (only on a terminal, only for runs longer than a second).

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    Idle,
    Reading,
    Resolving,
    Translating,
    Writing,
}

impl Phase {
    pub fn label(self) -> &'static str {
        match self {
            Phase::Idle => "",
            Phase::Reading => "reading files",
            Phase::Resolving => "resolving",
            Phase::Translating => "translating",
            Phase::Writing => "writing files",
        }
    }
}

static PHASE: AtomicU8 = AtomicU8::new(Phase::Idle as u8);
static DONE: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

/// Held by the library's tests that move the process-wide progress, so they do not see each
/// other's steps.
#[cfg(test)]
pub static IN_TESTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Enters `phase`, with `total` steps to go (0 when not counted).
pub fn start(phase: Phase, total: usize) {
    DONE.store(0, Ordering::Relaxed);
    TOTAL.store(total, Ordering::Relaxed);
    PHASE.store(phase as u8, Ordering::Relaxed);
}

/// One more step of the current phase is done.
pub fn step() {
    DONE.fetch_add(1, Ordering::Relaxed);
}

/// The current phase and its (done, total) steps.
pub fn now() -> (Phase, usize, usize) {
    let phase = match PHASE.load(Ordering::Relaxed) {
        1 => Phase::Reading,
        2 => Phase::Resolving,
        3 => Phase::Translating,
        4 => Phase::Writing,
        _ => Phase::Idle,
    };
    (
        phase,
        DONE.load(Ordering::Relaxed),
        TOTAL.load(Ordering::Relaxed),
    )
}
