//! The `Parker` is what makes `block_on` correct: a notification that comes
//! before the park is kept, and a wakeup that is not a notification is
//! ignored.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use waker::Parker;

// ANCHOR: wake_before_park
#[test]
fn wake_before_park_is_not_lost() {
    testkit::within("wake before park", || {
        let parker = Parker::new();
        // The wake comes first, through a `Waker` as a future would send it.
        parker.unparker().waker().wake();
        // The `notified` flag is already set, so this returns without
        // sleeping (if it slept, the watchdog would fail the test).
        parker.park();
    });
}
// ANCHOR_END: wake_before_park

/// The fact the page builds on: std keeps an `unpark` that comes before the
/// `park` as a token, and the `park` then returns at once. The `Parker`'s bit
/// is not needed for this order; it is needed because the token is shared.
#[test]
fn std_unpark_before_park_makes_park_return_at_once() {
    testkit::within("std unpark before park", || {
        thread::current().unpark();
        // Returns at once; if std lost the token, this would sleep until the
        // watchdog fails the test.
        thread::park();
    });
}

#[test]
fn wake_from_another_thread_ends_park() {
    testkit::within("wake from another thread", || {
        let parker = Parker::new();
        let waker = parker.unparker().waker();
        let waking = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            waker.wake_by_ref();
        });
        parker.park();
        waking.join().unwrap();
    });
}

#[test]
fn a_notification_is_consumed_by_one_park() {
    testkit::within("consumed once", || {
        let parker = Parker::new();
        let unparker = parker.unparker();
        // Two notifications before a park count as one: the second park
        // must wait for a new one.
        unparker.unpark();
        unparker.unpark();
        assert!(parker.park_timeout(Duration::from_secs(1)));
        assert!(!parker.park_timeout(Duration::from_millis(20)));
    });
}

// ANCHOR: spurious_park
#[test]
fn spurious_unparks_do_not_end_park() {
    testkit::within("spurious unparks", || {
        let parker = Parker::new();
        let unparker = parker.unparker();
        let me = thread::current();
        let really_woken = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&really_woken);
        let pest = thread::spawn(move || {
            // `Thread::unpark` is exactly what a spurious wakeup looks like
            // to `thread::park`: it returns without anyone meaning it.
            for _ in 0..200 {
                me.unpark();
                thread::sleep(Duration::from_micros(100));
            }
            flag.store(true, Ordering::SeqCst);
            unparker.unpark();
        });
        parker.park();
        // `park` may only return after the real notification.
        assert!(really_woken.load(Ordering::SeqCst), "park returned early");
        pest.join().unwrap();
    });
}
// ANCHOR_END: spurious_park

// ANCHOR: park_timeout_test
#[test]
fn park_timeout_times_out_and_reports_it() {
    testkit::within("park_timeout", || {
        let parker = Parker::new();
        let me = thread::current();
        let pest = thread::spawn(move || {
            for _ in 0..20 {
                me.unpark();
                thread::sleep(Duration::from_millis(1));
            }
        });
        let start = Instant::now();
        let notified = parker.park_timeout(Duration::from_millis(100));
        let waited = start.elapsed();
        pest.join().unwrap();
        assert!(!notified, "reported a notification nobody sent");
        assert!(
            waited >= Duration::from_millis(100),
            "woke early: {waited:?}"
        );
    });
}
// ANCHOR_END: park_timeout_test

#[test]
fn park_timeout_reports_a_notification() {
    testkit::within("park_timeout notified", || {
        let parker = Parker::new();
        let unparker = parker.unparker();
        let waking = thread::spawn(move || {
            thread::sleep(Duration::from_millis(20));
            unparker.unpark();
        });
        // An hour: a parker that missed the unpark would wait it out, and the
        // watchdog fails it long before (no wall-time bound to stretch).
        assert!(parker.park_timeout(Duration::from_secs(3600)));
        waking.join().unwrap();
    });
}
