//! `Interval`: a tick every `period`, on a fixed grid that does not drift.
//!
//! The obvious loop, `loop { sleep(period).await; work().await }`, ticks
//! every `period + time of work + lateness`, and the error adds up: after
//! an hour of 1 s ticks with 2 ms of work each, it is 7 s behind. An
//! `Interval` computes tick n as `start + n * period`, from the start and
//! not from now, so each tick's lateness is its own and never carries over.
//!
//! When a tick is missed entirely (the task was busy for more than a
//! period), the missed ticks are skipped: the next tick is the next point
//! of the grid that is still in the future. Tokio calls this `Skip`; its
//! default, `Burst`, fires every missed tick back to back instead, and
//! `Delay` restarts the grid from the late tick (which drifts).

use std::fmt;
use std::time::{Duration, Instant};

use crate::sleep::{Sleep, deadline_after, far_future, sleep_until};

// ANCHOR: interval
/// Ticks at `start + period`, `start + 2 * period`, ... ; see the module
/// docs for what happens to missed ticks.
pub struct Interval {
    period: Duration,
    /// One sleep for the whole life of the interval, reset to each next
    /// tick, so ticking allocates nothing and keeps one store entry.
    sleep: Sleep,
    /// How many ticks were skipped because the task was late.
    skipped: u64,
}

/// An interval whose first tick is one `period` from now (or, for a period
/// too long for the clock, at [`far_future`]).
///
/// # Panics
/// If `period` is zero.
pub fn interval(period: Duration) -> Interval {
    interval_at(deadline_after(Instant::now(), period), period)
}

/// An interval whose first tick is at `start`.
///
/// # Panics
/// If `period` is zero.
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(!period.is_zero(), "an interval's period must not be zero");
    Interval {
        period,
        sleep: sleep_until(start),
        skipped: 0,
    }
}

impl Interval {
    /// Waits for the next tick; returns the instant it was scheduled for
    /// (not when it fired: the difference is the lateness).
    ///
    /// # Panics
    /// As [`Sleep`]'s, outside a runtime with a timer driver.
    ///
    /// # Cancel safety
    /// Cancel safe: no tick is lost. The future only borrows the interval's
    /// sleep, and moves to the next tick in the poll that returns; dropped
    /// before that, it leaves the same tick for the next `tick()` call.
    pub async fn tick(&mut self) -> Instant {
        // `Sleep` is `Unpin`, so a `&mut Sleep` is a future too: the sleep
        // is awaited in place, without being consumed.
        (&mut self.sleep).await;
        let scheduled = self.sleep.deadline();
        // A period too long for the clock: the next tick is "never", at
        // `far_future`, rather than a panic in `Instant + Duration`.
        let mut next = deadline_after(scheduled, self.period);
        let now = Instant::now();
        if next <= now {
            // Late by a period or more: skip to the first grid point after
            // now. Still `start + n * period`: the grid does not move.
            let behind = (now - next).as_nanos() / self.period.as_nanos() + 1;
            let behind = u32::try_from(behind).unwrap_or(u32::MAX);
            next = match self.period.checked_mul(behind) {
                Some(skip) => deadline_after(next, skip),
                None => far_future(),
            };
            self.skipped += u64::from(behind);
        }
        self.sleep.reset(next);
        scheduled
    }
    // ANCHOR_END: interval

    /// How many ticks were skipped so far because a tick came late.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The time between two ticks.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("period", &self.period)
            .field("next", &self.sleep.deadline())
            .field("skipped", &self.skipped)
            .finish()
    }
}
