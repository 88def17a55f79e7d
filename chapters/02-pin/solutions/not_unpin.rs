//! Exercise 2.3, solved: `Largest` opts out of `Unpin`.

use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll};

/// The largest of four numbers, through a pointer into itself.
#[derive(Debug)]
pub struct Largest {
    numbers: [u32; 4],
    /// Null until the first poll; then points into `numbers`.
    largest: *const u32,
    /// Makes `Largest` `!Unpin`: once pinned, it stays where it is.
    _pinned: PhantomPinned,
}

impl Largest {
    /// A future over `numbers`, not polled yet.
    pub fn new(numbers: [u32; 4]) -> Largest {
        Largest {
            numbers,
            largest: ptr::null(),
            _pinned: PhantomPinned,
        }
    }
}

impl Future for Largest {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // SAFETY: we write fields in place and move nothing out of `*this`.
        let this = unsafe { self.get_unchecked_mut() };
        if this.largest.is_null() {
            let largest = this.numbers.iter().max().expect("four numbers");
            this.largest = ptr::from_ref(largest);
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        // SAFETY: `largest` points into `this.numbers`, set at an earlier
        // poll. We have been pinned since then, so we have not moved and
        // `numbers` is still there; nothing writes it while we read.
        Poll::Ready(unsafe { *this.largest })
    }
}
