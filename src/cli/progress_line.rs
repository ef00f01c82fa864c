//! The progress line: drawn on stderr, only on a terminal and only once a run has taken longer
//! than a second, so pipes, CI logs and quick runs never see it.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_methods)] // terminal code: it writes to the terminal

use crate::progress;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

const QUIET_PERIOD: Duration = Duration::from_secs(1);
const REDRAW: Duration = Duration::from_millis(100);

/// Draws while it lives; dropping it stops the drawing and clears the line.
pub struct ProgressLine {
    stop: Arc<AtomicBool>,
    drawer: Option<JoinHandle<()>>,
}

impl ProgressLine {
    /// Starts drawing if stderr is a terminal and `quiet` is off; otherwise does nothing.
    pub fn start(quiet: bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let drawer = (!quiet && !dumb && std::io::stderr().is_terminal()).then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || draw_until(&stop, QUIET_PERIOD, std::io::stderr()))
        });
        ProgressLine { stop, drawer }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}

/// Redraws the line on `out` until `stop`, once `quiet_period` has passed, then erases it.
fn draw_until(stop: &AtomicBool, quiet_period: Duration, mut out: impl Write) {
    let started = Instant::now();
    let mut drawn = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(REDRAW);
        if started.elapsed() < quiet_period {
            continue;
        }
        let (phase, done, total) = progress::now();
        if phase.label().is_empty() {
            continue;
        }
        // A phase whose total is not known ahead (the files of a tree written cluster by
        // cluster) shows how far it got.
        let counts = match (done, total) {
            (_, 1..) => format!(" {done}/{total}"),
            (1.., 0) => format!(" {done}"),
            _ => String::new(),
        };
        let _ = write!(
            out,
            "\r\x1b[2Kvdc: {}{counts} ({:.0?})",
            phase.label(),
            started.elapsed()
        );
        let _ = out.flush();
        drawn = true;
    }
    if drawn {
        let _ = write!(out, "\r\x1b[2K");
        let _ = out.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A writer the test can read back while the drawer holds a handle to it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Runs the drawer for a few redraws with `quiet_period`, and returns what it wrote.
    fn drawn_with(quiet_period: Duration) -> String {
        let stop = Arc::new(AtomicBool::new(false));
        let out = Shared::default();
        let drawer = {
            let (stop, out) = (stop.clone(), out.clone());
            std::thread::spawn(move || draw_until(&stop, quiet_period, out))
        };
        std::thread::sleep(REDRAW * 3);
        stop.store(true, Ordering::Relaxed);
        drawer.join().unwrap();
        String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
    }

    // One test, not several: the phase it sets is process-wide.
    #[test]
    fn draws_the_phase_after_the_quiet_period_then_erases_the_line() {
        let _serial = progress::IN_TESTS.lock().unwrap_or_else(|e| e.into_inner());
        progress::start(progress::Phase::Writing, 4);
        progress::step();
        progress::step();

        let text = drawn_with(Duration::ZERO);
        assert!(
            text.contains("\r\x1b[2Kvdc: writing files 2/4 ("),
            "{text:?}"
        );
        assert!(
            text.ends_with("\r\x1b[2K"),
            "the line is erased at the end: {text:?}"
        );

        let text = drawn_with(Duration::from_secs(3600));
        assert!(text.is_empty(), "nothing within the quiet period: {text:?}");

        progress::start(progress::Phase::Idle, 0);
        assert!(
            ProgressLine::start(true).drawer.is_none(),
            "--quiet starts no drawer"
        );
    }
}
