//! A value that tells the test when it was dropped.
//!
//! Moved into a future (or a task, or a buffer an operation owns), it says
//! whether that future was dropped: completed, cancelled, or freed with its
//! task. A test holds the flag; the code under test owns the `DropFlag`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Sets its flag when dropped.
#[derive(Debug)]
pub struct DropFlag(pub Arc<AtomicBool>);

impl DropFlag {
    /// A `DropFlag` and the flag it sets (false until it is dropped).
    pub fn new() -> (DropFlag, Arc<AtomicBool>) {
        let flag = Arc::new(AtomicBool::new(false));
        (DropFlag(flag.clone()), flag)
    }
}

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_is_set_on_drop_and_not_before() {
        let (guard, dropped) = DropFlag::new();
        assert!(!dropped.load(Ordering::SeqCst));
        drop(guard);
        assert!(dropped.load(Ordering::SeqCst));
    }
}
