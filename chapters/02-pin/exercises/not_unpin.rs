//! Exercise 2.3: a self-referential future that cannot be moved.
//!
//! Goal: `Largest` finds the largest of its numbers at its first poll and
//! keeps a pointer to it, *into its own array*; it waits once (waking
//! itself), and its second poll returns the number the pointer points at.
//! Moving it after the first poll would leave that pointer aimed at the old
//! place, so make the compiler refuse: `Largest` must not be `Unpin`. Then
//! write `poll`. Moving it *before* the first poll must stay fine.

use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll};

/// The largest of four numbers, through a pointer into itself.
#[derive(Debug)]
pub struct Largest {
    numbers: [u32; 4],
    /// Null until the first poll; then points into `numbers`.
    largest: *const u32,
    // TODO: as it stands, `Largest` is `Unpin`, so safe code can move it
    // between two polls. Make it `!Unpin`.
}

impl Largest {
    /// A future over `numbers`, not polled yet.
    pub fn new(numbers: [u32; 4]) -> Largest {
        Largest {
            numbers,
            largest: ptr::null(),
        }
    }
}

impl Future for Largest {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<u32> {
        // TODO: at the first poll, point `largest` at the largest number,
        // wake the waker and return `Pending`; at the next, return the
        // number it points at. Each `unsafe` needs its `// SAFETY:`.
        let _fields = (&self.numbers, self.largest);
        todo!()
    }
}
