//! While only timers are pending, the runtime sleeps in the OS: it uses
//! almost no CPU. The seed's designs, rebuilt in `timers::fixed_tick`, are
//! measured next to it: a fixed tick is late, a zero tick spins.

mod common;

use std::future::Future;
use std::time::{Duration, Instant};

use common::measure;
use executor::ThreadPark;
use timers::fixed_tick::FixedTickPark;
use timers::{Runtime, TimerDriver, interval, sleep, spawn};

/// A second of nothing but timers: sleeps of every length, and an interval.
async fn only_timers() {
    let sleepers: Vec<_> = (1..=10u64)
        .map(|i| spawn(sleep(Duration::from_millis(100 * i))))
        .collect();
    let mut ticks = interval(Duration::from_millis(50));
    for _ in 0..19 {
        ticks.tick().await;
    }
    for sleeper in sleepers {
        sleeper.await.unwrap();
    }
}

// ANCHOR: idle_test
#[test]
fn the_runtime_uses_almost_no_cpu_while_only_timers_are_pending() {
    testkit::within("almost_no_cpu_while_only_timers", || {
        let mut rt = Runtime::new().unwrap();
        let ((), wall, cpu) = measure(|| rt.block_on(only_timers()));
        assert!(wall >= Duration::from_millis(1000), "{wall:?}");
        // A few dozen wakeups, each a few microseconds of work: the rest of
        // the second is spent blocked in epoll_wait.
        assert!(
            cpu < wall / 50,
            "the runtime used {cpu:?} of CPU over {wall:?} of timers"
        );
    })
}
// ANCHOR_END: idle_test

/// Runs `future` on an executor parked in `park`, with `park`'s timer store
/// current, the way `timers::Runtime` does with the real driver.
fn run_on<P: executor::Park, T>(
    park: P,
    timers: timers::Handle,
    future: impl Future<Output = T>,
) -> T {
    let _enter = timers.enter();
    executor::Runtime::with_park(park).block_on(future)
}

// ANCHOR: fixed_tick_tests
#[test]
fn a_fixed_tick_fires_a_short_sleep_late_by_up_to_the_tick() {
    testkit::within("a_fixed_tick_is_late", || {
        let tick = Duration::from_millis(100);
        let park = FixedTickPark::new(ThreadPark::new(), tick);
        let timers = park.handle();
        let start = Instant::now();
        run_on(park, timers, sleep(Duration::from_millis(5)));
        let elapsed = start.elapsed();
        // Due after 5 ms, noticed when the 100 ms wait ends.
        assert!(elapsed >= tick, "a 5 ms sleep took only {elapsed:?}");

        // The same sleep on the real driver, over the same thread parker.
        let driver = TimerDriver::new(ThreadPark::new());
        let timers = driver.handle();
        let start = Instant::now();
        run_on(driver, timers, sleep(Duration::from_millis(5)));
        let elapsed = start.elapsed();
        assert!(elapsed < Duration::from_millis(50), "5 ms took {elapsed:?}");
    })
}

#[test]
fn a_zero_tick_spins_while_only_timers_are_pending() {
    testkit::within("a_zero_tick_spins", || {
        let park = FixedTickPark::new(ThreadPark::new(), Duration::ZERO);
        let timers = park.handle();
        let ((), wall, cpu) = measure(|| run_on(park, timers, sleep(Duration::from_millis(300))));
        // A spinning thread uses all the CPU the scheduler gives it: a
        // whole core on an idle machine, its share of two on a busy one.
        assert!(cpu > wall / 5, "only {cpu:?} of CPU over {wall:?}: no spin");
    })
}
// ANCHOR_END: fixed_tick_tests
