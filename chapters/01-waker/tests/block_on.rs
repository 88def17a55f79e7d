//! `block_on` runs a future to completion on the calling thread, sleeping
//! between polls, and polls again exactly when the future asked for it.

use std::future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::Poll;
use std::thread;
use std::time::Duration;

use waker::{Delay, block_on};

#[test]
fn block_on_returns_the_output() {
    let output = testkit::within("output", || block_on(async { "the answer".len() + 32 }));
    assert_eq!(output, 42);
}

#[test]
fn block_on_waits_for_a_future_completed_by_another_thread() {
    let output = testkit::within("delay", || {
        block_on(async {
            Delay::new(Duration::from_millis(20)).await;
            Delay::new(Duration::from_millis(20)).await;
            "done"
        })
    });
    assert_eq!(output, "done");
}

// ANCHOR: wake_during_poll
#[test]
fn wake_from_another_thread_during_poll_is_not_lost() {
    let polls = testkit::within("wake during poll", || {
        let mut polls = 0;
        block_on(future::poll_fn(|cx| {
            polls += 1;
            if polls == 2 {
                return Poll::Ready(polls);
            }
            // The wake happens, on another thread, before this poll even
            // returns `Pending`: long before `block_on` parks.
            let waker = cx.waker().clone();
            thread::spawn(move || waker.wake()).join().unwrap();
            Poll::Pending
        }))
    });
    assert_eq!(polls, 2);
}
// ANCHOR_END: wake_during_poll

// ANCHOR: spurious_block_on
#[test]
fn spurious_unparks_do_not_complete_a_future_early() {
    let polls = testkit::within("spurious unparks in block_on", || {
        let polls = AtomicUsize::new(0);
        let done = Arc::new(AtomicBool::new(false));
        block_on(future::poll_fn(|cx| {
            if polls.fetch_add(1, Ordering::SeqCst) == 0 {
                // First poll: a thread pesters us with raw unparks, then
                // completes the future and wakes it, once.
                let me = thread::current();
                let waker = cx.waker().clone();
                let done = Arc::clone(&done);
                thread::spawn(move || {
                    for _ in 0..200 {
                        me.unpark();
                        thread::sleep(Duration::from_micros(100));
                    }
                    done.store(true, Ordering::SeqCst);
                    waker.wake();
                });
            }
            if done.load(Ordering::SeqCst) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }));
        polls.into_inner()
    });
    // One poll to start, one after the real wake: none for the 200 fakes.
    assert_eq!(polls, 2);
}
// ANCHOR_END: spurious_block_on
