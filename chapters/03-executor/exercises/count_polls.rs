//! Exercise 3.2: count how many times a future is polled.
//!
//! Goal: `count_polls(future)` runs `future` and resolves to its output
//! together with the number of times the executor polled it. It is the
//! executor's behaviour made visible: a future that yields three times is
//! polled four times, and a task woken a hundred times while it waits is
//! still polled only once more.

use std::future::Future;

/// Runs `future`, counting the polls it receives.
#[allow(unused_variables)] // remove once you use `future`
pub async fn count_polls<F: Future>(future: F) -> (F::Output, usize) {
    // TODO: poll `future` from a `std::future::poll_fn`, counting each call.
    todo!("count_polls")
}
