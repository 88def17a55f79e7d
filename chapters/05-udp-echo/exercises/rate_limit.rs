//! Exercise 5.2: rate-limit each client.
//!
//! Goal: a token bucket per client address. A client may send `burst`
//! datagrams at once; after that it earns one more every `refill_every`, up
//! to `burst` again. Datagrams over the limit get no reply. One client over
//! its limit does not affect any other. The server loop is given: write
//! `RateLimiter::allow`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::{Stats, UdpSocket, serve_with};

/// One client's bucket.
#[derive(Debug)]
#[allow(dead_code)] // read by `allow`, once it is written
struct Bucket {
    /// Datagrams the client may still send now.
    tokens: u32,
    /// When the last token was earned (or the bucket was made).
    refilled_at: Instant,
}

/// Token buckets, one per client address.
#[derive(Debug)]
pub struct RateLimiter {
    burst: u32,
    refill_every: Duration,
    clients: HashMap<SocketAddr, Bucket>,
}

impl RateLimiter {
    /// At most `burst` datagrams at once, then one per `refill_every`.
    pub fn new(burst: u32, refill_every: Duration) -> RateLimiter {
        assert!(burst > 0 && !refill_every.is_zero());
        RateLimiter {
            burst,
            refill_every,
            clients: HashMap::new(),
        }
    }

    /// Whether `peer` may have a reply to a datagram that arrived at `now`
    /// (which never goes backwards between calls); spends a token if so.
    pub fn allow(&mut self, peer: SocketAddr, now: Instant) -> bool {
        // TODO: find or create `peer`'s bucket (a new client starts full),
        // add the tokens earned since `refilled_at` (never above `burst`),
        // then spend one if there is one.
        let _ = (peer, now, &mut self.clients, self.burst, self.refill_every);
        todo!("a token bucket per client")
    }
}

/// Echoes what `limiter` allows, and drops the rest.
pub async fn serve_rate_limited(
    socket: &UdpSocket,
    budget: usize,
    stats: &Stats,
    mut limiter: RateLimiter,
) -> Infallible {
    serve_with(socket, budget, stats, |datagram, peer| {
        limiter
            .allow(peer, Instant::now())
            .then_some(datagram.len())
    })
    .await
}
