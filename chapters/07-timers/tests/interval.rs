//! `interval`: ticks on the grid `start + n * period`, whatever the work.

use std::thread;
use std::time::{Duration, Instant};

use timers::{Runtime, interval_at};

const PERIOD: Duration = Duration::from_millis(20);

// ANCHOR: drift_test
#[test]
fn an_interval_does_not_drift_when_each_tick_does_work() {
    testkit::within("an_interval_does_not_drift", || {
        let mut rt = Runtime::new().unwrap();
        rt.block_on(async {
            let start = Instant::now() + PERIOD;
            let mut ticks = interval_at(start, PERIOD);
            for n in 0..20u32 {
                let scheduled = ticks.tick().await;
                let now = Instant::now();
                assert_eq!(scheduled, start + PERIOD * n, "tick {n} is off the grid");
                assert!(now >= scheduled, "tick {n} fired early");
                // Work that takes a quarter of a period (blocking, on
                // purpose): `sleep(PERIOD)` in a loop would add it up.
                thread::sleep(PERIOD / 4);
            }
            // 20 ticks end at start + 19 periods; a loop of sleeps would be
            // 19 * 5 ms = 95 ms later than that.
            let late = Instant::now() - (start + PERIOD * 19);
            assert!(late < Duration::from_millis(50), "drifted by {late:?}");
            assert_eq!(ticks.skipped(), 0);
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
            // Busy for 2.5 periods: ticks 1 and 2 are missed.
            thread::sleep(PERIOD * 5 / 2);
            // Tick 1 was already set up when the work began: it fires at
            // once, late.
            assert_eq!(ticks.tick().await, start + PERIOD);
            // Tick 2's time has passed as well: skipped, not fired in a
            // burst. The next tick is 3, on the original grid.
            let next = ticks.tick().await;
            assert_eq!(next, start + PERIOD * 3);
            assert!(Instant::now() >= next);
            assert_eq!(ticks.skipped(), 1);
        });
    })
}
// ANCHOR_END: skip_test
