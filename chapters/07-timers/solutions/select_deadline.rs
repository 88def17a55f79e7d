//! Exercise 7.2, solved: a `select` of two futures with a deadline.

use std::future::poll_fn;
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Instant;

/// Which side of a [`select_deadline`] finished first.
#[derive(Debug, PartialEq, Eq)]
pub enum Winner<A, B> {
    /// `a` was ready first; its output.
    First(A),
    /// `b` was ready first; its output.
    Second(B),
    /// The deadline passed first.
    Elapsed,
}

/// The first of `a`, `b` and `deadline`.
pub async fn select_deadline<A: Future, B: Future>(
    deadline: Instant,
    a: A,
    b: B,
) -> Winner<A::Output, B::Output> {
    let mut a = pin!(a);
    let mut b = pin!(b);
    let mut sleep = crate::sleep_until(deadline);
    poll_fn(|cx| {
        // The futures before the clock: one that is ready at the deadline
        // still delivers its result.
        if let Poll::Ready(output) = a.as_mut().poll(cx) {
            return Poll::Ready(Winner::First(output));
        }
        if let Poll::Ready(output) = b.as_mut().poll(cx) {
            return Poll::Ready(Winner::Second(output));
        }
        Pin::new(&mut sleep).poll(cx).map(|()| Winner::Elapsed)
    })
    .await
    // Returning drops `a`, `b` and `sleep`: the losers are cancelled and
    // the sleep's entry leaves the timer store.
}
