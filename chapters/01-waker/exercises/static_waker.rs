//! Exercise 1.3: a waker without an `Arc`.
//!
//! Goal: write `counting_waker(counter)`, a `Waker` whose data pointer is
//! the `&'static AtomicUsize` itself, with your own `RawWakerVTable`. Each
//! wake (by value or by reference, from any thread, of any clone) adds one
//! to the counter; dropping a waker changes nothing; two wakers over the same
//! counter `will_wake` each other, wakers over different counters do not.
//! No allocation and no reference count: the `'static` lifetime does the job.

use std::sync::atomic::AtomicUsize;
use std::task::Waker;

/// A waker that adds one to `counter` each time it is woken.
pub fn counting_waker(_counter: &'static AtomicUsize) -> Waker {
    // TODO: build a `RawWaker` from the counter's address and a vtable of
    // four `unsafe fn`s (clone, wake, wake_by_ref, drop), then
    // `unsafe { Waker::from_raw(..) }` with a `// SAFETY:` comment.
    todo!()
}
