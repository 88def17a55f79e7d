//! Polling a future by hand, once, for tests that check what a single poll
//! does (it registers a waker, it submits an operation, it returns
//! `Pending`) without a runtime in between.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Polls `future` once with a waker that does nothing (`Waker::noop`): for
/// tests that look at what the poll did, not at who gets woken.
pub fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>) -> Poll<F::Output> {
    poll_with(future, Waker::noop())
}

/// Polls `future` once with `waker` (a [`Counting`](crate::wakers::Counting)
/// one, say, to see which task a wake goes to).
pub fn poll_with<F: Future + ?Sized>(future: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(waker))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wakers::Counting;
    use std::pin::pin;

    #[test]
    fn one_poll_of_a_pending_future_registers_the_waker_given() {
        let mut woken = false;
        let mut future = pin!(std::future::poll_fn(|cx| {
            if woken {
                return Poll::Ready(7);
            }
            woken = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }));
        let (count, waker) = Counting::new();
        assert!(poll_with(future.as_mut(), &waker).is_pending());
        assert_eq!(count.get(), 1);
        assert_eq!(poll_once(future.as_mut()), Poll::Ready(7));
        assert_eq!(count.get(), 1, "the second poll had the no-op waker");
    }
}
