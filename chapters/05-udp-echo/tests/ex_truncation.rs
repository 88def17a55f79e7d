//! Exercise 5.3: a receive that says when a datagram did not fit.

mod common;

use std::net::UdpSocket as StdUdpSocket;

use common::{bind_local, on_runtime};
use udp_echo::exercises::truncation::{Received, recv_from_checked};

#[test]
fn a_datagram_longer_than_the_buffer_is_reported_truncated() {
    on_runtime("truncation", || async {
        let socket = bind_local();
        let addr = socket.local_addr().unwrap();
        let sender = StdUdpSocket::bind("127.0.0.1:0").unwrap();
        let peer = sender.local_addr().unwrap();
        let mut buf = [0u8; 8];
        let mut received = Vec::new();
        for datagram in [&b"0123456789"[..], b"01234567", b"", b"012345678"] {
            sender.send_to(datagram, addr).unwrap();
            received.push(recv_from_checked(&socket, &mut buf).await.unwrap());
        }
        let got = |len, truncated| Received {
            len,
            peer,
            truncated,
        };
        assert_eq!(
            received,
            [got(8, true), got(8, false), got(0, false), got(8, true)],
            "10 bytes cut, 8 exactly fit, an empty datagram is whole, 9 cut"
        );
        assert_eq!(&buf, b"01234567");
    });
}

#[test]
fn recv_from_checked_waits_for_a_datagram_like_recv_from() {
    on_runtime("truncation: waits", || async {
        let socket = bind_local();
        let addr = socket.local_addr().unwrap();
        let sender = std::thread::spawn(move || {
            let s = StdUdpSocket::bind("127.0.0.1:0").unwrap();
            std::thread::sleep(std::time::Duration::from_millis(50));
            s.send_to(b"later", addr).unwrap();
        });
        let mut buf = [0u8; 64];
        let received = recv_from_checked(&socket, &mut buf).await.unwrap();
        assert_eq!((received.len, received.truncated), (5, false));
        sender.join().unwrap();
    });
}
