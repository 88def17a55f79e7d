//! Exercise 7.1: retry with exponential backoff.
//!
//! Goal: `retry(backoff, op)` calls `op` until it returns `Ok`, at most
//! `backoff.attempts` times. After each failure but the last it sleeps,
//! first `backoff.first`, then twice as long each time, but never longer
//! than `backoff.max`. It returns the first `Ok`, or the last `Err`.

use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// How many calls in all (at least 1).
    pub attempts: u32,
    /// The sleep after the first failure.
    pub first: Duration,
    /// The longest sleep between two calls.
    pub max: Duration,
}

/// Calls `op` until it succeeds or `backoff.attempts` calls have failed.
#[allow(unused_variables, unused_mut)] // remove once you use them
pub async fn retry<T, E, F, Fut>(backoff: Backoff, mut op: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    // TODO: loop: call `op().await`; on `Ok` return it; on the last failed
    // attempt return the error; otherwise `crate::sleep(delay).await` and
    // double `delay`, capped at `backoff.max`.
    todo!("retry")
}
