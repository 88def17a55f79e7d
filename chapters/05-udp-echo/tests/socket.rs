//! `UdpSocket` on the reactor: each operation waits for readiness and
//! retries on `WouldBlock`, several tasks can wait on one socket, and
//! `connect` turns an ICMP "port unreachable" into an error.

mod common;

use std::io;
use std::net::UdpSocket as StdUdpSocket;
use std::thread;

use common::{bind_local, on_runtime};
use reactor::spawn;

#[test]
fn recv_from_waits_for_a_datagram_sent_later_from_another_thread() {
    on_runtime("recv_from waits", || async {
        let socket = bind_local();
        let addr = socket.local_addr().unwrap();
        assert_ne!(addr.port(), 0, "local_addr gives the real port");
        // The first try meets an empty socket (WouldBlock): the task
        // must sleep in the reactor until the thread's datagram comes.
        let sender = thread::spawn(move || {
            let peer = StdUdpSocket::bind("127.0.0.1:0").unwrap();
            thread::sleep(std::time::Duration::from_millis(50));
            peer.send_to(b"late", addr).unwrap();
            peer.local_addr().unwrap()
        });
        let mut buf = [0u8; 16];
        let (n, from) = socket.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"late");
        assert_eq!(from, sender.join().unwrap());
    });
}

#[test]
fn send_to_and_recv_from_carry_a_datagram_between_two_async_sockets() {
    on_runtime("two async sockets", || async {
        let a = bind_local();
        let b = bind_local();
        let sent = a.send_to(b"ping", b.local_addr().unwrap()).await.unwrap();
        assert_eq!(sent, 4);
        let mut buf = [0u8; 8];
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr().unwrap()));
    });
}

#[test]
fn a_connected_socket_sends_and_receives_without_addresses_and_ignores_strangers() {
    on_runtime("connect, send, recv", || async {
        let socket = bind_local();
        let peer = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        let stranger = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        socket.connect(peer.local_addr().unwrap()).unwrap();
        assert_eq!(socket.peer_addr().unwrap(), peer.local_addr().unwrap());

        socket.send(b"hi").await.unwrap();
        let mut buf = [0u8; 8];
        let (n, from) = peer.recv_from(&mut buf).unwrap();
        assert_eq!(
            (&buf[..n], from),
            (&b"hi"[..], socket.local_addr().unwrap())
        );

        // The kernel filters a connected socket: the stranger's
        // datagram never reaches `recv`, the peer's does.
        let me = socket.local_addr().unwrap();
        stranger.send_to(b"not for you", me).unwrap();
        peer.send_to(b"for you", me).unwrap();
        let n = socket.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"for you");
    });
}

#[test]
fn a_connected_socket_reports_a_closed_port_as_connection_refused() {
    on_runtime("connection refused", || async {
        // A port that was just free: nothing listens there now.
        let closed = StdUdpSocket::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let socket = bind_local();
        socket.connect(closed).unwrap();
        socket.send(b"anyone?").await.unwrap();
        // The ICMP error wakes the waiting receiver (an error event),
        // and the retried `recv` returns it.
        let mut buf = [0u8; 8];
        let error = socket.recv(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    });
}

#[test]
fn two_tasks_waiting_on_one_socket_each_get_a_datagram() {
    on_runtime("two receivers", || async {
        let socket = std::sync::Arc::new(bind_local());
        let addr = socket.local_addr().unwrap();
        let receivers: Vec<_> = (0..2)
            .map(|_| {
                let socket = socket.clone();
                spawn(async move {
                    let mut buf = [0u8; 8];
                    let (n, _) = socket.recv_from(&mut buf).await.unwrap();
                    buf[..n].to_vec()
                })
            })
            .collect();
        // Let both receivers reach `WouldBlock` and wait.
        reactor::yield_now().await;
        let peer = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        peer.send_to(b"one", addr).unwrap();
        peer.send_to(b"two", addr).unwrap();
        let mut got = Vec::new();
        for receiver in receivers {
            got.push(receiver.await.unwrap());
        }
        got.sort();
        assert_eq!(got, [b"one".to_vec(), b"two".to_vec()]);
    });
}
