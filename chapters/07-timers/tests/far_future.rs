//! Durations too long for the clock: `Instant + Duration` panics when the
//! sum cannot be represented, so `sleep(Duration::MAX)` ("sleep for ever"),
//! `timeout(Duration::MAX, f)` ("no timeout") and an interval with a huge
//! period must not add blindly. They saturate to a far-future deadline, as
//! tokio does, and simply stay pending.

use std::time::{Duration, Instant};

use timers::{Runtime, interval, interval_at, sleep, timeout};

/// Less than the 30 years the deadline saturates to: any later deadline is
/// "for ever" as far as a test (or a server) can tell.
const DECADES: Duration = Duration::from_secs(86_400 * 365 * 29);

/// A short wait that proves `future` is still pending after it.
const SHORT: Duration = Duration::from_millis(10);

#[test]
fn sleep_for_duration_max_saturates_and_stays_pending() {
    testkit::within("sleep(Duration::MAX)", || {
        let forever = sleep(Duration::MAX);
        assert!(forever.deadline() > Instant::now() + DECADES);
        let mut rt = Runtime::new().unwrap();
        assert!(rt.block_on(timeout(SHORT, forever)).is_err());
        assert_eq!(rt.timers().pending(), 0, "the dropped sleep left the store");
    })
}

#[test]
fn a_timeout_of_duration_max_never_fires_and_returns_the_output() {
    testkit::within("timeout(Duration::MAX, f)", || {
        let mut rt = Runtime::new().unwrap();
        let output = rt.block_on(timeout(Duration::MAX, async {
            sleep(SHORT).await;
            7
        }));
        assert_eq!(output, Ok(7));
    })
}

#[test]
fn an_interval_with_a_huge_period_ticks_once_then_waits() {
    testkit::within("interval(Duration::MAX)", || {
        let mut rt = Runtime::new().unwrap();
        // Created with `interval`: its first tick is one period away.
        let mut first_far = interval(Duration::MAX);
        assert!(rt.block_on(timeout(SHORT, first_far.tick())).is_err());
        // Started now: the first tick is at once, the next never comes.
        let mut ticks = interval_at(Instant::now(), Duration::MAX);
        rt.block_on(ticks.tick());
        assert!(rt.block_on(timeout(SHORT, ticks.tick())).is_err());
    })
}
