//! What an abandoned operation produced is cleaned up, not just dropped.
//!
//! A dropped `accept` (lost a `select`, a timeout, a shutdown) is
//! cancelled, but the kernel may complete it anyway: the new connection's
//! descriptor then comes back in a completion nobody waits for. Unless the
//! driver closes it, the process leaks one descriptor per dropped accept
//! and the client waits for an EOF that never comes. Both ways it can
//! happen are pinned here: the completion arrives after the drop, or it
//! had arrived and the future was dropped before its next poll.
//!
//! These tests count this process's descriptors, so each takes a lock
//! before it starts, even before `uring_test` probes for io_uring (the
//! probe opens a ring): two of them running at once would see each other's
//! descriptors.

mod common;

use std::future::Future;
use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use common::uring_test;
use completion::{TcpListener, Uring};
use executor::Park;
use testkit::poll_once;
use testkit::probe::fd_count;

const DROPPED: usize = 20;

static COUNTING_FDS: Mutex<()> = Mutex::new(());

fn open_fds() -> usize {
    fd_count(std::process::id())
}

/// Turns the driver until no operation holds a slot. A driver that never
/// drains turns until the test's watchdog fails it (a bound in wall time
/// here would fail a busy machine instead).
fn drain(driver: &mut Uring) {
    while driver.handle().in_flight() > 0 {
        driver.park_timeout(Duration::from_millis(10)).unwrap();
    }
}

/// Every client's server side was closed: each one reads end of file.
fn each_sees_eof(clients: &[StdTcpStream]) {
    for (i, client) in clients.iter().enumerate() {
        client
            .set_read_timeout(Some(Duration::from_secs(1)))
            .unwrap();
        let read = (&*client).read(&mut [0; 1]);
        match read {
            Ok(0) => {}
            Ok(n) => panic!("client {i} read {n} bytes, not EOF"),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("client {i} never saw EOF: its socket is still open")
            }
            Err(e) => panic!("client {i}: {e}, not EOF"),
        }
    }
}

/// An accept future, boxed so that the test can poll it, then drop it.
type Accept<'a> = Pin<Box<dyn Future<Output = std::io::Result<completion::TcpStream>> + 'a>>;

/// Runs `DROPPED` accepts that each complete with a connection and are
/// dropped by `drop_it`, which gets the driver, the accept future and the
/// address to connect to, and returns the client it connected.
fn dropped_accepts(
    name: &'static str,
    drop_it: fn(&mut Uring, Accept<'_>, SocketAddr) -> StdTcpStream,
) {
    let _counting = COUNTING_FDS.lock().unwrap_or_else(|e| e.into_inner());
    uring_test(name, Duration::from_secs(30), move || {
        let mut driver = Uring::new().unwrap();
        let _enter = driver.handle().enter();
        let listener =
            TcpListener::from_std(std::net::TcpListener::bind("127.0.0.1:0").unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        let before = open_fds();
        let mut clients = Vec::new();
        for _ in 0..DROPPED {
            let accept = Box::pin(listener.accept());
            clients.push(drop_it(&mut driver, accept, addr));
            drain(&mut driver);
        }
        assert_eq!(
            open_fds(),
            before + DROPPED,
            "only the clients' descriptors are open: no accepted one leaked"
        );
        each_sees_eof(&clients);
    })
}

#[test]
fn an_accept_that_completes_after_its_drop_closes_the_connection() {
    dropped_accepts("completion after the drop", |driver, mut accept, addr| {
        assert!(poll_once(accept.as_mut()).is_pending());
        // Submitted: the accept waits in the kernel.
        driver.park_timeout(Duration::ZERO).unwrap();
        // The handshake completes inside `connect` (loopback), and the
        // kernel completes the waiting accept with it; nobody has reaped
        // that completion yet when the future is dropped.
        let client = StdTcpStream::connect(addr).unwrap();
        drop(accept);
        client
    });
}

#[test]
fn an_accept_completed_but_never_polled_again_closes_the_connection() {
    dropped_accepts("completed, then dropped", |driver, mut accept, addr| {
        assert!(poll_once(accept.as_mut()).is_pending());
        driver.park_timeout(Duration::ZERO).unwrap();
        let client = StdTcpStream::connect(addr).unwrap();
        // Reaped: the result waits in the table for a poll that never
        // comes.
        driver.park_timeout(Duration::from_millis(100)).unwrap();
        assert_eq!(driver.handle().in_flight(), 1);
        drop(accept);
        client
    });
}

#[test]
fn a_close_after_the_driver_shut_down_still_closes_the_socket() {
    let _counting = COUNTING_FDS.lock().unwrap_or_else(|e| e.into_inner());
    uring_test("close after shutdown", Duration::from_secs(10), || {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = StdTcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        drop(listener);
        let before = open_fds();
        let mut runtime = completion::Runtime::new().unwrap();
        let stream = runtime.block_on(async { completion::TcpStream::from_std(server).unwrap() });
        drop(runtime);
        // The driver is gone: the close cannot go through the ring, and it
        // completes at once as cancelled. The socket must be closed anyway.
        let closed = futures::executor::block_on(stream.close());
        assert_eq!(open_fds(), before - 1, "the server's socket was closed");
        each_sees_eof(&[client]);
        closed.expect("closed with close(2) instead of the ring");
    })
}
