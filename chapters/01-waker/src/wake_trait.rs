//! The same waker, the safe way: `std::task::Wake`.
//!
//! `impl Wake for T` plus `Waker::from(Arc<T>)` generates exactly the vtable
//! that `raw_waker.rs` writes by hand. Use it whenever the waker's data is an
//! `Arc`; write the vtable yourself only when it is not (a task header with
//! its own reference count, a waker that needs no allocation at all, or code
//! without `alloc`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

// ANCHOR: counting_wake
/// A waker that only counts how often it was woken: handy in tests and demos.
#[derive(Debug, Default)]
pub struct WakeCounter {
    wakes: AtomicUsize,
}

impl WakeCounter {
    /// A new counter and a waker that bumps it.
    pub fn new() -> (Arc<Self>, Waker) {
        let counter = Arc::new(Self::default());
        let waker = Waker::from(counter.clone());
        (counter, waker)
    }

    /// How many times `wake` or `wake_by_ref` ran.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: counting_wake
