//! Exercise 10.2: `connect` through the ring reaches a listener, fails with
//! `ConnectionRefused` where none listens, and leaves no operation behind.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener as StdListener;
use std::thread;
use std::time::Duration;

use common::uring_test;
use completion::Runtime;
use completion::exercises::connect::connect;

#[test]
fn connect_reaches_a_listener_and_carries_bytes_both_ways() {
    uring_test("connect", Duration::from_secs(10), || {
        let listener = StdListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let peer = thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut got = [0u8; 5];
            stream.read_exact(&mut got).unwrap();
            stream.write_all(b"pong!").unwrap();
            got
        });
        let mut runtime = Runtime::new().unwrap();
        let reply = runtime.block_on(async {
            let stream = connect(addr).await.unwrap();
            assert_eq!(stream.peer_addr().unwrap(), addr);
            stream.write_all(b"ping!".to_vec()).await.0.unwrap();
            stream.read(Vec::with_capacity(5)).await.1
        });
        assert_eq!(&peer.join().unwrap(), b"ping!");
        assert_eq!(reply, b"pong!");
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}

#[test]
fn connect_to_a_closed_port_is_refused() {
    uring_test("connect refused", Duration::from_secs(10), || {
        let addr = StdListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        // The listener is dropped: nobody listens on that port any more.
        let mut runtime = Runtime::new().unwrap();
        let error = runtime.block_on(connect(addr)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
        assert_eq!(runtime.uring().in_flight(), 0);
    })
}
