//! Exercise 10.3: a kernel-timed sleep lasts its duration, runs alongside
//! others, and is cancelled (its slot freed) when dropped.

mod common;

use std::time::{Duration, Instant};

use common::uring_test;
use completion::Runtime;
use completion::exercises::kernel_sleep::kernel_sleep;

#[test]
fn kernel_sleeps_last_their_duration_and_overlap() {
    uring_test("kernel sleep", Duration::from_secs(10), || {
        let mut runtime = Runtime::new().unwrap();
        let start = Instant::now();
        runtime
            .block_on(kernel_sleep(Duration::from_millis(40)))
            .unwrap();
        assert!(start.elapsed() >= Duration::from_millis(40));

        let start = Instant::now();
        let in_flight = runtime.block_on(async {
            let a = executor::spawn(kernel_sleep(Duration::from_millis(60)));
            let b = executor::spawn(kernel_sleep(Duration::from_millis(60)));
            // Both spawned tasks run before this one runs again: each has
            // handed its timer to the ring.
            executor::yield_now().await;
            let in_flight = completion::Handle::current().unwrap().in_flight();
            a.await.unwrap().unwrap();
            b.await.unwrap().unwrap();
            in_flight
        });
        assert!(start.elapsed() >= Duration::from_millis(60));
        // Counted, not timed: both timers were in the kernel at once. (A
        // sleep that blocked the thread would have run the two one after the
        // other, and the count would be 0.)
        assert_eq!(in_flight, 2, "the sleeps did not run alongside each other");
    })
}

#[test]
fn a_dropped_kernel_sleep_is_cancelled() {
    uring_test("kernel sleep dropped", Duration::from_secs(10), || {
        let mut runtime = Runtime::new().unwrap();
        let outcome = runtime.block_on(timers::timeout(
            Duration::from_millis(20),
            kernel_sleep(Duration::from_secs(30)),
        ));
        // Err, and at once: waiting out the 30 s sleep would trip the 10 s
        // watchdog (no wall-time bound here, which load could stretch).
        assert!(outcome.is_err(), "a 30 s sleep finished in 20 ms");
        // One more turn reaps the cancelled timer: nothing stays in flight.
        runtime.block_on(timers::sleep(Duration::from_millis(10)));
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}
