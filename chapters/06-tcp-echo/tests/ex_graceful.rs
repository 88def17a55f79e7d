//! Exercise 6.3: stop accepting, drain, and stop.

mod common;

use std::io::ErrorKind;
use std::net::{SocketAddr, TcpStream as StdTcpStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::{client, eventually, round_trip};
use futures::channel::oneshot;
use reactor::Runtime;
use tcp_echo::TcpListener;
use tcp_echo::exercises::graceful::serve_until;

/// Starts `serve_until` on its own runtime thread: the address, the
/// trigger, and where its result arrives.
fn start() -> (
    SocketAddr,
    oneshot::Sender<()>,
    mpsc::Receiver<std::io::Result<u64>>,
) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (trigger, shutdown) = oneshot::channel::<()>();
    let (done_tx, done) = mpsc::channel();
    thread::spawn(move || {
        let result = Runtime::new().unwrap().block_on(async move {
            let listener = TcpListener::from_std(listener)?;
            serve_until(listener, async {
                let _ = shutdown.await;
            })
            .await
        });
        let _ = done_tx.send(result);
    });
    (addr, trigger, done)
}

fn refused(addr: SocketAddr) -> bool {
    matches!(StdTcpStream::connect(addr), Err(e) if e.kind() == ErrorKind::ConnectionRefused)
}

#[test]
fn after_shutdown_new_clients_are_refused_and_open_ones_are_still_served() {
    testkit::within("graceful shutdown", || {
        let (addr, trigger, done) = start();
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
        let (addr, trigger, done) = start();
        for _ in 0..3 {
            round_trip(&mut client(addr), b"one at a time");
        }
        trigger.send(()).unwrap();
        let served = done.recv_timeout(Duration::from_secs(3)).expect("stopped");
        assert_eq!(served.unwrap(), 3);
        assert!(refused(addr));
    })
}
