//! Exercise 11.1: time a request from when it was due.
//!
//! Goal: `open_loop` drives one connection the way an open-loop load
//! generator does (wrk2's method): request `i` is *due* at `i × interval`,
//! whatever happened before. The connection has one request in flight at a
//! time, so a request is sent at its due time, or, if the echo of the one
//! before has not come back by then, the moment it does. `server(sent)`
//! says when the echo of a request sent at `sent` comes back. Return each
//! request's latency as the generator must record it: from when it was
//! due to when its echo came back. Times are offsets from the start of the
//! run, so the exercise needs no clock.

use std::time::Duration;

/// The latencies of `requests` requests offered one per `interval`.
#[allow(unused_variables, unused_mut)] // remove once you use them
pub fn open_loop(
    interval: Duration,
    requests: u32,
    mut server: impl FnMut(Duration) -> Duration,
) -> Vec<Duration> {
    // TODO: for each request, work out when it was due, when it could be
    // sent (not before its due time, not before the previous echo came
    // back), when its echo came back, and how long that was after it was due.
    todo!("open_loop")
}
