//! Exercise 1.3 (`cargo ex check static-waker`): a waker without an `Arc`.

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Context;
use std::thread;
use std::time::Duration;

use waker::Delay;
use waker::exercises::static_waker::counting_waker;

#[test]
fn wake_and_wake_by_ref_each_count_once() {
    static WAKES: AtomicUsize = AtomicUsize::new(0);
    testkit::within("count", || {
        let waker = counting_waker(&WAKES);
        waker.wake_by_ref();
        waker.wake_by_ref();
        assert_eq!(WAKES.load(Ordering::SeqCst), 2);
        waker.wake();
        assert_eq!(WAKES.load(Ordering::SeqCst), 3);
    });
}

#[test]
fn clones_wake_the_same_counter_and_drops_change_nothing() {
    static WAKES: AtomicUsize = AtomicUsize::new(0);
    testkit::within("clones", || {
        let waker = counting_waker(&WAKES);
        let clones: Vec<_> = (0..5).map(|_| waker.clone()).collect();
        drop(waker);
        assert_eq!(WAKES.load(Ordering::SeqCst), 0, "a drop woke");
        for clone in clones {
            clone.wake();
        }
        assert_eq!(WAKES.load(Ordering::SeqCst), 5);
    });
}

#[test]
fn wakers_over_one_counter_will_wake_each_other() {
    static ONE: AtomicUsize = AtomicUsize::new(0);
    static OTHER: AtomicUsize = AtomicUsize::new(0);
    testkit::within("will_wake", || {
        let waker = counting_waker(&ONE);
        assert!(waker.will_wake(&waker.clone()));
        assert!(waker.will_wake(&counting_waker(&ONE)));
        assert!(!waker.will_wake(&counting_waker(&OTHER)));
    });
}

#[test]
fn wakes_from_another_thread_through_a_real_future() {
    static WAKES: AtomicUsize = AtomicUsize::new(0);
    testkit::within("delay", || {
        let waker = counting_waker(&WAKES);
        let mut cx = Context::from_waker(&waker);
        let mut delay = pin!(Delay::new(Duration::from_millis(20)));
        assert!(delay.as_mut().poll(&mut cx).is_pending());
        // The delay's thread wakes the waker it stored: our counter moves.
        while WAKES.load(Ordering::SeqCst) == 0 {
            thread::sleep(Duration::from_millis(2));
        }
        assert!(delay.as_mut().poll(&mut cx).is_ready());
        assert_eq!(WAKES.load(Ordering::SeqCst), 1);
    });
}
