//! The accept loop's budget: with many handshakes waiting in the backlog,
//! `accept` succeeds again and again without ever returning `Pending`, so
//! a loop that only gave the thread back on `WouldBlock` would accept the
//! whole backlog before any connection task (or any other task) ran once.
//! Counted the way chapter 5 counts its datagram budget: a ticker task
//! records how many accepts happened between two of its turns.

use std::net::TcpStream as StdTcpStream;

use reactor::{Runtime, yield_now};
use tcp_echo::server::ACCEPTS_PER_TURN;
use tcp_echo::{Config, Connections, TcpListener, listen, serve};

/// Handshakes completed and queued in the backlog before the runtime runs
/// (fewer than the listener's backlog of 1024, so none is dropped).
const QUEUED: u64 = 400;

/// Queues [`QUEUED`] connections on a listener, then runs the server and a
/// ticker on one runtime. Returns the most connections the server accepted
/// between two ticks: how long the ticker was kept waiting.
fn largest_gap_between_ticks() -> u64 {
    let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    // Loopback handshakes complete inside `connect`: all of them are in the
    // backlog before the server starts. Held open until the end.
    let clients: Vec<StdTcpStream> = (0..QUEUED)
        .map(|_| StdTcpStream::connect(addr).unwrap())
        .collect();

    let mut runtime = Runtime::new().unwrap();
    let connections = Connections::default();
    let theirs = connections.clone();
    drop(runtime.spawn(async move {
        let listener = TcpListener::from_std(listener).unwrap();
        let _ = serve(&listener, &Config::default(), &theirs).await;
    }));
    let ticker = runtime.spawn(async move {
        let (mut largest, mut last) = (0, 0);
        loop {
            let now = connections.accepted();
            largest = largest.max(now - last);
            last = now;
            if last == QUEUED {
                return largest;
            }
            yield_now().await;
        }
    });
    let largest = runtime.block_on(ticker).unwrap();
    drop(clients);
    largest
}

#[test]
fn a_full_backlog_is_accepted_a_budget_at_a_time() {
    let gap = testkit::within("accept budget", largest_gap_between_ticks);
    assert_eq!(
        gap, ACCEPTS_PER_TURN as u64,
        "the ticker ran after every {ACCEPTS_PER_TURN} accepts, not later"
    );
}
