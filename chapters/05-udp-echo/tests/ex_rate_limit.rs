//! Exercise 5.2: a token bucket per client.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::{client, settled, spawn_server};
use udp_echo::exercises::rate_limit::{RateLimiter, serve_rate_limited};
use udp_echo::server::DEFAULT_BUDGET;

fn peer(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

#[test]
fn a_client_gets_its_burst_and_then_nothing() {
    let mut limiter = RateLimiter::new(3, Duration::from_secs(1));
    let t = Instant::now();
    let allowed: Vec<bool> = (0..5).map(|_| limiter.allow(peer(1), t)).collect();
    assert_eq!(allowed, [true, true, true, false, false]);
}

#[test]
fn each_client_has_its_own_bucket() {
    let mut limiter = RateLimiter::new(2, Duration::from_secs(1));
    let t = Instant::now();
    assert!(limiter.allow(peer(1), t) && limiter.allow(peer(1), t));
    assert!(!limiter.allow(peer(1), t));
    assert!(
        limiter.allow(peer(2), t),
        "client 1 over its limit does not stop client 2"
    );
}

#[test]
fn tokens_come_back_one_per_period_and_never_above_the_burst() {
    let second = Duration::from_secs(1);
    let mut limiter = RateLimiter::new(2, second);
    let t = Instant::now();
    assert!(limiter.allow(peer(1), t) && limiter.allow(peer(1), t));
    assert!(
        !limiter.allow(peer(1), t + second / 2),
        "half a period earns nothing"
    );
    // Called between two whole periods: 1.5 s earns one token, and the
    // half period past the first whole one still counts towards the next.
    assert!(
        limiter.allow(peer(1), t + second * 3 / 2),
        "one and a half periods earn one"
    );
    assert!(!limiter.allow(peer(1), t + second * 3 / 2));
    assert!(
        limiter.allow(peer(1), t + second * 2),
        "at 2 s the second period is complete: the half period waited \
         before the 1.5 s call was kept, not thrown away"
    );
    // A long silence fills the bucket, up to the burst only.
    let later = t + second * 100;
    let allowed: Vec<bool> = (0..3).map(|_| limiter.allow(peer(1), later)).collect();
    assert_eq!(allowed, [true, true, false]);
}

#[test]
fn the_rate_limited_server_answers_only_the_burst() {
    testkit::within("rate-limited server", || {
        let (addr, stats) = spawn_server(|socket, stats| async move {
            // One token an hour: nothing is earned during the test.
            let limiter = RateLimiter::new(5, Duration::from_secs(3600));
            serve_rate_limited(&socket, DEFAULT_BUDGET, &stats, limiter).await
        });
        for _ in 0..2 {
            let socket = client();
            socket
                .set_read_timeout(Some(Duration::from_millis(300)))
                .unwrap();
            for i in 0..20u8 {
                socket.send_to(&[i], addr).unwrap();
            }
            let mut buf = [0u8; 8];
            let mut echoed = Vec::new();
            while let Ok((n, _)) = socket.recv_from(&mut buf) {
                echoed.extend_from_slice(&buf[..n]);
            }
            assert_eq!(echoed, [0, 1, 2, 3, 4], "the first five, and no more");
        }
        // Counted after each send or drop: wait for the counts, then check
        // that they went no further.
        let replied = settled(|| stats.replied(), 10);
        let dropped = settled(|| stats.dropped(), 30);
        assert_eq!((replied, dropped), (10, 30));
    });
}
