//! Exercise 1.2 (`cargo ex check join2`): `Join2`.

use std::future::{self, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;

use waker::exercises::join2::join2;
use waker::{Delay, block_on};

/// Ready at the first poll, and panics if polled again.
struct ReadyOnce<T>(Option<T>);

impl<T: Unpin> Future for ReadyOnce<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<T> {
        Poll::Ready(self.0.take().expect("polled after it completed"))
    }
}

/// Pending `left` times, each time woken later from another thread; counts
/// its polls; panics if polled after it completed.
struct Countdown {
    left: usize,
    finished: bool,
    polls: Arc<AtomicUsize>,
}

impl Future for Countdown {
    type Output = &'static str;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        assert!(!self.finished, "polled after it completed");
        self.polls.fetch_add(1, Ordering::SeqCst);
        if self.left == 0 {
            self.finished = true;
            return Poll::Ready("counted down");
        }
        self.left -= 1;
        let waker = cx.waker().clone();
        thread::spawn(move || waker.wake());
        Poll::Pending
    }
}

fn countdown(left: usize) -> (Countdown, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let future = Countdown {
        left,
        finished: false,
        polls: Arc::clone(&polls),
    };
    (future, polls)
}

#[test]
fn yields_both_outputs() {
    let got = testkit::within("both outputs", || {
        block_on(join2(async { 1 }, async { "two" }))
    });
    assert_eq!(got, (1, "two"));
}

#[test]
fn never_polls_a_finished_future_again() {
    let (got, polls) = testkit::within("finished not repolled", || {
        let (slow, polls) = countdown(3);
        let got = block_on(join2(ReadyOnce(Some('a')), slow));
        (got, polls.load(Ordering::SeqCst))
    });
    assert_eq!(got, ('a', "counted down"));
    // Three times Pending, then Ready: four polls, no more, no fewer.
    assert_eq!(polls, 4);
}

#[test]
fn works_whichever_side_finishes_first() {
    let got = testkit::within("either order", || {
        let (slow, _) = countdown(2);
        let (slower, _) = countdown(5);
        let first = block_on(join2(slow, ReadyOnce(Some(1))));
        let (slow, _) = countdown(2);
        let second = block_on(join2(slower, slow));
        (first, second)
    });
    assert_eq!(got, (("counted down", 1), ("counted down", "counted down")));
}

#[test]
fn wakes_from_other_threads_complete_both() {
    let got = testkit::within("delays", || {
        block_on(join2(
            async {
                Delay::new(std::time::Duration::from_millis(20)).await;
                "a"
            },
            async {
                Delay::new(std::time::Duration::from_millis(40)).await;
                "b"
            },
        ))
    });
    assert_eq!(got, ("a", "b"));
}

/// A flag one future sets and another waits for.
#[derive(Clone, Default)]
struct Signal(Arc<Mutex<(bool, Option<Waker>)>>);

impl Signal {
    fn set(&self) {
        let waker = {
            let mut state = self.0.lock().unwrap();
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    async fn wait(&self) {
        future::poll_fn(|cx| {
            let mut state = self.0.lock().unwrap();
            if state.0 {
                Poll::Ready(())
            } else {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
    }
}

#[test]
fn drives_both_futures_concurrently() {
    // Each side waits for something only the other side does. Awaiting them
    // one after the other would hang; `Join2` must make progress on both.
    let got = testkit::within("concurrently", || {
        let (ping, pong) = (Signal::default(), Signal::default());
        let (ping2, pong2) = (ping.clone(), pong.clone());
        block_on(join2(
            async move {
                ping.wait().await;
                pong.set();
                "a"
            },
            async move {
                ping2.set();
                pong2.wait().await;
                "b"
            },
        ))
    });
    assert_eq!(got, ("a", "b"));
}
