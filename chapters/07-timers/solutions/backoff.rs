//! Exercise 7.1, solved: retry with exponential backoff.

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
pub async fn retry<T, E, F, Fut>(backoff: Backoff, mut op: F) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut delay = backoff.first;
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(error) if attempt >= backoff.attempts => return Err(error),
            Err(_) => {
                // The timer store wakes this task when the delay is over;
                // meanwhile the thread runs every other task.
                crate::sleep(delay).await;
                delay = delay.saturating_mul(2).min(backoff.max);
                attempt += 1;
            }
        }
    }
}
