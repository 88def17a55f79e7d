//! `sleep`: never early, not late beyond the OS, reset, and where it works.

mod common;

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use common::block_on_counted;
use timers::{Runtime, sleep, sleep_until};

// ANCHOR: never_early
#[test]
fn a_sleep_never_fires_early_and_is_late_by_little() {
    testkit::within("a_sleep_never_fires_early_and_is_late_by_little", || {
        let durations: Vec<_> = (0..20u64)
            // 1.0 ms to 2.9 ms: not whole milliseconds. A wait truncated to
            // the OS's millisecond would end before the deadline; the clock
            // checks must then park again, not fire.
            .map(|i| Duration::from_micros(1000 + i * 100))
            .collect();
        let each = durations.clone();
        let ((), waits) = block_on_counted(async move {
            for duration in each {
                let start = Instant::now();
                sleep(duration).await;
                let elapsed = start.elapsed();
                assert!(elapsed >= duration, "{duration:?} sleep took {elapsed:?}");
            }
        });
        // Late by little: every wait in the OS ends at the deadline (the
        // driver asks for no more than the time left), so how late a sleep
        // is comes down to how soon the kernel runs the thread. That is the
        // machine's business, and a busy one would fail a bound in wall time.
        let longest = durations.iter().max().unwrap();
        let timeouts = waits.timeouts();
        assert!(
            timeouts.iter().all(|t| t.is_some_and(|t| t <= *longest)),
            "the driver waited {timeouts:?} for sleeps of at most {longest:?}"
        );
        // About one wait per sleep (two when a wait returns a little early).
        assert!(
            timeouts.len() <= 3 * durations.len(),
            "{} waits",
            timeouts.len()
        );
    })
}
// ANCHOR_END: never_early

#[test]
fn a_deadline_in_the_past_completes_at_once_without_registering() {
    testkit::within("a_deadline_in_the_past_completes_at_once", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        rt.block_on(async {
            sleep_until(Instant::now() - Duration::from_millis(5)).await;
            sleep(Duration::ZERO).await;
            assert_eq!(timers.pending(), 0);
        });
    })
}

#[test]
fn a_sleep_created_outside_the_runtime_works_inside_it() {
    testkit::within("a_sleep_created_outside_the_runtime", || {
        let mut rt = Runtime::new().unwrap();
        let start = Instant::now();
        // Created before `block_on`: it registers on its first poll.
        rt.block_on(sleep(Duration::from_millis(20)));
        assert!(start.elapsed() >= Duration::from_millis(20));
    })
}

#[test]
#[should_panic(expected = "no timer driver on this thread")]
fn polling_a_sleep_outside_a_runtime_panics_with_a_message() {
    waker::block_on(sleep(Duration::from_millis(1)));
}

// ANCHOR: reset_test
#[test]
fn reset_moves_a_pending_sleep_earlier_and_later() {
    testkit::within("reset_moves_a_pending_sleep", || {
        let mut rt = Runtime::new().unwrap();
        rt.block_on(async {
            let start = Instant::now();
            let mut long = sleep(Duration::from_secs(3600));
            // Poll once so it is registered, waiting, with our waker.
            poll_fn(|cx| {
                assert!(std::pin::Pin::new(&mut long).poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            long.reset(start + Duration::from_millis(30));
            (&mut long).await;
            let elapsed = start.elapsed();
            // (Not moved earlier, it would wait its hour: the watchdog fails
            // that, with no wall-time bound a busy machine could stretch.)
            assert!(elapsed >= Duration::from_millis(30), "{elapsed:?}");
            // Reset after completion: it sleeps again, to the new deadline.
            long.reset(Instant::now() + Duration::from_millis(30));
            assert!(!long.is_elapsed());
            let again = Instant::now();
            (&mut long).await;
            assert!(again.elapsed() >= Duration::from_millis(29));
        });
    })
}
// ANCHOR_END: reset_test

/// A future that waits until `flag` is set by another thread.
fn until_set(flag: Arc<AtomicBool>, slot: Arc<Mutex<Option<Waker>>>) -> impl Future<Output = ()> {
    poll_fn(move |cx| {
        *slot.lock().unwrap() = Some(cx.waker().clone());
        if flag.load(Ordering::SeqCst) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
}

// ANCHOR: cross_thread
#[test]
fn a_timer_registered_from_another_thread_wakes_the_parked_driver() {
    testkit::within("a_timer_registered_from_another_thread", || {
        let mut rt = Runtime::new().unwrap();
        let timers = rt.timers().clone();
        let flag = Arc::new(AtomicBool::new(false));
        let slot: Arc<Mutex<Option<Waker>>> = Arc::default();
        let (done, waiter) = (flag.clone(), Arc::clone(&slot));
        let other = thread::spawn(move || {
            // Give the runtime time to park with no timeout at all.
            thread::sleep(Duration::from_millis(50));
            let _enter = timers.enter();
            let start = Instant::now();
            // Polled here, on a thread of its own: the driver chose its
            // (infinite) wait before this timer existed.
            waker::block_on(sleep(Duration::from_millis(20)));
            let elapsed = start.elapsed();
            done.store(true, Ordering::SeqCst);
            if let Some(waker) = waiter.lock().unwrap().take() {
                waker.wake();
            }
            elapsed
        });
        rt.block_on(until_set(flag, slot));
        let elapsed = other.join().unwrap();
        // Never early; and without the unpark it never fires at all, which
        // the watchdog fails (no wall-time upper bound: load stretches those).
        assert!(
            elapsed >= Duration::from_millis(20),
            "fired after {elapsed:?}"
        );
    })
}
// ANCHOR_END: cross_thread
