//! `sleep`: never early, not late beyond the OS, reset, and where it works.

mod common;

use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use common::median;
use timers::{Runtime, sleep, sleep_until};

// ANCHOR: never_early
#[test]
fn a_sleep_never_fires_early_and_is_late_by_little() {
    testkit::within("a_sleep_never_fires_early_and_is_late_by_little", || {
        let mut rt = Runtime::new().unwrap();
        let lateness = rt.block_on(async {
            let mut lateness = Vec::new();
            for i in 0..20u64 {
                // 1.0 ms to 2.9 ms: not whole milliseconds. A wait truncated
                // to the OS's millisecond would end before the deadline; the
                // clock checks must then park again, not fire.
                let duration = Duration::from_micros(1000 + i * 100);
                let start = Instant::now();
                sleep(duration).await;
                let elapsed = start.elapsed();
                assert!(elapsed >= duration, "{duration:?} sleep took {elapsed:?}");
                lateness.push(elapsed - duration);
            }
            lateness
        });
        // epoll waits whole milliseconds (mio rounds up), plus the time for
        // the kernel to schedule the thread: a few ms, even on a busy box.
        let typical = median(lateness.clone());
        assert!(
            typical < Duration::from_millis(5),
            "median lateness {typical:?}"
        );
        let worst = lateness.iter().max().unwrap();
        assert!(
            *worst < Duration::from_millis(100),
            "worst lateness {worst:?}"
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
            assert!(elapsed >= Duration::from_millis(30), "{elapsed:?}");
            assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
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
        assert!(elapsed >= Duration::from_millis(20));
        assert!(elapsed < Duration::from_secs(2), "fired after {elapsed:?}");
    })
}
// ANCHOR_END: cross_thread
