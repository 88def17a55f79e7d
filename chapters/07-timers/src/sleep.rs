//! `Sleep`: a future that completes once its deadline has passed.
//!
//! It replaces chapter 1's `Delay`, which spent a whole thread sleeping for
//! each timer. A `Sleep` is a deadline and, once polled, an entry in the
//! runtime's timer store holding the waker of its latest poll. The driver
//! wakes it; dropping it removes the entry; `reset` moves it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::store::{Handle, Key};

// ANCHOR: sleep
/// A future that completes at (or, as the OS allows, just after) a deadline.
///
/// Like every future it does nothing until polled: it registers with the
/// timer store of the runtime that first polls it, so it can be created
/// outside a runtime (`rt.block_on(sleep(d))`).
///
/// # Panics
/// When a poll that must wait finds no timer driver on its thread (first
/// polled outside `Runtime::block_on` and its tasks): it could never be
/// woken (see [`Handle::current`](crate::Handle::current)). A sleep whose
/// deadline has passed completes without one.
///
/// # Cancel safety
/// Cancel safe: dropped before it completes, it leaves the timer store at
/// once, and nothing else happens. A `&mut Sleep` awaited in a `select`
/// and dropped loses nothing either: the sleep keeps its deadline and its
/// timer, and the next poll waits for the same instant.
pub struct Sleep {
    deadline: Instant,
    /// The store and our key in it, from the first `Pending` poll until the
    /// sleep completes or is dropped.
    entry: Option<(Handle, Key)>,
}

/// Completes `duration` from now. A duration too long for the clock
/// (`Duration::MAX`: "for ever") sleeps until [`far_future`] instead.
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(deadline_after(Instant::now(), duration))
}

/// Completes at `deadline` (at once if it has passed).
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        entry: None,
    }
}
// ANCHOR_END: sleep

// ANCHOR: far_future
/// `start + duration`, or [`far_future`] where the sum does not fit in an
/// `Instant`: `Instant + Duration` panics on overflow, and "wait
/// `Duration::MAX`" is a reasonable way to say "wait for ever".
pub fn deadline_after(start: Instant, duration: Duration) -> Instant {
    start.checked_add(duration).unwrap_or_else(far_future)
}

/// About 30 years from now: later than any deadline a program will see
/// pass, and small enough to fit. `Instant` has no `MAX`, and its range
/// depends on the platform's clock: tokio's `Instant::far_future` (in
/// `tokio/src/time/instant.rs`, used by its `sleep`, `timeout` and
/// `Interval` when the addition overflows) picks 30 years because 1000
/// overflow on macOS and 100 on FreeBSD.
pub fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365 * 30)
}
// ANCHOR_END: far_future

impl Sleep {
    /// When this sleep completes.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the deadline has passed.
    pub fn is_elapsed(&self) -> bool {
        Instant::now() >= self.deadline
    }

    // ANCHOR: reset
    /// Moves the deadline, earlier or later, even after the sleep completed
    /// (it then completes again at the new deadline). A task waiting on it
    /// keeps waiting, now for the new deadline: the waker moves with it.
    pub fn reset(&mut self, deadline: Instant) {
        self.deadline = deadline;
        if let Some((timers, key)) = self.entry.take() {
            // `None`: the old timer had fired; the next poll registers anew.
            self.entry = timers.reset(key, deadline).map(|key| (timers, key));
        }
    }
    // ANCHOR_END: reset
}

// ANCHOR: poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The clock decides, not the fact that we were woken: a wake can be
        // spurious, and a sleep must never complete early.
        if Instant::now() >= self.deadline {
            if let Some((timers, key)) = self.entry.take() {
                // Usually already gone (it fired); not if this task was
                // polled for another reason just after the deadline.
                timers.deregister(key);
            }
            return Poll::Ready(());
        }
        let deadline = self.deadline;
        match &self.entry {
            Some((timers, key)) if timers.set_waker(*key, cx.waker()) => {}
            // First poll, or polled again after a reset that found the old
            // timer fired: register (now, with the current runtime).
            _ => {
                let timers = match self.entry.take() {
                    Some((timers, _)) => timers,
                    None => Handle::current(),
                };
                let key = timers.register(deadline, cx.waker());
                self.entry = Some((timers, key));
            }
        }
        Poll::Pending
    }
}

impl Drop for Sleep {
    /// A sleep nobody waits for leaves the store now, not at its deadline.
    fn drop(&mut self) {
        if let Some((timers, key)) = self.entry.take() {
            timers.deregister(key);
        }
    }
}
// ANCHOR_END: poll

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("registered", &self.entry.is_some())
            .finish()
    }
}
