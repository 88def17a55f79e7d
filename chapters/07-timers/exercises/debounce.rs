//! Exercise 7.3: debounce a source of events.
//!
//! Goal: `debounce(quiet, next)` waits for events by awaiting `next()`
//! again and again, and returns the latest event once `quiet` has passed
//! without a new one (a burst of keystrokes becomes one search). It waits
//! as long as it takes for the first event. If the source ends (`next()`
//! returns `None`), it returns the latest event at once (`None` if there
//! was none). It leaves no timer behind.

use std::time::Duration;

/// The last event of the first burst from `next`.
#[allow(unused_variables, unused_mut)] // remove once you use them
pub async fn debounce<T, F, Fut>(quiet: Duration, mut next: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    // TODO: await the first event with no time limit; then keep awaiting
    // `next()` under `crate::timeout(quiet, ...)`: a new event replaces the
    // latest and starts a new quiet period, a timeout ends the burst.
    todo!("debounce")
}
