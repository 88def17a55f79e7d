//! Exercise 3.2, solved: count how many times a future is polled.

use std::future::{Future, poll_fn};
use std::pin::pin;

/// Runs `future`, counting the polls it receives.
pub async fn count_polls<F: Future>(future: F) -> (F::Output, usize) {
    // `pin!` is enough: this async fn's state is pinned by its caller, so
    // the inner future never moves once polled.
    let mut future = pin!(future);
    let mut polls = 0;
    let output = poll_fn(|cx| {
        polls += 1;
        future.as_mut().poll(cx)
    })
    .await;
    (output, polls)
}
