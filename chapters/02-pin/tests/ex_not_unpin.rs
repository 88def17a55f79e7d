//! Exercise 2.3 (`cargo ex check not-unpin`): `Largest` cannot be moved
//! once polled.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use pin::exercises::not_unpin::Largest;
use waker::wake_trait::WakeCounter;

#[test]
fn the_compiler_refuses_to_let_it_move_once_pinned() {
    // `Pin::new(&mut largest)` and `Pin::get_mut` compile only for `Unpin`
    // types: if `Largest` is not `Unpin`, safe code cannot move it between
    // two polls.
    assert!(!pin::is_unpin!(Largest::new([1, 2, 3, 4])));
}

#[test]
fn pinned_on_the_heap_it_returns_the_largest() {
    let got = testkit::within("Box::pin", || {
        waker::block_on(Box::pin(Largest::new([3, 9, 2, 5])))
    });
    assert_eq!(got, 9);
}

#[test]
fn pinned_on_the_stack_it_returns_the_largest() {
    let got = testkit::within("pin!", || {
        let future = pin!(Largest::new([7, 1, 8, 2]));
        waker::block_on(future)
    });
    assert_eq!(got, 8);
}

#[test]
fn it_waits_once_and_wakes_itself_before_pending() {
    let (first, wakes_after_first, second) = testkit::within("one wait", || {
        let (counter, waker) = WakeCounter::new();
        let mut cx = Context::from_waker(&waker);
        let mut future = Box::pin(Largest::new([4, 4, 6, 1]));
        let first = future.as_mut().poll(&mut cx);
        let wakes = counter.wakes();
        let second = future.as_mut().poll(&mut cx);
        (first, wakes, second)
    });
    assert_eq!(first, Poll::Pending);
    assert_eq!(wakes_after_first, 1, "Pending without arranging a wake");
    assert_eq!(second, Poll::Ready(6));
}

#[test]
fn moving_it_before_the_first_poll_is_fine() {
    let got = testkit::within("move first", || {
        let futures = vec![Largest::new([1, 2, 3, 4]), Largest::new([10, 30, 20, 0])];
        let mut futures = futures.into_iter();
        let (a, b) = (futures.next().unwrap(), futures.next().unwrap());
        (waker::block_on(Box::pin(a)), waker::block_on(Box::pin(b)))
    });
    assert_eq!(got, (4, 30));
}
