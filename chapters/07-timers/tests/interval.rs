//! `interval`: ticks on the grid `start + n * period`, whatever the work.

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::thread;
use std::time::{Duration, Instant};

use timers::{Runtime, interval_at};

const PERIOD: Duration = Duration::from_millis(20);

// ANCHOR: drift_test
#[test]
fn an_interval_does_not_drift_when_each_tick_does_work() {
    testkit::within("an_interval_does_not_drift", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        rt.block_on(async {
            let start = Instant::now() + PERIOD;
            let mut ticks = interval_at(start, PERIOD);
            let grid = |n: u64| start + PERIOD * u32::try_from(n).unwrap();
            let mut fired = 0;
            while fired < 20 {
                let skipped = ticks.skipped();
                // The deadline the tick waits for, read from the timer store
                // while it is pending.
                let mut waited_for = None;
                let scheduled = {
                    let mut tick = pin!(ticks.tick());
                    poll_fn(|cx| {
                        let poll = tick.as_mut().poll(cx);
                        if poll.is_pending() {
                            waited_for = timers.next_deadline();
                        }
                        poll
                    })
                    .await
                };
                let now = Instant::now();
                // Tick `fired`, unless ticks were skipped because this task
                // came late (a busy machine can make it): still on the grid.
                assert_eq!(
                    scheduled,
                    grid(fired + skipped),
                    "tick {fired} is off the grid"
                );
                assert!(now >= scheduled, "tick {fired} fired early");
                // And it waited for that grid point, whenever the tick before
                // it fired: `sleep(PERIOD)` in a loop would wait until a
                // period after the last tick's work, and drift by it.
                if let Some(deadline) = waited_for {
                    assert_eq!(deadline, scheduled, "tick {fired} waited off the grid");
                }
                // Work that takes a quarter of a period (blocking, on
                // purpose).
                thread::sleep(PERIOD / 4);
                fired += 1;
            }
        });
    })
}
// ANCHOR_END: drift_test

// ANCHOR: skip_test
#[test]
fn missed_ticks_are_skipped_and_the_grid_is_kept() {
    testkit::within("missed_ticks_are_skipped", || {
        let mut rt = Runtime::new().unwrap();
        rt.block_on(async {
            let start = Instant::now() + PERIOD;
            let mut ticks = interval_at(start, PERIOD);
            assert_eq!(ticks.tick().await, start);
            // Busy for 2.5 periods: ticks 1 and 2 are missed (and more, if
            // a busy machine ran this task late).
            thread::sleep(PERIOD * 5 / 2);
            // Tick 1 was already set up when the work began: it fires at
            // once, late.
            let before = Instant::now();
            assert_eq!(ticks.tick().await, start + PERIOD);
            let after = Instant::now();
            // The ticks whose time has passed are skipped, not fired in a
            // burst: the next one is the first grid point after tick 1 fired.
            let next = ticks.tick().await;
            let skipped = ticks.skipped();
            assert!(skipped >= 1, "tick 2's time had passed; none skipped");
            assert_eq!(next, start + PERIOD * (2 + skipped as u32), "off the grid");
            assert!(next > before, "a tick whose time had passed fired");
            assert!(next - PERIOD <= after, "skipped a tick still to come");
            assert!(Instant::now() >= next);
        });
    })
}
// ANCHOR_END: skip_test
