//! Exercise 6.3: stop accepting, drain, and stop.

mod common;

use std::io::{ErrorKind, Read};
use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{client, eventually, round_trip};
use futures::channel::oneshot;
use reactor::Runtime;
use tcp_echo::TcpListener;
use tcp_echo::exercises::graceful::serve_until;

/// A running `serve_until` on its own runtime thread: its address, its
/// two triggers, where its result arrives, and the listening socket's
/// descriptor.
struct Server {
    addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    give_up: oneshot::Sender<()>,
    done: mpsc::Receiver<std::io::Result<u64>>,
    listener_fd: RawFd,
}

fn start() -> Server {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let listener_fd = listener.as_raw_fd();
    let (shutdown, shutdown_rx) = oneshot::channel::<()>();
    let (give_up, give_up_rx) = oneshot::channel::<()>();
    let (done_tx, done) = mpsc::channel();
    thread::spawn(move || {
        let result = Runtime::new().unwrap().block_on(async move {
            let listener = TcpListener::from_std(listener)?;
            serve_until(
                listener,
                async {
                    let _ = shutdown_rx.await;
                },
                async {
                    let _ = give_up_rx.await;
                },
            )
            .await
        });
        let _ = done_tx.send(result);
    });
    Server {
        addr,
        shutdown,
        give_up,
        done,
        listener_fd,
    }
}

fn refused(addr: SocketAddr) -> bool {
    matches!(StdTcpStream::connect(addr), Err(e) if e.kind() == ErrorKind::ConnectionRefused)
}

#[test]
fn after_shutdown_new_clients_are_refused_and_open_ones_are_still_served() {
    testkit::within("graceful shutdown", || {
        // `give_up` is kept, never sent: this drain waits as long as it takes.
        let Server {
            addr,
            shutdown: trigger,
            give_up: _never,
            done,
            ..
        } = start();
        let mut a = client(addr);
        let mut b = client(addr);
        round_trip(&mut a, b"before");
        round_trip(&mut b, b"before");
        trigger.send(()).unwrap();
        assert!(
            eventually(Duration::from_secs(3), || refused(addr)),
            "new connections are still accepted after the shutdown"
        );
        round_trip(&mut a, b"after the shutdown, still served");
        round_trip(&mut b, b"me too");
        drop(a);
        assert!(
            done.recv_timeout(Duration::from_millis(300)).is_err(),
            "returned with a connection still open"
        );
        round_trip(&mut b, b"still here");
        drop(b);
        let served = done.recv_timeout(Duration::from_secs(3)).expect("drained");
        assert_eq!(served.unwrap(), 2);
    })
}

#[test]
fn with_nothing_open_the_server_stops_at_once() {
    testkit::within("idle shutdown", || {
        // `give_up` is kept, never sent: this drain waits as long as it takes.
        let Server {
            addr,
            shutdown: trigger,
            give_up: _never,
            done,
            ..
        } = start();
        for _ in 0..3 {
            round_trip(&mut client(addr), b"one at a time");
        }
        trigger.send(()).unwrap();
        let served = done.recv_timeout(Duration::from_secs(3)).expect("stopped");
        assert_eq!(served.unwrap(), 3);
        assert!(refused(addr));
    })
}

#[test]
fn a_drain_that_gives_up_cuts_an_idle_client_and_returns() {
    testkit::within("drain deadline", || {
        let server = start();
        let mut idle = client(server.addr);
        round_trip(&mut idle, b"and then silence");
        server.shutdown.send(()).unwrap();
        assert!(
            eventually(Duration::from_secs(3), || refused(server.addr)),
            "new connections are still accepted after the shutdown"
        );
        assert!(
            server
                .done
                .recv_timeout(Duration::from_millis(300))
                .is_err(),
            "returned with a connection still open, before `give_up`"
        );
        server.give_up.send(()).unwrap();
        let served = server
            .done
            .recv_timeout(Duration::from_secs(3))
            .expect("`give_up` completed, but the server still waits for the idle client");
        assert_eq!(served.unwrap(), 1);
        idle.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut byte = [0u8; 1];
        let read = idle.read(&mut byte);
        assert!(
            matches!(read, Ok(0))
                || read
                    .as_ref()
                    .is_err_and(|e| e.kind() == ErrorKind::ConnectionReset),
            "the idle client's connection was not closed: {read:?}"
        );
    })
}

#[test]
fn an_accept_error_drains_the_open_connections_before_it_is_returned() {
    testkit::within("accept error", || {
        let server = start();
        let mut a = client(server.addr);
        round_trip(&mut a, b"before");
        // Shutting a listening socket down makes its `accept` fail with
        // EINVAL (and wakes the reactor): an accept error on demand.
        // SAFETY: the descriptor is the listener's, which the server keeps
        // open until its `accept` has failed, that is, until after this call;
        // `shutdown` does not close it.
        let shut = unsafe { libc::shutdown(server.listener_fd, libc::SHUT_RDWR) };
        assert_eq!(shut, 0, "shutdown(2) on the listener failed");
        assert!(
            server
                .done
                .recv_timeout(Duration::from_millis(300))
                .is_err(),
            "returned the accept error with a connection still open: its task \
             would run on with nobody to stop it"
        );
        round_trip(&mut a, b"still served after the accept error");
        drop(a);
        let result = server
            .done
            .recv_timeout(Duration::from_secs(3))
            .expect("drained");
        assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidInput);
    })
}
