//! Exercise 3.3: race two tasks and cancel the loser.
//!
//! Goal: `race(a, b)` resolves to the result of whichever task finishes
//! first (if both are ready, `a` wins), and aborts the other one, so that
//! its future is dropped instead of running on for nothing.

use crate::{JoinError, JoinHandle};

/// The first of two tasks to finish; the other is aborted.
#[allow(unused_variables)] // remove once you use `a` and `b`
pub async fn race<T>(a: JoinHandle<T>, b: JoinHandle<T>) -> Result<T, JoinError> {
    // TODO: poll both handles in one `std::future::poll_fn`; when one is
    // ready, abort the other and return the winner's result.
    todo!("race")
}
