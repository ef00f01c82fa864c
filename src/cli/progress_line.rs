//! The progress line: drawn on stderr, only on a terminal and only once a run has taken longer
//! than a second, so pipes, CI logs and quick runs never see it.

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
        let drawer = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let stop = stop.clone();
            std::thread::spawn(move || draw_until(&stop))
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

fn draw_until(stop: &AtomicBool) {
    let started = Instant::now();
    let mut drawn = false;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(REDRAW);
        if started.elapsed() < QUIET_PERIOD {
            continue;
        }
        let (phase, done, total) = progress::now();
        if phase.label().is_empty() {
            continue;
        }
        let counts = if total > 0 {
            format!(" {done}/{total}")
        } else {
            String::new()
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2Kvdc: {}{counts} ({:.0?})",
            phase.label(),
            started.elapsed()
        );
        let _ = err.flush();
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K");
        let _ = err.flush();
    }
}
