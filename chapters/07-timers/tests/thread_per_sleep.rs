//! Why not a thread per sleep: chapter 1's `Delay` costs a thread for each
//! timer, and a cancelled `Delay`'s thread sleeps on regardless. A `Sleep`
//! costs an entry in the store, which a cancellation removes.
//!
//! The test counts the process's threads, so it is alone in its binary:
//! another test running alongside would start threads of its own.

use std::time::Duration;

use futures::future::join_all;
use timers::{Runtime, sleep, timeout};
use waker::Delay;

/// The process's thread count, from the kernel.
fn threads() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .expect("a Threads: line")
        .trim()
        .parse()
        .expect("a number")
}

const TIMERS: usize = 500;

// ANCHOR: threads_test
#[test]
fn a_thread_per_sleep_costs_a_thread_each_and_outlives_its_cancellation() {
    testkit::within("a_thread_per_sleep", || {
        let mut rt = Runtime::new().unwrap();
        let long = Duration::from_millis(500);
        let patience = Duration::from_millis(50);

        // This chapter's sleeps: 500 pending, cancelled by a timeout.
        let before = threads();
        let sleeps = join_all((0..TIMERS).map(|_| sleep(long)));
        assert!(rt.block_on(timeout(patience, sleeps)).is_err());
        assert_eq!(threads(), before, "sleeps started threads");
        assert_eq!(rt.timers().pending(), 0, "cancelled sleeps stayed");

        // Chapter 1's delays: the same 500 timers, the same timeout.
        let delays = join_all((0..TIMERS).map(|_| Delay::new(long)));
        assert!(rt.block_on(timeout(patience, delays)).is_err());
        // Cancelled, yet every one of their threads is still asleep.
        let after = threads();
        assert!(
            after >= before + TIMERS,
            "{TIMERS} cancelled delays left only {} threads",
            after - before
        );
    })
}
// ANCHOR_END: threads_test
