//! Helpers for the chapter's tests: blocking client sockets, and a server
//! running in-process on its own runtime thread.

#![allow(dead_code)] // each test file uses its own subset

use std::convert::Infallible;
use std::net::{SocketAddr, UdpSocket as StdUdpSocket};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use reactor::Runtime;
use udp_echo::{Stats, UdpSocket};

/// The server binary, built by cargo for the integration tests.
pub const SERVER: &str = env!("CARGO_BIN_EXE_udp-echo");
/// The client binary.
pub const CLIENT: &str = env!("CARGO_BIN_EXE_udp-echo-client");

/// A blocking socket on loopback that gives up on a reply after two
/// seconds, so a lost echo fails the test instead of hanging it.
pub fn client() -> StdUdpSocket {
    let socket = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    socket
}

/// Sends `datagram` to `server` from `socket` and returns the reply, which
/// must come from `server`.
pub fn round_trip(socket: &StdUdpSocket, server: SocketAddr, datagram: &[u8]) -> Vec<u8> {
    socket.send_to(datagram, server).unwrap();
    let mut buf = vec![0u8; udp_echo::MAX_DATAGRAM];
    let (n, from) = socket
        .recv_from(&mut buf)
        .unwrap_or_else(|e| panic!("no echo of a {}-byte datagram: {e}", datagram.len()));
    assert_eq!(from, server, "the reply came from somewhere else");
    buf.truncate(n);
    buf
}

/// Waits until `count` reads at least `at_least`, and returns what it read.
///
/// The server counts a reply *after* `send_to` returns, so a client can
/// hold the reply before the count has moved: read a counter right after
/// a round trip and it can be one short (it was, under load). The wait is
/// on the count itself; the watchdog around the test ends a wait that
/// never gets there.
pub fn settled(count: impl Fn() -> u64, at_least: u64) -> u64 {
    loop {
        let now = count();
        if now >= at_least {
            return now;
        }
        thread::sleep(Duration::from_millis(1));
    }
}

/// Starts `serve` (any server loop) on a runtime on its own thread, on a
/// socket bound to `127.0.0.1:0`; returns the address and the counters.
/// The thread runs until the test process ends.
pub fn spawn_server<F, Fut>(serve: F) -> (SocketAddr, Arc<Stats>)
where
    F: FnOnce(UdpSocket, Arc<Stats>) -> Fut + Send + 'static,
    Fut: Future<Output = Infallible>,
{
    let socket = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let stats = Arc::new(Stats::new());
    let theirs = stats.clone();
    thread::spawn(move || {
        let mut runtime = Runtime::new().unwrap();
        runtime.block_on(async move {
            let socket = UdpSocket::from_std(socket).unwrap();
            match serve(socket, theirs).await {}
        })
    });
    (addr, stats)
}

/// Runs the future `make` returns on a fresh runtime, under the watchdog.
pub fn on_runtime<F>(what: &str, make: impl FnOnce() -> F + Send + 'static) -> F::Output
where
    F: Future,
    F::Output: Send + 'static,
{
    testkit::within(what, move || Runtime::new().unwrap().block_on(make()))
}

/// A new async socket on `127.0.0.1`, on a port the OS picks. Only inside
/// a runtime.
pub fn bind_local() -> UdpSocket {
    UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap()
}
