//! The hand-written `Delay` keeps the poll contract: it completes, it wakes
//! the waker from the newest poll, and a dropped delay wakes nobody.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

use waker::Delay;
use waker::wake_trait::WakeCounter;

#[test]
fn delay_completes_no_sooner_than_its_duration() {
    testkit::within("delay duration", || {
        let start = Instant::now();
        waker::block_on(Delay::new(Duration::from_millis(50)));
        assert!(start.elapsed() >= Duration::from_millis(50));
    });
}

#[test]
fn delay_is_pending_until_the_time_is_up_then_wakes_once() {
    testkit::within("pending then ready", || {
        let (counter, waker) = WakeCounter::new();
        let mut cx = Context::from_waker(&waker);
        let mut delay = pin!(Delay::new(Duration::from_millis(30)));
        assert!(delay.as_mut().poll(&mut cx).is_pending());
        while counter.wakes() == 0 {
            thread::sleep(Duration::from_millis(5));
        }
        assert!(delay.as_mut().poll(&mut cx).is_ready());
        assert_eq!(counter.wakes(), 1);
    });
}

// ANCHOR: newest_waker
#[test]
fn delay_wakes_the_waker_of_the_newest_poll() {
    testkit::within("newest waker", || {
        let (first, first_waker) = WakeCounter::new();
        let (second, second_waker) = WakeCounter::new();
        let mut delay = pin!(Delay::new(Duration::from_millis(30)));
        // Polled by one task, then (moved to) another before it fires.
        let pending = delay.as_mut().poll(&mut Context::from_waker(&first_waker));
        assert!(pending.is_pending());
        let pending = delay.as_mut().poll(&mut Context::from_waker(&second_waker));
        assert!(pending.is_pending());
        while second.wakes() == 0 {
            thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(first.wakes(), 0, "woke the task that no longer owns it");
        let ready = delay.as_mut().poll(&mut Context::from_waker(&second_waker));
        assert_eq!(ready, Poll::Ready(()));
    });
}
// ANCHOR_END: newest_waker

#[test]
fn a_dropped_delay_wakes_nobody() {
    testkit::within("dropped delay", || {
        let (counter, waker) = WakeCounter::new();
        let mut delay = Box::pin(Delay::new(Duration::from_millis(20)));
        assert!(
            delay
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
        );
        drop(delay);
        thread::sleep(Duration::from_millis(100));
        assert_eq!(counter.wakes(), 0);
    });
}
