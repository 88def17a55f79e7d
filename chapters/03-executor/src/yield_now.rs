//! `yield_now`: let the other tasks run.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: yield_now
/// Returns `Pending` once, after waking itself, so the executor puts the task
/// at the back of the run queue and runs everyone queued before it first.
///
/// # Cancel safety
/// Cancel safe: it holds nothing. Dropped after its first poll, it leaves
/// only the wake it made, and the task is polled once more for nothing.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // Without this wake the task would never be polled again: returning
        // Pending is a promise that somebody will wake it.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_now
