//! Helpers for the chapter's tests: skipping where io_uring is missing, and
//! a buffer that reports when it is freed.

#![allow(dead_code)] // each test file uses its own subset

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Runs `body` under the watchdog, or skips (saying why) where io_uring is
/// not available. Anywhere io_uring works, the test runs.
pub fn uring_test(name: &'static str, limit: Duration, body: impl FnOnce() + Send + 'static) {
    if completion::available_or_skip(name) {
        testkit::watchdog(name, limit, body);
    }
}

// ANCHOR: tracked
/// A buffer whose drop is visible from outside: the test holds the flag,
/// the operation owns the buffer.
pub struct Tracked {
    pub buf: Vec<u8>,
    freed: Arc<AtomicBool>,
}

impl Tracked {
    pub fn new(capacity: usize) -> (Tracked, Arc<AtomicBool>) {
        let freed = Arc::new(AtomicBool::new(false));
        let tracked = Tracked {
            buf: vec![0; capacity],
            freed: freed.clone(),
        };
        (tracked, freed)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.freed.store(true, Ordering::SeqCst);
    }
}
// ANCHOR_END: tracked
