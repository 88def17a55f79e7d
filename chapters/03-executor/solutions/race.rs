//! Exercise 3.3, solved: race two tasks and cancel the loser.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

use crate::{JoinError, JoinHandle};

/// The first of two tasks to finish; the other is aborted.
pub async fn race<T>(mut a: JoinHandle<T>, mut b: JoinHandle<T>) -> Result<T, JoinError> {
    poll_fn(|cx| {
        // Both handles store this task's waker, so the first task to finish
        // wakes us. Polling `a` first makes `a` win a tie.
        if let Poll::Ready(result) = Pin::new(&mut a).poll(cx) {
            b.abort();
            return Poll::Ready(result);
        }
        if let Poll::Ready(result) = Pin::new(&mut b).poll(cx) {
            a.abort();
            return Poll::Ready(result);
        }
        Poll::Pending
    })
    .await
}
