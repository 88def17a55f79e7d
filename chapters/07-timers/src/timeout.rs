//! `timeout`: run a future, but give up on it at a deadline.
//!
//! The whole combinator is "poll the future, then poll a `Sleep`". What
//! makes it correct is what happens to the loser: if the future wins, the
//! `Timeout` is dropped and its sleep leaves the timer store at once; if the
//! sleep wins, the future is dropped, which cancels it (a socket read simply
//! stops waiting).

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::sleep::{Sleep, deadline_after, sleep_until};

// ANCHOR: timeout
/// Runs `future` for at most `duration`: its output, or [`Elapsed`]. A
/// duration too long for the clock (`Duration::MAX`: "no timeout") gives
/// up at [`far_future`](crate::sleep::far_future) instead.
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    timeout_at(deadline_after(Instant::now(), duration), future)
}

/// Runs `future` until `deadline` at most: its output, or [`Elapsed`].
pub fn timeout_at<F: Future>(deadline: Instant, future: F) -> Timeout<F> {
    Timeout {
        future,
        sleep: sleep_until(deadline),
    }
}

/// The future returned by [`timeout`].
///
/// When the deadline wins, the future is not dropped by the poll that
/// returns [`Elapsed`]: it is dropped with the `Timeout`.
///
/// # Panics
/// As [`Sleep`]'s: if the future is not ready on a poll and no timer driver
/// is on this thread; and whatever the future's poll panics with.
///
/// # Cancel safety
/// Exactly the future's: dropping the `Timeout` drops the future (which
/// loses what that future loses when dropped) and removes its timer;
/// the timeout adds no loss of its own.
pub struct Timeout<F> {
    future: F,
    sleep: Sleep,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: `future` is structurally pinned: it is never moved out of
        // the `Timeout` (no method hands it out by value, and `Timeout` has
        // no `Drop` impl that could move it), so a `Pin<&mut F>` to it keeps
        // the pin's promise. `sleep` is `Unpin` and is not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        // SAFETY: see above; `this.future` stays where it is until dropped.
        let future = unsafe { Pin::new_unchecked(&mut this.future) };
        // The future first: if it is ready at the deadline, its result is
        // worth more than an error.
        if let Poll::Ready(output) = future.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match Pin::new(&mut this.sleep).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed {
                deadline: this.sleep.deadline(),
            })),
            Poll::Pending => Poll::Pending,
        }
    }
}
// ANCHOR_END: timeout

// ANCHOR: elapsed
/// The deadline of a [`timeout`] passed before its future completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed {
    deadline: Instant,
}

impl Elapsed {
    /// The deadline that passed.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl Error for Elapsed {}

/// An I/O operation that timed out is an I/O error of kind `TimedOut`, so
/// `timeout(d, read).await??` works in a function returning `io::Result`.
impl From<Elapsed> for io::Error {
    fn from(elapsed: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, elapsed)
    }
}
// ANCHOR_END: elapsed

impl<F> fmt::Debug for Timeout<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("sleep", &self.sleep)
            .finish_non_exhaustive()
    }
}
