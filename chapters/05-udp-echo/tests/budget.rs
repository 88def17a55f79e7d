//! The budget: on loopback a flooded socket rarely says `WouldBlock`, so a
//! server that only gave the thread back on `WouldBlock` would keep it for
//! as long as the flood lasts. With a budget it yields every few
//! datagrams, and the other tasks on the runtime keep running.

use std::net::UdpSocket as StdUdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use reactor::{Runtime, yield_now};
use socket2::SockRef;
use udp_echo::server::{DEFAULT_BUDGET, UNLIMITED, serve};
use udp_echo::{Stats, UdpSocket};

/// Datagrams queued on the server's socket before the runtime starts.
const QUEUED: u64 = 128;

// ANCHOR: gaps
/// Spawns the echo server on `runtime`; it starts when the runtime runs.
fn spawn_echo(runtime: &Runtime, socket: StdUdpSocket, budget: usize) -> Arc<Stats> {
    let stats = Arc::new(Stats::new());
    let theirs = stats.clone();
    runtime.spawn(async move {
        let socket = UdpSocket::from_std(socket).unwrap();
        match serve(&socket, budget, &theirs).await {}
    });
    stats
}

/// Queues [`QUEUED`] datagrams on a server socket, then runs the server and
/// a ticker task on one runtime. The ticker yields after each tick and
/// records how many datagrams the server handled since its last tick.
/// Returns the largest such gap: how long the ticker was kept waiting.
fn largest_gap_between_ticks(budget: usize) -> u64 {
    let server = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    // Room for every queued datagram (each costs far more than its 16
    // bytes of buffer space in the kernel).
    SockRef::from(&server)
        .set_recv_buffer_size(1 << 20)
        .unwrap();
    let addr = server.local_addr().unwrap();
    let flood = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    for i in 0..QUEUED {
        flood.send_to(&i.to_be_bytes(), addr).unwrap();
    }

    let mut runtime = Runtime::new().unwrap();
    let stats = spawn_echo(&runtime, server, budget);
    let ticker = runtime.spawn(async move {
        let (mut largest, mut last) = (0, 0);
        loop {
            let now = stats.received();
            largest = largest.max(now - last);
            last = now;
            if last == QUEUED {
                return largest;
            }
            yield_now().await;
        }
    });
    runtime.block_on(ticker).unwrap()
}
// ANCHOR_END: gaps

#[test]
fn with_a_budget_the_server_yields_after_that_many_datagrams() {
    let gap = testkit::within("budget of 8", || largest_gap_between_ticks(8));
    assert_eq!(gap, 8, "the ticker ran after every 8 datagrams, not later");
}

#[test]
fn without_a_budget_a_busy_socket_starves_every_other_task() {
    // The server only returns `Pending` when the socket is empty, so the
    // ticker waits for the whole queue: that is the starvation the budget
    // prevents, and with a flood that never pauses it would last forever.
    let gap = testkit::within("no budget", || largest_gap_between_ticks(UNLIMITED));
    assert_eq!(
        gap, QUEUED,
        "the server kept the thread until the queue ran dry"
    );
}

#[test]
fn a_ticker_keeps_running_while_a_thread_floods_the_server() {
    const TICKS: u64 = 2_000;
    const MAX_FLOOD: u64 = 2_000_000;
    testkit::within("ticker during a flood", || {
        let server = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = server.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let flooded = Arc::new(AtomicU64::new(0));
        let flood = {
            let (stop, flooded) = (stop.clone(), flooded.clone());
            thread::spawn(move || {
                let socket = StdUdpSocket::bind("127.0.0.1:0").unwrap();
                let deadline = Instant::now() + Duration::from_secs(5);
                while !stop.load(Ordering::Relaxed)
                    && flooded.load(Ordering::Relaxed) < MAX_FLOOD
                    && Instant::now() < deadline
                {
                    // Errors (a full buffer) do not matter: keep flooding.
                    let _ = socket.send_to(b"flood", addr);
                    flooded.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        // Start the runtime only once the flood is under way.
        while flooded.load(Ordering::Relaxed) < 1_000 {
            thread::yield_now();
        }
        let mut runtime = Runtime::new().unwrap();
        let stats = spawn_echo(&runtime, server, DEFAULT_BUDGET);
        let ticker = runtime.spawn(async move {
            // The most datagrams the server handled between two ticks.
            let (mut largest, mut last) = (0, stats.received());
            for _ in 0..TICKS {
                yield_now().await;
                let now = stats.received();
                largest = largest.max(now - last);
                last = now;
            }
            (largest, last)
        });
        let (largest_gap, served) = runtime.block_on(ticker).unwrap();
        let still_flooding = !flood.is_finished();
        stop.store(true, Ordering::Relaxed);
        flood.join().unwrap();
        assert!(
            still_flooding,
            "the flood ended before the ticker was done: nothing was proven"
        );
        assert!(served > 0, "the server served during the flood");
        assert!(
            largest_gap <= DEFAULT_BUDGET as u64,
            "the ticker waited for {largest_gap} datagrams, more than the budget"
        );
    });
}

/// What the budget counts: datagrams since the server's last yield, across
/// real waits. Five datagrams, a wait on an empty socket, five more: with a
/// budget of 8 the server yields once, at the eighth. (A budget refilled at
/// every poll, as tokio's is, would not have yielded at all.)
#[test]
fn the_budget_counts_across_waits_and_is_not_refilled_when_the_socket_runs_dry() {
    let yields = testkit::within("budget across waits", || {
        let server = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        let addr = server.local_addr().unwrap();
        let mut runtime = Runtime::new().unwrap();
        let stats = spawn_echo(&runtime, server, 8);
        let driver = runtime.spawn(async move {
            let client = StdUdpSocket::bind("127.0.0.1:0").unwrap();
            for burst in 1..=2u64 {
                for i in 0..5u64 {
                    client.send_to(&i.to_be_bytes(), addr).unwrap();
                }
                // One thread: while this task runs, the server is not inside
                // its poll, so after the fifth datagram it found the socket
                // empty and returned `Pending` before this check saw 5.
                while stats.received() < 5 * burst {
                    yield_now().await;
                }
            }
            stats.yields()
        });
        runtime.block_on(driver).unwrap()
    });
    assert_eq!(yields, 1, "one yield in ten datagrams with a budget of 8");
}
