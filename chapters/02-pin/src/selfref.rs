//! A future that points into itself, as the compiler's futures do.
//!
//! `sum_two`'s `first` borrows `buf`, and both live inside the future, so
//! after the first poll the future holds a pointer to one of its own fields.
//! Safe Rust cannot write that (no lifetime names "my own field"), so
//! [`SelfRef`] writes it with a raw pointer. Moving it after the first poll
//! would leave the pointer aimed at the old place: `tests/moved_after_poll.rs`
//! shows Miri catching exactly that. What makes it sound is `Pin`: `SelfRef`
//! is `!Unpin`, so safe code can poll it only through a pin, and a pinned
//! value is never moved again.

use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll};

// ANCHOR: selfref
/// Sums the first two numbers of its buffer through a pointer into itself.
#[derive(Debug)]
pub struct SelfRef {
    buf: [u32; 3],
    /// Null until the first poll; then points at `buf[..2]`, in this very
    /// struct.
    first: *const [u32],
    /// Opts out of `Unpin`: without it, `Pin` would promise nothing here.
    _pinned: PhantomPinned,
}

impl SelfRef {
    /// A future over `buf` that has not been polled yet (and may still be
    /// moved freely: nothing points into it).
    pub fn new(buf: [u32; 3]) -> SelfRef {
        SelfRef {
            buf,
            first: ptr::slice_from_raw_parts(ptr::null(), 0),
            _pinned: PhantomPinned,
        }
    }
}

impl Future for SelfRef {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // SAFETY: we only write fields in place and never move `*this` (or
        // a field of it) out, so the pin's promise holds for what follows.
        let this = unsafe { self.get_unchecked_mut() };
        if this.first.is_null() {
            // First poll: point into ourselves, then wait (once).
            this.first = ptr::from_ref(&this.buf[..2]);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        // SAFETY: `first` was set by an earlier poll to point into
        // `this.buf`. We were pinned at that poll, and a pinned value stays
        // at its address until it is dropped, so `buf` is still exactly
        // there, initialised, and nothing writes it while we read.
        let first = unsafe { &*this.first };
        Poll::Ready(first.iter().sum())
    }
}
// ANCHOR_END: selfref
