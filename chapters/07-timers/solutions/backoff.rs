//! Exercise 7.1, solved: retry with exponential backoff and jitter.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How often and how patiently to retry.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    /// How many calls in all (at least 1).
    pub attempts: u32,
    /// The delay after the first failure.
    pub first: Duration,
    /// The longest delay between two calls.
    pub max: Duration,
    /// Turns each delay of the schedule into the time actually slept:
    /// [`equal_jitter`] in real use, something predictable in tests.
    pub jitter: fn(Duration) -> Duration,
}

/// Half of `delay`, plus a random part of the other half: sleeps between
/// `delay / 2` and `delay`, so that clients which failed at the same moment
/// (a server restarted under them) do not all retry at the same moment.
///
/// The randomness comes from std's `RandomState`, whose keys are random per
/// thread and change with every new state: good enough to spread retries,
/// not for anything secret.
pub fn equal_jitter(delay: Duration) -> Duration {
    let half = delay / 2;
    let span = u64::try_from((delay - half).as_nanos()).unwrap_or(u64::MAX);
    let random = RandomState::new().build_hasher().finish();
    half + Duration::from_nanos(random % span.saturating_add(1))
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
                // The timer store wakes this task when the sleep is over;
                // meanwhile the thread runs every other task.
                crate::sleep((backoff.jitter)(delay)).await;
                // The schedule doubles its own delay, not the jittered one:
                // otherwise the jitter would shrink every later delay too.
                delay = delay.saturating_mul(2).min(backoff.max);
                attempt += 1;
            }
        }
    }
}
