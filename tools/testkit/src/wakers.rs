//! Wakers that tests hand to futures and drivers: one that counts its
//! wakes, and one that panics when woken (a waker is user code, and a
//! runtime must survive one that panics).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

/// Counts how often it is woken.
#[derive(Debug, Default)]
pub struct Counting(AtomicUsize);

impl Counting {
    /// A counter and a waker that increments it.
    pub fn new() -> (Arc<Counting>, Waker) {
        let counter = Arc::new(Counting::default());
        let waker = Waker::from(counter.clone());
        (counter, waker)
    }

    /// How many wakes so far.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker that panics when woken.
pub fn panicking() -> Waker {
    struct Panicking;
    impl Wake for Panicking {
        fn wake(self: Arc<Self>) {
            panic!("a waker that panics");
        }
    }
    Waker::from(Arc::new(Panicking))
}
