//! Exercise 7.3, solved: debounce a source of events.

use std::time::Duration;

/// The last event of the first burst from `next`.
pub async fn debounce<T, F, Fut>(quiet: Duration, mut next: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    // No deadline before the first event: a burst starts when it starts.
    let mut latest = next().await?;
    loop {
        // Each event starts a new quiet period, measured from its arrival.
        // When the timeout wins, the pending `next()` is dropped: the source
        // must not lose an event when that happens (a channel does not).
        match crate::timeout(quiet, next()).await {
            Ok(Some(event)) => latest = event,
            Ok(None) | Err(_) => return Some(latest),
        }
    }
}
