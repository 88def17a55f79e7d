//! Exercise 1.1 (`cargo ex check oneshot`): the oneshot channel.

// The stub's halves have no `Drop` impl yet (a solution needs one), so
// clippy would call the explicit drops below pointless: they are the test.
#![allow(clippy::drop_non_drop)]

use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use waker::block_on;
use waker::exercises::oneshot::{Canceled, Receiver, channel};
use waker::wake_trait::WakeCounter;

#[test]
fn value_sent_before_the_first_poll_is_received() {
    let got = testkit::within("send first", || {
        let (tx, rx) = channel();
        tx.send(7).unwrap();
        block_on(rx)
    });
    assert_eq!(got, Ok(7));
}

#[test]
fn value_sent_after_the_first_poll_wakes_the_receiver() {
    testkit::within("send after poll", || {
        let (counter, waker) = WakeCounter::new();
        let (tx, rx) = channel();
        let mut rx = pin!(rx);
        let mut cx = Context::from_waker(&waker);
        assert!(rx.as_mut().poll(&mut cx).is_pending());
        assert_eq!(counter.wakes(), 0);
        tx.send("hello").unwrap();
        assert!(counter.wakes() >= 1, "send did not wake the receiver");
        assert_eq!(rx.as_mut().poll(&mut cx), Poll::Ready(Ok("hello")));
    });
}

#[test]
fn value_sent_from_another_thread_is_received() {
    let got = testkit::within("other thread", || {
        let (tx, rx) = channel();
        let sender = thread::spawn(move || {
            thread::sleep(Duration::from_millis(30));
            tx.send(String::from("from afar")).unwrap();
        });
        let got = block_on(rx);
        sender.join().unwrap();
        got
    });
    assert_eq!(got.as_deref(), Ok("from afar"));
}

#[test]
fn receiver_moved_to_another_waker_wakes_the_new_one() {
    testkit::within("newest waker", || {
        let (old, old_waker) = WakeCounter::new();
        let (new, new_waker) = WakeCounter::new();
        let (tx, rx) = channel();
        let mut rx = pin!(rx);
        assert!(
            rx.as_mut()
                .poll(&mut Context::from_waker(&old_waker))
                .is_pending()
        );
        assert!(
            rx.as_mut()
                .poll(&mut Context::from_waker(&new_waker))
                .is_pending()
        );
        tx.send(1).unwrap();
        assert!(new.wakes() >= 1, "the newest waker was not woken");
        assert_eq!(old.wakes(), 0, "a stale waker was woken");
    });
}

#[test]
fn dropped_sender_cancels_a_waiting_receiver() {
    let got = testkit::within("dropped sender", || {
        let (tx, rx) = channel::<u32>();
        let dropper = thread::spawn(move || {
            thread::sleep(Duration::from_millis(30));
            drop(tx);
        });
        // Without a wake on drop this would wait forever.
        let got = block_on(rx);
        dropper.join().unwrap();
        got
    });
    assert_eq!(got, Err(Canceled));
}

#[test]
fn dropped_sender_before_the_first_poll_cancels() {
    let got = testkit::within("dropped early", || {
        let (tx, rx) = channel::<u32>();
        drop(tx);
        block_on(rx)
    });
    assert_eq!(got, Err(Canceled));
}

#[test]
fn send_to_a_dropped_receiver_gives_the_value_back() {
    let got = testkit::within("dropped receiver", || {
        let (tx, rx) = channel();
        drop(rx);
        tx.send(vec![1, 2, 3])
    });
    assert_eq!(got, Err(vec![1, 2, 3]));
}

/// A waker that polls the receiver the moment it is woken, inside `wake`,
/// as an executor on another thread may do before `wake` has returned.
struct PollsOnWake {
    receiver: Mutex<Option<Pin<Box<Receiver<u32>>>>>,
    got: Mutex<Option<Result<u32, Canceled>>>,
}

impl Wake for PollsOnWake {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut receiver = self.receiver.lock().unwrap();
        if let Some(receiver) = receiver.as_mut() {
            let mut cx = Context::from_waker(Waker::noop());
            if let Poll::Ready(result) = receiver.as_mut().poll(&mut cx) {
                *self.got.lock().unwrap() = Some(result);
            }
        }
    }
}

/// A sender that calls `wake()` while it still holds the lock the receiver
/// needs deadlocks here (std's `Mutex` says re-locking on the same thread
/// "might panic or deadlock"): the woken side runs before `wake` returns.
#[test]
fn a_waker_that_polls_the_receiver_at_once_gets_the_value() {
    testkit::within("wake outside the lock", || {
        let (tx, rx) = channel::<u32>();
        let polls = Arc::new(PollsOnWake {
            receiver: Mutex::new(Some(Box::pin(rx))),
            got: Mutex::new(None),
        });
        let waker = Waker::from(Arc::clone(&polls));
        {
            let mut receiver = polls.receiver.lock().unwrap();
            let receiver = receiver.as_mut().unwrap();
            assert!(
                receiver
                    .as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_pending()
            );
        }
        tx.send(5).unwrap();
        assert_eq!(*polls.got.lock().unwrap(), Some(Ok(5)));
        // The receiver holds a waker that holds the receiver: break the cycle.
        polls.receiver.lock().unwrap().take();
    });
}
