//! Exercise 11.1: time a request from when it was due (reference solution).

use std::time::Duration;

/// The latencies of `requests` requests offered one per `interval`.
pub fn open_loop(
    interval: Duration,
    requests: u32,
    mut server: impl FnMut(Duration) -> Duration,
) -> Vec<Duration> {
    let mut latencies = Vec::with_capacity(requests as usize);
    // When the connection is free again: the previous echo came back.
    let mut free_at = Duration::ZERO;
    for i in 0..requests {
        let due = interval * i;
        let sent = due.max(free_at);
        let echoed = server(sent);
        free_at = echoed;
        // From when it was due, not from when it went out: a request that
        // waited for a stalled server waited because of the server.
        latencies.push(echoed - due);
    }
    latencies
}
