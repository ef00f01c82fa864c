//! Counting the objects of one kind alive at once, so that a test holds a command to its memory
//! bound by counting what it holds, not by asking the allocator (which every test of a binary
//! shares).

use std::sync::atomic::{AtomicUsize, Ordering};

/// How many objects of one kind are alive, and the most that were at once since the last
/// [`Tally::reset_peak`].
#[derive(Debug)]
pub struct Tally {
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl Tally {
    pub const fn new() -> Tally {
        Tally {
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// A [`Held`] counted here while it lives.
    pub fn hold(&'static self) -> Held {
        let live = self.live.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(live, Ordering::Relaxed);
        Held(self)
    }

    /// The most objects alive at once since the last [`Tally::reset_peak`].
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    /// Starts a new [`Tally::peak`] from the objects alive now.
    pub fn reset_peak(&self) {
        self.peak
            .store(self.live.load(Ordering::Relaxed), Ordering::Relaxed);
    }
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new()
    }
}

/// One counted object: a field of it, which says nothing about its value (all are equal, and
/// print alike: an object's `Debug` text must not change with how many others are alive).
pub struct Held(&'static Tally);

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Held")
    }
}

impl Clone for Held {
    fn clone(&self) -> Held {
        self.0.hold()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::Relaxed);
    }
}

impl PartialEq for Held {
    fn eq(&self, _: &Held) -> bool {
        true
    }
}
