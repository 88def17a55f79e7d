//! Exercise 5.2, solved: a token bucket per client.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::{Stats, UdpSocket, serve_with};

/// One client's bucket.
#[derive(Debug)]
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
        let bucket = self.clients.entry(peer).or_insert(Bucket {
            tokens: self.burst,
            refilled_at: now,
        });
        let earned =
            now.duration_since(bucket.refilled_at).as_nanos() / self.refill_every.as_nanos();
        if earned > 0 {
            let earned = u32::try_from(earned).unwrap_or(u32::MAX);
            bucket.tokens = bucket.tokens.saturating_add(earned).min(self.burst);
            // Keep the fraction of a token already earned: move the mark by
            // whole periods, not to `now`.
            bucket.refilled_at += self.refill_every * earned;
        }
        if bucket.tokens == 0 {
            return false;
        }
        bucket.tokens -= 1;
        true
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
