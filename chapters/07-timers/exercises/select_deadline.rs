//! Exercise 7.2: a `select` of two futures with a deadline.
//!
//! Goal: `select_deadline(deadline, a, b)` resolves to `First(a's output)`
//! or `Second(b's output)`, whichever is ready first (`a` wins a tie), or to
//! `Elapsed` if `deadline` passes while neither is ready. A future that is
//! ready when it is polled beats the deadline, even one already in the
//! past. The losers are dropped when it returns, and so is its timer:
//! nothing is left behind in the timer store.

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
#[allow(unused_variables)] // remove once you use them
pub async fn select_deadline<A: Future, B: Future>(
    deadline: Instant,
    a: A,
    b: B,
) -> Winner<A::Output, B::Output> {
    // TODO: pin `a` and `b` (`std::pin::pin!`), make a `crate::sleep_until`,
    // and poll all three in one `std::future::poll_fn`, in the order a, b,
    // sleep, returning the first that is ready.
    todo!("select_deadline")
}
