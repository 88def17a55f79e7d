//! While only timers are pending, the runtime sleeps in the OS: it uses
//! almost no CPU. The seed's designs, rebuilt in `timers::counterexample::fixed_tick`, are
//! measured next to it: a fixed tick is late, a zero tick spins. Spinning is
//! counted in waits (trips to the OS), not in CPU time, which depends on
//! what else the machine is doing.

mod common;

use std::future::Future;
use std::time::{Duration, Instant};

use common::CountingPark;
use executor::ThreadPark;
use reactor::Reactor;
use timers::counterexample::fixed_tick::FixedTickPark;
use timers::{TimerDriver, interval, sleep, spawn};

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
        // The runtime's own stack, with a counter between the timer driver
        // and the reactor: every wait recorded is one epoll_wait.
        let reactor = Reactor::new().unwrap();
        let _io = reactor.handle().enter();
        let (reactor, waits) = CountingPark::new(reactor);
        let driver = TimerDriver::new(reactor);
        let timers = driver.handle();
        run_on(driver, timers, only_timers());
        // 29 deadlines (ten sleeps, nineteen ticks), each worth a wait or
        // two (the one that ends at the deadline, and one after the woken
        // task's wake). A spinning loop would wait thousands of times. Load
        // cannot push the count up: a late wake-up only finds more due.
        let waits = waits.count();
        assert!(
            waits <= 3 * 29,
            "the runtime waited {waits} times for 29 deadlines: it spins"
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
        let (inner, ticks) = CountingPark::new(ThreadPark::new());
        let park = FixedTickPark::new(inner, tick);
        let timers = park.handle();
        let start = Instant::now();
        run_on(park, timers, sleep(Duration::from_millis(5)));
        let elapsed = start.elapsed();
        // Due after 5 ms, noticed when the 100 ms wait ends. (A lower bound:
        // a busy machine only makes the sleep later.)
        assert!(elapsed >= tick, "a 5 ms sleep took only {elapsed:?}");
        assert_eq!(ticks.timeouts()[0], Some(tick));

        // The same sleep on the real driver, over the same thread parker:
        // its waits end at the deadline, 5 ms away at most, never a tick.
        let (inner, waits) = CountingPark::new(ThreadPark::new());
        let driver = TimerDriver::new(inner);
        let timers = driver.handle();
        run_on(driver, timers, sleep(Duration::from_millis(5)));
        let timeouts = waits.timeouts();
        assert!(
            timeouts
                .iter()
                .all(|t| t.is_some_and(|t| t <= Duration::from_millis(5))),
            "the driver waited {timeouts:?} for a 5 ms sleep"
        );
    })
}

#[test]
fn a_zero_tick_spins_while_only_timers_are_pending() {
    testkit::within("a_zero_tick_spins", || {
        let sleeps = || sleep(Duration::from_millis(300));
        // The counter-example, its waits counted...
        let (inner, spins) = CountingPark::new(ThreadPark::new());
        let park = FixedTickPark::new(inner, Duration::ZERO);
        let timers = park.handle();
        run_on(park, timers, sleeps());
        // ... and the control in the same test: the real driver, same sleep.
        let (inner, waits) = CountingPark::new(ThreadPark::new());
        let driver = TimerDriver::new(inner);
        let timers = driver.handle();
        run_on(driver, timers, sleeps());
        // One timer fired in each. The driver waited for it once or twice;
        // the zero tick went back to the OS with nothing to wait for over
        // and over, hundreds of times even if a busy machine gives it only
        // a sliver of a core.
        let (spins, waits) = (spins.count(), waits.count());
        assert!(waits <= 3, "the real driver waited {waits} times");
        assert!(
            spins >= 100 * waits,
            "a zero tick waited only {spins} times for one timer: no spin"
        );
    })
}
// ANCHOR_END: fixed_tick_tests
